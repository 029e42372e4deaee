"""The scenario list published in batches (its taxonomy is in `app.taxonomy`)."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from app.core.models import TimestampMixin, enum_column, utcnow
from app.extensions import Model, db
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

if TYPE_CHECKING:
    from app.accounts.models import Organization


class BatchStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ScenarioStatus(str, enum.Enum):
    DRAFT = "draft"  # imported, never published
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ChangeKind(str, enum.Enum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


scenario_domains = Table(
    "scenario_domains",
    db.metadata,
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", ForeignKey("tech_domains.id"), primary_key=True),
)


class ScenarioBatch(TimestampMixin, Model):
    """A release of the scenario list (场景清单批次), e.g. 2022年第一批."""

    __tablename__ = "scenario_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus, "batch_status"), default=BatchStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    revisions: WriteOnlyMapped["ScenarioRevision"] = relationship(back_populates="batch")

    def __str__(self) -> str:
        return self.name


class Scenario(TimestampMixin, Model):
    """One entry of the public scenario list; its fields hold the latest published (or, before the
    first publication, the imported) content."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    industry_id: Mapped[int] = mapped_column(ForeignKey("industries.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("scenario_categories.id"), index=True)
    subcategory_id: Mapped[int] = mapped_column(ForeignKey("scenario_subcategories.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    organization_name: Mapped[str] = mapped_column(String(100), default="")
    keywords: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[ScenarioStatus] = mapped_column(
        enum_column(ScenarioStatus, "scenario_status"), default=ScenarioStatus.DRAFT, index=True
    )
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_batches.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    industry: Mapped[Industry] = relationship()
    category: Mapped[ScenarioCategory] = relationship()
    subcategory: Mapped[ScenarioSubcategory] = relationship()
    district: Mapped[District | None] = relationship()
    organization: Mapped[Optional["Organization"]] = relationship()
    domains: Mapped[list[TechDomain]] = relationship(secondary=scenario_domains, order_by=TechDomain.position)
    batch: Mapped[ScenarioBatch | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.status == ScenarioStatus.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("、") if k]

    @property
    def provider_name(self) -> str:
        return self.organization.name if self.organization else self.organization_name


class ScenarioRevision(TimestampMixin, Model):
    """What one batch says about one scenario: a snapshot of the imported row, the scenario as it
    stood when the batch was imported, and the fields that differ."""

    __tablename__ = "scenario_revisions"
    __table_args__ = (UniqueConstraint("batch_id", "scenario_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("scenario_batches.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    change: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, "change_kind"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The scenario's snapshot as it stood when the batch took this revision (None when added).
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    batch: Mapped[ScenarioBatch] = relationship(back_populates="revisions")
    scenario: Mapped[Scenario] = relationship()

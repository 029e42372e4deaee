"""The enablement ledger, the plan's indicators and the figures admins report.

A ledger row is never updated or deleted (see `app.stats.ledger`): a correction is a reversal
row (delta -1) that points to the row it cancels and repeats its firm, kind, date, district,
industry and provider, so every breakdown nets it out where the original was counted.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.bilingual import BilingualName
from app.core.models import TimestampMixin, enum_column, utcnow
from app.extensions import Model
from app.taxonomy.models import District, Industry, TaxonomyMixin


class EnablementKind(TaxonomyMixin, Model):
    """A kind of enablement (签约, 诊断咨询, …); seeded from `seeds/enablement_kinds.json`, and
    edited with the rest of the taxonomy (管理后台 → 分类体系 → 赋能类型)."""

    __tablename__ = "enablement_kinds"

    #: Admins may record it by hand (diagnosis, consulting, training); others come from records.
    manual: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<EnablementKind {self.code}>"


class Enablement(Model):
    __tablename__ = "enablements"
    __table_args__ = (
        # A source counts a firm at most once per kind, and is reversed at most once.
        UniqueConstraint("kind_id", "source_type", "source_id", "firm_id", "delta", name="uq_enablement_source"),
        CheckConstraint("delta IN (1, -1)", name="delta_is_one"),
        CheckConstraint("(delta = 1) = (reverses_id IS NULL)", name="reversal_points_back"),
        # Each aggregate of the dashboard reads one of these without touching the table
        # (bench/stats_bench.py); each foreign key leads an index of its own. A date range or a
        # kind, the filters most used, get indexes that cover every breakdown.
        Index("ix_enablements_firm_delta", "firm_id", "delta"),
        Index("ix_enablements_district_delta", "district_id", "delta"),
        Index("ix_enablements_industry_delta", "industry_id", "delta"),
        Index(
            "ix_enablements_kind_cover",
            "kind_id",
            "delta",
            "district_id",
            "industry_id",
            "occurred_on",
            "firm_id",
            "provider_id",
        ),
        Index("ix_enablements_provider_firm_delta", "provider_id", "firm_id", "delta"),
        Index(
            "ix_enablements_occurred_cover",
            "occurred_on",
            "firm_id",
            "delta",
            "district_id",
            "industry_id",
            "kind_id",
            "provider_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    #: The programme or event that enabled the firm, where there is no provider.
    programme: Mapped[str] = mapped_column(String(100), default="")
    kind_id: Mapped[int] = mapped_column(ForeignKey("enablement_kinds.id"))
    source_type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(64))
    occurred_on: Mapped[date] = mapped_column(Date)
    # The firm's district and industry when it happened: later profile edits leave them alone.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"))
    delta: Mapped[int] = mapped_column(default=1)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("enablements.id"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")
    evidence: Mapped[str] = mapped_column(String(500), default="")
    demo: Mapped[bool] = mapped_column(default=False)

    firm: Mapped[Organization] = relationship(foreign_keys=[firm_id])
    provider: Mapped[Organization | None] = relationship(foreign_keys=[provider_id])
    kind: Mapped[EnablementKind] = relationship()
    district: Mapped[District | None] = relationship()
    industry: Mapped[Industry | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    reverses: Mapped[Optional["Enablement"]] = relationship(remote_side=[id], foreign_keys=[reverses_id])

    @property
    def is_reversal(self) -> bool:
        return self.delta < 0

    def __repr__(self) -> str:
        return f"<Enablement {self.id} {self.source_type}:{self.source_id} firm={self.firm_id} {self.delta:+d}>"


class Plan(BilingualName, Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str] = mapped_column(String(300), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    indicators: Mapped[list["Indicator"]] = relationship(back_populates="plan", order_by="Indicator.position")


class IndicatorKind(str, enum.Enum):
    COMPUTED = "computed"
    REPORTED = "reported"


class Indicator(BilingualName, TimestampMixin, Model):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20))
    #: The unit in English, where it depends on what is counted ("个" is "scenarios", "projects", …).
    unit_en: Mapped[str] = mapped_column(String(40), default="")
    target: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    kind: Mapped[IndicatorKind] = mapped_column(enum_column(IndicatorKind, "indicator_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    reports: Mapped[list["ReportedValue"]] = relationship(
        back_populates="indicator", order_by="(ReportedValue.as_of.desc(), ReportedValue.id.desc())"
    )


class ReportedValue(TimestampMixin, Model):
    """A figure an admin reported for an indicator, with its source; never overwritten."""

    __tablename__ = "reported_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    indicator: Mapped[Indicator] = relationship(back_populates="reports")
    recorded_by: Mapped[User | None] = relationship()

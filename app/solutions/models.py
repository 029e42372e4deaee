"""A provider's solution (解决方案), plug-and-play (即插即用) or not, with its reference cases
(参考案例) and attachments (附件)."""

import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.catalog.models import Scenario
from app.core.models import StoredFileMixin, enum_column
from app.extensions import Model, db
from app.listings.moderation import ListingMixin
from app.taxonomy.models import Industry, ScenarioSubcategory, TechDomain


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column("solution_id", ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target), primary_key=True),
    )


solution_industries = _link_table("solution_industries", "industry_id", "industries.id")
solution_domains = _link_table("solution_domains", "domain_id", "tech_domains.id")
solution_subcategories = _link_table("solution_subcategories", "subcategory_id", "scenario_subcategories.id")
solution_scenarios = _link_table("solution_scenarios", "scenario_id", "scenarios.id")


class DeliveryMode(str, enum.Enum):
    CLOUD = "cloud"  # SaaS
    ON_PREMISE = "on_premise"
    HYBRID = "hybrid"
    SERVICE = "service"  # consulting and implementation


class PriceModel(str, enum.Enum):
    ONE_OFF = "one_off"
    SUBSCRIPTION = "subscription"
    PER_USE = "per_use"
    NEGOTIABLE = "negotiable"


class Solution(ListingMixin, Model):
    __tablename__ = "solutions"

    #: Changing these sends a published solution back for review.
    SUBSTANCE = (
        "title",
        "summary",
        "description",
        "industries",
        "domains",
        "plug_and_play",
        "price_model",
        "price_min",
        "price_max",
        "prerequisites",
        "includes",
    )
    SUBMIT_REFUSED = _l("只有草稿或被退回的方案可以提交审核。")
    CLOSE_REFUSED = _l("这个方案已经下架。")
    EDIT_REFUSED = _l("已下架的方案不能再修改。")

    summary: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    delivery_mode: Mapped[DeliveryMode] = mapped_column(enum_column(DeliveryMode, "delivery_mode"))
    price_model: Mapped[PriceModel] = mapped_column(enum_column(PriceModel, "price_model"))
    #: 万元; empty when negotiable.
    price_min: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    price_max: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    plug_and_play: Mapped[bool] = mapped_column(default=False, index=True)
    # Plug-and-play only: what the firm needs first, how long deployment takes, what is included.
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    deployment_days: Mapped[int | None]
    includes: Mapped[str] = mapped_column(Text, default="")

    industries: Mapped[list[Industry]] = relationship(secondary=solution_industries, order_by=Industry.position)
    domains: Mapped[list[TechDomain]] = relationship(secondary=solution_domains, order_by=TechDomain.position)
    subcategories: Mapped[list[ScenarioSubcategory]] = relationship(
        secondary=solution_subcategories, order_by=ScenarioSubcategory.position
    )
    scenarios: Mapped[list[Scenario]] = relationship(secondary=solution_scenarios, order_by=Scenario.code)
    cases: Mapped[list["SolutionCase"]] = relationship(
        back_populates="solution", order_by="SolutionCase.position", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list["SolutionAttachment"]] = relationship(
        back_populates="solution", order_by="SolutionAttachment.id", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Solution {self.id} {self.status.value}>"


class SolutionCase(Model):
    """A client for whom the provider delivered the solution: who, what was done, what came of it."""

    __tablename__ = "solution_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    solution_id: Mapped[int] = mapped_column(ForeignKey("solutions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    client: Mapped[str] = mapped_column(String(100))
    work: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    year: Mapped[int]

    solution: Mapped[Solution] = relationship(back_populates="cases")

    def __repr__(self) -> str:
        return f"<SolutionCase {self.id} of solution {self.solution_id}>"


class SolutionAttachment(StoredFileMixin, Model):
    """A brochure, white paper or diagram of a solution."""

    __tablename__ = "solution_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    solution_id: Mapped[int] = mapped_column(ForeignKey("solutions.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Added to a public solution: hidden from the public until an admin approves the file.
    pending: Mapped[bool] = mapped_column(default=False)

    solution: Mapped[Solution] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SolutionAttachment {self.id} of solution {self.solution_id}>"

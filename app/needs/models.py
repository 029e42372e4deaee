"""An enterprise's digital-transformation need (需求)."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Scenario
from app.extensions import Model, db
from app.listings.moderation import ListingMixin
from app.taxonomy.models import District, Industry, ScenarioSubcategory, TechDomain

need_domains = Table(
    "need_domains",
    db.metadata,
    Column("need_id", ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", ForeignKey("tech_domains.id"), primary_key=True),
)
need_subcategories = Table(
    "need_subcategories",
    db.metadata,
    Column("need_id", ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("subcategory_id", ForeignKey("scenario_subcategories.id"), primary_key=True),
)
need_scenarios = Table(
    "need_scenarios",
    db.metadata,
    Column("need_id", ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("scenario_id", ForeignKey("scenarios.id"), primary_key=True),
)


class Need(ListingMixin, Model):
    __tablename__ = "needs"

    #: Changing these sends a published need back for review.
    SUBSTANCE = ("title", "description", "industry_id", "domains", "budget_min", "budget_max", "budget_negotiable")
    SUBMIT_REFUSED = _l("只有草稿或被退回的需求可以提交审核。")
    CLOSE_REFUSED = _l("这条需求已经关闭。")
    EDIT_REFUSED = _l("已关闭或已完成的需求不能再修改。")

    description: Mapped[str] = mapped_column(Text)
    industry_id: Mapped[int] = mapped_column(ForeignKey("industries.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    #: 万元; both empty with `budget_negotiable` for 面议.
    budget_min: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    budget_max: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    budget_negotiable: Mapped[bool] = mapped_column(default=False)
    starts_on: Mapped[date | None] = mapped_column(Date)
    deadline_on: Mapped[date | None] = mapped_column(Date)
    contact_person: Mapped[str] = mapped_column(String(50))
    contact_phone: Mapped[str] = mapped_column(String(30))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Which contact details signed-in members of other organizations may see.
    show_person: Mapped[bool] = mapped_column(default=True)
    show_phone: Mapped[bool] = mapped_column(default=False)
    show_email: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None]
    #: When the owner was told that the need expires soon (cleared by a renewal).
    expiry_reminded_at: Mapped[datetime | None]

    industry: Mapped[Industry] = relationship()
    district: Mapped[District | None] = relationship()
    domains: Mapped[list[TechDomain]] = relationship(secondary=need_domains, order_by=TechDomain.position)
    subcategories: Mapped[list[ScenarioSubcategory]] = relationship(
        secondary=need_subcategories, order_by=ScenarioSubcategory.position
    )
    scenarios: Mapped[list[Scenario]] = relationship(secondary=need_scenarios, order_by=Scenario.code)

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status.value}>"

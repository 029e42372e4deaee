"""Yearly calls for pilot projects (试点示范项目) and demo cases (示范案例), the firms' applications
with their files and the portal records they cite as evidence, the experts assigned to them, and
objections during the notice."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.models import StoredFileMixin, TimestampMixin, enum_column
from app.extensions import Model, db
from app.taxonomy.models import TechDomain


class CallKind(str, enum.Enum):
    PILOT = "pilot"  # 试点示范项目, about 100 a year
    DEMO_CASE = "demo_case"  # 平台融合赋能示范案例, 10 a year


class CallStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"  # accepting applications until the deadline
    REVIEWING = "reviewing"  # experts score; then the admin selects
    NOTICE = "notice"  # 公示: the provisional list is public and open to objections
    PUBLISHED = "published"


call_modes = Table(
    "pilot_call_modes",
    db.metadata,
    Column("call_id", ForeignKey("pilot_calls.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", ForeignKey("tech_domains.id"), primary_key=True),
)


class PilotCall(TimestampMixin, Model):
    __tablename__ = "pilot_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CallKind] = mapped_column(enum_column(CallKind, "pilot_call_kind"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    #: The last day applications are taken (the portal's local date).
    deadline: Mapped[date] = mapped_column(Date)
    quota: Mapped[int]
    status: Mapped[CallStatus] = mapped_column(enum_column(CallStatus, "pilot_call_status"), default=CallStatus.DRAFT)
    notice_ends_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    #: The plan's new modes (the technology domains marked as 新模式) the call covers.
    modes: Mapped[list[TechDomain]] = relationship(secondary=call_modes, order_by=TechDomain.position)
    applications: Mapped[list["PilotApplication"]] = relationship(
        back_populates="call", order_by="(PilotApplication.created_at, PilotApplication.id)"
    )
    created_by: Mapped[User] = relationship()

    @property
    def review_scope(self) -> str:
        return f"pilot-call:{self.id}"


class PilotApplication(TimestampMixin, Model):
    __tablename__ = "pilot_applications"
    __table_args__ = (UniqueConstraint("call_id", "organization_id", name="uq_pilot_applications_one"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("pilot_calls.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    project_name: Mapped[str] = mapped_column(String(100))
    mode_id: Mapped[int] = mapped_column(ForeignKey("tech_domains.id"))
    description: Mapped[str] = mapped_column(Text)
    investment: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # 万元
    expected_results: Mapped[str] = mapped_column(Text)
    achieved_results: Mapped[str] = mapped_column(Text, default="")
    selected: Mapped[bool] = mapped_column(default=False)

    call: Mapped[PilotCall] = relationship(back_populates="applications")
    organization: Mapped[Organization] = relationship()
    submitted_by: Mapped[User] = relationship()
    mode: Mapped[TechDomain] = relationship()
    evidence: Mapped[list["PilotEvidence"]] = relationship(order_by="PilotEvidence.id", cascade="all, delete-orphan")
    attachments: Mapped[list["PilotAttachment"]] = relationship(
        back_populates="application", order_by="PilotAttachment.id", cascade="all, delete-orphan"
    )
    assignments: Mapped[list["PilotAssignment"]] = relationship(
        back_populates="application", order_by="PilotAssignment.id", cascade="all, delete-orphan"
    )
    objections: Mapped[list["PilotObjection"]] = relationship(
        back_populates="application", order_by="PilotObjection.id"
    )


class EvidenceSource(str, enum.Enum):
    """Where a cited record lives (`app.pilots.evidence` reads each kind)."""

    LEDGER = "ledger"  # a deal or meeting counted in the enablement ledger
    FIGURES = "figures"  # the firm's yearly figures (incubation)
    INCUBATION = "incubation"  # its enrolment in an incubation track
    EVENT_OUTCOME = "event_outcome"  # its account of a matchmaking meeting at an event
    COMPETITION = "competition"  # its ranked entry in a competition whose results are published


class PilotEvidence(Model):
    """A record of the applicant's own on the portal, cited in its application."""

    __tablename__ = "pilot_evidence_items"
    __table_args__ = (UniqueConstraint("application_id", "source", "record_id", name="uq_pilot_evidence_items_one"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("pilot_applications.id", ondelete="CASCADE"), index=True)
    source: Mapped[EvidenceSource] = mapped_column(enum_column(EvidenceSource, "pilot_evidence_source"))
    record_id: Mapped[int]


class PilotAttachment(StoredFileMixin, Model):
    """Seen by the applicant, its experts and admins."""

    __tablename__ = "pilot_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("pilot_applications.id", ondelete="CASCADE"), index=True)

    application: Mapped[PilotApplication] = relationship(back_populates="attachments")


class PilotAssignment(TimestampMixin, Model):
    """An expert asked to score an application."""

    __tablename__ = "pilot_assignments"
    __table_args__ = (UniqueConstraint("application_id", "expert_id", name="uq_pilot_assignments_one"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("pilot_applications.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    application: Mapped[PilotApplication] = relationship(back_populates="assignments")
    expert: Mapped[User] = relationship()


class PilotObjection(TimestampMixin, Model):
    """An objection (异议) to a project on the provisional list, and the office's answer."""

    __tablename__ = "pilot_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("pilot_applications.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The answer withdrew the project's selection.
    upheld: Mapped[bool] = mapped_column(default=False)

    application: Mapped[PilotApplication] = relationship(back_populates="objections")
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

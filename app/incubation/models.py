"""Eaglet (雏鹰) and gazelle (瞪羚) incubation: the firms' yearly figures, the tracks with their
criteria, and each firm's enrolment in a track as it moves through the pipeline."""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.bilingual import BilingualName
from app.core.models import TimestampMixin, enum_column, utcnow
from app.extensions import Model

MONEY = Numeric(14, 2)  # 万元


class AnnualFigures(Model):
    """What a firm reports for one calendar year. Money in 万元; IP counts are those held at year end."""

    __tablename__ = "incubation_figures"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_incubation_figures_org_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    year: Mapped[int]
    revenue: Mapped[Decimal] = mapped_column(MONEY)
    net_profit: Mapped[Decimal] = mapped_column(MONEY)
    rd_spending: Mapped[Decimal] = mapped_column(MONEY)
    employees: Mapped[int]
    rd_staff: Mapped[int]
    invention_patents: Mapped[int]
    other_ip: Mapped[int]
    financing: Mapped[Decimal] = mapped_column(MONEY)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __repr__(self) -> str:
        return f"<AnnualFigures org={self.organization_id} {self.year}>"


class Track(BilingualName, Model):
    """An incubation programme; its criteria are a list of `{"type": ..., <parameters>}` (see
    `app.incubation.criteria`), seeded from `seeds/programs.json` and edited by admins. Its target
    is the plan indicator named by `indicator_code`."""

    __tablename__ = "incubation_tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    indicator_code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Track {self.code}>"


class Stage(str, enum.Enum):
    APPLIED = "applied"
    REVIEW = "review"
    CANDIDATE = "candidate"
    INCUBATING = "incubating"
    CERTIFIED = "certified"
    GRADUATED = "graduated"
    REJECTED = "rejected"
    EXITED = "exited"


#: Stages that end an enrolment, after which the firm may apply to the track again.
ENDED = (Stage.REJECTED, Stage.EXITED)
#: Stages in which the firm counts as certified.
CERTIFIED = (Stage.CERTIFIED, Stage.GRADUATED)
LIVE = "stage NOT IN ('rejected', 'exited')"


class Enrolment(TimestampMixin, Model):
    """A firm in a track, from its application (or an admin's enrolment) to its end."""

    __tablename__ = "incubation_enrolments"
    __table_args__ = (
        Index("ix_incubation_enrolments_track_stage", "track_id", "stage"),
        # One live enrolment per firm and track (the service says so first, in words).
        Index(
            "uq_incubation_enrolments_live",
            "track_id",
            "organization_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("incubation_tracks.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "incubation_stage"))
    statement: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    certified_on: Mapped[date | None] = mapped_column(Date)

    track: Mapped[Track] = relationship()
    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User] = relationship()
    transitions: Mapped[list["Transition"]] = relationship(
        back_populates="enrolment", order_by="Transition.id", cascade="all, delete-orphan"
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="enrolment", order_by="(Milestone.due_on, Milestone.id)", cascade="all, delete-orphan"
    )
    notes: Mapped[list["MentorNote"]] = relationship(
        back_populates="enrolment", order_by="MentorNote.id.desc()", cascade="all, delete-orphan"
    )

    @property
    def is_live(self) -> bool:
        return self.stage not in ENDED

    @property
    def certification_reason(self) -> str:
        """What the admin wrote when certifying (required when the firm failed the criteria)."""
        return next((t.reason for t in reversed(self.transitions) if t.to_stage == Stage.CERTIFIED), "")

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.stage.value}>"


class Transition(Model):
    """One step of an enrolment: who moved it from which stage to which, when and why."""

    __tablename__ = "incubation_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("incubation_enrolments.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, "incubation_stage"))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "incubation_stage"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="transitions")
    by: Mapped[User] = relationship()


class Milestone(TimestampMixin, Model):
    __tablename__ = "incubation_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("incubation_enrolments.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="milestones")


class MentorNote(TimestampMixin, Model):
    """What a mentor or the office noted about an enrolment; seen by admins only."""

    __tablename__ = "incubation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("incubation_enrolments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="notes")
    author: Mapped[User] = relationship()

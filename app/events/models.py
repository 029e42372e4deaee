"""Events the office runs, their meeting programme (slots and tables), and who registered."""

import enum
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.models import StoredFileMixin, TimestampMixin, enum_column, utcnow
from app.extensions import Model, db
from app.needs.models import Need
from app.solutions.models import Solution


class EventKind(str, enum.Enum):
    FORUM = "forum"  # 产业论坛
    COMPETITION = "competition"  # 行业大赛
    FINANCE = "finance"  # 产融对接会


class EventStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


#: A competition's judges, chosen by the organiser among the experts.
event_judges = Table(
    "event_judges",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(TimestampMixin, Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    venue: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    registration_opens_at: Mapped[datetime]
    registration_closes_at: Mapped[datetime]
    capacity: Mapped[int]
    #: The organiser approves each registration before it holds a place.
    approval_required: Mapped[bool] = mapped_column(default=False)
    #: A meeting request waits for the other side's acceptance (otherwise it is accepted at once).
    requests_need_acceptance: Mapped[bool] = mapped_column(default=True)
    slot_minutes: Mapped[int] = mapped_column(default=20)
    #: How many meeting requests one participant may send.
    request_limit: Mapped[int] = mapped_column(default=10)
    #: Set when the organiser publishes the meeting schedule; from then on it changes only by hand.
    schedule_published_at: Mapped[datetime | None]
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT, index=True
    )
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship()
    slots: Mapped[list["EventSlot"]] = relationship(
        back_populates="event", order_by="EventSlot.starts_at", cascade="all, delete-orphan"
    )
    tables: Mapped[list["EventTable"]] = relationship(
        back_populates="event", order_by="EventTable.position", cascade="all, delete-orphan"
    )
    registrations: Mapped[list["Registration"]] = relationship(back_populates="event", cascade="all, delete-orphan")
    judges: Mapped[list[User]] = relationship(secondary=event_judges, order_by=(User.display_name, User.id))

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.status.value}>"


class EventSlot(Model):
    """One meeting time of the programme (breaks are the gaps between slots)."""

    __tablename__ = "event_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="slots")


class EventTable(Model):
    __tablename__ = "event_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="tables")


class ParticipantRole(str, enum.Enum):
    DEMAND = "demand"  # 需求方
    SUPPLY = "supply"  # 供给方
    INVESTOR = "investor"  # 投资机构或银行
    VISITOR = "visitor"  # 观众


class RegistrationStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for the organiser's approval
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


#: Statuses that hold a place, or wait for one.
HOLDING = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column("registration_id", ForeignKey("event_registrations.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
    )


registration_needs = _link_table("event_registration_needs", "need_id", "needs.id")
registration_solutions = _link_table("event_registration_solutions", "solution_id", "solutions.id")
registration_slots = _link_table("event_registration_slots", "slot_id", "event_slots.id")


class Registration(TimestampMixin, Model):
    """An organization's place at an event, with what it offers and looks for, and its ticket."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "organization_id", name="uq_event_registrations_event_org"),
        Index("ix_event_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole, "participant_role"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus, "registration_status"))
    profile: Mapped[str] = mapped_column(String(500), default="")
    offers: Mapped[str] = mapped_column(String(500), default="")
    requests: Mapped[str] = mapped_column(String(500), default="")
    #: The ticket's code, shown as a QR code and typed at the door.
    ticket_code: Mapped[str] = mapped_column(String(16), unique=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event: Mapped[Event] = relationship(back_populates="registrations")
    organization: Mapped[Organization] = relationship()
    registered_by: Mapped[User] = relationship(foreign_keys=[registered_by_id])
    needs: Mapped[list[Need]] = relationship(secondary=registration_needs)
    solutions: Mapped[list[Solution]] = relationship(secondary=registration_solutions)
    available_slots: Mapped[list[EventSlot]] = relationship(secondary=registration_slots, order_by=EventSlot.starts_at)

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"


class RequestStatus(str, enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class MeetingRequest(TimestampMixin, Model):
    """One participant asks another for a 1:1 meeting at the event."""

    __tablename__ = "event_meeting_requests"
    __table_args__ = (
        UniqueConstraint("requester_id", "recipient_id", name="uq_event_meeting_requests_pair"),
        Index("ix_event_meeting_requests_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "meeting_request_status"), default=RequestStatus.PENDING
    )
    decided_at: Mapped[datetime | None]
    #: Why the last scheduler run could not place this accepted request (a `scheduling.Reason` value).
    unplaced_reason: Mapped[str] = mapped_column(String(30), default="")

    event: Mapped[Event] = relationship()
    requester: Mapped[Registration] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[Registration] = relationship(foreign_keys=[recipient_id])
    meeting: Mapped[Optional["Meeting"]] = relationship(back_populates="request", cascade="all, delete-orphan")


class Meeting(Model):
    """An accepted request placed in a slot at a table, by the scheduler or by the organiser's hand
    (`pinned`: the scheduler keeps it where it is)."""

    __tablename__ = "event_meetings"
    __table_args__ = (UniqueConstraint("slot_id", "table_id", name="uq_event_meetings_slot_table"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("event_meeting_requests.id", ondelete="CASCADE"), unique=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("event_slots.id", ondelete="CASCADE"))
    table_id: Mapped[int] = mapped_column(ForeignKey("event_tables.id", ondelete="CASCADE"))
    pinned: Mapped[bool] = mapped_column(default=False)

    request: Mapped[MeetingRequest] = relationship(back_populates="meeting")
    slot: Mapped[EventSlot] = relationship()
    table: Mapped[EventTable] = relationship()
    outcomes: Mapped[list["MeetingOutcome"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")


class OutcomeKind(str, enum.Enum):
    NO_INTEREST = "no_interest"
    FOLLOW_UP = "follow_up"
    INTENTION = "intention"  # 签订意向
    DEAL = "deal"


class MeetingOutcome(Model):
    """One side's account, after the event, of how a meeting went."""

    __tablename__ = "event_meeting_outcomes"
    __table_args__ = (UniqueConstraint("meeting_id", "registration_id", name="uq_event_meeting_outcomes_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("event_meetings.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"))
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "meeting_outcome"))
    #: 万元: the deal's amount, and for industry-finance meetings the financing agreed.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    financing: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: The bank or investor providing the financing (required with it).
    institution: Mapped[str] = mapped_column(String(100), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped["Meeting"] = relationship(back_populates="outcomes")
    registration: Mapped[Registration] = relationship()


class CompetitionEntry(TimestampMixin, Model):
    """A registered organization's entry in a competition, with its files (checked by content)."""

    __tablename__ = "event_competition_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration] = relationship()
    files: Mapped[list["EntryFile"]] = relationship(
        back_populates="entry", order_by="EntryFile.id", cascade="all, delete-orphan"
    )


class EntryFile(StoredFileMixin, Model):
    __tablename__ = "event_entry_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("event_competition_entries.id", ondelete="CASCADE"), index=True)

    entry: Mapped[CompetitionEntry] = relationship(back_populates="files")

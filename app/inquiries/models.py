"""Threads between two organizations, their messages, and the follow-up answers after a deal."""

import enum
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, enum_column, utcnow
from app.extensions import Model
from app.needs.models import Need
from app.solutions.models import Solution


class InquiryState(str, enum.Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DEAL = "deal"
    CLOSED = "closed"


class Side(str, enum.Enum):
    ENTERPRISE = "enterprise"
    PROVIDER = "provider"


class FollowUpAnswer(str, enum.Enum):
    NO_CONTACT = "no_contact"
    ONGOING = "ongoing"
    DELIVERED = "delivered"
    RENEWED = "renewed"


class Inquiry(PrivateData, TimestampMixin, Model):
    """An enterprise asks about a solution (我要对接), or a provider proposes for a need (提交方案)."""

    __tablename__ = "inquiries"
    __table_args__ = (
        CheckConstraint("(solution_id IS NULL) <> (need_id IS NULL)", name="one_subject"),
        Index("ix_inquiries_enterprise_updated", "enterprise_id", "updated_at"),
        Index("ix_inquiries_provider_updated", "provider_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    solution_id: Mapped[int | None] = mapped_column(ForeignKey("solutions.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[InquiryState] = mapped_column(enum_column(InquiryState, "inquiry_state"), default=InquiryState.OPEN)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    #: 万元, as the first side to confirm the deal stated it; optional.
    deal_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    enterprise_confirmed_at: Mapped[datetime | None]
    enterprise_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    provider_confirmed_at: Mapped[datetime | None]
    provider_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deal_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: When both sides were asked how the deal went.
    follow_up_asked_at: Mapped[datetime | None]

    solution: Mapped[Solution | None] = relationship()
    need: Mapped[Need | None] = relationship()
    enterprise: Mapped[Organization] = relationship(foreign_keys=[enterprise_id])
    provider: Mapped[Organization] = relationship(foreign_keys=[provider_id])
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    messages: Mapped[list["InquiryMessage"]] = relationship(
        back_populates="inquiry", order_by="InquiryMessage.id", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list["FollowUp"]] = relationship(back_populates="inquiry", cascade="all, delete-orphan")

    @property
    def subject(self) -> Solution | Need:
        # never None: the one_subject constraint sets exactly one of solution_id and need_id
        return cast("Solution | Need", self.solution if self.solution_id else self.need)

    @property
    def initiator(self) -> Side:
        """Who opened it; the other side accepts or declines."""
        return Side.ENTERPRISE if self.solution_id else Side.PROVIDER

    @property
    def responder(self) -> Side:
        return Side.PROVIDER if self.solution_id else Side.ENTERPRISE

    def org_of(self, side: Side) -> Organization:
        return self.enterprise if side == Side.ENTERPRISE else self.provider

    def confirmed_at(self, side: Side) -> datetime | None:
        return self.enterprise_confirmed_at if side == Side.ENTERPRISE else self.provider_confirmed_at

    def __repr__(self) -> str:
        return f"<Inquiry {self.id} {self.state.value}>"


class InquiryMessage(PrivateData, TimestampMixin, Model):
    __tablename__ = "inquiry_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "inquiry_side"))
    body: Mapped[str] = mapped_column(Text)

    inquiry: Mapped[Inquiry] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
    attachments: Mapped[list["InquiryAttachment"]] = relationship(
        back_populates="message", order_by="InquiryAttachment.id", cascade="all, delete-orphan"
    )


class InquiryAttachment(PrivateData, Model):
    """A file sent with a message, kept by `app.core.files` under `stored_name`."""

    __tablename__ = "inquiry_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inquiry_messages.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int]

    message: Mapped[InquiryMessage] = relationship(back_populates="attachments")


class FollowUp(Model):
    """One side's answer, six months after the deal, to how it went."""

    __tablename__ = "inquiry_follow_ups"
    __table_args__ = (UniqueConstraint("inquiry_id", "side", name="uq_inquiry_follow_ups_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "inquiry_side"))
    answer: Mapped[FollowUpAnswer] = mapped_column(enum_column(FollowUpAnswer, "follow_up_answer"))
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    inquiry: Mapped[Inquiry] = relationship(back_populates="follow_ups")
    answered_by: Mapped[User] = relationship()

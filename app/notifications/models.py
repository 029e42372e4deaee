"""What a member is told in the portal, and which mails they chose not to receive."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, enum_column
from app.extensions import Model


class Topic(str, enum.Enum):
    """What a notification is about; members choose per topic whether it also comes by mail."""

    INQUIRY = "inquiry"  # a new inquiry or proposal
    REPLY = "reply"  # a new message in a thread
    STATE = "state"  # a thread accepted, declined, a deal confirmed or closed
    EXPIRING = "expiring"  # a need expires soon
    SAVED_SEARCH = "saved_search"  # new items match a saved search
    FOLLOW_UP = "follow_up"  # how did the deal go?
    INCUBATION = "incubation"  # a firm's figures now meet, or no longer meet, an incubation track
    PROGRAMME = "programme"  # an enrolment moved, an application selected or not, scoring, an objection answered
    MODERATION = "moderation"  # a need, solution or file approved or sent back; an organization (un)verified


class Notification(PrivateData, TimestampMixin, Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic: Mapped[Topic] = mapped_column(enum_column(Topic, "notification_topic"))
    title: Mapped[str] = mapped_column(String(200))
    #: The language the title was written in: the member's when they were told.
    language: Mapped[str] = mapped_column(String(5), default="zh")
    #: A local path (never an outside address) that the inbox links to.
    link: Mapped[str] = mapped_column(String(300))
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class MailOptOut(PrivateData, Model):
    """A topic a member does not want mails about (they still see it in the inbox)."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "topic", name="uq_mail_opt_outs_user_topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic: Mapped[Topic] = mapped_column(enum_column(Topic, "notification_topic"))

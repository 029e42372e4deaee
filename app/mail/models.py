"""Every mail the portal sends, kept as a record; in development it is the outbox itself.

With an SMTP server, a mail is written `queued` in the transaction of the change it tells about and
sent after the commit (app/mail/sender.py), so a rolled-back change mails no one."""

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, enum_column
from app.extensions import Model


class MailStatus(str, enum.Enum):
    QUEUED = "queued"
    OUTBOX = "outbox"
    SENT = "sent"
    FAILED = "failed"


class MailMessage(PrivateData, TimestampMixin, Model):
    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    # Bodies are kept only until the mail is sent or given up, or when no SMTP server is configured:
    # in production they may carry reset links that no one but the recipient should read.
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus, "mail_status"))
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When a queued mail is next due to be sent (None once sent or given up).
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)

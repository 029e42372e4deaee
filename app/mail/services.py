"""The one way the portal sends mail.

Without `MAIL_SERVER` a mail lands in the outbox table, readable from the admin area. With it, the
mail is queued in the caller's transaction and sent after the commit by `deliver_queued` (from
`flask mail send` or the web process's background sender): nothing talks to SMTP while a request's
transaction is open, and a rolled-back change mails no one. A failed attempt is retried with a
growing delay, up to `MAIL_MAX_ATTEMPTS`; once sent or given up, only the envelope is kept.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any, cast

from flask import current_app, render_template
from sqlalchemy import CursorResult, Select, select, update

from app.core.models import utcnow
from app.core.validators import has_control_characters, one_line
from app.extensions import db
from app.mail.models import MailMessage, MailStatus

log = logging.getLogger(__name__)
_failed_mail: ContextVar[list[int] | None] = ContextVar("failed_mail", default=None)
#: Set in a session's `info` when it queued mail, for the after-commit hand-off (app/mail/sender.py).
QUEUED_KEY = "mail.queued"
#: How long a sender holds a mail it took, so that another sender (cron, another web worker) leaves it.
CLAIM = timedelta(minutes=5)


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_mail(recipient: str, subject: str, template: str, **context) -> MailMessage:
    """Never raises for the message itself: one that cannot be built is recorded as failed and
    logged by its id, so that a loop mailing many members goes on (see `counting_failed_mail`)."""
    body = render_template(template, **context)
    message = MailMessage(recipient=recipient[:254], subject=one_line(subject)[:200])
    try:
        build_message(recipient, subject, body)
    except ValueError as exc:
        message.status = MailStatus.FAILED
        message.error = str(exc)[:500]
    else:
        message.body = body
        if current_app.config["MAIL_SERVER"]:
            message.status = MailStatus.QUEUED
            message.next_attempt_at = utcnow()
            db.session.info[QUEUED_KEY] = True
        else:
            message.status = MailStatus.OUTBOX
    db.session.add(message)
    db.session.flush()
    if message.status == MailStatus.FAILED:
        _record_failure(message)
    return message


def _record_failure(message: MailMessage) -> None:
    log.warning("mail %d failed: %s", message.id, message.error)
    failed = _failed_mail.get()
    if failed is not None:
        failed.append(message.id)


def build_message(recipient: str, subject: str, body: str) -> EmailMessage:
    """The message as it goes out, each header on one line whatever the subject holds (a name stored
    with a line break could otherwise end the Subject and start a Bcc). Raises ValueError when
    `recipient` is not exactly one plain address."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = recipient
    if has_control_characters(recipient) or [a.addr_spec for a in email["To"].addresses] != [recipient]:
        raise ValueError(f"not one address: {recipient!r}")
    email["Subject"] = one_line(subject)
    email.set_content(body)
    return email


def deliver_queued(limit: int | None = None) -> Delivery:
    """Send the queued mail that is due, oldest first, committing after each one. Each mail is
    claimed first (its next attempt moved `CLAIM` ahead), so two senders never send it twice."""
    done = Delivery()
    while limit is None or done.sent + done.retrying + done.failed < limit:
        now = utcnow()
        message_id = db.session.scalar(
            select(MailMessage.id)
            .where(MailMessage.status == MailStatus.QUEUED, MailMessage.next_attempt_at <= now)
            .order_by(MailMessage.id)
            .limit(1)
        )
        if message_id is None:
            return done
        claimed = db.session.execute(
            update(MailMessage)
            .where(MailMessage.id == message_id, MailMessage.status == MailStatus.QUEUED)
            .where(MailMessage.next_attempt_at <= now)
            .values(next_attempt_at=now + CLAIM)
        )
        db.session.commit()
        if cast("CursorResult[Any]", claimed).rowcount != 1:
            continue
        message = db.session.get_one(MailMessage, message_id)
        _attempt(message)
        db.session.commit()
        if message.status == MailStatus.SENT:
            done.sent += 1
        elif message.status == MailStatus.FAILED:
            done.failed += 1
        else:
            done.retrying += 1
    return done


def _attempt(message: MailMessage) -> None:
    config = current_app.config
    message.attempts += 1
    try:
        _send_smtp(build_message(message.recipient, message.subject, message.body))
    except (ValueError, smtplib.SMTPException, OSError) as exc:
        message.error = _describe(exc)[:500]
        if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            message.status = MailStatus.FAILED
            message.next_attempt_at = None
            message.body = ""
            _record_failure(message)
        else:
            delay = config["MAIL_RETRY_DELAY"] * 2 ** (message.attempts - 1)
            message.next_attempt_at = utcnow() + timedelta(seconds=delay)
            log.info("mail %d attempt %d failed, retrying in %d s: %s", message.id, message.attempts, delay, exc)
    else:
        message.status = MailStatus.SENT
        message.sent_at = utcnow()
        message.next_attempt_at = None
        message.body = ""


def _describe(exc: Exception) -> str:
    """The server's reply as an admin reads it in the outbox (code and text, per refused address)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


@contextmanager
def counting_failed_mail() -> Iterator[list[int]]:
    """The ids of the mails that fail within the block, for a command that mails many members."""
    failed: list[int] = []
    token = _failed_mail.set(failed)
    try:
        yield failed
    finally:
        _failed_mail.reset(token)


def outbox_query(recipient: str = "") -> Select:
    stmt = select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    if recipient:
        stmt = stmt.where(MailMessage.recipient.contains(recipient.lower(), autoescape=True))
    return stmt

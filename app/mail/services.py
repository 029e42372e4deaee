"""The one way the portal sends mail.

Without `MAIL_SERVER` a mail lands in the outbox table, readable from the admin area; with it,
the mail goes out by SMTP and only its envelope is recorded.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import Select, select

from app.core.models import utcnow
from app.core.validators import has_control_characters, one_line
from app.extensions import db
from app.mail.models import MailMessage, MailStatus

log = logging.getLogger(__name__)
_failed_mail: ContextVar[list[int] | None] = ContextVar("failed_mail", default=None)


def send_mail(recipient: str, subject: str, template: str, **context) -> MailMessage:
    """Never raises for the message itself: one that cannot be built or sent is recorded as failed
    and logged by its id, so that a loop mailing many members goes on (see `counting_failed_mail`)."""
    body = render_template(template, **context)
    config = current_app.config
    message = MailMessage(recipient=recipient[:254], subject=one_line(subject)[:200])
    try:
        email = build_message(recipient, subject, body)
        if config["MAIL_SERVER"]:
            _send_smtp(email)
    except (ValueError, smtplib.SMTPException, OSError) as exc:
        message.status = MailStatus.FAILED
        message.error = str(exc)[:500]
    else:
        if config["MAIL_SERVER"]:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
        else:
            message.body = body
            message.status = MailStatus.OUTBOX
    db.session.add(message)
    db.session.flush()
    if message.status == MailStatus.FAILED:
        log.warning("mail %d failed: %s", message.id, message.error)
        failed = _failed_mail.get()
        if failed is not None:
            failed.append(message.id)
    return message


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

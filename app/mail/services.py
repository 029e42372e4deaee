"""The one way the portal sends mail.

Without `MAIL_SERVER` a mail lands in the outbox table, readable from the admin area; with it,
the mail goes out by SMTP and only its envelope is recorded.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import Select, select

from app.core.models import utcnow
from app.extensions import db
from app.mail.models import MailMessage, MailStatus

log = logging.getLogger(__name__)


def send_mail(recipient: str, subject: str, template: str, **context) -> MailMessage:
    body = render_template(template, **context)
    config = current_app.config
    message = MailMessage(recipient=recipient, subject=subject)
    if not config["MAIL_SERVER"]:
        message.body = body
        message.status = MailStatus.OUTBOX
    else:
        try:
            _send_smtp(recipient, subject, body)
        except (smtplib.SMTPException, OSError) as exc:
            message.status = MailStatus.FAILED
            message.error = str(exc)[:500]
            log.warning("mail to %s failed: %s", recipient, exc)
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
    db.session.add(message)
    db.session.flush()
    return message


def _send_smtp(recipient: str, subject: str, body: str) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def outbox_query(recipient: str = "") -> Select:
    stmt = select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    if recipient:
        stmt = stmt.where(MailMessage.recipient.contains(recipient.lower(), autoescape=True))
    return stmt

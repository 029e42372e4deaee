"""A member's data as a ZIP of JSON and CSV, and the deletion of an account by anonymising it.

Deleting anonymises rather than removes: the records others rely on (the ledger's rows, the
organization's needs and solutions, the other side's copy of a thread, event registrations) stay
and keep their counts; what names the person goes (name, e-mail address, password, sessions,
membership, inbox, saved searches, the mails sent to them, the contact name and e-mail they left on their needs and on
their organization).
"""

import io
import json
import secrets
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.accounts.models import MemberRole, User
from app.accounts.passwords import hash_password
from app.accounts.services import end_sessions
from app.core.audit import Actor, AuditEntry, audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.core.spreadsheets import csv_bytes
from app.events.models import Registration
from app.extensions import db
from app.inquiries.models import InquiryMessage
from app.mail.models import MailMessage
from app.needs.models import Need
from app.notifications.models import MailOptOut, Notification
from app.personal_data.models import DeletionRequest
from app.search.models import SavedSearch
from app.solutions.models import Solution

#: The name an anonymised account shows wherever its records remain.
DELETED_NAME = "已注销用户"

Row = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


Columns = dict[str, Callable[[Any], Any]]


def _rows(items: Sequence[Any], columns: Columns) -> tuple[list[str], list[Row]]:
    return list(columns), [{name: _plain(get(item)) for name, get in columns.items()} for item in items]


def _mine(model: Any, column: Any, user: User) -> list[Any]:
    return list(db.session.scalars(select(model).where(column == user.id).order_by(model.id)))


def personal_data(user: User) -> dict[str, tuple[list[str], list[Row]]]:
    """Everything the portal holds that the member gave it, section by section: its columns and rows."""
    membership = user.membership
    return {
        "account": _rows(
            [user],
            {
                "id": lambda u: u.id,
                "email": lambda u: u.email,
                "display_name": lambda u: u.display_name,
                "site_role": lambda u: u.site_role,
                "created_at": lambda u: u.created_at,
                "last_login_at": lambda u: u.last_login_at,
                "privacy_version": lambda u: u.privacy_version,
                "terms_version": lambda u: u.terms_version,
                "consented_at": lambda u: u.consented_at,
            },
        ),
        "memberships": _rows(
            [membership] if membership else [],
            {
                "organization_id": lambda m: m.organization_id,
                "organization": lambda m: m.organization.name,
                "credit_code": lambda m: m.organization.credit_code,
                "role": lambda m: m.role,
                "joined_at": lambda m: m.joined_at,
            },
        ),
        "needs": _rows(
            _mine(Need, Need.created_by_id, user),
            {
                "id": lambda n: n.id,
                "title": lambda n: n.title,
                "status": lambda n: n.status,
                "description": lambda n: n.description,
                "contact_person": lambda n: n.contact_person,
                "contact_phone": lambda n: n.contact_phone,
                "contact_email": lambda n: n.contact_email,
                "created_at": lambda n: n.created_at,
            },
        ),
        "solutions": _rows(
            _mine(Solution, Solution.created_by_id, user),
            {
                "id": lambda s: s.id,
                "title": lambda s: s.title,
                "status": lambda s: s.status,
                "summary": lambda s: s.summary,
                "description": lambda s: s.description,
                "created_at": lambda s: s.created_at,
            },
        ),
        "messages": _rows(
            _mine(InquiryMessage, InquiryMessage.author_id, user),
            {
                "id": lambda m: m.id,
                "inquiry_id": lambda m: m.inquiry_id,
                "side": lambda m: m.side,
                "body": lambda m: m.body,
                "created_at": lambda m: m.created_at,
            },
        ),
        "registrations": _rows(
            _mine(Registration, Registration.registered_by_id, user),
            {
                "id": lambda r: r.id,
                "event": lambda r: r.event.title,
                "organization": lambda r: r.organization.name,
                "role": lambda r: r.role,
                "status": lambda r: r.status,
                "profile": lambda r: r.profile,
                "offers": lambda r: r.offers,
                "requests": lambda r: r.requests,
                "created_at": lambda r: r.created_at,
            },
        ),
    }


def export_zip(user: User) -> bytes:
    """`data.json` with every section, and a CSV per section (formula-safe, with a header row even
    when empty)."""
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {section: rows for section, (_columns, rows) in data.items()}
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        for section, (columns, rows) in data.items():
            archive.writestr(f"{section}.csv", csv_bytes(columns, [list(row.values()) for row in rows]))
    return buffer.getvalue()


def pending_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        select(DeletionRequest).where(DeletionRequest.user_id == user.id, DeletionRequest.completed_at.is_(None))
    )


def request_deletion(user: User) -> DeletionRequest:
    if pending_request(user) is not None:
        raise DomainError(_("您已提交注销申请，请等待平台处理。"), category="warning")
    deletion = DeletionRequest(user_id=user.id, requested_at=utcnow())
    db.session.add(deletion)
    db.session.flush()
    audit(user, "account.deletion_request", deletion)
    return deletion


def requests_query():
    return select(DeletionRequest).order_by(DeletionRequest.completed_at.is_not(None), DeletionRequest.id.desc())


def complete_deletion(deletion: DeletionRequest, by: Actor) -> User:
    if not deletion.is_pending:
        raise DomainError(_("这个注销申请已经处理过了。"), category="warning")
    user = deletion.user
    # The audit row names the account by id only: its name and e-mail address are what goes.
    audit(by, "account.deletion_complete", deletion, before={"user_id": user.id})
    _anonymise(user)
    deletion.completed_at, deletion.completed_by_id = utcnow(), by.id
    db.session.flush()
    return user


def _anonymise(user: User) -> None:
    name, email = user.display_name, user.email
    for need in _mine(Need, Need.created_by_id, user):
        if need.contact_person == name:
            need.contact_person = ""
        if need.contact_email.lower() == email:
            need.contact_email = ""
    membership = user.membership
    if membership is not None:
        organization = membership.organization
        if organization.contact_person == name:
            organization.contact_person = ""
        if membership.role == MemberRole.OWNER:
            successor = next((m for m in organization.memberships if m is not membership), None)
            if successor is not None:
                successor.role = MemberRole.OWNER
        organization.memberships.remove(membership)
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.target_type == "User", AuditEntry.target_id == user.id)
        .values(target_label=DELETED_NAME)
    )
    db.session.execute(delete(MailMessage).where(func.lower(MailMessage.recipient) == email))
    for model in (Notification, MailOptOut, SavedSearch):
        db.session.execute(delete(model).where(model.user_id == user.id))
    user.display_name = DELETED_NAME
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.active = False
    user.last_login_at = None
    end_sessions(user)
    db.session.flush()

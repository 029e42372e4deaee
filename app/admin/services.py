"""Admin actions, each written to the audit log with the values before and after."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from app.accounts import services as accounts
from app.accounts.models import Organization, SiteRole, User
from app.admin.moderation import pending_counts
from app.core.audit import AuditEntry, audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import members, notify


def audit_query(target_type: str = "", target_id: int | None = None, actor_email: str = "") -> Select:
    stmt = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if target_type:
        stmt = stmt.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEntry.target_id == target_id)
    if actor_email:
        stmt = stmt.join(User, AuditEntry.actor_id == User.id).where(
            User.email.contains(actor_email.strip().lower(), autoescape=True)
        )
    return stmt


def admin_queue_counts() -> dict[str, int]:
    """What waits for the office: organizations to verify and listings to review."""
    return {
        "unverified": db.session.scalar(select(func.count(Organization.id)).where(Organization.verified_at.is_(None)))
        or 0,
        "moderation": sum(pending_counts().values()),
    }


def user_query(q: str = "", role: str = "") -> Select:
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q:
        needle = q.strip()
        stmt = stmt.where(
            or_(
                User.email.contains(needle.lower(), autoescape=True),
                User.display_name.contains(needle, autoescape=True),
            )
        )
    if role in {r.value for r in SiteRole}:
        stmt = stmt.where(User.site_role == SiteRole(role))
    return stmt


def organization_query(q: str = "", status: str = "pending") -> Select:
    stmt = select(Organization)
    if status == "pending":
        stmt = stmt.where(Organization.verified_at.is_(None)).order_by(Organization.created_at)
    elif status == "verified":
        stmt = stmt.where(Organization.verified_at.is_not(None)).order_by(Organization.verified_at.desc())
    else:
        stmt = stmt.order_by(Organization.created_at.desc())
    if q:
        needle = q.strip()
        stmt = stmt.where(
            or_(
                Organization.name.contains(needle, autoescape=True),
                Organization.credit_code.contains(needle.upper(), autoescape=True),
            )
        )
    return stmt


class AdminError(DomainError):
    """An admin action that is refused; the message is for the admin."""


def set_user_active(user: User, active: bool, by: User) -> None:
    if user.id == by.id:
        raise AdminError(_("不能停用自己的账号。"))
    before = {"active": user.active}
    accounts.set_active(user, active)
    audit(by, "user.activate" if active else "user.deactivate", user, before, {"active": active})


def set_user_role(user: User, role: SiteRole, by: User) -> None:
    if user.id == by.id:
        raise AdminError(_("不能修改自己的角色。"))
    before = {"site_role": user.site_role.value}
    accounts.set_site_role(user, role)
    audit(by, "user.role", user, before, {"site_role": role.value})


def verify_organization(org: Organization, by: User, note: str) -> None:
    before = {"verified": org.is_verified, "note": org.verification_note}
    org.verified_at = utcnow()
    org.verified_by = by
    org.verification_note = note.strip()
    audit(by, "organization.verify", org, before, {"verified": True, "note": org.verification_note})
    _tell_members(org, _l("贵单位“%(name)s”已通过平台认证", name=org.name), org.verification_note)


def revoke_verification(org: Organization, by: User, note: str) -> None:
    before = {"verified": org.is_verified, "note": org.verification_note}
    org.verified_at = None
    org.verified_by = None
    org.verification_note = note.strip()
    audit(by, "organization.unverify", org, before, {"verified": False, "note": org.verification_note})
    _tell_members(org, _l("贵单位“%(name)s”的平台认证已撤销：%(reason)s", name=org.name, reason=org.verification_note))


def _tell_members(org: Organization, title: str, detail: str = "") -> None:
    notify(members(org), Topic.MODERATION, title, "orgs.detail", detail, org_id=org.id)


def audit_target_types() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)))

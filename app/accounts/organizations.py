"""Organizations: creation, profile edits, invitations and members."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Invitation, MemberRole, Membership, Organization, OrgKind, User
from app.core.audit import audit
from app.core.domain_error import DomainError
from app.core.links import external_url
from app.core.models import utcnow
from app.core.validators import normalize_credit_code, normalize_phone
from app.extensions import db
from app.mail.services import send_mail

security_log = logging.getLogger("gongfu.security")

# The fields a member may set on the profile form; anything else in a request is ignored.
PROFILE_FIELDS = (
    "name",
    "kind",
    "district_id",
    "industry_id",
    "founded_year",
    "employees",
    "website",
    "contact_person",
    "contact_phone",
    "description",
)


@dataclass
class OrganizationProfile:
    name: str
    kind: OrgKind
    district_id: int | None
    industry_id: int | None
    founded_year: int | None
    employees: int | None
    website: str
    contact_person: str
    contact_phone: str
    description: str


class OrganizationError(DomainError):
    """A step on an organization or its members is refused; the message is for the user."""


INVITATION_MESSAGES = {
    "invalid": _l("邀请链接无效。"),
    "used": _l("该邀请已被使用，不能重复使用。"),
    "revoked": _l("该邀请已被撤销。"),
    "expired": _l("该邀请已过期，请联系企业管理员重新邀请。"),
    "already_member": _l("您已属于一个企业/机构，不能再加入其他企业/机构。"),
    "wrong_email": _l("该邀请发给了其他邮箱，请用收到邀请的邮箱注册或登录。"),
}


class InvitationError(OrganizationError):
    """An invitation cannot be used; `reason` (a key of INVITATION_MESSAGES) tells a link that never
    existed ("invalid") from one that is no longer usable."""

    def __init__(self, reason: str) -> None:
        super().__init__(str(INVITATION_MESSAGES[reason]))
        self.reason = reason


def credit_code_taken(code: str, exclude_id: int | None = None) -> bool:
    stmt = select(Organization.id).where(Organization.credit_code == normalize_credit_code(code))
    if exclude_id is not None:
        stmt = stmt.where(Organization.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _apply_profile(org: Organization, profile: OrganizationProfile) -> None:
    for field in PROFILE_FIELDS:
        setattr(org, field, getattr(profile, field))
    org.name = org.name.strip()
    org.contact_phone = normalize_phone(org.contact_phone)


def create_organization(owner: User, credit_code: str, profile: OrganizationProfile) -> Organization:
    org = Organization(credit_code=normalize_credit_code(credit_code))
    _apply_profile(org, profile)
    db.session.add(org)
    db.session.add(Membership(user=owner, organization=org, role=MemberRole.OWNER))
    db.session.flush()
    security_log.info("organization created: id=%s by user=%s", org.id, owner.id)
    return org


def update_organization(org: Organization, profile: OrganizationProfile, by: User) -> bool:
    """Apply an owner's edit. The badge vouches for the name and the credit code: when either
    changes, a verified organization goes back to 待认证 and the change is audited. True when it did."""
    identity = (org.name, org.credit_code)
    _apply_profile(org, profile)
    if not org.is_verified or (org.name, org.credit_code) == identity:
        return False
    before = {"verified": True, "name": identity[0], "credit_code": identity[1]}
    org.verified_at = None
    org.verified_by = None
    audit(
        by,
        "organization.identity_change",
        org,
        before,
        {"verified": False, "name": org.name, "credit_code": org.credit_code},
    )
    security_log.info("verification cleared by a name change: org=%s by user=%s", org.id, by.id)
    return True


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(org: Organization, email: str, by: User) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=org,
        email=email.strip().lower(),
        token_hash=_token_hash(token),
        invited_by=by,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    send_mail(
        invitation.email,
        _("%(name)s 邀请您加入工赋汇", name=org.name),
        "emails/invitation.txt",
        organization=org,
        inviter=by,
        url=external_url("orgs.accept_invitation", token=token),
        expires_at=invitation.expires_at,
    )
    return invitation


def _invitation_problem(invitation: Invitation | None) -> str | None:
    if invitation is None:
        return "invalid"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= utcnow():
        return "expired"
    return None


def check_invitation(token: str) -> tuple[Invitation | None, InvitationError | None]:
    """The usable invitation behind `token`, or why there is none (for the page that says so)."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    problem = _invitation_problem(invitation)
    if problem is not None:
        return None, InvitationError(problem)
    return invitation, None


def accept_invitation(token: str, user: User) -> Organization:
    invitation, problem = check_invitation(token)
    if problem is not None:
        raise problem
    assert invitation is not None
    if user.membership is not None:
        raise InvitationError("already_member")
    if invitation.email != user.email:
        raise InvitationError("wrong_email")
    invitation.accepted_at = utcnow()
    invitation.accepted_by = user
    db.session.add(Membership(user=user, organization=invitation.organization, role=MemberRole.MEMBER))
    db.session.flush()
    security_log.info("invitation accepted: org=%s user=%s", invitation.organization_id, user.id)
    return invitation.organization


def revoke_invitation(invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()


def pending_invitations(org: Organization) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.organization_id == org.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def free_to_create(user: User) -> bool:
    """True when `user` belongs to no organization yet; otherwise refused, as a notice."""
    if user.membership is not None:
        raise OrganizationError(_("您已属于一个企业/机构。"), category="info")
    return True


def remove_member(membership: Membership, by: User) -> None:
    if membership.role == MemberRole.OWNER:
        raise OrganizationError(_("不能移除企业管理员本人。"))
    security_log.info("member removed: org=%s user=%s by=%s", membership.organization_id, membership.user_id, by.id)
    db.session.delete(membership)
    db.session.flush()

"""Users, organizations, memberships and invitations."""

import enum
import secrets
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, enum_column, utcnow
from app.extensions import Model
from app.taxonomy.models import District, Industry


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class SiteRole(str, enum.Enum):
    MEMBER = "member"
    EXPERT = "expert"
    ADMIN = "admin"


class OrgKind(str, enum.Enum):
    ENTERPRISE = "enterprise"
    PROVIDER = "provider"
    BOTH = "both"


class MemberRole(str, enum.Enum):
    OWNER = "owner"
    MEMBER = "member"


class User(PrivateData, UserMixin, TimestampMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    site_role: Mapped[SiteRole] = mapped_column(enum_column(SiteRole, "site_role"), default=SiteRole.MEMBER)
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated on logout and password change; the session cookie carries it, so old cookies die.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    last_login_at: Mapped[datetime | None]
    #: The versions of the privacy policy and the terms of use the member last agreed to, and when.
    privacy_version: Mapped[int | None]
    terms_version: Mapped[int | None]
    consented_at: Mapped[datetime | None]
    #: The language the member last chose (the navbar switch, or the page they registered on): what
    #: their mail and inbox entries are written in, whoever caused them.
    language: Mapped[str] = mapped_column(String(5), default="zh")

    membership: Mapped[Optional["Membership"]] = relationship(back_populates="user")

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.site_role == SiteRole.ADMIN

    @property
    def is_expert(self) -> bool:
        return self.site_role == SiteRole.EXPERT

    @property
    def organization(self) -> Optional["Organization"]:
        return self.membership.organization if self.membership else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Organization(TimestampMixin, Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"), index=True)
    founded_year: Mapped[int | None]
    employees: Mapped[int | None]
    website: Mapped[str] = mapped_column(String(200), default="")
    contact_person: Mapped[str] = mapped_column(String(50))
    contact_phone: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification_note: Mapped[str] = mapped_column(String(500), default="")

    district: Mapped[District | None] = relationship()
    industry: Mapped[Industry | None] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organization", order_by="Membership.joined_at", cascade="all, delete-orphan"
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_enterprise(self) -> bool:
        return self.kind in (OrgKind.ENTERPRISE, OrgKind.BOTH)

    @property
    def is_provider(self) -> bool:
        return self.kind in (OrgKind.PROVIDER, OrgKind.BOTH)

    @property
    def owner(self) -> User | None:
        return next((m.user for m in self.memberships if m.role == MemberRole.OWNER), None)

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.credit_code}>"


class Membership(PrivateData, Model):
    """A user belongs to at most one organization."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, "member_role"), default=MemberRole.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="membership")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class Invitation(PrivateData, TimestampMixin, Model):
    """An emailed invitation to join an organization; the token is stored only as a hash."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()

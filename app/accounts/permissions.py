"""Who may do what with organizations."""

from app.accounts.models import MemberRole, Organization, User


def _membership_of(user: User, org: Organization):
    if not user.is_authenticated or user.membership is None:
        return None
    return user.membership if user.membership.organization_id == org.id else None


def is_member_of(user: User, org: Organization) -> bool:
    return _membership_of(user, org) is not None


def is_owner_of(user: User, org: Organization) -> bool:
    membership = _membership_of(user, org)
    return membership is not None and membership.role == MemberRole.OWNER


def in_an_organization(user: User) -> bool:
    """Signed in as a member of an organization: what acting in an organization's name needs."""
    return user.is_authenticated and user.organization is not None


def can_create_organization(user: User) -> bool:
    return user.is_authenticated and user.membership is None


def can_edit_organization(user: User, org: Organization) -> bool:
    """Owners only: the profile carries the name the verified badge vouches for."""
    return is_owner_of(user, org)


def can_view_organization_contacts(user: User, org: Organization) -> bool:
    return is_member_of(user, org) or (user.is_authenticated and user.is_admin)


def can_see_members(user: User, org: Organization) -> bool:
    """The organization's members (owners invite and remove them), and admins."""
    return is_member_of(user, org) or (user.is_authenticated and user.is_admin)


def can_manage_members(user: User, org: Organization) -> bool:
    return is_owner_of(user, org)

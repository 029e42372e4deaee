"""Who reads a thread, who acts in it, and who may open one about a solution or a need."""

from app.accounts.models import User
from app.inquiries.models import Inquiry, Side
from app.needs.models import Need
from app.solutions.models import Solution


def side_of(user: User, inquiry: Inquiry) -> Side | None:
    """The side of the thread the user's organization is on, if any."""
    org = user.organization if user.is_authenticated else None
    if org is None:
        return None
    if org.id == inquiry.enterprise_id:
        return Side.ENTERPRISE
    if org.id == inquiry.provider_id:
        return Side.PROVIDER
    return None


def can_act_in_thread(user: User, inquiry: Inquiry) -> bool:
    """Members of the two organizations: they write, accept or decline, confirm the deal, close."""
    return side_of(user, inquiry) is not None


def can_read_thread(user: User, inquiry: Inquiry) -> bool:
    """The two organizations' members, and admins."""
    return can_act_in_thread(user, inquiry) or (user.is_authenticated and user.is_admin)


def can_inquire(user: User, solution: Solution) -> bool:
    """Members of another enterprise, about a published solution (我要对接)."""
    org = user.organization if user.is_authenticated else None
    return org is not None and org.is_enterprise and org.id != solution.organization_id and solution.is_public


def can_propose(user: User, need: Need) -> bool:
    """Members of another provider, for a published need (提交方案)."""
    org = user.organization if user.is_authenticated else None
    return org is not None and org.is_provider and org.id != need.organization_id and need.is_public

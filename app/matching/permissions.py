"""Who sees which recommendations.

The solutions recommended for a need are for the need's organization and the platform's admins, not
the public: they are the platform's advice to one firm, ranking named providers against each
other (their deals and verification among the reasons) for that firm's need. On the public page
every provider would watch how it ranks against its competitors on every need, and each anonymous
view (crawlers included) would pay for a ranking nobody asked for. The scenario pages' solutions are
public: they describe the scenario, not a firm.
"""

from app.accounts.models import User
from app.accounts.permissions import is_member_of
from app.needs.models import Need
from app.solutions.permissions import can_post_solution


def can_see_recommended_solutions(user: User, need: Need) -> bool:
    return user.is_authenticated and (user.is_admin or is_member_of(user, need.organization))


def can_see_recommended_needs(user: User) -> bool:
    """Members of a provider (the needs are found from their organization's solutions): those who
    may post solutions."""
    return can_post_solution(user)

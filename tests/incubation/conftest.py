"""A firm whose member reports figures through the form, and an admin."""

import pytest

from app.accounts.models import SiteRole


@pytest.fixture
def firm(make_user, make_org):
    """An enterprise founded in 2018 (see `make_org`): too old for eaglets, young enough for gazelles."""
    member = make_user("founder@example.com")
    return make_org(owner=member, name="青岛瞪羚科技有限公司"), member


@pytest.fixture
def admin(make_user):
    return make_user("incubation-admin@example.com", role=SiteRole.ADMIN)


def figures_form(year: int, **changes) -> dict:
    data = {
        "year": str(year),
        "revenue": "600",
        "net_profit": "40",
        "rd_spending": "45",
        "employees": "60",
        "rd_staff": "15",
        "invention_patents": "1",
        "other_ip": "3",
        "financing": "0",
    }
    data.update({name: str(value) for name, value in changes.items()})
    return data


def report(client, year: int, **changes):
    return client.post_form("/incubation/figures", figures_form(year, **changes))

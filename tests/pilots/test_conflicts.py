"""The assignment list offers, for each application, only the experts who may review it: never one
of the applying firm, nor one already reviewing it."""

import re

import pytest

from app.accounts.models import Membership, OrgKind, SiteRole
from app.extensions import db
from app.pilots.models import CallStatus


@pytest.fixture
def people(app, make_user, make_org):
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    for name in ("first", "second"):
        out[name] = make_user(f"{name}@example.com")
        make_org(owner=out[name], name=f"青岛{name}制造", kind=OrgKind.ENTERPRISE)
    out["free"] = make_user("a@example.com", name="专家甲", role=SiteRole.EXPERT)
    out["insider"] = make_user("b@example.com", name="专家乙", role=SiteRole.EXPERT)
    db.session.add(Membership(organization=out["first"].organization, user=out["insider"]))
    db.session.commit()
    return out


def _offered(page: str, application_id: int) -> set[int]:
    """The experts the assignment form of one application offers."""
    form = re.search(rf'action="/admin/pilots/applications/{application_id}/assign".*?</form>', page, re.S)
    return {int(value) for value in re.findall(r'<option value="(\d+)"', form.group(0))} if form else set()


def test_the_assignment_list_offers_no_conflicted_or_assigned_expert(
    client, login, people, make_pilot_call, make_pilot_application
):
    call = make_pilot_call(people["admin"], status=CallStatus.REVIEWING)
    first, second = (make_pilot_application(call, people[n].organization, people[n]) for n in ("first", "second"))
    login(people["admin"])
    page = client.get(f"/admin/pilots/{call.id}").get_data(as_text=True)
    assert _offered(page, first.id) == {people["free"].id}
    assert _offered(page, second.id) == {people["free"].id, people["insider"].id}

    client.post_form(f"/admin/pilots/applications/{second.id}/assign", {"expert": people["free"].id})
    page = client.get(f"/admin/pilots/{call.id}").get_data(as_text=True)
    assert _offered(page, second.id) == {people["insider"].id}

"""A pilot call's new modes (technology domains) are named in the viewer's language."""

from markupsafe import escape

from app.accounts.models import SiteRole
from app.extensions import db
from app.taxonomy.models import TechDomain


def new_modes() -> list[TechDomain]:
    return list(db.session.scalars(db.select(TechDomain).where(TechDomain.new_mode.is_(True))))


def test_the_call_page_names_its_modes_in_english(client, make_user, make_pilot_call):
    call = make_pilot_call(make_user("pilot-admin@example.com", role=SiteRole.ADMIN))
    client.set_cookie("lang", "en")
    body = client.get(f"/pilots/{call.id}").get_data(as_text=True)
    for mode in new_modes():
        assert escape(mode.name_en) in body and mode.name not in body


def test_the_call_page_in_chinese_names_its_modes_in_chinese(client, make_user, make_pilot_call):
    call = make_pilot_call(make_user("pilot-admin@example.com", role=SiteRole.ADMIN))
    body = client.get(f"/pilots/{call.id}").get_data(as_text=True)
    assert all(mode.name in body for mode in new_modes())


def test_the_application_form_offers_the_modes_in_english(client, make_user, make_org, make_pilot_call, login):
    call = make_pilot_call(make_user("pilot-admin@example.com", role=SiteRole.ADMIN))
    member = make_user("pilot-member@example.com")
    make_org(owner=member, verified=True)
    login(member)
    client.set_cookie("lang", "en")
    body = client.get(f"/pilots/{call.id}/apply").get_data(as_text=True)
    for mode in new_modes():
        assert f">{escape(mode.name_en)}</option>" in body
        assert mode.name not in body

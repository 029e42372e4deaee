"""Taxonomy choices on members' forms are named in the viewer's language, a deactivated one says so."""

from markupsafe import escape

from app.extensions import db
from app.taxonomy.models import Industry


def industry(code: str) -> Industry:
    return db.session.scalar(db.select(Industry).where(Industry.code == code))


def test_the_need_form_offers_industries_in_english(client, make_user, make_org, login):
    member = make_user("need-writer@example.com")
    make_org(owner=member, verified=True)
    login(member)
    client.set_cookie("lang", "en")
    body = client.get("/needs/new").get_data(as_text=True)
    for entry in db.session.scalars(db.select(Industry)):
        assert f">{escape(entry.name_en)}</option>" in body and entry.name not in body


def test_a_deactivated_entry_a_record_keeps_is_marked_in_the_language(client, make_user, make_org, make_need, login):
    member = make_user("need-writer@example.com")
    org = make_org(owner=member, verified=True)
    need = make_need(org, member, industry_id=industry("FOOD").id)
    industry("FOOD").is_active = False
    db.session.commit()
    login(member)
    client.set_cookie("lang", "en")
    english = client.get(f"/needs/{need.id}/edit").get_data(as_text=True)
    assert f"{escape(industry('FOOD').name_en)} (inactive)" in english
    client.set_cookie("lang", "zh")
    assert f"{industry('FOOD').name}（已停用）" in client.get(f"/needs/{need.id}/edit").get_data(as_text=True)

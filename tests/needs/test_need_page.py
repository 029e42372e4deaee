"""A need's page keeps what the need is filed under per data version and language: a change shows at once."""

from app.extensions import db
from app.taxonomy.models import TechDomain
from tests.conftest import taxonomy_entry


def _facts(html: str) -> str:
    start = html.index('data-test="need-facts"')
    return html[start : html.index("</dl>", start)]


def test_what_a_need_is_filed_under_follows_edits_and_the_language(client, make_user, make_org, make_need):
    owner = make_user()
    need = make_need(make_org(owner=owner), owner, domains=("IM",))
    im, dm = taxonomy_entry(TechDomain, "IM"), taxonomy_entry(TechDomain, "DM")
    assert im.name in _facts(client.get(f"/needs/{need.id}").get_data(as_text=True))

    need.domains = [dm]
    db.session.commit()
    facts = _facts(client.get(f"/needs/{need.id}").get_data(as_text=True))
    assert dm.name in facts and im.name not in facts

    client.set_cookie("lang", "en")
    english = _facts(client.get(f"/needs/{need.id}").get_data(as_text=True))
    assert dm.name_en and dm.name_en in english and dm.name not in english

"""A need's page keeps what every visitor sees alike (what the need is filed under, its text, the owner's
panel) per data version and language: a change shows at once, and each manager gets their own token."""

import re

from app.accounts.models import MemberRole, Membership
from app.extensions import db
from app.taxonomy.models import TechDomain
from tests.conftest import taxonomy_entry
from tests.factories import PASSWORD


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


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def _owner_panel(html: str) -> str:
    start = html.index('data-test="owner-panel"')
    return html[start : html.index('<div class="row g-4">', start)]


def test_the_kept_owner_panel_carries_each_managers_own_token(app, make_user, make_org, make_need):
    """The owner's panel is kept per data version with its forms: each colleague who manages the need
    gets forms with the token of their own session, which the renewal then accepts."""
    owner = make_user(email="owner@example.com")
    org = make_org(owner=owner)
    colleague = make_user(email="colleague@example.com")
    db.session.add(Membership(user=colleague, organization=org, role=MemberRole.MEMBER))
    need = make_need(org, owner)
    db.session.commit()
    clients = {}
    for user in (owner, colleague):
        clients[user.email] = client = app.test_client()
        client.post_form("/login", {"email": user.email, "password": PASSWORD})

    seen = {}
    for user in (owner, colleague, owner):
        html = clients[user.email].get(f"/needs/{need.id}").get_data(as_text=True)
        panel = _owner_panel(html)
        assert "\x1e" not in html and f'action="/needs/{need.id}/renew"' in panel
        # The panel's forms carry the token of this very page's other forms (the navbar's).
        assert _tokens(panel) == _tokens(html[: html.index("</nav>")]) and len(_tokens(panel)) == 1
        seen.setdefault(user.email, set()).update(_tokens(panel))
    assert seen[owner.email].isdisjoint(seen[colleague.email])

    token = seen[colleague.email].pop()
    renewed = clients[colleague.email].post(f"/needs/{need.id}/renew", data={"csrf_token": token})
    assert renewed.status_code == 302
    refused = clients[owner.email].post(f"/needs/{need.id}/renew", data={"csrf_token": token})
    assert refused.status_code == 400


def test_a_visitor_who_does_not_manage_the_need_gets_no_token_and_no_cookie(
    app, client, make_user, make_org, make_need
):
    """The owner's panel is kept apart from the parts everyone sees: filling a kept part's token for a
    visitor without a form would set a session cookie on every anonymous visit."""
    owner = make_user(email="owner@example.com")
    need = make_need(make_org(owner=owner), owner)
    manager = app.test_client()
    manager.post_form("/login", {"email": owner.email, "password": PASSWORD})
    for visitor in (client, manager, client):
        response = visitor.get(f"/needs/{need.id}")
        html = response.get_data(as_text=True)
        if visitor is client:
            assert "Set-Cookie" not in response.headers
            assert 'data-test="owner-panel"' not in html and "csrf_token" not in html
        else:
            assert 'data-test="owner-panel"' in html

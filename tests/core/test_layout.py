"""The navigation bar kept per shape (app/core/layout.py): each visitor still gets their own name,
organization link, unread count, CSRF token and return path, and the right item is active."""

import re

from app.accounts.models import OrgKind, SiteRole
from app.core.layout import active_item
from app.notifications.models import Topic
from app.notifications.services import notify
from tests.factories import PASSWORD


def _navbar(html: str) -> str:
    return html[html.index('<nav class="navbar') : html.index("</nav>", html.index('<nav class="navbar'))]


def _csrf(navbar: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', navbar))


def test_members_of_one_shape_see_only_their_own_values(app, make_user, make_org):
    first = make_user(email="first@example.com", name="甲<b>一</b>")
    second = make_user(email="second@example.com", name="乙二")
    first_org = make_org(owner=first, kind=OrgKind.ENTERPRISE, name="甲企业")
    second_org = make_org(owner=second, kind=OrgKind.ENTERPRISE, name="乙企业")
    notify([first], Topic.REPLY, "新消息", "home.dashboard")
    notify([second], Topic.REPLY, "新消息", "home.dashboard")
    notify([second], Topic.REPLY, "又一条", "home.dashboard")
    clients = {}
    for user in (first, second):
        clients[user.email] = client = app.test_client()
        client.post_form("/login", {"email": user.email, "password": PASSWORD})

    tokens = {}
    for user, org, unread in ((first, first_org, 1), (second, second_org, 2), (first, first_org, 1)):
        html = clients[user.email].get("/needs/?q=plc&page=1").get_data(as_text=True)
        navbar = _navbar(html)
        assert user.display_name.replace("<", "&lt;").replace(">", "&gt;") in navbar
        assert f'href="/orgs/{org.id}"' in navbar
        assert re.search(rf'data-test="inbox-unread">{unread}<', navbar)
        assert 'name="next" value="/needs/?q=plc&amp;page=1"' in navbar
        # The bar's token is the one this very page's other forms carry (made for this request).
        assert _csrf(navbar) == _csrf(html[html.index("</nav>") :]) and len(_csrf(navbar)) == 1
        tokens.setdefault(user.email, set()).update(_csrf(navbar))
    assert "<b>一</b>" not in navbar
    assert tokens[first.email].isdisjoint(tokens[second.email])
    assert "乙二" not in _navbar(clients[first.email].get("/needs/").get_data(as_text=True))


def test_the_anonymous_bar_carries_no_member_values(client, login, make_user):
    member = make_user(email="member@example.com", name="会员丙")
    login(member)
    client.get("/needs/")
    client.post_form("/logout", {})
    navbar = _navbar(client.get("/needs/").get_data(as_text=True))
    assert "会员丙" not in navbar and "csrf_token" not in navbar and "\x1e" not in navbar
    assert 'href="/login"' in navbar


def test_the_bar_follows_the_language(client):
    chinese = _navbar(client.get("/needs/").get_data(as_text=True))
    client.set_cookie("lang", "en")
    english = _navbar(client.get("/needs/").get_data(as_text=True))
    assert "场景清单" in chinese and "场景清单" not in english and "Scenario" in english


def test_the_active_item_is_the_pages_section(client, login, make_user):
    def active(path: str) -> list[str]:
        navbar = _navbar(client.get(path).get_data(as_text=True))
        return re.findall(r'class="(?:nav-link|dropdown-item)[^"]*\bactive\b[^"]*" href="([^"]+)"', navbar)

    assert active("/needs/") == ["/needs/"]
    assert active("/stats/public") == ["/stats/public"]
    login(make_user(role=SiteRole.ADMIN))
    assert active("/stats/") == ["/admin/"]
    assert active("/dashboard") == ["/dashboard"]


def test_active_item_of_endpoints():
    assert active_item(None) == ""
    assert active_item("pilots.detail") == "pilots"
    assert active_item("stats.public") == "stats.public"
    assert active_item("stats.dashboard") == "admin"
    assert active_item("moderation.queue") == "admin"


def test_the_admin_menu_marks_the_page_it_is_on(client, login, make_user):
    login(make_user(role=SiteRole.ADMIN))
    for path, current in (("/stats/", "/stats/"), ("/admin/users", "/admin/users")):
        html = client.get(path).get_data(as_text=True)
        menu = html[html.index("admin-nav") : html.index("</nav>", html.index("admin-nav"))]
        assert re.findall(r'href="([^"]+)" aria-current="page"', menu) == [current]

"""The role × action table: every route, every kind of visitor, the expected status.

A route added to the app without a row here fails `test_every_route_is_in_the_table`.
"""
import pytest

from app.extensions import db


ROLES = ("anonymous", "other_member", "member", "owner", "expert", "admin")


def statuses(anonymous, other_member, member, owner, expert, admin):
    return dict(zip(ROLES, (anonymous, other_member, member, owner, expert, admin)))


PUBLIC = statuses(200, 200, 200, 200, 200, 200)
SIGNED_IN = statuses(302, 200, 200, 200, 200, 200)
ADMIN_ONLY = statuses(302, 403, 403, 403, 403, 200)
ADMIN_ACTION = statuses(302, 403, 403, 403, 403, 302)
GUEST_ONLY = statuses(200, 302, 302, 302, 302, 302)
OWNER_ACTION = statuses(302, 403, 403, 302, 403, 403)

# (endpoint, method, path template, expected status per role)
TABLE = [
    ("home.index", "GET", "/", PUBLIC),
    ("home.dashboard", "GET", "/dashboard", SIGNED_IN),
    ("home.set_language", "POST", "/language", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts.register", "GET", "/register", GUEST_ONLY),
    ("accounts.login", "GET", "/login", GUEST_ONLY),
    ("accounts.logout", "POST", "/logout", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts.forgot_password", "GET", "/password/forgot", PUBLIC),
    ("accounts.reset_password", "GET", "/password/reset/not-a-token", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts.change_password", "GET", "/account/password", SIGNED_IN),
    ("orgs.create", "GET", "/orgs/new", statuses(302, 302, 302, 302, 200, 200)),
    ("orgs.detail", "GET", "/orgs/{org}", PUBLIC),
    ("orgs.edit", "GET", "/orgs/{org}/edit", statuses(302, 403, 200, 200, 403, 403)),
    ("orgs.members", "GET", "/orgs/{org}/members", statuses(302, 403, 200, 200, 403, 200)),
    ("orgs.remove_member", "POST", "/orgs/{org}/members/{membership}/remove", OWNER_ACTION),
    ("orgs.revoke_invitation", "POST", "/orgs/{org}/invitations/{invitation}/revoke", OWNER_ACTION),
    ("orgs.accept_invitation", "GET", "/orgs/invitations/{token}", PUBLIC),
    ("admin.index", "GET", "/admin/", ADMIN_ONLY),
    ("admin.users", "GET", "/admin/users", ADMIN_ONLY),
    ("admin.user_detail", "GET", "/admin/users/{member_id}", ADMIN_ONLY),
    ("admin.set_user_active", "POST", "/admin/users/{member_id}/active", ADMIN_ACTION),
    ("admin.organizations", "GET", "/admin/organizations", ADMIN_ONLY),
    ("admin.organization_detail", "GET", "/admin/organizations/{org}", ADMIN_ONLY),
    ("admin.outbox", "GET", "/admin/outbox", ADMIN_ONLY),
    ("admin.outbox_message", "GET", "/admin/outbox/{mail}", ADMIN_ONLY),
    ("admin.audit_log", "GET", "/admin/audit", ADMIN_ONLY),
    ("catalog.index", "GET", "/admin/taxonomy/", ADMIN_ACTION),
    ("catalog.entries", "GET", "/admin/taxonomy/industries", ADMIN_ONLY),
    ("catalog.new_entry", "GET", "/admin/taxonomy/industries/new", ADMIN_ONLY),
    ("catalog.edit_entry", "GET", "/admin/taxonomy/industries/{industry}/edit", ADMIN_ONLY),
    ("catalog.move_entry", "POST", "/admin/taxonomy/industries/{industry}/move", ADMIN_ACTION),
    ("catalog.set_entry_active", "POST", "/admin/taxonomy/industries/{industry}/active", ADMIN_ACTION),
]

CASES = [(endpoint, method, path, role, expected[role])
         for endpoint, method, path, expected in TABLE for role in ROLES]


@pytest.mark.parametrize(("endpoint", "method", "path", "role", "expected"), CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_role_table(client, login, world, endpoint, method, path, role, expected):
    users, ids = world
    if users[role] is not None:
        login(users[role])
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post_form(url, {"direction": "up", "active": "0", "language": "en"})
    assert response.status_code == expected


def test_every_route_is_in_the_table(app):
    covered = {endpoint for endpoint, *_ in TABLE}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set()


def test_forbidden_owner_action_changes_nothing(client, login, world):
    users, ids = world
    login(users["member"])
    response = client.post_form(f"/orgs/{ids['org']}/members/{ids['membership']}/remove")
    assert response.status_code == 403
    db.session.expire_all()
    assert users["member"].membership is not None

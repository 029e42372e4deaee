import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app.accounts.models import Membership, User
from app.extensions import db
from app.mail.models import MailMessage
from tests.conftest import PASSWORD

NEWCOMER = {
    "email": "fresh@example.com",
    "display_name": "新同事",
    "password": "Laoshan-tea-garden-88",
    "confirm": "Laoshan-tea-garden-88",
    "consent": "y",
}


def link_to(page: str, path: str) -> str:
    """The href of the page's link to `path` that carries a `next`, unescaped as a browser reads it."""
    return html.unescape(re.search(rf'href="({re.escape(path)}\?next=[^"]*)"', page).group(1))


def form_target(page: str, url: str) -> str:
    """Where a browser posts the page's form: its action, or the page's own URL without one."""
    action = re.search(r'<form method="post"[^>]*?(?:action="([^"]*)")?[^>]*>', page).group(1)
    return html.unescape(action) if action else url


def send_invitation(app, make_user, make_org, email: str):
    """The owner invites `email` through the members page; the invitation's path and organization."""
    owner = make_user("boss@example.com")
    org = make_org(owner=owner)
    owner_client = app.test_client()
    owner_client.post_form("/login", {"email": owner.email, "password": PASSWORD})
    owner_client.post_form(f"/orgs/{org.id}/members", {"email": email})
    mail = db.session.scalars(db.select(MailMessage).where(MailMessage.recipient == email)).one()
    return re.search(r"https?://[^/\s]+(/orgs/invitations/\S+)", mail.body).group(1), org


def the_card_register_button(client, invitation_page: str) -> str:
    return link_to(invitation_page, "/register")


def the_card_login_button_then_register(client, invitation_page: str) -> str:
    login_page = client.get(link_to(invitation_page, "/login")).get_data(as_text=True)
    return link_to(login_page, "/register")


def the_header_register_button(client, invitation_page: str) -> str:
    return "/register"


@pytest.mark.parametrize(
    "to_register",
    [the_card_register_button, the_card_login_button_then_register, the_header_register_button],
)
def test_a_newcomer_registers_from_an_invitation_and_lands_on_it_ready_to_accept(
    app, client, make_user, make_org, to_register
):
    invitation_path, org = send_invitation(app, make_user, make_org, NEWCOMER["email"])
    invitation_page = client.get(invitation_path).get_data(as_text=True)
    register_url = to_register(client, invitation_page)
    register_page = client.get(register_url).get_data(as_text=True)
    response = client.post_form(form_target(register_page, register_url), NEWCOMER)
    assert response.status_code == 302
    assert response.headers["Location"] == invitation_path

    assert "接受邀请" in client.get(invitation_path).get_data(as_text=True)
    response = client.post_form(invitation_path)
    assert response.headers["Location"] == f"/orgs/{org.id}"
    user = db.session.scalar(db.select(User).where(User.email == NEWCOMER["email"]))
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == user.id))
    assert membership.organization_id == org.id


def test_an_invited_member_with_an_account_logs_in_from_the_header_and_lands_on_the_invitation(
    app, client, make_user, make_org
):
    member = make_user("already-here@example.com")
    invitation_path, _org = send_invitation(app, make_user, make_org, member.email)
    client.get(invitation_path)
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.headers["Location"] == invitation_path
    client.post_form("/logout")
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_registering_without_an_invitation_still_leads_to_the_organization_form(client):
    response = client.post_form("/register", NEWCOMER)
    assert response.headers["Location"] == "/orgs/new"


def test_the_login_and_register_pages_pass_the_invitation_on_to_each_other(client, world):
    _, ids = world
    invitation_path = f"/orgs/invitations/{ids['token']}"
    login_url = link_to(client.get(invitation_path).get_data(as_text=True), "/login")
    register_url = link_to(client.get(login_url).get_data(as_text=True), "/register")
    back_to_login = link_to(client.get(register_url).get_data(as_text=True), "/login")
    for url in (register_url, back_to_login):
        assert parse_qs(urlsplit(url).query)["next"] == [invitation_path]

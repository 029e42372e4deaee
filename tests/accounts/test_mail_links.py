"""Links in mail point at PUBLIC_BASE_URL, whatever Host (or X-Forwarded-Host) a request came with:
otherwise anyone could have the portal mail a reset link that leads to their own site."""

import re
import secrets

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import OrgKind
from app.core.links import external_url
from app.extensions import db
from app.mail.models import MailMessage
from tests.conftest import PASSWORD
from tests.database import bind_to_connection

PUBLIC = "https://hub.example.cn"
EVIL = "evil.example"


class ForgedRequests:
    """A client whose form posts carry a forged host, in a Host header or (behind a trusted proxy)
    in X-Forwarded-Host."""

    def __init__(self, client, header: str):
        self.client = client
        self.header = header

    def login(self, user) -> None:
        response = self.client.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302

    def post(self, url: str, data: dict):
        token = self.client.csrf_token()
        # The test client keeps cookies per host: the session (with the CSRF token) goes to the forged one too.
        name = self.client.application.config["SESSION_COOKIE_NAME"]
        self.client.set_cookie(name, self.client.get_cookie(name).value, domain=EVIL)
        return self.client.post(url, data={**data, "csrf_token": token}, headers={self.header: EVIL})


@pytest.fixture(params=["Host", "X-Forwarded-Host"])
def forged(request, app, rolled_back, monkeypatch, tmp_path) -> ForgedRequests:
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    if request.param == "Host":
        return ForgedRequests(app.test_client(), "Host")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    proxied = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "STORED_FILES_DIR": str(tmp_path / "files"),
            "PUBLIC_BASE_URL": PUBLIC,
        },
    )
    proxied.test_client_class = app.test_client_class
    bind_to_connection(proxied, rolled_back.savepoints.connection)
    return ForgedRequests(proxied.test_client(), "X-Forwarded-Host")


def links_mailed_to(email: str) -> list[str]:
    mail = db.session.scalars(select(MailMessage).where(MailMessage.recipient == email)).one()
    assert EVIL not in mail.body
    links = re.findall(r"https?://\S+", mail.body)
    assert links, mail.body
    return links


def assert_public(links: list[str], path: str) -> None:
    assert all(link.startswith(PUBLIC + "/") for link in links), links
    assert any(link.startswith(PUBLIC + path) for link in links), links


def test_a_reset_link_is_on_the_public_address(forged, make_user):
    make_user("forgetful@example.com")
    assert forged.post("/password/forgot", {"email": "forgetful@example.com"}).status_code == 302
    assert_public(links_mailed_to("forgetful@example.com"), "/password/reset/")


def test_an_invitation_link_is_on_the_public_address(forged, make_org):
    org = make_org()
    forged.login(org.owner)
    assert forged.post(f"/orgs/{org.id}/members", {"email": "colleague@example.com"}).status_code == 302
    assert_public(links_mailed_to("colleague@example.com"), "/orgs/invitations/")


def test_notification_links_are_on_the_public_address(forged, make_user, make_org, make_solution):
    provider = make_user("provider@example.com")
    solution = make_solution(make_org(owner=provider, kind=OrgKind.PROVIDER, verified=True), provider)
    enterprise = make_user("enterprise@example.com")
    make_org(owner=enterprise, kind=OrgKind.ENTERPRISE)
    forged.login(enterprise)
    response = forged.post(f"/inquiries/solution/{solution.id}/new", {"body": "想了解部署周期和费用。"})
    assert response.status_code == 302
    links = links_mailed_to("provider@example.com")
    assert_public(links, "/inquiries/")
    assert_public(links, "/inbox/settings")


def test_production_refuses_a_forged_host(db_url):
    app = create_app(
        "production",
        {"SECRET_KEY": secrets.token_hex(32), "PUBLIC_BASE_URL": PUBLIC, "SQLALCHEMY_DATABASE_URI": db_url},
    )
    client = app.test_client()
    assert client.get("/password/forgot", base_url=PUBLIC).status_code == 200
    assert client.get("/password/forgot", base_url=PUBLIC, headers={"Host": EVIL}).status_code == 400
    assert client.get("/password/forgot", base_url=f"https://{EVIL}").status_code == 400


def test_production_behind_a_proxy_ignores_a_forwarded_host(db_url, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app(
        "production",
        {"SECRET_KEY": secrets.token_hex(32), "PUBLIC_BASE_URL": PUBLIC, "SQLALCHEMY_DATABASE_URI": db_url},
    )
    response = app.test_client().get("/password/forgot", base_url=PUBLIC, headers={"X-Forwarded-Host": EVIL})
    assert response.status_code == 200


def test_links_keep_the_path_of_the_public_address_outside_a_request(app):
    app.config["PUBLIC_BASE_URL"] = PUBLIC + "/gongfu/"
    assert external_url("accounts.reset_password", token="abc") == PUBLIC + "/gongfu/password/reset/abc"
    assert external_url("needs.index", industry=["EQP", "ELE"]) == PUBLIC + "/gongfu/needs/?industry=EQP&industry=ELE"

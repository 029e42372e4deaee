"""Rows of SECURITY.md that hold for every route: headers, cookies, CSRF, escaping, logging."""

import logging
import re
from pathlib import Path

from tests.test_permissions import TABLE

ROOT = Path(__file__).resolve().parent.parent
GET_ROUTES = [(endpoint, path) for endpoint, method, path, _ in TABLE if method == "GET"]
POST_ROUTES = [(endpoint, path) for endpoint, method, path, _ in TABLE if method == "POST"]
EXTRA_POST_ROUTES = [
    ("accounts.login", "/login"),
    ("accounts.register", "/register"),
    ("accounts.forgot_password", "/password/forgot"),
    ("orgs.create", "/orgs/new"),
    ("admin.organization_detail", "/admin/organizations/{org}"),
    ("catalog.new_entry", "/admin/taxonomy/industries/new"),
    ("stats.record", "/stats/ledger/new"),
    ("stats.import_upload", "/stats/import"),
    ("stats.indicator_list", "/stats/indicators"),
    ("stats.indicator", "/stats/indicators/{indicator}"),
    ("needs.create", "/needs/new"),
    ("needs.edit", "/needs/{need}/edit"),
    ("solutions.create", "/solutions/new"),
    ("solutions.edit", "/solutions/{solution}/edit"),
    ("inquiries.inquire", "/inquiries/solution/{solution}/new"),
    ("inquiries.propose", "/inquiries/need/{need}/new"),
    ("inbox.settings", "/inbox/settings"),
    ("admin.portal_settings", "/admin/settings"),
    ("solutions.new_case", "/solutions/{solution}/cases/new"),
    ("solutions.edit_case", "/solutions/{solution}/cases/{case}/edit"),
    ("solutions.new_attachment", "/solutions/{solution}/attachments/new"),
    ("events.register", "/events/{event}/register"),
    ("event_admin.create", "/admin/events/new"),
    ("event_admin.edit", "/admin/events/{event}/edit"),
    ("event_admin.programme", "/admin/events/{event}/programme"),
    ("events.entry", "/events/{event}/entry"),
    ("events.judging", "/events/{event}/judging"),
    ("event_admin.judging", "/admin/events/{event}/judging"),
    ("pilots.apply", "/pilots/{pilot_call}/apply"),
    ("pilot_admin.create", "/admin/pilots/new"),
    ("pilot_admin.edit", "/admin/pilots/{pilot_call}/edit"),
    ("incubation.figures", "/incubation/figures"),
    ("incubation.edit_figures", "/incubation/figures/{figures_year}"),
    ("incubation.apply", "/incubation/{track}/apply"),
    ("incubation_admin.criteria", "/admin/incubation/{track}/criteria"),
    ("incubation_admin.enrol", "/admin/incubation/{track}/enrol"),
    ("incubation_admin.correct", "/admin/incubation/figures/{figures}/correct"),
]


def test_every_page_sends_security_headers(client, login, world):
    users, ids = world
    login(users["admin"])
    missing = []
    for endpoint, path in GET_ROUTES:
        headers = client.get(path.format(**ids)).headers
        csp = headers.get("Content-Security-Policy", "")
        if not (
            "frame-ancestors 'none'" in csp
            and "default-src 'self'" in csp
            and headers.get("X-Content-Type-Options") == "nosniff"
            and headers.get("Referrer-Policy") == "strict-origin-when-cross-origin"
        ):
            missing.append(endpoint)
    assert missing == []


def test_every_post_without_a_valid_csrf_token_is_refused(client, login, world):
    users, ids = world
    login(users["admin"])
    accepted = []
    for endpoint, path in POST_ROUTES + EXTRA_POST_ROUTES:
        for token in (None, "wrong-token"):
            data = {"direction": "up", "active": "0", "email": "x@example.com"}
            if token:
                data["csrf_token"] = token
            response = client.post(path.format(**ids), data=data)
            if response.status_code != 400 or "页面已过期" not in response.get_data(as_text=True):
                accepted.append((endpoint, token, response.status_code))
    assert accepted == []


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def test_pages_carry_the_csrf_token_that_forms_post(client, make_user, login):
    """What `client.post_form` does without a request, a visitor does: reads the token off a page
    (a form's, or the language switch's once signed in) and posts it. Both tokens are accepted; a
    made-up one is not. Public pages carry none for anonymous visitors (they are cached for all)."""
    assert not CSRF_INPUT.search(client.get("/").get_data(as_text=True))
    match = CSRF_INPUT.search(client.get("/login").get_data(as_text=True))
    assert match, "no CSRF token on /login"
    login(make_user())
    for page in ("/", "/dashboard"):
        match = CSRF_INPUT.search(client.get(page).get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        response = client.post("/language", data={"csrf_token": match.group(1) or match.group(2), "language": "en"})
        assert response.status_code == 302
    assert client.post_form("/language", {"language": "zh"}).status_code == 302
    assert client.post("/language", data={"csrf_token": "made-up", "language": "en"}).status_code == 400


def test_another_site_cannot_switch_an_anonymous_visitors_language(client):
    """The language switch needs no token from anonymous visitors; the browser's word on where the
    request came from stands in for it."""
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        response = client.post("/language", data={"language": "en"}, headers=headers)
        assert response.status_code == 403
        assert "lang=" not in response.headers.get("Set-Cookie", "")
    for headers in ({}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}):
        response = client.post("/language", data={"language": "en"}, headers=headers)
        assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]


def test_session_cookie_flags(client, make_user, login):
    response = login(make_user(), remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# Highlighting builds its markup from escaped text in one place, tested in tests/search.
# The search's highlights (escaped, then marked), and a cached part of a page (our own template's output).
# The search's highlights and kept fragments are escaped as they are made; rich_text is the Markdown sanitizer;
# the layout's navigation bar escapes each visitor's values as it fills them in.
ALLOWED_UNESCAPED = {
    "app/search/highlight.py",
    "app/core/data_version.py",
    "app/core/rich_text.py",
    "app/core/layout.py",
    "app/core/templating.py",  # the |user_text filter: a fixed span around the escaped value
}


def test_no_template_renders_text_unescaped():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", source):
            offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "app").rglob("*.py"):
        if "Markup(" in path.read_text(encoding="utf-8"):
            offenders.append(str(path.relative_to(ROOT)))
    assert set(offenders) - ALLOWED_UNESCAPED == set()


def test_user_text_is_escaped(client, make_org, make_user):
    org = make_org(name="<script>alert(1)</script>")
    html = client.get(f"/orgs/{org.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_failed_login_is_logged_without_the_password(client, make_user, caplog):
    user = make_user()
    with caplog.at_level(logging.INFO, logger="gongfu.security"):
        client.post_form("/login", {"email": user.email, "password": "not-the-password-123"})
    messages = [r.getMessage() for r in caplog.records if r.name == "gongfu.security"]
    assert any("login failed" in m and user.email in m for m in messages)
    assert not any("not-the-password-123" in m for m in messages)


def test_log_lines_cannot_be_forged_with_newlines(app, caplog):
    from app.accounts.services import authenticate

    # The login form refuses a line break (tests/core/test_single_line.py); the log is safe from any other caller too.
    with caplog.at_level(logging.INFO, logger="gongfu.security"), app.test_request_context():
        authenticate("a@example.com\nINFO login: id=1", "whatever-123456")
    messages = [r.getMessage() for r in caplog.records if "login failed" in r.getMessage()]
    assert messages and all("\n" not in m for m in messages)
    assert "\\n" in messages[0]


def test_forbidden_requests_are_logged(client, make_user, login, caplog):
    login(make_user())
    with caplog.at_level(logging.WARNING, logger="gongfu.security"):
        assert client.get("/admin/").status_code == 403
    assert any("forbidden" in r.getMessage() and "/admin/" in r.getMessage() for r in caplog.records)


def test_admin_changes_are_logged(client, make_user, login, caplog):
    from app.accounts.models import SiteRole

    target = make_user()
    login(make_user(role=SiteRole.ADMIN))
    with caplog.at_level(logging.INFO, logger="gongfu.security"):
        client.post_form(f"/admin/users/{target.id}/active", {"active": "0"})
    assert any("admin action" in r.getMessage() and "user.deactivate" in r.getMessage() for r in caplog.records)

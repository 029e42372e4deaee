"""Two app nodes behind one address share what a visitor's requests may meet on either: the login
failure counts and the page cache (Redis), the database and the search index, the uploaded files,
and the daily jobs' locks. Proved over HTTP against two gunicorn nodes that `.ci/run` starts, whose
URLs are in TWO_NODES_A and TWO_NODES_B; this process has the nodes' environment (DATABASE_URL,
RATELIMIT_STORAGE_URI, CACHE_TYPE, STORED_FILES_DIR, ...) and writes the data each proof starts from
straight to their database. Skipped when those variables are not set."""

import email
import os
import re
import secrets
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from email.policy import default as default_policy
from http.cookiejar import CookieJar, DefaultCookiePolicy
from io import BytesIO
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import create_app
from app.accounts.models import OrgKind, SiteRole
from app.core.models import utcnow
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.solutions.models import SolutionAttachment
from tests.factories import PASSWORD, PDF, Factories

NODE_A = os.environ.get("TWO_NODES_A", "")
NODE_B = os.environ.get("TWO_NODES_B", "")
#: The Host every request carries, whichever node it reaches, as nginx passes the portal's own.
PUBLIC_HOST = urlsplit(os.environ.get("PUBLIC_BASE_URL", "")).netloc

pytestmark = [
    pytest.mark.two_nodes,
    pytest.mark.skipif(not (NODE_A and NODE_B), reason="TWO_NODES_A and TWO_NODES_B name no running nodes"),
]

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _PlainHttp(DefaultCookiePolicy):
    """The nodes run the production settings, whose cookies are Secure; here they are reached over
    plain HTTP, as nginx reaches them."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor, with its cookies, seen by the nodes as coming from `address` (X-Forwarded-For,
    which the nodes trust from one proxy as they would from nginx)."""

    def __init__(self, address: str | None = None):
        self.address = address or f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
        self.opener = build_opener(HTTPCookieProcessor(CookieJar(policy=_PlainHttp())), _NoRedirects)

    def open(self, url: str, data: bytes | None = None, content_type: str | None = None) -> Reply:
        request = Request(url, data=data, headers={"Host": PUBLIC_HOST, "X-Forwarded-For": self.address})
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Reply(response.status, response.headers, response.read())
        except HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def get(self, url: str) -> Reply:
        return self.open(url)

    def csrf_token(self, page_url: str) -> str:
        found = CSRF.search(self.get(page_url).text)
        assert found, f"no CSRF token on {page_url}"
        return found.group(1)

    def post(self, url: str, form: dict, token_from: str) -> Reply:
        data = {**form, "csrf_token": self.csrf_token(token_from)}
        return self.open(url, urlencode(data).encode(), "application/x-www-form-urlencoded")

    def upload(self, url: str, name: str, content: bytes, token_from: str) -> Reply:
        boundary, body = encode_multipart(
            {"csrf_token": self.csrf_token(token_from), "file": FileStorage(BytesIO(content), name)}
        )
        return self.open(url, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, node: str, address: str, password: str = PASSWORD) -> Reply:
        return self.post(f"{node}/login", {"email": address, "password": password}, token_from=f"{node}/login")


@pytest.fixture(scope="module")
def portal() -> Iterator[Flask]:
    """The nodes' app, in this process, for the data each proof starts from."""
    app = create_app()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def factories(portal) -> Factories:
    made = Factories(portal)
    tag = secrets.randbelow(10**6)  # another run against the same database finds new addresses
    made.users = iter(range(tag * 100, tag * 100 + 100))
    made.orgs = iter(range(tag * 100, tag * 100 + 100))
    return made


def _unique_word() -> str:
    return "Nodetest" + secrets.token_hex(4)


def test_ten_failed_logins_spread_over_both_nodes_lock_the_account(factories):
    user = factories.user()
    for attempt in range(10):
        # Every attempt from another address: only the account's own count, kept in Redis, adds up.
        refused = Browser().log_in((NODE_A, NODE_B)[attempt % 2], user.email, password="wrong-password")
        assert refused.status == 200 and "csrf_token" in refused.text, refused.status
    for node in (NODE_A, NODE_B):
        locked = Browser().log_in(node, user.email)
        assert locked.status == 429, locked.status
    other = factories.user()
    assert Browser().log_in(NODE_B, other.email).status == 302


def _submitted_need(factories, title: str):
    owner = factories.user()
    org = factories.org(owner=owner, verified=True)
    return factories.need(org, owner, status=ListingStatus.SUBMITTED, title=title)


def _approve_through(node: str, factories, need_id: int) -> None:
    admin = factories.user(role=SiteRole.ADMIN)
    browser = Browser()
    assert browser.log_in(node, admin.email).status == 302
    approved = browser.post(
        f"{node}/admin/moderation/needs/{need_id}/approve", {}, token_from=f"{node}/admin/moderation/needs"
    )
    assert approved.status == 302, approved.status


def test_a_need_published_through_a_is_found_by_search_on_b_within_a_second(factories):
    word = _unique_word()
    need = _submitted_need(factories, f"{word} 注塑车间设备联网")
    visitor = Browser()
    search = f"{NODE_B}/needs/?{urlencode({'q': word})}"
    assert f"/needs/{need.id}" not in visitor.get(search).text

    _approve_through(NODE_A, factories, need.id)
    published = time.monotonic()
    while f"/needs/{need.id}" not in visitor.get(search).text:
        assert time.monotonic() - published < 1.0, "node B's search did not find the need within a second"
        time.sleep(0.05)


def test_a_cached_public_page_changed_through_a_is_fresh_on_b(factories):
    word = _unique_word()
    need = _submitted_need(factories, f"{word} 设备预测性维护")
    visitor = Browser()
    listing = f"{NODE_B}/needs/?sort=newest"
    Browser().get(f"{NODE_A}/needs/?sort=newest")
    kept = visitor.get(listing)
    assert kept.headers["X-Cache"] == "hit", "node B did not answer from the page node A kept: no shared cache"
    assert word not in kept.text

    _approve_through(NODE_A, factories, need.id)
    fresh = visitor.get(listing)
    assert fresh.status == 200 and word in fresh.text


def test_a_file_uploaded_through_a_downloads_through_b(portal, factories):
    owner = factories.user()
    solution = factories.solution(factories.org(owner=owner, kind=OrgKind.PROVIDER, verified=True), owner)
    browser = Browser()
    assert browser.log_in(NODE_A, owner.email).status == 302
    content = PDF + secrets.token_hex(16).encode()
    new = f"{NODE_A}/solutions/{solution.id}/attachments/new"
    assert browser.upload(new, "方案说明.pdf", content, token_from=new).status == 302
    attachment_id = db.session.scalar(
        select(SolutionAttachment.id).where(SolutionAttachment.solution_id == solution.id)
    )

    download = browser.get(f"{NODE_B}/solutions/{solution.id}/attachments/{attachment_id}")
    assert download.status == 200 and download.body == content


class _SMTPSink(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: keeps every message it is given."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 sink")
        while line := self.rfile.readline():
            verb = line.decode().strip()[:4].upper()
            if verb == "DATA":
                self._reply("354 go ahead")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                self.server.received.append(email.message_from_bytes(data, policy=default_policy))  # type: ignore[attr-defined]
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            self._reply("250 ok")


@pytest.fixture
def smtp() -> Iterator[socketserver.ThreadingTCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSink)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _on_both_nodes_at_once(args: list[str], env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    runs = [
        subprocess.Popen([flask, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    done = []
    for run in runs:
        output, _ = run.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(run.args, run.returncode, output))
    return done


def test_a_daily_job_started_on_both_nodes_at_once_sends_each_mail_once(factories, smtp):
    owners = [factories.user() for _ in range(3)]
    for owner in owners:
        factories.need(factories.org(owner=owner), owner, expires_at=utcnow() + timedelta(days=3))
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.server_address[1]),
        "MAIL_USE_TLS": "0",
        "MAIL_SEND_IN_BACKGROUND": "0",
    }
    expired = _on_both_nodes_at_once(["needs", "expire"], env)
    assert all(run.returncode == 0 for run in expired), [run.stdout for run in expired]
    sent = _on_both_nodes_at_once(["mail", "send"], env)
    assert all(run.returncode == 0 for run in sent), [run.stdout for run in sent]

    received = [message["To"] for message in smtp.received]  # type: ignore[attr-defined]
    assert sorted(address for address in received if address in {o.email for o in owners}) == sorted(
        o.email for o in owners
    )

"""Mail headers stay one line whatever a stored name holds, and the mail a daily command queues for
many members is sent past a message that fails, which `flask mail send` reports in its exit status."""

import email
import socketserver
import threading
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from app.accounts.models import OrgKind, SiteRole
from app.core.models import utcnow
from app.extensions import db
from app.mail import services as mail_services
from app.mail.models import MailMessage, MailStatus
from app.search.models import SavedSearch

INJECTION = "x\r\nBcc: evil@example.com"


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: refuses the addresses in `server.refused`, keeps what it accepts."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 test")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in self.server.refused:  # type: ignore[attr-defined]
                    self._reply("550 no such user")
                    continue
                recipients.append(address)
            elif verb in ("MAIL", "RSET"):
                recipients = []
            elif verb == "DATA":
                self._reply("354 go ahead")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                self.server.received.append((recipients, email.message_from_bytes(data, policy=default_policy)))  # type: ignore[attr-defined]
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            self._reply("250 ok")


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port, and the app sending to it."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    server.refused = set()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1], MAIL_USE_TLS=False)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _one_line_headers(message) -> None:
    for name, value in message.items():
        assert "\r" not in value and "\n" not in value, name
    assert message["Bcc"] is None and message["Cc"] is None


def test_a_line_break_in_a_subject_never_reaches_the_headers(app):
    with app.test_request_context():
        built = mail_services.build_message("member@example.com", f"您订阅的搜索“{INJECTION}”\u202e有新结果", "正文")
    _one_line_headers(built)
    sent = email.message_from_bytes(built.as_bytes(), policy=default_policy)
    _one_line_headers(sent)
    assert [address.addr_spec for address in sent["To"].addresses] == ["member@example.com"]
    assert "evil@example.com" in sent["Subject"] and "\u202e" not in sent["Subject"]


@pytest.mark.parametrize(
    "recipient", ["member@example.com\r\nBcc: evil@example.com", "a@example.com, evil@example.com"]
)
def test_an_address_that_is_not_one_address_is_not_mailed(app, recipient):
    with app.test_request_context(), pytest.raises(ValueError):
        mail_services.build_message(recipient, "主题", "正文")


def _saved_searches(make_user, make_org, make_need):
    """Three members whose saved search has a new match; the first one's name is old data with a line break."""
    owner = make_user()
    firm = make_org(owner=owner)
    members = [make_user(f"member{n}@example.com") for n in range(3)]
    for member, name in zip(members, [INJECTION, "设备联网", "预测性维护"], strict=True):
        db.session.add(
            SavedSearch(
                user_id=member.id,
                doc_type="need",
                name=name,
                q="",
                filters={"domain": ["IM"]},
                checked_at=utcnow() - timedelta(hours=1),
            )
        )
    db.session.commit()
    make_need(firm, owner, title="新需求：空压机预测性维护", domains=("IM",))
    return members


def test_search_alerts_keep_a_stored_line_break_out_of_the_outbox_subject(app, make_user, make_org, make_need):
    members = _saved_searches(make_user, make_org, make_need)
    result = app.test_cli_runner().invoke(args=["search", "alerts"])
    assert result.exit_code == 0, result.output
    assert "3 saved search(es) had new matches." in result.output
    mails = db.session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
    assert [mail.recipient for mail in mails] == [member.email for member in members]
    assert all(mail.status == MailStatus.OUTBOX for mail in mails)
    assert "\n" not in mails[0].subject and "\r" not in mails[0].subject and "evil@example.com" in mails[0].subject


def test_search_alerts_queue_their_mail_and_the_sender_goes_on_past_a_refused_one(
    app, smtp, make_user, make_org, make_need
):
    members = _saved_searches(make_user, make_org, make_need)
    smtp.refused.add(members[1].email)
    result = app.test_cli_runner().invoke(args=["search", "alerts"])
    assert result.exit_code == 0, result.output
    assert "3 saved search(es) had new matches." in result.output
    assert smtp.received == []  # queued; sent after the commit
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 1 and "2 sent, 1 to retry, 0 failed." in result.output
    assert [recipients for recipients, _ in smtp.received] == [[members[0].email], [members[2].email]]
    for _, message in smtp.received:
        _one_line_headers(message)
    statuses = dict(db.session.execute(select(MailMessage.recipient, MailMessage.status)).all())
    assert statuses == {
        members[0].email: MailStatus.SENT,
        members[1].email: MailStatus.QUEUED,
        members[2].email: MailStatus.SENT,
    }


def test_needs_expire_mails_a_need_title_with_a_line_break_on_one_line(app, smtp, make_user, make_org, make_need):
    owners = [make_user(f"owner{n}@example.com") for n in range(2)]
    for owner, title in zip(owners, [f"注塑{INJECTION}", "冲压车间质量追溯"], strict=True):
        make_need(make_org(owner=owner), owner, title=title, expires_at=utcnow() + timedelta(days=3))
    result = app.test_cli_runner().invoke(args=["needs", "expire"])
    assert result.exit_code == 0, result.output
    assert "2 need(s) reminded, 0 expired." in result.output
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 0
    assert sorted(recipients[0] for recipients, _ in smtp.received) == [owner.email for owner in owners]
    for recipients, message in smtp.received:
        _one_line_headers(message)
        assert recipients == [message["To"].addresses[0].addr_spec]


def test_a_daily_command_whose_mail_all_fails_still_finishes_its_work(app, smtp, make_user, make_org, make_need):
    owner = make_user("owner@example.com")
    need = make_need(make_org(owner=owner, kind=OrgKind.ENTERPRISE), owner, expires_at=utcnow() + timedelta(days=3))
    smtp.refused.add(owner.email)
    result = app.test_cli_runner().invoke(args=["needs", "expire"])
    assert result.exit_code == 0, result.output
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 1
    db.session.refresh(need)
    assert need.expiry_reminded_at is not None  # the reminder is in the inbox; the mail waits for a retry
    assert db.session.execute(select(MailMessage.status, MailMessage.attempts)).all() == [(MailStatus.QUEUED, 1)]


def test_an_admin_step_mails_a_project_named_with_a_line_break_on_one_line(
    app, smtp, client, login, make_user, make_org, make_pilot_call, make_pilot_application
):
    admin = make_user(role=SiteRole.ADMIN)
    call = make_pilot_call(admin)
    owner = make_user()
    application = make_pilot_application(call, make_org(owner=owner), owner, project_name=f"产线{INJECTION}")
    expert = make_user("expert@example.com", role=SiteRole.EXPERT)
    login(admin)
    response = client.post_form(f"/admin/pilots/applications/{application.id}/assign", {"expert": expert.id})
    assert response.status_code == 302
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 0
    [(recipients, message)] = smtp.received
    assert recipients == ["expert@example.com"] and "产线x Bcc: evil@example.com" in message["Subject"]
    _one_line_headers(message)

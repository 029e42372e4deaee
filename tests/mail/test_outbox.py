"""Mail goes through a transactional outbox: it is queued with the change that caused it, sent only
after the commit by `flask mail send` (or the web process's background sender), retried with backoff
when the SMTP server fails, and never sent at all when the change is rolled back."""

import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import SiteRole
from app.core.models import utcnow
from app.extensions import db
from app.mail.models import MailMessage, MailStatus
from app.mail.services import send_mail
from app.notifications.models import Notification, Topic
from app.notifications.services import notify
from tests.core.test_mail_jobs import smtp  # noqa: F401  (the real local SMTP server fixture)


def _mails(recipient: str) -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).where(MailMessage.recipient == recipient)))


def _send(app, *args: str):
    return app.test_cli_runner().invoke(args=["mail", "send", *args])


def _due_now(mail: MailMessage) -> None:
    """As if the retry delay had passed."""
    mail.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_a_notify_rolled_back_leaves_no_mail_and_sends_nothing(app, smtp, make_user):  # noqa: F811
    user = make_user("rolled@example.com")
    with app.test_request_context():
        notify([user], Topic.STATE, "对接已签约", "inbox.index")
        assert _mails(user.email) and smtp.received == []  # queued in the transaction, not mailed
        db.session.rollback()
    assert _mails(user.email) == []
    assert db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all() == []
    result = _send(app)
    assert result.exit_code == 0, result.output
    assert smtp.received == []


def test_after_commit_the_mail_is_queued_and_mail_send_delivers_it(app, smtp, make_user):  # noqa: F811
    user = make_user("queued@example.com")
    with app.test_request_context():
        notify([user], Topic.STATE, "对接已签约", "inbox.index")
    db.session.commit()
    [mail] = _mails(user.email)
    assert mail.status == MailStatus.QUEUED and mail.attempts == 0 and "对接已签约" in mail.body
    assert smtp.received == []
    result = _send(app)
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to retry, 0 failed." in result.output
    [(recipients, message)] = smtp.received
    assert recipients == [user.email] and message["Subject"] == "对接已签约"
    [mail] = _mails(user.email)
    assert mail.status == MailStatus.SENT and mail.sent_at is not None
    assert mail.body == ""  # once sent, a body (which may hold a reset link) is not kept
    assert _send(app).output.startswith("0 sent")  # nothing is sent twice


def _assign_expert(app, client, login, make_user, make_org, make_pilot_call, make_pilot_application):
    admin = make_user(role=SiteRole.ADMIN)
    owner = make_user()
    application = make_pilot_application(make_pilot_call(admin), make_org(owner=owner), owner)
    expert = make_user("expert@example.com", role=SiteRole.EXPERT)
    login(admin)
    started = time.monotonic()
    response = client.post_form(f"/admin/pilots/applications/{application.id}/assign", {"expert": expert.id})
    assert response.status_code == 302
    return expert, time.monotonic() - started


def test_an_smtp_failure_is_retried_with_backoff_then_delivered(
    app,
    smtp,  # noqa: F811
    client,
    login,
    make_user,
    make_org,
    make_pilot_call,
    make_pilot_application,
):
    # While the request runs, the SMTP server accepts connections but never answers: a request
    # that talked to it would wait for its timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    app.config["MAIL_PORT"] = silent.getsockname()[1]
    try:
        expert, took = _assign_expert(app, client, login, make_user, make_org, make_pilot_call, make_pilot_application)
    finally:
        silent.close()
    assert took < 3
    app.config["MAIL_PORT"] = smtp.server_address[1]
    smtp.refused.add(expert.email)

    delays = []
    for attempt in (1, 2):
        result = _send(app)
        assert result.exit_code == 1 and "0 sent, 1 to retry, 0 failed." in result.output
        [mail] = _mails(expert.email)
        assert mail.status == MailStatus.QUEUED and mail.attempts == attempt and "550" in mail.error
        delays.append(mail.next_attempt_at - utcnow())
        assert _send(app).output.startswith("0 sent, 0 to retry")  # not due yet: nothing tried
        _due_now(mail)
    assert timedelta(0) < delays[0] < delays[1]
    assert smtp.received == []

    smtp.refused.clear()
    result = _send(app)
    assert result.exit_code == 0 and "1 sent" in result.output
    assert [recipients for recipients, _ in smtp.received] == [[expert.email]]
    [mail] = _mails(expert.email)
    assert mail.status == MailStatus.SENT and mail.attempts == 3


def test_after_the_last_attempt_a_mail_is_marked_failed(app, smtp, make_user):  # noqa: F811
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    user = make_user("refused@example.com")
    smtp.refused.add(user.email)
    with app.test_request_context():
        send_mail(user.email, "主题", "emails/notification.txt", title="主题", detail="", url="", settings_url="")
    db.session.commit()
    _send(app)
    _due_now(_mails(user.email)[0])
    result = _send(app)
    assert result.exit_code == 1 and "0 sent, 0 to retry, 1 failed." in result.output
    [mail] = _mails(user.email)
    assert mail.status == MailStatus.FAILED and mail.attempts == 2 and mail.next_attempt_at is None
    _due_now(mail)
    assert _send(app).output.startswith("0 sent, 0 to retry, 0 failed.")  # never tried again


def test_messages_are_delivered_in_the_order_they_were_queued(app, smtp, make_user):  # noqa: F811
    users = [make_user(f"order{n}@example.com") for n in (3, 1, 2)]
    with app.test_request_context():
        for user in users:
            notify([user], Topic.STATE, f"通知 {user.email}", "inbox.index")
            db.session.commit()
    result = _send(app)
    assert result.exit_code == 0 and "3 sent" in result.output
    assert [recipients for recipients, _ in smtp.received] == [[user.email] for user in users]


def test_the_admin_outbox_shows_attempts_and_the_last_error(app, smtp, client, login, make_user):  # noqa: F811
    user = make_user("bounced@example.com")
    smtp.refused.add(user.email)
    with app.test_request_context():
        notify([user], Topic.STATE, "对接已签约", "inbox.index")
    db.session.commit()
    _send(app)
    [mail] = _mails(user.email)
    login(make_user(role=SiteRole.ADMIN))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "bounced@example.com" in page and "待重试" in page and "尝试 1 次" in page
    detail = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    assert "550 no such user" in detail and "尝试 1 次" in detail


@pytest.mark.real_commits
def test_the_web_process_hands_committed_mail_to_its_background_sender(
    app,
    smtp,  # noqa: F811
    client,
    login,
    make_user,
    make_org,
    make_pilot_call,
    make_pilot_application,
):
    app.config["MAIL_SEND_IN_BACKGROUND"] = True
    expert, _ = _assign_expert(app, client, login, make_user, make_org, make_pilot_call, make_pilot_application)
    deadline = time.monotonic() + 5
    while not smtp.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [recipients for recipients, _ in smtp.received] == [[expert.email]]
    while _mails(expert.email)[0].status != MailStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _mails(expert.email)[0].status == MailStatus.SENT


@pytest.mark.real_commits
def test_a_savepoint_released_is_no_commit_for_the_background_sender(app, smtp, make_user):  # noqa: F811
    app.config["MAIL_SEND_IN_BACKGROUND"] = True
    first, second = make_user("first@example.com"), make_user("savepoint@example.com")
    with app.test_request_context():
        notify([first], Topic.STATE, "对接已签约", "inbox.index")
        with db.session.begin_nested():  # as the ledger does within a request's transaction
            notify([second], Topic.STATE, "对接已签约", "inbox.index")
        time.sleep(0.5)
        assert smtp.received == []
        db.session.commit()  # the real commit hands both over
    deadline = time.monotonic() + 5
    while len(smtp.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [recipients for recipients, _ in smtp.received] == [[first.email], [second.email]]
    while any(mail.status != MailStatus.SENT for mail in _mails(second.email)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [mail.status for mail in _mails(second.email)] == [MailStatus.SENT]


def test_without_a_mail_server_mail_send_leaves_the_outbox_alone(app, make_user):
    user = make_user("dev@example.com")
    with app.test_request_context():
        notify([user], Topic.STATE, "对接已签约", "inbox.index")
    db.session.commit()
    result = _send(app)
    assert result.exit_code == 0 and "MAIL_SERVER is not set" in result.output
    [mail] = _mails(user.email)
    assert mail.status == MailStatus.OUTBOX and mail.attempts == 0 and "对接已签约" in mail.body

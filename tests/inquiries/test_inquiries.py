"""Inquiry threads through the HTTP client: from the first message to a confirmed deal."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import MemberRole, Membership, OrgKind, SiteRole
from app.extensions import db
from app.inquiries import services
from app.inquiries.models import FollowUpAnswer, Inquiry, InquiryMessage, InquiryState
from app.listings.moderation import ListingStatus
from app.mail.models import MailMessage
from app.notifications.models import Notification, Topic
from app.stats.models import Enablement, EnablementKind


@pytest.fixture
def pair(app, make_user, make_org, make_need, make_solution):
    """A provider with a published solution, an enterprise with a published need, and an outsider."""
    provider_user = make_user("provider@example.com", name="服务商小李")
    provider = make_org(owner=provider_user, name="青岛智造科技", kind=OrgKind.PROVIDER, verified=True)
    enterprise_user = make_user("enterprise@example.com", name="企业老王")
    enterprise = make_org(owner=enterprise_user, name="青岛精密注塑", kind=OrgKind.ENTERPRISE)
    outsider = make_user("outsider@example.com")
    make_org(owner=outsider, name="无关企业", kind=OrgKind.BOTH)
    return {
        "provider": provider_user,
        "provider_org": provider,
        "enterprise": enterprise_user,
        "enterprise_org": enterprise,
        "outsider": outsider,
        "admin": make_user("admin@example.com", role=SiteRole.ADMIN),
        "solution": make_solution(provider, provider_user),
        "need": make_need(enterprise, enterprise_user),
    }


def _switch(client, login, user):
    client.post_form("/logout")
    login(user)


def _inquire(client, login, pair, body="我们有 40 台注塑机，想了解部署周期和费用。"):
    _switch(client, login, pair["enterprise"])
    response = client.post_form(f"/inquiries/solution/{pair['solution'].id}/new", {"body": body})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return db.session.scalars(select(Inquiry)).one()


def _deal_rows():
    return db.session.scalar(
        select(func.count(Enablement.id)).join(EnablementKind).where(EnablementKind.code == "deal")
    )


def test_inquiry_to_deal_records_one_enablement(client, login, pair):
    inquiry = _inquire(client, login, pair)
    assert inquiry.state == InquiryState.OPEN and inquiry.enterprise_id == pair["enterprise_org"].id
    told = db.session.scalars(select(Notification).where(Notification.user_id == pair["provider"].id)).one()
    assert told.topic == Topic.INQUIRY and told.link == f"/inquiries/{inquiry.id}"
    mail = db.session.scalars(select(MailMessage).where(MailMessage.recipient == "provider@example.com")).one()
    assert "青岛精密注塑" in mail.subject and f"/inquiries/{inquiry.id}" in mail.body

    _switch(client, login, pair["provider"])
    page = client.get("/inbox/").get_data(as_text=True)
    assert "发起了对接" in page and "1 条未读" in page
    thread = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "我们有 40 台注塑机" in thread and "接受对接" in thread
    assert "1 条未读" in client.get("/inbox/").get_data(as_text=True)  # opening the thread wrote nothing
    assert client.post_form(f"/inquiries/{inquiry.id}/read").get_json() == {"unread": 0}  # the page's script
    assert "1 条未读" not in client.get("/inbox/").get_data(as_text=True)
    client.post_form(f"/inquiries/{inquiry.id}/messages", {"body": "可以，一周部署，费用 12 万元。"})
    client.post_form(f"/inquiries/{inquiry.id}/accept")
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.ACCEPTED and len(inquiry.messages) == 2

    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "12"})
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.ACCEPTED and inquiry.deal_amount == Decimal("12")
    assert _deal_rows() == 0
    again = client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "12"}, follow_redirects=True)
    assert "已经确认过签约" in again.get_data(as_text=True)

    _switch(client, login, pair["provider"])
    done = client.post_form(f"/inquiries/{inquiry.id}/deal", {}, follow_redirects=True)
    assert "签约完成" in done.get_data(as_text=True)
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.DEAL and inquiry.deal_at is not None
    row = db.session.scalars(select(Enablement).join(EnablementKind).where(EnablementKind.code == "deal")).one()
    assert (row.firm_id, row.provider_id, row.source_type, row.source_id) == (
        pair["enterprise_org"].id,
        pair["provider_org"].id,
        "inquiry",
        str(inquiry.id),
    )

    twice = client.post_form(f"/inquiries/{inquiry.id}/deal", {}, follow_redirects=True)
    assert "只有已接受、尚未签约的对接可以确认签约" in twice.get_data(as_text=True)
    assert _deal_rows() == 1


def test_proposal_moves_the_need_through_talks_to_fulfilled(client, login, pair):
    _switch(client, login, pair["provider"])
    response = client.post_form(f"/inquiries/need/{pair['need'].id}/new", {"body": "我们的预测性维护套件一周上线。"})
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert response.headers["Location"].endswith(f"/inquiries/{inquiry.id}")
    refused = client.post_form(f"/inquiries/{inquiry.id}/accept", follow_redirects=True)
    assert "对接由对方决定是否接受" in refused.get_data(as_text=True)

    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/accept")
    need = db.session.get(type(pair["need"]), pair["need"].id)
    db.session.refresh(need)
    assert need.status == ListingStatus.IN_TALKS
    client.post_form(f"/inquiries/{inquiry.id}/deal", {})
    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": ""})
    db.session.refresh(need)
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.DEAL and need.status == ListingStatus.FULFILLED
    assert inquiry.deal_amount is None and _deal_rows() == 1


def test_closing_the_only_talk_puts_the_need_back_on_the_list(client, login, pair):
    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/need/{pair['need'].id}/new", {"body": "方案见附件说明。"})
    inquiry = db.session.scalars(select(Inquiry)).one()
    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/accept")
    client.post_form(f"/inquiries/{inquiry.id}/close")
    db.session.refresh(inquiry)
    need = pair["need"]
    db.session.refresh(need)
    assert inquiry.state == InquiryState.CLOSED and need.status == ListingStatus.PUBLISHED
    refused = client.post_form(f"/inquiries/{inquiry.id}/messages", {"body": "还在吗？"}, follow_redirects=True)
    assert "对接已结束" in refused.get_data(as_text=True)
    assert len(inquiry.messages) == 1


ACTIONS = [
    ("messages", {"body": "你好"}),
    ("accept", {}),
    ("decline", {"reason": "不合适"}),
    ("deal", {"amount": "3"}),
    ("close", {}),
    ("follow-up", {"answer": "delivered"}),
]


def test_only_the_two_organizations_read_and_act(client, login, pair):
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["outsider"])
    assert client.get(f"/inquiries/{inquiry.id}").status_code == 403
    assert "我们有 40 台注塑机" not in client.get("/inquiries/").get_data(as_text=True)
    for action, data in ACTIONS:
        assert client.post_form(f"/inquiries/{inquiry.id}/{action}", data).status_code == 403, action
    _switch(client, login, pair["admin"])
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "我们有 40 台注塑机" in page and "只读" in page and "接受对接" not in page
    assert client.post_form(f"/inquiries/{inquiry.id}/accept").status_code == 403
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.OPEN and len(inquiry.messages) == 1


def test_bad_input_changes_nothing(client, login, pair):
    _switch(client, login, pair["enterprise"])
    empty = client.post_form(f"/inquiries/solution/{pair['solution'].id}/new", {"body": "   "})
    assert empty.status_code == 200 and "请填写消息内容" in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Inquiry.id))) == 0
    inquiry = _inquire(client, login, pair)
    again = client.get(f"/inquiries/solution/{pair['solution'].id}/new")
    assert again.headers["Location"].endswith(f"/inquiries/{inquiry.id}")
    own = client.get(f"/inquiries/need/{pair['need'].id}/new")
    assert own.status_code == 403  # an enterprise does not propose for its own need

    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/{inquiry.id}/accept")
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "-1"})
    client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "20"})
    _switch(client, login, pair["enterprise"])
    mismatch = client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "15"}, follow_redirects=True)
    assert "不一致" in mismatch.get_data(as_text=True)
    db.session.refresh(inquiry)
    assert inquiry.enterprise_confirmed_at is None and inquiry.deal_amount == Decimal("20") and _deal_rows() == 0


def test_decline_is_for_the_side_that_was_asked(client, login, pair):
    inquiry = _inquire(client, login, pair)
    client.post_form(f"/inquiries/{inquiry.id}/decline", {"reason": ""})
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.OPEN
    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/{inquiry.id}/decline", {"reason": "暂不支持该行业"})
    db.session.refresh(inquiry)
    assert inquiry.state == InquiryState.DECLINED and inquiry.decline_reason == "暂不支持该行业"
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == pair["enterprise"].id, Notification.topic == Topic.STATE)
    ).one()
    assert "婉拒" in told.title


def test_members_choose_their_mails(client, login, pair):
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["provider"])
    response = client.post_form("/inbox/settings", {"topics": ["inquiry", "state"]})
    assert response.status_code == 302
    page = client.get("/inbox/settings").get_data(as_text=True)
    assert re.search(r'value="reply"[^>]*>', page) and not re.search(
        r'checked[^>]*value="reply"|value="reply"[^>]*checked', page
    )
    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/messages", {"body": "补充一下产线情况。"})
    replies = db.session.scalars(
        select(Notification).where(Notification.user_id == pair["provider"].id, Notification.topic == Topic.REPLY)
    ).all()
    mails = db.session.scalars(
        select(MailMessage).where(MailMessage.recipient == "provider@example.com", MailMessage.subject.contains("回复"))
    ).all()
    assert len(replies) == 1 and mails == []


def test_follow_up_half_a_year_after_the_deal(app, pair):
    with app.test_request_context():
        inquiry = services.inquire(pair["solution"], pair["enterprise"], "想了解一下。")
        services.accept(inquiry, pair["provider"])
        services.confirm_deal(inquiry, pair["enterprise"], Decimal("8"))
        assert services.confirm_deal(inquiry, pair["provider"]) is True
        assert services.ask_follow_ups() == 0
        with pytest.raises(services.InquiryError):
            services.answer_follow_up(inquiry, pair["enterprise"], FollowUpAnswer.DELIVERED)
        inquiry.deal_at -= timedelta(days=183)
        assert services.ask_follow_ups() == 1 and services.ask_follow_ups() == 0
        asked = db.session.scalars(select(Notification).where(Notification.topic == Topic.FOLLOW_UP)).all()
        assert {n.user_id for n in asked} == {pair["enterprise"].id, pair["provider"].id}
        services.answer_follow_up(inquiry, pair["enterprise"], FollowUpAnswer.DELIVERED)
        with pytest.raises(services.InquiryError):
            services.answer_follow_up(inquiry, pair["enterprise"], FollowUpAnswer.RENEWED)
        services.answer_follow_up(inquiry, pair["provider"], FollowUpAnswer.ONGOING)
        assert services.follow_up_answers(pair["provider_org"]) == {FollowUpAnswer.DELIVERED: 1}
        assert services.follow_up_summary() == {FollowUpAnswer.DELIVERED: 1}


def test_follow_up_answers_reach_the_public_figures(app, client, pair):
    """Inquiries hand their follow-up counts to the statistics, which import nothing from inquiries."""
    waiting = "签约满半年后，平台会请双方反馈合作进展"
    with app.test_request_context():
        inquiry = services.inquire(pair["solution"], pair["enterprise"], "想了解一下。")
        services.accept(inquiry, pair["provider"])
        services.confirm_deal(inquiry, pair["enterprise"], Decimal("8"))
        services.confirm_deal(inquiry, pair["provider"])
        inquiry.deal_at -= timedelta(days=183)
        services.ask_follow_ups()
    assert waiting in client.get("/stats/public").get_data(as_text=True)
    with app.test_request_context():
        services.answer_follow_up(inquiry, pair["enterprise"], FollowUpAnswer.DELIVERED)
    figures = client.get("/stats/public").get_data(as_text=True)
    assert waiting not in figures and 'data-test="follow-ups"' in figures


def test_inquiry_buttons_on_the_pages(client, login, pair):
    solution_page = client.get(f"/solutions/{pair['solution'].id}").get_data(as_text=True)
    assert "登录后对接" in solution_page
    _switch(client, login, pair["enterprise"])
    assert "我要对接" in client.get(f"/solutions/{pair['solution'].id}").get_data(as_text=True)
    assert "提交方案" not in client.get(f"/needs/{pair['need'].id}").get_data(as_text=True)
    _switch(client, login, pair["provider"])
    assert "提交方案" in client.get(f"/needs/{pair['need'].id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(InquiryMessage.id))) == 0


def test_follow_up_command_asks_once(app, pair):
    with app.test_request_context():
        inquiry = services.inquire(pair["solution"], pair["enterprise"], "想了解一下。")
        services.accept(inquiry, pair["provider"])
        services.confirm_deal(inquiry, pair["enterprise"])
        services.confirm_deal(inquiry, pair["provider"])
        inquiry.deal_at -= timedelta(days=200)
        db.session.commit()
    runner = app.test_cli_runner()
    assert "1 deal(s) followed up" in runner.invoke(args=["inquiries", "follow-up"]).output
    assert "0 deal(s) followed up" in runner.invoke(args=["inquiries", "follow-up"]).output
    mail = db.session.scalars(select(MailMessage).where(MailMessage.subject.contains("签约已半年"))).first()
    assert mail is not None and f"/inquiries/{inquiry.id}" in mail.body


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def test_files_in_a_thread_reach_only_the_two_sides(app, client, login, pair):
    inquiry = _inquire(client, login, pair)
    folder = Path(app.config["STORED_FILES_DIR"]) / services.FILES
    refused = client.post_form(
        f"/inquiries/{inquiry.id}/messages",
        {"body": "报价见附件", "file": (io.BytesIO(PROGRAM), "报价.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "不是 PDF、PNG、JPEG 文件" in refused.get_data(as_text=True)
    db.session.refresh(inquiry)
    assert len(inquiry.messages) == 1 and not (folder.exists() and any(folder.iterdir()))

    client.post_form(
        f"/inquiries/{inquiry.id}/messages",
        {"body": "产线图见附件", "file": (io.BytesIO(PDF), "产线图.pdf")},
        content_type="multipart/form-data",
    )
    db.session.refresh(inquiry)
    stored = inquiry.messages[-1].attachments[0]
    url = f"/inquiries/{inquiry.id}/files/{stored.id}"
    assert url in client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    download = client.get(url)
    assert download.data == PDF and download.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    _switch(client, login, pair["provider"])
    assert client.get(url).data == PDF
    _switch(client, login, pair["outsider"])
    assert client.get(url).status_code == 403


def test_the_provider_page_shows_its_record(app, client, pair, make_case):
    make_case(pair["solution"], client="青岛某汽车零部件企业", year=2024)
    with app.test_request_context():
        inquiry = services.inquire(pair["solution"], pair["enterprise"], "想了解一下。")
        services.accept(inquiry, pair["provider"])
        services.confirm_deal(inquiry, pair["enterprise"])
        services.confirm_deal(inquiry, pair["provider"])
        db.session.commit()
    page = client.get(f"/orgs/{pair['provider_org'].id}").get_data(as_text=True)
    record = page[page.index('data-test="provider-record"') :]
    assert re.search(r'data-test="deals">1<', record) and "已认证" in record
    assert pair["solution"].title in record and "青岛某汽车零部件企业</span>（2024）" in record
    enterprise_page = client.get(f"/orgs/{pair['enterprise_org'].id}").get_data(as_text=True)
    assert 'data-test="provider-record"' not in enterprise_page


def _unread(user, inquiry) -> list[str]:
    """The titles of the user's unread notifications about the thread."""
    return list(
        db.session.scalars(
            select(Notification.title).where(
                Notification.user_id == user.id,
                Notification.read_at.is_(None),
                Notification.link == f"/inquiries/{inquiry.id}",
            )
        )
    )


def test_opening_a_thread_shows_the_new_messages_and_its_script_marks_them_read(client, login, pair):
    inquiry = _inquire(client, login, pair)
    client.post_form(f"/inquiries/{inquiry.id}/messages", {"body": "补充：设备是海天的。"})
    _switch(client, login, pair["provider"])
    client.post_form(f"/inquiries/{inquiry.id}/read")
    _switch(client, login, pair["enterprise"])
    client.post_form(f"/inquiries/{inquiry.id}/messages", {"body": "另外需要支持国产 PLC。"})
    _switch(client, login, pair["provider"])
    assert len(_unread(pair["provider"], inquiry)) == 1

    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    new = re.findall(r'data-test="unread-message".*?listing-text">([^<]*)<', page, re.S)
    assert new == ["另外需要支持国产 PLC。"]
    assert f'action="/inquiries/{inquiry.id}/read" data-mark-read' in page
    assert len(_unread(pair["provider"], inquiry)) == 1

    assert client.post_form(f"/inquiries/{inquiry.id}/read").get_json() == {"unread": 0}
    assert _unread(pair["provider"], inquiry) == []
    again = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "unread-message" not in again and "data-mark-read" not in again


def test_only_the_two_sides_mark_a_thread_read(client, login, pair):
    inquiry = _inquire(client, login, pair)
    told = _unread(pair["provider"], inquiry)
    for someone in ("outsider", "admin"):
        _switch(client, login, pair[someone])
        assert client.post_form(f"/inquiries/{inquiry.id}/read").status_code == 403, someone
    assert client.post_form("/inquiries/999999/read").status_code == 404
    assert told and _unread(pair["provider"], inquiry) == told


def test_the_read_request_needs_its_token(client, login, pair):
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["provider"])
    assert client.post(f"/inquiries/{inquiry.id}/read").status_code == 400
    assert len(_unread(pair["provider"], inquiry)) == 1


STEPS = [("messages", {"body": "可以，一周部署。"}), ("accept", {}), ("decline", {"reason": ""}), ("close", {})]


@pytest.mark.parametrize(("action", "data"), STEPS)
def test_acting_in_a_thread_reads_it_for_the_member_who_acts(client, login, make_user, pair, action, data):
    colleague = make_user("colleague@example.com")
    db.session.add(Membership(user=colleague, organization=pair["provider_org"], role=MemberRole.MEMBER))
    db.session.commit()
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["provider"])
    assert client.post_form(f"/inquiries/{inquiry.id}/{action}", data).status_code == 302
    assert _unread(pair["provider"], inquiry) == []
    assert len(_unread(colleague, inquiry)) == 1


def test_a_refused_step_leaves_the_thread_unread(client, login, pair):
    inquiry = _inquire(client, login, pair)
    _switch(client, login, pair["provider"])
    refused = client.post_form(f"/inquiries/{inquiry.id}/deal", {"amount": "3"}, follow_redirects=True)
    assert "只有已接受、尚未签约的对接可以确认签约" in refused.get_data(as_text=True)
    assert len(_unread(pair["provider"], inquiry)) == 1


def test_confirming_the_deal_and_answering_the_follow_up_read_the_thread(app, pair):
    with app.test_request_context():
        inquiry = services.inquire(pair["solution"], pair["enterprise"], "想了解一下。")
        services.accept(inquiry, pair["provider"])
        assert _unread(pair["enterprise"], inquiry) != []
        services.confirm_deal(inquiry, pair["enterprise"])
        assert _unread(pair["enterprise"], inquiry) == []
        services.confirm_deal(inquiry, pair["provider"])
        inquiry.deal_at -= timedelta(days=200)
        services.ask_follow_ups()
        assert _unread(pair["provider"], inquiry) != []
        services.answer_follow_up(inquiry, pair["provider"], FollowUpAnswer.DELIVERED)
        assert _unread(pair["provider"], inquiry) == []

"""The rules of a thread between an enterprise and a provider.

open → accepted or declined (by the side that did not open it) → deal (both sides confirm; the
first to confirm may state the amount) → closed (either side, at any point). A confirmed deal
counts the enterprise as enabled by the provider in the ledger, once. Half a year after a deal
both sides are asked how it went.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from werkzeug.datastructures import FileStorage

from app.accounts.models import Organization, User
from app.core import files, signals
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.inquiries.models import (
    FollowUp,
    FollowUpAnswer,
    Inquiry,
    InquiryAttachment,
    InquiryMessage,
    InquiryState,
    Side,
)
from app.inquiries.permissions import can_inquire, can_propose, side_of
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.notifications.models import Notification, Topic
from app.notifications.services import mark_read, members, notify
from app.solutions.models import Solution

FOLLOW_UP_AFTER = timedelta(days=182)
FILES = "inquiry-files"  # the folder in STORED_FILES_DIR
FILE_KINDS = ("pdf", "png", "jpeg")
MAX_FILE_BYTES = 10 * 1024 * 1024
#: A thread in one of these states blocks opening another about the same item.
ACTIVE_STATES = (InquiryState.OPEN, InquiryState.ACCEPTED, InquiryState.DEAL)
POSITIVE_ANSWERS = (FollowUpAnswer.DELIVERED, FollowUpAnswer.RENEWED)
#: The notifications that each stand for one message of the other side (the opening one, a reply).
MESSAGE_TOPICS = (Topic.INQUIRY, Topic.REPLY)


class InquiryError(DomainError):
    """A step the thread's state or the user's side does not allow; the message is for the user."""


# --- who is who ------------------------------------------------------------------------------


def _side(user: User, inquiry: Inquiry) -> Side:
    side = side_of(user, inquiry)
    if side is None:
        raise InquiryError(_("只有对接双方的成员可以这样做。"))
    return side


def _other(side: Side) -> Side:
    return Side.PROVIDER if side == Side.ENTERPRISE else Side.ENTERPRISE


# --- opening ---------------------------------------------------------------------------------


def _org_of(user: User) -> Organization:
    """The organization of the member taking a step (each step checks that the user is one)."""
    org = user.organization
    assert org is not None, f"user {user.id} is a member of no organization"
    return org


def active_thread(org: Organization, *, solution: Solution | None = None, need: Need | None = None) -> Inquiry | None:
    stmt = select(Inquiry).where(Inquiry.state.in_(ACTIVE_STATES))
    if solution is not None:
        stmt = stmt.where(Inquiry.solution_id == solution.id, Inquiry.enterprise_id == org.id)
    else:
        assert need is not None, "active_thread: a solution or a need"
        stmt = stmt.where(Inquiry.need_id == need.id, Inquiry.provider_id == org.id)
    return db.session.scalar(stmt.limit(1))


def no_active_thread(org: Organization, *, solution: Solution | None = None, need: Need | None = None) -> bool:
    """True when `org` may open a thread about this solution or need; while one is live, refused as
    a notice (the member is sent to it)."""
    if active_thread(org, solution=solution, need=need) is not None:
        raise InquiryError(_("贵单位已有一个进行中的对接，请在这里继续沟通。"), category="info")
    return True


def inquire(solution: Solution, user: User, body: str) -> Inquiry:
    """An enterprise member asks a provider about a solution (我要对接)."""
    if not can_inquire(user, solution):
        raise InquiryError(_("只有其他需求企业的成员可以对已发布的方案发起对接。"))
    org = _org_of(user)
    if active_thread(org, solution=solution) is not None:
        raise InquiryError(_("贵单位已就这个方案发起过对接，请在原对接中继续沟通。"))
    inquiry = Inquiry(solution=solution, enterprise=org, provider=solution.organization, opened_by=user)
    return _open(
        inquiry,
        user,
        Side.ENTERPRISE,
        body,
        _l("“%(org)s”对方案“%(title)s”发起了对接", org=org.name, title=solution.title),
    )


def propose(need: Need, user: User, body: str) -> Inquiry:
    """A provider member proposes for an enterprise's need (提交方案)."""
    if not can_propose(user, need):
        raise InquiryError(_("只有其他服务商的成员可以对已发布的需求提交方案。"))
    org = _org_of(user)
    if active_thread(org, need=need) is not None:
        raise InquiryError(_("贵单位已对这条需求提交过方案，请在原对接中继续沟通。"))
    inquiry = Inquiry(need=need, enterprise=need.organization, provider=org, opened_by=user)
    return _open(
        inquiry,
        user,
        Side.PROVIDER,
        body,
        _l("“%(org)s”为需求“%(title)s”提交了方案", org=org.name, title=need.title),
    )


def _open(inquiry: Inquiry, user: User, side: Side, body: str, title: str) -> Inquiry:
    db.session.add(inquiry)
    inquiry.messages.append(InquiryMessage(author=user, side=side, body=_clean(body)))
    db.session.flush()
    _tell(inquiry, _other(side), Topic.INQUIRY, title, body)
    return inquiry


def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InquiryError(_("请填写消息内容。"))
    return body


# --- talking and deciding ----------------------------------------------------------------------


def post_message(inquiry: Inquiry, user: User, body: str, upload: FileStorage | None = None) -> InquiryMessage:
    """A message, with a file when `upload` holds one. Raises `files.FileRefused` (nothing written)
    for a file that is not a PDF, PNG or JPEG by content, or too large."""
    side = _side(user, inquiry)
    if inquiry.state in (InquiryState.CLOSED, InquiryState.DECLINED):
        raise InquiryError(_("对接已结束，不能再发送消息。"))
    mark_thread_read(inquiry, user)
    message = InquiryMessage(author=user, side=side, body=_clean(body))
    stored = files.store_checked(upload, FILES, FILE_KINDS, MAX_FILE_BYTES) if upload and upload.filename else None
    try:
        if stored is not None:
            message.attachments.append(
                InquiryAttachment(
                    original_name=stored.original_name,
                    stored_name=stored.name,
                    content_type=stored.mimetype,
                    size_bytes=stored.size,
                )
            )
        inquiry.messages.append(message)
        _touch(inquiry)
    except Exception:
        if stored is not None:
            files.remove_stored(FILES, stored.name)
        raise
    _tell(
        inquiry,
        _other(side),
        Topic.REPLY,
        _l("“%(org)s”在对接“%(title)s”中回复了您", org=_org_of(user).name, title=inquiry.subject.title),
        body,
    )
    return message


def accept(inquiry: Inquiry, user: User) -> None:
    side = _receiving_side(inquiry, user)
    inquiry.state = InquiryState.ACCEPTED
    inquiry.decided_at = utcnow()
    if inquiry.need is not None and inquiry.need.status == ListingStatus.PUBLISHED:
        inquiry.need.status = ListingStatus.IN_TALKS
    _touch(inquiry)
    _tell(
        inquiry,
        _other(side),
        Topic.STATE,
        _l("“%(org)s”接受了对接“%(title)s”", org=_org_of(user).name, title=inquiry.subject.title),
    )


def decline(inquiry: Inquiry, user: User, reason: str | None) -> None:
    side = _receiving_side(inquiry, user)
    inquiry.state = InquiryState.DECLINED
    inquiry.decided_at = utcnow()
    inquiry.decline_reason = (reason or "").strip()[:500]
    _touch(inquiry)
    _tell(
        inquiry,
        _other(side),
        Topic.STATE,
        _l("“%(org)s”婉拒了对接“%(title)s”", org=_org_of(user).name, title=inquiry.subject.title),
        inquiry.decline_reason,
    )


def _receiving_side(inquiry: Inquiry, user: User) -> Side:
    side = _side(user, inquiry)
    if side == inquiry.initiator:
        raise InquiryError(_("对接由对方决定是否接受。"))
    if inquiry.state != InquiryState.OPEN:
        raise InquiryError(_("这次对接已经处理过了。"))
    mark_thread_read(inquiry, user)
    return side


def confirm_deal(inquiry: Inquiry, user: User, amount: Decimal | None = None) -> bool:
    """One side confirms the deal; True when this made it a deal (both sides confirmed)."""
    side = _side(user, inquiry)
    if inquiry.state != InquiryState.ACCEPTED:
        raise InquiryError(_("只有已接受、尚未签约的对接可以确认签约。"))
    if inquiry.confirmed_at(side) is not None:
        raise InquiryError(_("贵单位已经确认过签约，正在等待对方确认。"))
    if amount is not None and amount < 0:
        raise InquiryError(_("签约金额不能为负数。"))
    other_confirmed = inquiry.confirmed_at(_other(side)) is not None
    if other_confirmed and amount is not None and inquiry.deal_amount is not None and amount != inquiry.deal_amount:
        raise InquiryError(
            _("签约金额与对方确认的 %(amount)s 万元不一致，请先在消息中与对方核对。", amount=inquiry.deal_amount)
        )
    mark_thread_read(inquiry, user)
    now = utcnow()
    if side == Side.ENTERPRISE:
        inquiry.enterprise_confirmed_at, inquiry.enterprise_confirmed_by_id = now, user.id
    else:
        inquiry.provider_confirmed_at, inquiry.provider_confirmed_by_id = now, user.id
    if inquiry.deal_amount is None:
        inquiry.deal_amount = amount
    _touch(inquiry)
    if not other_confirmed:
        _tell(
            inquiry,
            _other(side),
            Topic.STATE,
            _l(
                "“%(org)s”确认了对接“%(title)s”的签约，请您确认",
                org=_org_of(user).name,
                title=inquiry.subject.title,
            ),
        )
        return False
    _make_deal(inquiry, user)
    return True


def _make_deal(inquiry: Inquiry, user: User) -> None:
    inquiry.state = InquiryState.DEAL
    inquiry.deal_at = utcnow()
    if inquiry.need is not None and inquiry.need.status in (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS):
        inquiry.need.status = ListingStatus.FULFILLED
        inquiry.need.closed_at = inquiry.deal_at
    signals.deal_confirmed.send(
        inquiry, firm=inquiry.enterprise, provider=inquiry.provider, on=inquiry.deal_at.date(), by=user
    )
    title = _l("对接“%(title)s”双方已确认签约", title=inquiry.subject.title)
    _tell(inquiry, Side.ENTERPRISE, Topic.STATE, title)
    _tell(inquiry, Side.PROVIDER, Topic.STATE, title)


def close(inquiry: Inquiry, user: User) -> None:
    side = _side(user, inquiry)
    if inquiry.state == InquiryState.CLOSED:
        raise InquiryError(_("对接已经关闭。"))
    mark_thread_read(inquiry, user)
    inquiry.state = InquiryState.CLOSED
    inquiry.closed_at = utcnow()
    need = inquiry.need
    if need is not None and need.status == ListingStatus.IN_TALKS and not _other_talks(need, inquiry):
        need.status = ListingStatus.PUBLISHED
    _touch(inquiry)
    _tell(
        inquiry,
        _other(side),
        Topic.STATE,
        _l("“%(org)s”关闭了对接“%(title)s”", org=_org_of(user).name, title=inquiry.subject.title),
    )


def _other_talks(need: Need, inquiry: Inquiry) -> bool:
    return (
        db.session.scalar(
            select(func.count(Inquiry.id)).where(
                Inquiry.need_id == need.id, Inquiry.id != inquiry.id, Inquiry.state == InquiryState.ACCEPTED
            )
        )
        or 0
    ) > 0


def _touch(inquiry: Inquiry) -> None:
    inquiry.updated_at = utcnow()
    db.session.flush()


def _tell(inquiry: Inquiry, side: Side, topic: Topic, title: str, detail: str = "") -> None:
    notify(members(inquiry.org_of(side)), topic, title, "inquiries.detail", detail=detail, inquiry_id=inquiry.id)


def mark_thread_read(inquiry: Inquiry, user: User) -> int:
    """Mark read the user's notifications about this thread: the member saw it (the thread page
    asks once shown) or acted in it. Returns how many."""
    return mark_read(user, url_for("inquiries.detail", inquiry_id=inquiry.id))


# --- after the deal ----------------------------------------------------------------------------


def ask_follow_ups(now: datetime | None = None) -> int:
    """Ask both sides of each deal older than six months how it went, once. Returns how many deals."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Inquiry).where(
            Inquiry.deal_at.is_not(None), Inquiry.deal_at <= now - FOLLOW_UP_AFTER, Inquiry.follow_up_asked_at.is_(None)
        )
    ).all()
    for inquiry in due:
        inquiry.follow_up_asked_at = now
        title = _l("对接“%(title)s”签约已半年，合作进展如何？", title=inquiry.subject.title)
        _tell(inquiry, Side.ENTERPRISE, Topic.FOLLOW_UP, title)
        _tell(inquiry, Side.PROVIDER, Topic.FOLLOW_UP, title)
    db.session.flush()
    return len(due)


def answer_follow_up(inquiry: Inquiry, user: User, answer: FollowUpAnswer) -> FollowUp:
    side = _side(user, inquiry)
    if inquiry.follow_up_asked_at is None:
        raise InquiryError(_("签约满半年后才会请双方回访。"))
    if any(f.side == side for f in inquiry.follow_ups):
        raise InquiryError(_("贵单位已经回答过这次回访。"))
    mark_thread_read(inquiry, user)
    follow_up = FollowUp(side=side, answer=answer, answered_by=user)
    inquiry.follow_ups.append(follow_up)
    db.session.flush()
    return follow_up


# --- reading -----------------------------------------------------------------------------------


def threads_of(org: Organization, state: InquiryState | None = None) -> Select:
    stmt = select(Inquiry).where(or_(Inquiry.enterprise_id == org.id, Inquiry.provider_id == org.id))
    if state is not None:
        stmt = stmt.where(Inquiry.state == state)
    return stmt.order_by(Inquiry.updated_at.desc(), Inquiry.id.desc())


def unread_by_thread(user: User, inquiries: list[Inquiry]) -> dict[int, int]:
    """How many unread notifications the user has about each of these threads."""
    links = {url_for("inquiries.detail", inquiry_id=i.id): i.id for i in inquiries}
    if not links:
        return {}
    rows = db.session.execute(
        select(Notification.link, func.count(Notification.id))
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), Notification.link.in_(links))
        .group_by(Notification.link)
    )
    return {links[link]: count for link, count in rows}


def unread_messages(inquiry: Inquiry, user: User) -> set[int]:
    """The ids of the other side's messages the user has not read: each unread notification of a
    message stands for one of the other side's newest messages."""
    side = side_of(user, inquiry)
    if side is None:
        return set()
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.topic.in_(MESSAGE_TOPICS),
            Notification.link == url_for("inquiries.detail", inquiry_id=inquiry.id),
        )
    )
    theirs = [message.id for message in inquiry.messages if message.side != side]
    return set(theirs[-unread:]) if unread else set()


def follow_up_answers(org: Organization) -> dict[FollowUpAnswer, int]:
    """What the firms said half a year after their deals with this provider, by answer."""
    return _answers(Inquiry.provider_id == org.id, FollowUp.side == Side.ENTERPRISE)


def good_follow_ups(org_ids: set[int]) -> dict[int, int]:
    """For each provider, how many firms said half a year on that the deal was delivered or renewed."""
    return dict(
        db.session.execute(
            select(Inquiry.provider_id, func.count(FollowUp.id))
            .join(FollowUp)
            .where(
                Inquiry.provider_id.in_(org_ids),
                FollowUp.side == Side.ENTERPRISE,
                FollowUp.answer.in_(POSITIVE_ANSWERS),
            )
            .group_by(Inquiry.provider_id)
        ).all()
    )


def follow_up_summary() -> dict[FollowUpAnswer, int]:
    """Every follow-up answer the enterprises gave, by answer, for the statistics."""
    return _answers(FollowUp.side == Side.ENTERPRISE)


def _answers(*conditions) -> dict[FollowUpAnswer, int]:
    rows = db.session.execute(
        select(FollowUp.answer, func.count(FollowUp.id)).join(Inquiry).where(*conditions).group_by(FollowUp.answer)
    )
    return dict(rows.all())

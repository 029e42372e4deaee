"""Telling members about things: an inbox entry always, a mail unless they opted out."""

from collections.abc import Iterable
from typing import Any, TypeAlias, cast

from flask import current_app, has_request_context, url_for
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, bindparam, delete, func, select, update

from app.accounts.models import Organization, User
from app.core.links import external_url
from app.core.models import utcnow
from app.extensions import db
from app.mail.services import send_mail
from app.notifications.models import MailOptOut, Notification, Topic

#: A title or detail: a lazy string, written in each recipient's language, or fixed text.
Text: TypeAlias = str | LazyString

TOPIC_LABELS = {
    Topic.INQUIRY: _l("新的对接请求或方案"),
    Topic.REPLY: _l("对接中的新消息"),
    Topic.STATE: _l("对接状态变化（接受、婉拒、签约、关闭）"),
    Topic.EXPIRING: _l("需求即将到期"),
    Topic.SAVED_SEARCH: _l("订阅的搜索有新结果"),
    Topic.FOLLOW_UP: _l("签约半年后的回访"),
    Topic.INCUBATION: _l("企业是否符合雏鹰、瞪羚认定条件的变化"),
    Topic.PROGRAMME: _l("孵化申请和试点示范申报的进展、评审任务、异议的答复"),
    Topic.MODERATION: _l("发布的需求、解决方案和附件的审核结果，单位认证"),
}


def members(org: Organization, *, but: User | None = None) -> list[User]:
    return [m.user for m in org.memberships if m.user.active and (but is None or m.user.id != but.id)]


def notify(users: Iterable[User], topic: Topic, title: Text, endpoint: str, detail: Text = "", **values) -> int:
    """An inbox entry for each user, and a mail to those who did not opt out of `topic`: the title,
    an optional `detail` paragraph and the link to `endpoint` (with `values` as its arguments).
    Each is written in the user's language: give `title` and `detail` as lazy strings
    (`lazy_gettext`, with lazy values where those are translated too). Flushed, not committed.
    Returns how many users were told."""
    users = list({user.id: user for user in users}.values())
    if not users:
        return 0
    if not has_request_context():  # a command or the demo seed: mail templates and the inbox link need one
        with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
            return notify(users, topic, title, endpoint, detail, **values)
    link = url_for(endpoint, **values)
    url = external_url(endpoint, **values)
    opted_out = set(
        db.session.scalars(
            select(MailOptOut.user_id).where(MailOptOut.topic == topic, MailOptOut.user_id.in_([u.id for u in users]))
        )
    )
    for user in users:
        with force_locale(user.language):
            title_text, detail_text = str(title), str(detail)
            db.session.add(
                Notification(user=user, topic=topic, title=title_text[:200], language=user.language, link=link)
            )
            if user.id not in opted_out:
                send_mail(
                    user.email,
                    title_text,
                    "emails/notification.txt",
                    title=title_text,
                    detail=detail_text,
                    url=url,
                    settings_url=external_url("inbox.settings"),
                )
    db.session.flush()
    return len(users)


#: Counted on every signed-in page (the menu's badge): built once, as building it cost twice running it.
_UNREAD = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_count(user: User) -> int:
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def inbox(user: User):
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user: User, link: str | None = None) -> int:
    """Mark the user's unread notifications read: all of them, or those pointing at `link`."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if link is not None:
        stmt = stmt.where(Notification.link == link)
    # an UPDATE gives a CursorResult (which has the rowcount); Session.execute is typed for any statement
    return cast("CursorResult[Any]", db.session.execute(stmt.values(read_at=utcnow()))).rowcount


def mail_topics(user: User) -> set[Topic]:
    opted_out = set(db.session.scalars(select(MailOptOut.topic).where(MailOptOut.user_id == user.id)))
    return set(Topic) - opted_out


def set_mail_topics(user: User, wanted: Iterable[Topic]) -> None:
    wanted = set(wanted)
    db.session.execute(delete(MailOptOut).where(MailOptOut.user_id == user.id))
    db.session.add_all(MailOptOut(user_id=user.id, topic=topic) for topic in Topic if topic not in wanted)
    db.session.flush()

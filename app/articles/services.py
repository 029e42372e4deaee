"""The rules of the office's articles.

An article is written as a draft, then published: from its publish time on (now, or a time to come:
it is scheduled until then) everyone reads it, on the list, in search and in its category's feed,
and downloads its attachments. The office may pin it to the top, edit it, and withdraw it, which
hides it again. Every step is an admin decision, audited.

Public means published or scheduled, with a publish time that has come: a scheduled article shows
on time even if nothing else happens. `flask articles release`, run every minute, also marks the
due ones published, a change that refreshes the cached pages and the search index at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.articles.models import Article, ArticleAttachment, ArticleCategory, ArticleStatus
from app.core import files
from app.core.audit import apply_changes, audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db

FILES = "article-attachments"
FILE_KINDS = ("pdf", "xlsx")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
LIVE_STATUSES = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)


class ArticleError(DomainError):
    """The message is for the user."""


@dataclass(frozen=True)
class ArticleValues:
    category: ArticleCategory
    title: str
    summary: str
    body: str
    #: naive UTC; None: the moment it is published
    publish_at: datetime | None
    uploads: list[FileStorage] = field(default_factory=list)


# --- what the public sees ---------------------------------------------------------------------


def public_clause(now: datetime | None = None) -> ColumnElement[bool]:
    return and_(Article.status.in_(LIVE_STATUSES), Article.publish_at <= (now or utcnow()))


def is_public(article: Article, now: datetime | None = None) -> bool:
    return (
        article.status in LIVE_STATUSES and article.publish_at is not None and article.publish_at <= (now or utcnow())
    )


def public_articles(category: ArticleCategory | None = None) -> Select:
    """Pinned first, then the newest."""
    stmt = select(Article).where(public_clause()).order_by(Article.pinned.desc(), Article.publish_at.desc(), Article.id)
    return stmt.where(Article.category == category) if category else stmt


def feed_articles(category: ArticleCategory | None, limit: int = 20) -> list[Article]:
    stmt = select(Article).where(public_clause()).order_by(Article.publish_at.desc(), Article.id.desc()).limit(limit)
    if category:
        stmt = stmt.where(Article.category == category)
    return list(db.session.scalars(stmt))


def category_counts() -> dict[ArticleCategory, int]:
    rows = db.session.execute(select(Article.category, func.count()).where(public_clause()).group_by(Article.category))
    return dict(rows.all())  # not dict(rows): a Result has keys(), and would be taken for a mapping


class Headlines(NamedTuple):
    pinned: list[Article]  # pinned articles of any category (notices, mostly), newest first
    latest: list[Article]  # the newest policy documents that are not pinned


def pinned_and_latest(limit: int) -> Headlines:
    """What the home page shows of the articles: at most `limit` of each."""
    newest = (Article.publish_at.desc(), Article.id.desc())
    pinned = select(Article).where(public_clause(), Article.pinned.is_(True)).order_by(*newest).limit(limit)
    latest = (
        select(Article)
        .where(public_clause(), Article.pinned.is_(False), Article.category == ArticleCategory.POLICY)
        .order_by(*newest)
        .limit(limit)
    )
    return Headlines(list(db.session.scalars(pinned)), list(db.session.scalars(latest)))


# --- the office's steps -----------------------------------------------------------------------


def all_articles() -> Select:
    """The admin list: everything, the last changed first."""
    return select(Article).options(selectinload(Article.attachments)).order_by(Article.updated_at.desc(), Article.id)


def create_article(values: ArticleValues, by: User) -> Article:
    article = Article(created_by=by, status=ArticleStatus.DRAFT)
    db.session.add(article)
    _apply_values(article, values)
    audit(by, "article.create", article, None, {"title": article.title, "category": article.category.value})
    return article


def update_article(article: Article, values: ArticleValues, by: User) -> None:
    before, after = _apply_values(article, values)
    if article.status in LIVE_STATUSES:
        article.status = _live_status(article)
    db.session.flush()
    audit(by, "article.update", article, before, after)


def _apply_values(article: Article, values: ArticleValues) -> tuple[dict, dict]:
    title = values.title.strip()
    if not title:
        raise ArticleError(_("请填写标题。"))
    if len(article.attachments) + len(values.uploads) > MAX_FILES:
        raise ArticleError(_("每篇文章最多 %(count)d 个附件。", count=MAX_FILES))
    before, after = apply_changes(
        article,
        {
            "category": values.category,
            "title": title,
            "summary": values.summary.strip(),
            "body": values.body.strip(),
            # a published article keeps its time when the field is left empty; a draft has none then
            "publish_at": values.publish_at or (None if article.status == ArticleStatus.DRAFT else article.publish_at),
        },
    )
    db.session.flush()
    stored = files.store_all(values.uploads, FILES, FILE_KINDS, MAX_FILE_BYTES)
    for item in stored:
        article.attachments.append(
            ArticleAttachment(
                original_name=item.original_name,
                stored_name=item.name,
                content_type=item.mimetype,
                size_bytes=item.size,
            )
        )
    if stored:
        after["attachments"] = [item.original_name for item in stored]
    db.session.flush()
    return before, after


def _live_status(article: Article, now: datetime | None = None) -> ArticleStatus:
    assert article.publish_at is not None
    return ArticleStatus.SCHEDULED if article.publish_at > (now or utcnow()) else ArticleStatus.PUBLISHED


def publish(article: Article, by: User, now: datetime | None = None) -> Article:
    """Public from its publish time (now when it has none); a withdrawn article is published again
    under its first publish time."""
    if article.status in LIVE_STATUSES:
        raise ArticleError(_("这篇文章已经发布。"))
    now = now or utcnow()
    if article.publish_at is None:
        article.publish_at = now.replace(second=0, microsecond=0)  # as the form shows and sends it back
    article.status = _live_status(article, now)
    db.session.flush()
    audit(
        by,
        "article.publish",
        article,
        None,
        {"status": article.status.value, "publish_at": article.publish_at.isoformat()},
    )
    return article


def withdraw(article: Article, by: User) -> None:
    if article.status not in LIVE_STATUSES:
        raise ArticleError(_("只有已发布的文章可以撤回。"))
    before = article.status.value
    article.status, article.pinned = ArticleStatus.WITHDRAWN, False
    db.session.flush()
    audit(by, "article.withdraw", article, {"status": before}, {"status": article.status.value})


def set_pinned(article: Article, pinned: bool, by: User) -> None:
    if pinned and article.status == ArticleStatus.WITHDRAWN:
        raise ArticleError(_("已撤回的文章不能置顶。"))
    if article.pinned == pinned:
        raise ArticleError(_("这篇文章已经置顶。") if pinned else _("这篇文章没有置顶。"), category="warning")
    article.pinned = pinned
    db.session.flush()
    audit(by, "article.pin" if pinned else "article.unpin", article, {"pinned": not pinned}, {"pinned": pinned})


def remove_attachment(attachment: ArticleAttachment, by: User) -> str:
    """Drop the row; returns the stored name, whose file the caller removes once this is committed."""
    article = attachment.article
    article.attachments.remove(attachment)
    article.updated_at = utcnow()
    db.session.flush()
    audit(by, "article.attachment_remove", article, {"attachment": attachment.original_name}, None)
    return attachment.stored_name


def release_due(now: datetime | None = None) -> int:
    """Mark the scheduled articles whose time has come published; returns how many."""
    due = list(
        db.session.scalars(
            select(Article).where(Article.status == ArticleStatus.SCHEDULED, Article.publish_at <= (now or utcnow()))
        )
    )
    for article in due:
        article.status = ArticleStatus.PUBLISHED
    db.session.flush()
    return len(due)

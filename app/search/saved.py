"""Saved searches: a member keeps the query of a list page and is told when new items match.

A domain makes its list page savable with `register_savable`; `alert_saved_searches` (run daily
by `flask search alerts`) tells each member about items published since the last check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_ngettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import notify
from app.search import search
from app.search.models import SavedSearch
from app.search.pages import SearchQuery

if TYPE_CHECKING:
    from app.listings.moderation import ListingMixin

MAX_PER_USER = 20
#: How many of the newest matches one check looks at.
CHECK_DEPTH = 50


@dataclass(frozen=True)
class Savable:
    doc_type: str
    model: type[ListingMixin]
    list_endpoint: str
    facets: tuple[str, ...]
    label: object


_savable: dict[str, Savable] = {}


def register_savable(savable: Savable) -> None:
    _savable[savable.doc_type] = savable


def savable(doc_type: str) -> Savable | None:
    return _savable.get(doc_type)


class SavedSearchError(DomainError):
    """The message is for the member; a refused save is a caution, the list page stays as it was."""

    category = "warning"


def save(user: User, doc_type: str, query: SearchQuery, name: str) -> SavedSearch:
    kind = savable(doc_type)
    if kind is None:
        raise SavedSearchError(_("这个页面的搜索不能保存。"))
    if not query.q and not query.filters:
        raise SavedSearchError(_("请先输入关键词或选择筛选条件，再保存搜索。"))
    filters = {name: values for name, values in query.filters.items() if name in kind.facets}
    existing = db.session.scalar(
        select(SavedSearch).where(
            SavedSearch.user_id == user.id, SavedSearch.doc_type == doc_type, SavedSearch.q == query.q
        )
    )
    if existing is not None and existing.filters == filters:
        raise SavedSearchError(_("您已经保存过这个搜索。"))
    if (
        db.session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)) or 0
    ) >= MAX_PER_USER:
        raise SavedSearchError(_("最多保存 %(count)d 个搜索，请先删除不再需要的。", count=MAX_PER_USER))
    saved = SavedSearch(
        user_id=user.id,
        doc_type=doc_type,
        q=query.q,
        filters=filters,
        name=(name or "").strip()[:60] or query.q or str(kind.label),
    )
    db.session.add(saved)
    db.session.flush()
    return saved


def delete(saved: SavedSearch) -> None:
    db.session.delete(saved)
    db.session.flush()


def of_user(user: User):
    return (
        select(SavedSearch)
        .where(SavedSearch.user_id == user.id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
    )


def list_args(saved: SavedSearch) -> dict:
    """The list page's query arguments that show the saved search's results."""
    return {**({"q": saved.q} if saved.q else {}), **saved.filters, "sort": "newest"}


def new_matches(saved: SavedSearch, since: datetime) -> int:
    kind = savable(saved.doc_type)
    assert kind is not None, f"searches of {saved.doc_type!r} are not savable"
    result = search(saved.doc_type, saved.q, saved.filters, "newest", 1, CHECK_DEPTH)
    if not result.ids:
        return 0
    return (
        db.session.scalar(
            select(func.count(kind.model.id)).where(kind.model.id.in_(result.ids), kind.model.published_at > since)
        )
        or 0
    )


def alert_saved_searches(now: datetime | None = None) -> int:
    """Tell each member whose saved searches have items published since the last check; returns
    how many saved searches had news. Flushed, not committed."""
    now = now or utcnow()
    told = 0
    for saved in db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)):
        kind = savable(saved.doc_type)
        if kind is None:
            continue
        count = new_matches(saved, saved.checked_at)
        saved.checked_at = now
        user = db.session.get(User, saved.user_id)
        if count and user is not None and user.active:
            notify(
                [user],
                Topic.SAVED_SEARCH,
                lazy_ngettext(
                    "您订阅的搜索“%(name)s”有 %(count)d 条新%(kind)s",
                    "您订阅的搜索“%(name)s”有 %(count)d 条新%(kind)s",
                    count,
                    name=saved.name,
                    count=count,
                    kind=kind.label,
                ),
                kind.list_endpoint,
                **list_args(saved),
            )
            told += 1
    db.session.flush()
    return told

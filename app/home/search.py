"""Search everything: one query over every public document type the portal can link to, grouped
by type with counts and the top hits, or one type's full results page by page.

A type takes part when it is registered with the search engine and listed in `GROUPS` (which
says how to link to its records and to its own results page); a type missing from the registry
is left out, so the page follows the domains that are installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.numbers import parse_int
from app.core.pagination import MAX_PAGE
from app.search import Hit, SearchResult, document_types, search
from app.search.documents import DocumentType
from app.search.pages import MAX_QUERY, records_of

TOP_HITS = 3
PER_PAGE = 20


@dataclass(frozen=True)
class Group:
    doc_type: str
    label: Any  # a lazy string
    detail: Callable[[Any], str]
    #: the type's own results page for a query, or None: the full results are this page's
    results: Callable[[str], str] | None = None


GROUPS = (
    Group(
        "scenario",
        _l("场景清单"),
        lambda s: url_for("scenarios.detail", code=s.code),
        lambda q: url_for("scenarios.index", q=q),
    ),
    Group(
        "need",
        _l("企业需求"),
        lambda n: url_for("needs.detail", need_id=n.id),
        lambda q: url_for("needs.index", q=q),
    ),
    Group(
        "solution",
        _l("解决方案"),
        lambda s: url_for("solutions.detail", solution_id=s.id),
        lambda q: url_for("solutions.index", q=q),
    ),
    Group("event", _l("对接活动"), lambda e: url_for("events.detail", event_id=e.id)),
    Group(
        "article",
        _l("政策资讯"),
        lambda a: url_for("articles.detail", article_id=a.id),
        lambda q: url_for("articles.index", q=q),
    ),
)


@dataclass(frozen=True)
class Found:
    """One public record among the hits, with its title and snippet (highlighted when they match)."""

    record: Any
    url: str
    title: Any
    snippet: Any


@dataclass(frozen=True)
class GroupResult:
    group: Group
    result: SearchResult
    found: list[Found]

    @property
    def results_url(self) -> str:
        if self.group.results is not None:
            return self.group.results(self.result.query)
        return url_for("home.search", q=self.result.query, type=self.group.doc_type)


@dataclass(frozen=True)
class EverythingQuery:
    q: str = ""
    doc_type: str | None = None  # one type's full results
    page: int = 1


def searchable_groups() -> list[tuple[Group, DocumentType]]:
    registered = {doc_type.name: doc_type for doc_type in document_types()}
    return [(group, registered[group.doc_type]) for group in GROUPS if group.doc_type in registered]


def parse(args) -> EverythingQuery:
    """Forgiving, as every search page: an unknown type shows every type, a bad page the first."""
    doc_type = args.get("type") or None
    known = {group.doc_type for group, _ in searchable_groups()}
    return EverythingQuery(
        q=args.get("q", "").strip()[:MAX_QUERY],
        doc_type=doc_type if doc_type in known else None,
        page=parse_int(args.get("page"), minimum=1, maximum=MAX_PAGE) or 1,
    )


def _found(group: Group, doc_type: DocumentType, record: Any, hit: Hit) -> Found | None:
    if doc_type.to_document(record) is None:  # no longer public (the index lags a commit)
        return None
    snippets = [
        hit.highlights[name] for name in doc_type.highlight_fields if name != "title" and hit.highlights.get(name)
    ]
    # the first snippet with a match, else the first there is
    snippet = next((s for s in snippets if "<mark>" in s), snippets[0] if snippets else None)
    return Found(record, group.detail(record), hit.highlights.get("title") or record.title, snippet)


def _search_group(group: Group, doc_type: DocumentType, q: str, page: int, per_page: int) -> GroupResult:
    result = search(doc_type.name, q, None, "relevance", page, per_page)
    pairs = records_of(doc_type.model, result)
    found = [f for f in (_found(group, doc_type, record, hit) for record, hit in pairs) if f is not None]
    return GroupResult(group, result, found)


def search_everything(query: EverythingQuery) -> list[GroupResult]:
    """Every type's count and top hits for the query (nothing for an empty query), or, when the
    query names a type, that type's page of results."""
    if not query.q:
        return []
    if query.doc_type is not None:
        return [
            _search_group(group, doc_type, query.q, query.page, PER_PAGE)
            for group, doc_type in searchable_groups()
            if group.doc_type == query.doc_type
        ]
    return [_search_group(group, doc_type, query.q, 1, TOP_HITS) for group, doc_type in searchable_groups()]

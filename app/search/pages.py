"""What every search page shares: the state of a search in the query string, the records behind
one page of hits, and every record a search matches (for the page's exports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic
from urllib.parse import urlencode

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.core.domain_error import DomainError
from app.core.models import M, local_today
from app.core.numbers import parse_int
from app.core.pagination import MAX_PAGE
from app.core.spreadsheets import EXPORT_MIMETYPES, export_response
from app.core.steps import run_step
from app.extensions import db
from app.search.engine import MAX_PER_PAGE, Hit, SearchResult, current_engine

MAX_QUERY = 100
MAX_VALUES = 20
#: The most rows an export of a search holds; a search matching more is refused with a message.
EXPORT_LIMIT = 10_000
_LOAD_CHUNK = 500


@dataclass
class SearchQuery:
    """A search as the query string holds it: `q`, one list per facet, `sort`, `page`."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def parse(cls, args, facets: tuple[str, ...], sorts: tuple[str, ...]):
        """Forgiving: an unknown sort or a bad page number falls back to the default."""
        sort = args.get("sort", "relevance")
        page = parse_int(args.get("page"), minimum=1, maximum=MAX_PAGE) or 1
        filters = {name: [v for v in args.getlist(name) if v][:MAX_VALUES] for name in facets if args.getlist(name)}
        return cls(
            q=args.get("q", "").strip()[:MAX_QUERY],
            filters=filters,
            sort=sort if sort in sorts else "relevance",
            page=page,
        )


def records_of(model: type[M], result: SearchResult, *options) -> list[tuple[M, Hit]]:
    """The page's records in the order of the hits (a record gone since it was indexed is skipped)."""
    by_id = {
        record.id: record
        for record in db.session.scalars(select(model).where(model.id.in_(result.ids)).options(*options))
    }
    return [(by_id[hit.id], hit) for hit in result.hits if hit.id in by_id]


def export_limit() -> int:
    """EXPORT_LIMIT, read when called (templates snapshot the values among their globals)."""
    return EXPORT_LIMIT


class TooManyToExport(DomainError):
    category = "warning"


def matching_records(doc_type: str, model: type[M], query: SearchQuery, *options) -> list[M]:
    """Every record the search matches (all its pages), in its order; refused when that is more than
    EXPORT_LIMIT rows."""
    ids: list[int] = []
    page = 1
    while True:
        result = current_engine().search(doc_type, query.q, query.filters, query.sort, page, MAX_PER_PAGE)
        if result.total > EXPORT_LIMIT:
            raise TooManyToExport(
                _(
                    "共 %(total)d 条结果，超过一次最多导出的 %(limit)d 条；请增加筛选条件或关键词后再导出。",
                    total=result.total,
                    limit=EXPORT_LIMIT,
                )
            )
        ids.extend(result.ids)
        if page >= result.pages:
            break
        page += 1
    by_id: dict[int, M] = {}
    for start in range(0, len(ids), _LOAD_CHUNK):
        chunk = ids[start : start + _LOAD_CHUNK]
        by_id.update((r.id, r) for r in db.session.scalars(select(model).where(model.id.in_(chunk)).options(*options)))
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class SearchExport(Generic[M]):
    """How a search page's results become a spreadsheet: the search, the records, their table."""

    doc_type: str
    model: type[M]
    parse: Callable[[Any], SearchQuery]  # the request's arguments → the page's search
    filename: str  # the download is `<filename>-<date>.<kind>`
    title: Any  # the worksheet's title (a lazy string: in the viewer's language)
    header: Sequence[Any]
    rows: Callable[[list[M]], Iterable[Sequence]]
    list_endpoint: str  # where a refused export sends the visitor back, with the same search
    options: tuple = ()


def export_search(export: SearchExport, kind: str) -> BaseResponse:
    """The current search (query, filters, sort; every page) as a formula-safe CSV or XLSX download
    in the viewer's language, or back to the list with a message when it matches too many rows."""
    if kind not in EXPORT_MIMETYPES:
        abort(404)
    query = export.parse(request.args)
    found = run_step(lambda: matching_records(export.doc_type, export.model, query, *export.options))
    if found is None:
        query_string = urlencode(list(request.args.items(multi=True)))
        return redirect(url_for(export.list_endpoint) + (f"?{query_string}" if query_string else ""))
    return export_response(
        kind,
        f"{export.filename}-{local_today():%Y%m%d}",
        str(export.title),
        [str(h) for h in export.header],
        export.rows(found),
    )

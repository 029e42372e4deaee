"""What every search page shares: the state of a search in the query string, and the records
behind one page of hits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.models import M
from app.core.numbers import parse_int
from app.core.pagination import MAX_PAGE
from app.extensions import db
from app.search.engine import Hit, SearchResult

MAX_QUERY = 100
MAX_VALUES = 20


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

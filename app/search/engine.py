"""The search engine interface, its results, and the per-process engine of an application.

Callers (views, services, the CLI, the session hooks) only ever see `SearchEngine`: the Whoosh
backend (files under instance/) and the PostgreSQL one (a table in the database) live behind it;
SEARCH_BACKEND chooses, by default PostgreSQL's when the database is PostgreSQL.

The engine is created lazily, on first use in a process, and again after a fork: never at
import, never by `create_app()`, so that a gunicorn master (`--preload`) opens no index.
"""

from __future__ import annotations

import math
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app
from markupsafe import Markup

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    #: field → text with the matched words in <mark>, everything else escaped
    highlights: dict[str, Markup] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    """One page of results; `facets` counts, for each facet field, the documents that match the
    query and the filters of the OTHER facet fields (so a chosen industry still shows the others)."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    query: str = ""
    sort: str = "relevance"

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]

    # The names of Flask-SQLAlchemy's Pagination, so the pagination macro takes either.
    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2):
        last = 0
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or self.page - left_current <= number <= self.page + right_current
                or number > self.pages - right_edge
            ):
                if last + 1 != number:
                    yield None
                yield number
                last = number


@dataclass(frozen=True)
class IndexStatus:
    doc_type: str
    exists: bool
    documents: int
    database: int
    fingerprint_matches: bool
    pending: int = 0

    @property
    def healthy(self) -> bool:
        return self.exists and self.fingerprint_matches and self.documents == self.database and not self.pending


class SearchEngine(ABC):
    """What the application may ask of a search backend.

    Writes read the objects' committed state from the database themselves, so that the last
    writer always writes the latest data; they never raise for a busy or failing index (they log
    and keep the ids for the next write) and return whether the index was written.
    """

    @abstractmethod
    def search(
        self,
        doc_type: str,
        query: str | None = None,
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> SearchResult:
        """One page of the documents matching every word of `query` (or its synonyms; an empty
        query matches everything) and the filters: facet field → codes, OR within a field, AND
        across fields (unknown fields and empty values are ignored). `sort` is "relevance" or one
        of the type's sorts; relevance without words, or an unknown sort, falls back to the
        type's default sort / relevance. `per_page` is kept within 1..100; a page past the end
        has no hits but the right total."""

    @abstractmethod
    def similar(self, doc_type: str, text: str, limit: int = 200, fields: Iterable[str] | None = None) -> list[Hit]:
        """The documents sharing most words with a long text (a listing's title and description),
        best first, at most `limit`, without highlights. Unlike `search`, a document needs only
        one of the words (or a synonym), and scores the sum over the words it has. `fields`
        narrows the type's text fields (each keeps its weight); unknown ones are ignored."""

    @abstractmethod
    def sync(self, doc_type: str, ids: Iterable[int]) -> bool:
        """Make the index agree with the database for these ids (add, update or remove)."""

    def index(self, doc_type: str, objects: Iterable) -> bool:
        """Index the committed state of these objects (or ids)."""
        return self.sync(doc_type, [getattr(o, "id", o) for o in objects])

    @abstractmethod
    def remove(self, doc_type: str, ids: Iterable[int]) -> bool: ...

    @abstractmethod
    def rebuild(self, doc_type: str, progress: Callable[[int], object] | None = None) -> int:
        """Rebuild the whole index of a type from the database; returns the documents written."""

    @abstractmethod
    def status(self, doc_type: str) -> IndexStatus: ...

    @abstractmethod
    def is_built(self, doc_type: str) -> bool:
        """Whether the index of a type exists, built under the current dictionary, synonyms and
        schema; unlike `status`, reads nothing from the database (the readiness probe asks)."""

    @abstractmethod
    def ensure_ready(self, doc_type: str) -> None:
        """The start-up check: once per process, repair or rebuild a missing or stale index."""

    @abstractmethod
    def database_count(self, doc_type: str) -> int: ...

    @abstractmethod
    def close(self) -> None: ...


class SearchState:
    """Kept in `app.extensions["search"]` by `init_search`: makes the engine on first use in a
    process, and a new one in a forked child."""

    def __init__(self, app: Flask, factory: Callable[[Flask], SearchEngine]):
        self.app = app
        self.factory = factory
        self._lock = threading.Lock()
        self._engine: SearchEngine | None = None
        self._pid: int | None = None

    def engine(self) -> SearchEngine:
        pid = os.getpid()
        if self._engine is None or self._pid != pid:
            with self._lock:
                if self._engine is None or self._pid != pid:
                    # A parent's engine is dropped, not closed: its files belong to the parent.
                    self._engine = self.factory(self.app)
                    self._pid = pid
        return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None and self._pid == os.getpid():
                self._engine.close()
            self._engine = None


def get_engine(app: Flask) -> SearchEngine:
    state = app.extensions.get("search")
    if state is None:
        raise RuntimeError("search is not initialised: call init_search(app) in create_app()")
    return state.engine()


def current_engine() -> SearchEngine:
    return get_engine(current_app)

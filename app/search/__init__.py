"""Full-text search for every domain: Chinese segmentation, synonyms, facets, highlighting.

Wiring (in `create_app`): `init_search(app)`, then each domain registers its document types
(`register_catalog_search()` …). Use from a view or service::

    from app.search import search
    result = search("scenario", request.args.get("q"), filters={"industry": ["EQP"]},
                    sort="relevance", page=2, per_page=20)
    result.hits[0].id, result.hits[0].highlights["title"], result.total, result.facets["domain"]

Nothing is opened at import or by `init_search`: the engine and its indexes open on first use
in each (worker) process.
"""

from pathlib import Path

from flask import Flask

from app.search.documents import Document, DocumentType, Related, SortKey, document_types, register_document_type
from app.search.engine import Hit, IndexStatus, SearchEngine, SearchResult, SearchState, current_engine, get_engine
from app.search.pages import export_limit
from app.search.sync import reindex_later

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds" / "search"
BACKENDS = ("whoosh", "postgres")

__all__ = [
    "Document",
    "DocumentType",
    "Hit",
    "IndexStatus",
    "Related",
    "SearchEngine",
    "SearchResult",
    "SortKey",
    "current_engine",
    "document_types",
    "get_engine",
    "init_search",
    "register_document_type",
    "reindex_later",
    "search",
    "similar",
]


def init_search(app: Flask) -> None:
    """Set the search defaults, install the session hooks and the `flask search` commands."""
    from app.search.cli import search_cli
    from app.search.sync import install_session_hooks

    app.config.setdefault("SEARCH_INDEX_DIR", str(Path(app.instance_path) / "search-index"))
    app.config.setdefault("SEARCH_USERDICT", str(SEEDS / "userdict.txt"))
    app.config.setdefault("SEARCH_SYNONYMS", str(SEEDS / "synonyms.txt"))
    app.config.setdefault("SEARCH_WRITE_TIMEOUT", 15.0)
    app.config.setdefault("SEARCH_REBUILD_TIMEOUT", 120.0)
    app.config.setdefault("SEARCH_STARTUP_CHECK", True)
    app.config.setdefault("SEARCH_JIEBA_CACHE", None)  # default: <SEARCH_INDEX_DIR>/jieba.cache
    app.config.setdefault("SEARCH_BACKEND", None)  # default: postgres on PostgreSQL, whoosh otherwise
    app.extensions["search"] = SearchState(app, make_engine)
    app.jinja_env.globals["export_limit"] = export_limit
    install_session_hooks()
    app.cli.add_command(search_cli)


def search_backend(app: Flask) -> str:
    """The backend SEARCH_BACKEND names, or PostgreSQL's when the database is PostgreSQL."""
    backend = app.config.get("SEARCH_BACKEND") or (
        "postgres" if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql") else "whoosh"
    )
    if backend not in BACKENDS:
        raise RuntimeError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return backend


def make_engine(app: Flask) -> SearchEngine:
    if search_backend(app) == "postgres":
        from app.search.postgres_backend import PostgresEngine

        return PostgresEngine(app)
    from app.search.whoosh_backend import WhooshEngine

    return WhooshEngine(app)


def search(
    doc_type: str,
    query: str | None = None,
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchResult:
    """Search the current application's index of `doc_type`: see `SearchEngine.search`."""
    return current_engine().search(doc_type, query, filters, sort, page, per_page)


def similar(doc_type: str, text: str, limit: int = 200, fields=None) -> list[Hit]:
    """Documents of `doc_type` like a long text, best first: see `SearchEngine.similar`."""
    return current_engine().similar(doc_type, text, limit, fields)

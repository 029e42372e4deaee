"""The least PostgreSQL takes for the parts of a search, on the words that match the most scenarios.

Usage: .venv/bin/python bench/search_floor.py [--size 100000] [--queries 6] [--database-url postgresql+psycopg://…]

Issue 17 asks the PostgreSQL backend for a p95 of at most 50 ms at 100,000 scenarios. The p95 of
`bench/search_bench.py` (50 queries x 3 rounds) is its eighth-slowest run, so it is set by the few
queries whose words are in a fifth or more of the documents. This script shows what those queries
cost before the engine adds anything of its own: the corpus is built as `search_bench.py` builds it
(a throwaway database on the server of --database-url, default TEST_DATABASE_URL), then for each
of the --queries bench queries with the most matches, each part is timed 6 times on one connection
(min / median ms), every part through the GIN index as the engine reads it:

  ids      the matches' ids: what an exact total and exact facet counts must read at least
  ranked   ids + the first ranking stage (`ts_rank` of the head vector of every match, its top 100)
  facets   the matches' facet counts (`unnest` + `GROUP BY`, as the engine counts them)
  engine   `engine.search("scenario", q)`: top 10 + facets + highlights, as search_bench.py times it
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import Connection, text  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.search import get_engine  # noqa: E402
from app.search.documents import document_type  # noqa: E402
from app.search.postgres_backend import RANKED, _matched_by_index, _plan_sql, _Sql, rank_weights  # noqa: E402
from app.search.query import parse_query  # noqa: E402
from bench.search_bench import QUERIES, bench_database, insert_corpus  # noqa: E402

RUNS = 6
PARTS = ("ids", "ranked", "facets", "engine")


def part_statements(engine, q: str) -> dict[str, tuple[str, dict]]:
    """The SQL of each part for query `q`, built by the engine's own query builder."""
    dt = document_type("scenario")
    plan = parse_query(q, engine.synonyms)
    sql = _Sql()
    condition, _ = _plan_sql(sql, plan, rank_weights(dt))
    _, score = _plan_sql(sql, plan, rank_weights(dt), column="head")
    matches = f"FROM search_documents WHERE doc_type = {sql.bind(dt.name)} AND {condition}"
    return {
        "ids": (f"SELECT array_agg(doc_id) {matches}", sql.params),
        "ranked": (
            f"WITH m AS MATERIALIZED (SELECT doc_id, {score} AS score {matches}) "
            "SELECT (SELECT array_agg(doc_id) FROM m), "
            f"(SELECT array_agg(doc_id) FROM (SELECT doc_id FROM m ORDER BY score DESC, doc_id LIMIT {RANKED}) t)",
            sql.params,
        ),
        "facets": (f"SELECT v, count(*) FROM (SELECT unnest(facets) AS v {matches}) u GROUP BY v", sql.params),
    }


def timed(fn) -> tuple[float, float]:
    fn()
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return min(runs), statistics.median(runs)


def run_sql(connection: Connection, statement: str, params: dict):
    def run():
        with _matched_by_index(connection, True):
            connection.execute(text(statement), params).all()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="scenarios in the corpus")
    parser.add_argument("--queries", type=int, default=6, help="how many of the bench queries, most matches first")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"), help="a PostgreSQL server")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="search-floor-") as tmp,
        bench_database("postgres", tmp, args.database_url) as database_url,
    ):
        app = create_app(
            "testing",
            {"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_BACKEND": "postgres", "RATELIMIT_ENABLED": False},
        )
        with app.app_context():
            upgrade()
            insert_corpus(args.size)
            engine = get_engine(app)
            with tqdm(total=args.size, desc=f"build {args.size:,}", unit="doc", leave=False) as bar:
                engine.rebuild("scenario", progress=bar.update)
            connection = db.session.connection()
            connection.execute(text("ANALYZE search_documents"))
            matched = {q: engine.search("scenario", q, per_page=1).total for q in QUERIES}
            common = sorted(QUERIES, key=lambda q: -matched[q])[: args.queries]
            rows = []
            for q in tqdm(common, desc="queries", leave=False):
                figures = {
                    part: timed(run_sql(connection, statement, params))
                    for part, (statement, params) in part_statements(engine, q).items()
                }
                figures["engine"] = timed(lambda q=q: engine.search("scenario", q, {}, "relevance", 1, 10))
                rows.append((q, matched[q], figures))
            db.session.remove()
            db.engine.dispose()
    print(f"\n{args.size:,} scenarios; ms, min / median of {RUNS} runs; load average {os.getloadavg()[0]:.1f}")
    print(f"{'matches':>14} " + " ".join(f"{part:>15}" for part in PARTS) + "  query")
    for q, found, figures in rows:
        share = f"{found:,} ({found / args.size:.0%})"
        parts = " ".join(f"{lo:6.1f} / {mid:6.1f}" for lo, mid in map(figures.get, PARTS))
        print(f"{share:>14} {parts}  {q}")


if __name__ == "__main__":
    main()

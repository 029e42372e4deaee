"""Scenario search relevance on the demo corpus: recall@10 and MRR of a hand-judged query set.

Usage: .venv/bin/python bench/relevance.py [--backend whoosh|postgres] [--postgres-url URL] [--set FILE]
       .venv/bin/python bench/relevance.py --verbose     # every query's figures and misses

The corpus is `make run`'s demo list: `generate_rows(3000, seed=2022)`, inserted as
`bench/search_bench.py` inserts it, in a throwaway database (SQLite for Whoosh; for PostgreSQL a
database created on the server of `--postgres-url` or TEST_DATABASE_URL, and dropped afterwards).
The judged set is `bench/relevance_set.json`: each query with the codes of the scenarios judged
relevant to it, written by reading the scenarios (its "judged" note says what was counted).

For each query the engine's first page of 10 (`search("scenario", q)`, by relevance) is read:
- recall@10: the share of the relevant scenarios found in the first 10, out of at most 10
  (a query with 50 relevant scenarios and 10 of them on the first page scores 1.0);
- reciprocal rank: 1 / the rank of the first relevant scenario (0 if none is in the first 10).
The figures are the means over the queries, overall and by kind of query. Without --backend,
every backend that can run here is measured (PostgreSQL when the app has it and a URL is given).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.catalog.models import Scenario  # noqa: E402
from app.extensions import db  # noqa: E402
from app.search import get_engine  # noqa: E402
from app.search.whoosh_backend import WhooshEngine  # noqa: E402

RELEVANCE_SET = ROOT / "bench" / "relevance_set.json"
CORPUS_SIZE = 3000
CUTOFF = 10
TARGETS = {"recall@10": 0.95, "MRR": 0.90}
BACKENDS = ("whoosh", "postgres")


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    relevant: frozenset[str]


def load_set(path: Path = RELEVANCE_SET) -> list[Judged]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Judged(item["query"], item["kind"], frozenset(item["relevant"])) for item in data["queries"]]


def recall_at(ranked: list[str], relevant: frozenset[str], cutoff: int = CUTOFF) -> float:
    """The relevant share of the first `cutoff` results, out of at most `cutoff` relevant ones."""
    return len(set(ranked[:cutoff]) & relevant) / min(len(relevant), cutoff)


def reciprocal_rank(ranked: list[str], relevant: frozenset[str], cutoff: int = CUTOFF) -> float:
    return next((1 / rank for rank, code in enumerate(ranked[:cutoff], start=1) if code in relevant), 0.0)


@dataclass(frozen=True)
class Outcome:
    judged: Judged
    ranked: list[str]

    @property
    def recall(self) -> float:
        return recall_at(self.ranked, self.judged.relevant)

    @property
    def rr(self) -> float:
        return reciprocal_rank(self.ranked, self.judged.relevant)


def evaluate(ranked_codes: Callable[[str], list[str]], judged: list[Judged]) -> list[Outcome]:
    return [Outcome(item, ranked_codes(item.query)) for item in judged]


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    return {
        "recall@10": statistics.mean(o.recall for o in outcomes),
        "MRR": statistics.mean(o.rr for o in outcomes),
    }


@contextmanager
def throwaway_database(backend: str, postgres_url: str | None) -> Iterator[str]:
    if backend == "whoosh":
        with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
            yield f"sqlite:///{tmp}/relevance.db"
        return
    if not postgres_url:
        raise LookupError("no PostgreSQL server: give --postgres-url or TEST_DATABASE_URL")
    url = make_url(postgres_url).set(drivername="postgresql+psycopg")
    name = f"relevance_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(backend: str, judged: list[Judged], postgres_url: str | None) -> tuple[list[Outcome], float]:
    """The outcomes of every judged query on a fresh demo corpus, and the index build time."""
    from bench.search_bench import insert_corpus

    with throwaway_database(backend, postgres_url) as url, tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        app = create_app(
            "testing",
            {"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": f"{tmp}/index", "SEARCH_BACKEND": backend},
        )
        with app.app_context():
            upgrade(revision="heads")
            insert_corpus(CORPUS_SIZE)
            engine = get_engine(app)
            if (backend == "whoosh") != isinstance(engine, WhooshEngine):
                raise LookupError(f"this application has no {backend} search backend")
            started = time.perf_counter()
            engine.rebuild("scenario")
            build_s = time.perf_counter() - started
            code_of = dict(db.session.execute(db.select(Scenario.id, Scenario.code)).all())

            def ranked_codes(query: str) -> list[str]:
                result = engine.search("scenario", query, None, "relevance", 1, CUTOFF)
                return [code_of[hit.id] for hit in result.hits]

            outcomes = evaluate(ranked_codes, judged)
            app.extensions["search"].close()
            db.session.remove()
            db.engine.dispose()
    return outcomes, build_s


def report(backend: str, outcomes: list[Outcome], build_s: float, verbose: bool) -> dict[str, float]:
    overall = summary(outcomes)
    print(f"\n{backend}: {len(outcomes)} queries on {CORPUS_SIZE:,} demo scenarios (index built in {build_s:.1f} s)")
    print(f"  {'kind':<14} {'queries':>7} {'recall@10':>10} {'MRR':>6}")
    kinds = sorted({o.judged.kind for o in outcomes})
    for kind in [*kinds, "all"]:
        part = outcomes if kind == "all" else [o for o in outcomes if o.judged.kind == kind]
        figures = summary(part)
        print(f"  {kind:<14} {len(part):>7} {figures['recall@10']:>10.3f} {figures['MRR']:>6.3f}")
    for name, target in TARGETS.items():
        print(f"  target {name} >= {target:.2f}: {overall[name]:.3f} {'met' if overall[name] >= target else 'MISSED'}")
    shown = outcomes if verbose else [o for o in outcomes if o.recall < 1 or o.rr < 1]
    if shown:
        print(f"  {'query':<24} {'relevant':>8} {'recall':>6} {'RR':>5}  first 10 (+ relevant, - not)")
    for o in shown:
        marks = " ".join(("+" if code in o.judged.relevant else "-") + code[3:] for code in o.ranked)
        print(f"  {o.judged.query:<24} {len(o.judged.relevant):>8} {o.recall:>6.2f} {o.rr:>5.2f}  {marks}")
    return overall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=BACKENDS, action="append", help="default: every backend available")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"), help="a server to use")
    parser.add_argument("--set", type=Path, default=RELEVANCE_SET, help="the judged queries")
    parser.add_argument("--verbose", action="store_true", help="every query, not only those below 1.0")
    args = parser.parse_args()
    judged = load_set(args.set)
    missed = False
    for backend in args.backend or BACKENDS:
        try:
            outcomes, build_s = measure(backend, judged, args.postgres_url)
        except LookupError as error:
            if args.backend:
                raise SystemExit(f"{backend}: {error}") from None
            print(f"\n{backend}: not measured ({error})")
            continue
        overall = report(backend, outcomes, build_s, args.verbose)
        missed |= any(overall[name] < target for name, target in TARGETS.items())
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()

"""Enablement statistics: the dashboard's aggregates and the drill-down pages over a large ledger.

Usage: .venv/bin/python bench/stats_bench.py [--rows 200000] [--firms 20000] [--rounds 20] [--explain]
       .venv/bin/python bench/stats_bench.py --postgres            # starts a throwaway PostgreSQL server
       .venv/bin/python bench/stats_bench.py --database-url URL    # PostgreSQL: its public schema is dropped!
       .venv/bin/python bench/stats_bench.py --drop-index ix_enablements_kind_cover \
                                             --create-index 'enablements(kind_id, delta)'   # try an index

A fresh database (an SQLite file in a temp dir by default), migrated, with the taxonomy, the
enablement kinds and the plan (2022-2024); then `--firms` organizations, 500 of them providers, and
`--rows` ledger rows inserted with Core statements (`record_enablement` takes a row at a time):
the plan's three years weighted by month as in `seeds.ledger_demo`, every district, industry and
kind, a few busy firms and many with one or two rows, 30% with a provider, 1% reversals of earlier
rows. PostgreSQL gets a VACUUM ANALYZE after the load (autovacuum runs both on a table that
grows, and index-only scans need the visibility map it sets); SQLite no ANALYZE (the app never runs one).

Each item runs once to warm up, then `--rounds` times, each time in a fresh app context (a new
session, as a request has):
  - dashboard data: `services.dashboard(filters)` + `indicators.current_plan()` + `statuses(plan)`,
    unfiltered, with a district, one year, a kind, a district and an industry;
  - drill-down: `GET /stats/ledger` as an admin (test client), unfiltered, by month, by the busiest
    provider, by district, and page 50;
  - pages: `GET /stats/` and `GET /stats/public` (charts and indicator cards rendered).
Targets (the issue): dashboard data p95 < 300 ms, a drill-down page p95 < 200 ms; the two pages
are held to the dashboard's 300 ms. `--explain` times every SQL statement of one run of each item
and prints the plan of the slowest (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
`--drop-index` and `--create-index` change the indexes after the load, to measure a migration before
writing it.
"""

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Organization, OrgKind, SiteRole  # noqa: E402
from app.accounts.services import register_user  # noqa: E402
from app.catalog.services import load_taxonomy  # noqa: E402
from app.core.validators import uscc_check_character  # noqa: E402
from app.extensions import db  # noqa: E402
from app.stats import indicators, services  # noqa: E402
from app.stats.models import Enablement, EnablementKind  # noqa: E402
from app.stats.services import Filters  # noqa: E402
from app.taxonomy.models import District, Industry  # noqa: E402
from seeds.ledger_demo import KINDS, MONTH_WEIGHT, NAME_HEADS, NAME_TRADES  # noqa: E402

SEED = 2026
PROVIDERS = 500
PROVIDER_SHARE = 0.30
REVERSED_SHARE = 0.01
NO_DISTRICT_SHARE = 0.02  # firms that never filled in their district
PERIOD = (date(2022, 1, 1), date(2024, 12, 31))
CHUNK = 5000
CODE_PREFIX = "9137029800"  # + 7 digits + check character (the demo seed uses 9137029900)
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@bench.local", "bench-password-2026"
TARGETS_MS = {"data": 300.0, "drill": 200.0, "page": 300.0}
GROUP_NAMES = {"data": "dashboard data", "drill": "drill-down page", "page": "page"}
EXPLAIN_TOP = 6


@dataclass(frozen=True)
class Item:
    group: str  # a key of TARGETS_MS
    label: str
    run: Callable[[], None]

    @property
    def name(self) -> str:
        return f"{GROUP_NAMES[self.group]}: {self.label}"


# --- a throwaway PostgreSQL server (as .ci/run starts one) -----------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """initdb + pg_ctl in a temp dir, on 127.0.0.1 and a free high port (as the postgres user when
    run as root; durability off), removed on exit. Yields the server's URL."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if not versions:
        raise SystemExit("--postgres: no server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    bindir = versions[-1].parent
    tmp = Path(tempfile.mkdtemp(prefix="stats-bench-pg-"))
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = tmp / "data", free_port()

    def pg(*command) -> None:
        subprocess.run([*as_user, *map(str, command)], cwd=tmp, check=True, stdout=subprocess.DEVNULL)

    try:
        pg(
            bindir / "initdb",
            "-D",
            data,
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        pg(
            bindir / "pg_ctl",
            "-D",
            data,
            "-l",
            tmp / "postgres.log",
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {port} -k {tmp} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            pg(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


# --- the data --------------------------------------------------------------------------------


def load_reference() -> None:
    """Taxonomy, enablement kinds, the plan and an admin, as `make run` seeds them."""
    seeds = ROOT / "seeds"
    load_taxonomy(json.loads((seeds / "taxonomy.json").read_text(encoding="utf-8")))
    indicators.load_kinds(json.loads((seeds / "enablement_kinds.json").read_text(encoding="utf-8"))["kinds"])
    indicators.load_plan(json.loads((seeds / "plan_targets.json").read_text(encoding="utf-8")))
    register_user(ADMIN_EMAIL, "bench admin", ADMIN_PASSWORD, site_role=SiteRole.ADMIN)
    db.session.commit()


def weighted(rng: random.Random, population: list, heads: int, k: int) -> list:
    """`k` picks where the first `heads` entries are three times as likely as the others."""
    return rng.choices(population, [3 if i < heads else 1 for i in range(len(population))], k=k)


def firm_rows(count: int, rng: random.Random, now: datetime) -> list[dict]:
    """`count` organizations, the last PROVIDERS of them providers; the bigger districts and the two
    biggest industries have more firms, a few have no district."""
    districts = list(db.session.scalars(select(District).order_by(District.position)))
    industries = list(db.session.scalars(select(Industry).order_by(Industry.position)))
    picked_districts = weighted(rng, districts, 3, count)
    picked_industries = weighted(rng, industries, 2, count)
    rows = []
    for serial in range(1, count + 1):
        district, industry = picked_districts[serial - 1], picked_industries[serial - 1]
        first17 = f"{CODE_PREFIX}{serial:07d}"
        provider = serial > count - PROVIDERS
        rows.append(
            {
                "id": serial,
                "credit_code": first17 + uscc_check_character(first17),
                "name": f"青岛{rng.choice(NAME_HEADS)}{NAME_TRADES.get(industry.code, '制造')}有限公司{serial:05d}",
                "kind": OrgKind.PROVIDER if provider else OrgKind.ENTERPRISE,
                "district_id": None if rng.random() < NO_DISTRICT_SHARE else district.id,
                "industry_id": industry.id,
                "founded_year": rng.randint(1990, 2023),
                "employees": rng.randint(5, 3000),
                "website": "",
                "contact_person": "联系人",
                "contact_phone": "0532-80000000",
                "description": "",
                "verified_at": now,
                "verified_by_id": None,
                "verification_note": "",
                "created_at": now,
            }
        )
    return rows


def enablement_rows(count: int, firms: list[dict], rng: random.Random, now: datetime) -> list[dict]:
    """`count` rows: originals in date order (as they would be recorded), then 1% reversals."""
    kinds = dict(db.session.execute(select(EnablementKind.code, EnablementKind.id)).all())
    codes = [code for code in KINDS if code in kinds]
    programmes = sorted({name for _, enabler in KINDS.values() if enabler != "provider" for name in enabler})
    enterprises = [f for f in firms if f["kind"] == OrgKind.ENTERPRISE]
    providers = [f["id"] for f in firms if f["kind"] == OrgKind.PROVIDER]
    start, end = PERIOD
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    originals = count - int(count * REVERSED_SHARE)
    picked = zip(
        sorted(
            rng.choices(days, [MONTH_WEIGHT[d.month] * (0.3 if d.weekday() >= 5 else 1.0) for d in days], k=originals)
        ),
        rng.choices(enterprises, [rng.paretovariate(1.5) for _ in enterprises], k=originals),
        rng.choices(codes, [KINDS[code][0] for code in codes], k=originals),
        rng.choices(providers, [rng.paretovariate(1.2) for _ in providers], k=originals),
        strict=True,
    )
    rows = []
    for n, (day, firm, code, provider) in enumerate(picked, start=1):
        with_provider = rng.random() < PROVIDER_SHARE
        rows.append(
            {
                "id": n,
                "firm_id": firm["id"],
                "provider_id": provider if with_provider else None,
                "programme": "" if with_provider else rng.choice(programmes),
                "kind_id": kinds[code],
                "source_type": "bench",
                "source_id": str(n),
                "occurred_on": day,
                "district_id": firm["district_id"],
                "industry_id": firm["industry_id"],
                "delta": 1,
                "reverses_id": None,
                "recorded_by_id": None,
                "recorded_at": now,
                "note": "",
                "evidence": "",
                "demo": False,
            }
        )
    reversed_rows = rng.sample(rows, count - originals)
    rows += [
        {**row, "id": originals + n, "delta": -1, "reverses_id": row["id"], "note": "bench: reversal"}
        for n, row in enumerate(sorted(reversed_rows, key=lambda r: r["id"]), start=1)
    ]
    return rows


def bulk_insert(table, rows: list[dict], desc: str) -> None:
    for start in tqdm(range(0, len(rows), CHUNK), desc=desc, unit="chunk", leave=False):
        db.session.execute(insert(table), rows[start : start + CHUNK])
    db.session.commit()


def load_ledger(firms: int, rows: int) -> None:
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(tzinfo=None)
    orgs = firm_rows(firms, rng, now)
    bulk_insert(Organization.__table__, orgs, f"insert {firms:,} firms")
    bulk_insert(Enablement.__table__, enablement_rows(rows, orgs, rng, now), f"insert {rows:,} ledger rows")


def change_indexes(drop: list[str], create: list[str]) -> None:
    """DROP INDEX each name, then `table(col, col DESC)` → CREATE INDEX bench_extra_N ON table (col, col DESC)."""
    for name in drop:
        db.session.execute(text(f"DROP INDEX {name}"))
        print(f"dropped index {name}")
    for n, spec in enumerate(create, start=1):
        match = re.fullmatch(r"\s*(\w+)\s*\((.+)\)\s*", spec)
        if not match:
            raise SystemExit(f"--create-index {spec!r}: expected table(column, ...)")
        db.session.execute(text(f"CREATE INDEX bench_extra_{n} ON {match[1]} ({match[2]})"))
        print(f"created index bench_extra_{n} ON {match[1]} ({match[2]})")
    db.session.commit()


def prepare(url: str, args: argparse.Namespace, tmp: str) -> Flask:
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": f"{tmp}/index",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
    )
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        load_reference()
        load_ledger(args.firms, args.rows)
        change_indexes(args.drop_index, args.create_index)
        if postgres:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        print(
            f"loaded {args.firms:,} firms and {args.rows:,} ledger rows in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    return app


# --- what is timed ---------------------------------------------------------------------------


def dashboard_data(app: Flask, filters: Filters) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            services.dashboard(filters)
            indicators.statuses(indicators.current_plan())

    return run


def page(client, url: str, query: dict | None = None) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url, query_string=query)
        assert response.status_code == 200, (url, query, response.status_code)

    return run


def bench_items(app: Flask) -> list[Item]:
    with app.app_context():
        district = db.session.scalar(select(District.code).order_by(District.position))
        industry = db.session.scalar(select(Industry.code).order_by(Industry.position))
        busiest = db.session.scalar(
            select(Enablement.provider_id)
            .where(Enablement.provider_id.is_not(None))
            .group_by(Enablement.provider_id)
            .order_by(func.count().desc())
        )
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, response.status_code
    year = {"start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    return [
        Item("data", "no filter", dashboard_data(app, Filters())),
        Item("data", f"district {district}", dashboard_data(app, Filters(district=district))),
        Item("data", "one year (2023)", dashboard_data(app, Filters(**year))),
        Item("data", "kind event", dashboard_data(app, Filters(kind="event"))),
        Item(
            "data",
            f"district {district} + industry {industry}",
            dashboard_data(app, Filters(district=district, industry=industry)),
        ),
        Item("drill", "no filter", page(client, "/stats/ledger")),
        Item("drill", "month 2023-06", page(client, "/stats/ledger", {"month": "2023-06"})),
        Item("drill", f"busiest provider (id {busiest})", page(client, "/stats/ledger", {"provider": busiest})),
        Item("drill", f"district {district}", page(client, "/stats/ledger", {"district": district})),
        Item("drill", "page 50", page(client, "/stats/ledger", {"page": 50})),
        Item("page", "GET /stats/ (admin)", page(client, "/stats/")),
        Item("page", "GET /stats/public", page(client, "/stats/public")),
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and nearest-rank p95 (of 20 runs: the second slowest)."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[math.ceil(len(ordered) * 0.95) - 1]


def timed(item: Item, rounds: int) -> list[float]:
    """Once to warm up, then `rounds` runs; milliseconds."""
    item.run()
    samples = []
    for _ in tqdm(range(rounds), desc=item.name, unit="run", leave=False):
        start = time.perf_counter()
        item.run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# --- --explain -------------------------------------------------------------------------------


@contextmanager
def statement_times(engine) -> Iterator[list[tuple[float, str, object]]]:
    """(ms, SQL, parameters) of every statement the engine executes inside the block."""
    captured, started = [], []

    def before(conn, cursor, statement, parameters, context, executemany):
        started.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        captured.append(((time.perf_counter() - started.pop()) * 1000, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def query_plan(conn, statement: str, parameters) -> list[str]:
    if conn.dialect.name == "postgresql":
        return [line for (line,) in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
    return [
        f"{'  ' * depth}{detail}"
        for depth, detail in _sqlite_depths(conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all())
    ]


def _sqlite_depths(rows) -> Iterator[tuple[int, str]]:
    depth = {0: -1}
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        yield depth[node], detail


def explain(app: Flask, items: list[Item]) -> None:
    """One run of each item with every statement timed; the slowest statements and their plans."""
    with app.app_context():
        engine = db.engine
    slowest: dict[str, tuple[float, str, object]] = {}
    print("\nSQL per item (one run): statements, total ms in the database")
    for item in items:
        with statement_times(engine) as captured:
            item.run()
        print(f"  {item.name:<56} {len(captured):>3} {sum(ms for ms, _, _ in captured):8.1f}")
        for ms, statement, parameters in captured:
            if ms > slowest.get(statement, (0,))[0]:
                slowest[statement] = (ms, item.label, parameters)
    with engine.connect() as conn:
        for statement, (ms, label, parameters) in sorted(slowest.items(), key=lambda kv: -kv[1][0])[:EXPLAIN_TOP]:
            print(f"\n--- {ms:.1f} ms ({label}), parameters {parameters}\n{' '.join(statement.split())}")
            print("\n".join(query_plan(conn, statement, parameters)))


# --- main ------------------------------------------------------------------------------------


def report(results: list[tuple[Item, list[float]]], rounds: int) -> None:
    """p50 / p95 and the fastest run of each item, then the targets."""
    print(f"\n{rounds} runs of each item after a warm-up; ms")
    print(f"{'what':<56} {'p50':>8} {'p95':>8} {'fastest':>8}  target")
    worst: dict[str, tuple[float, Item]] = {}
    for item, samples in results:
        p50, p95 = percentiles(samples)
        limit = TARGETS_MS[item.group]
        print(
            f"{item.name:<56} {p50:8.1f} {p95:8.1f} {min(samples):8.1f}  p95 < {limit:.0f} "
            f"{'met' if p95 < limit else 'MISSED'}"
        )
        worst[item.group] = max(worst.get(item.group, (0.0, item)), (p95, item), key=lambda pair: pair[0])
    print("\nTargets")
    for group, (p95, item) in worst.items():
        limit = TARGETS_MS[group]
        print(
            f"  {GROUP_NAMES[group]} p95 < {limit:.0f} ms: {'met' if p95 < limit else 'MISSED'}"
            f" (worst {p95:.1f} ms: {item.label})"
        )


def bench(url: str, args: argparse.Namespace, tmp: str) -> None:
    app = prepare(url, args, tmp)
    with app.app_context():
        print(f"database: {db.engine.dialect.name} {'.'.join(map(str, db.engine.dialect.server_version_info))}")
    items = bench_items(app)
    report([(item, timed(item, args.rounds)) for item in items], args.rounds)
    if args.explain:
        explain(app, items)
    with app.app_context():
        app.extensions["search"].close()
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000, help="ledger rows, 1%% of them reversals")
    parser.add_argument("--firms", type=int, default=20_000, help=f"organizations, {PROVIDERS} of them providers")
    parser.add_argument("--rounds", type=int, default=20, help="timed runs of each item, after one warm-up")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL server")
    where.add_argument("--database-url", help="a PostgreSQL database whose public schema may be dropped")
    parser.add_argument(
        "--drop-index", action="append", default=[], metavar="NAME", help="an index dropped after the load (repeatable)"
    )
    parser.add_argument(
        "--create-index",
        action="append",
        default=[],
        metavar="TABLE(COLUMNS)",
        help="an index created after the load (repeatable)",
    )
    parser.add_argument("--explain", action="store_true", help="SQL time per item and plans of the slowest statements")
    args = parser.parse_args()
    if args.firms <= PROVIDERS:
        parser.error(f"--firms must be more than the {PROVIDERS} providers")

    overall = time.perf_counter()
    code = hashlib.sha1(
        b"".join(
            path.read_bytes()
            for path in sorted([*(ROOT / "app" / "stats").glob("*.py"), *(ROOT / "templates" / "stats").glob("*.html")])
        )
    )
    print(
        f"app/stats/*.py + templates/stats/*.html sha1 {code.hexdigest()[:12]}; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="stats-bench-") as tmp:
        if args.postgres:
            with throwaway_postgres() as url:
                bench(url, args, tmp)
        else:
            bench(args.database_url or f"sqlite:///{tmp}/bench.db", args, tmp)
    print(f"\nload average {os.getloadavg()[0]:.1f}; total {time.perf_counter() - overall:.0f} s")


if __name__ == "__main__":
    main()

"""Scenario search: the Whoosh engine against a plain SQL LIKE scan, at several corpus sizes.

Usage: .venv/bin/python bench/search_bench.py [--sizes 3000,100000] [--queries 50] [--repeat 3] [--profile]
       .venv/bin/python bench/search_bench.py --quick      # sizes 3000,20000, for development
       .venv/bin/python bench/search_bench.py --backend postgres [--database-url postgresql+psycopg://…]
                                                           # the PostgreSQL backend next to Whoosh
The full run takes about 9 minutes on 2 cores (the 100,000 build about 7). Latencies depend on the
load: `nice` on a busy machine made the 3,000 p95s four times longer.

For each size and backend: a temporary database (migrated; SQLite for Whoosh, a throwaway database
on the server of --database-url, default TEST_DATABASE_URL, for PostgreSQL), the taxonomy, N published demo scenarios
(`seeds.scenarios_demo.generate_rows`, inserted with Core statements that the search session
hooks do not see; no revisions), then the timed `engine.rebuild("scenario")`, then every query
once to warm up and `--repeat` timed rounds of: the engine's top 10 with highlights and facets,
and a LIKE scan (top 10 + COUNT(*), words ANDed). At the first size also `GET /scenarios/?q=`
through the test client. `--profile` adds a cProfile of every query, once, at all the
sizes: the share of time in each phase of a search (and of the page at the first size).
Percentiles are over every timed run (queries x rounds); "best" takes each query's fastest round
first, which is less sensitive to other work on a shared machine.
"""

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import and_, create_engine, func, insert, or_, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app import create_app  # noqa: E402
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus, scenario_domains  # noqa: E402
from app.catalog.services import load_taxonomy  # noqa: E402
from app.extensions import db  # noqa: E402
from app.search import get_engine  # noqa: E402
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain  # noqa: E402
from seeds.scenarios_demo import generate_rows  # noqa: E402

# Rare and common terms (平台 matches ~38% of the demo rows, 设备 ~32%, 焊装 视觉 ~0.1%, 区块链 none),
# one to three words, Chinese and acronyms (some expanded by the synonyms, e.g. MES, APS, OEE).
QUERIES = (
    "预测性维护",
    "数字孪生",
    "标识解析",
    "机器视觉 检测",
    "MES",
    "AGV 调度",
    "能耗监测",
    "质量追溯",
    "5G",
    "啤酒 灌装",
    "轮胎 硫化",
    "OEE",
    "焊装 视觉",
    "碳排放 管理",
    "智能",
    "设备",
    "生产线",
    "质量 检测",
    "安全",
    "仓储",
    "供应链 协同",
    "工业互联网",
    "平台",
    "数据采集",
    "边缘计算",
    "AI 质检",
    "机器人 焊接",
    "注塑",
    "冰箱 发泡",
    "轨道交通",
    "转向架 焊接",
    "船舶 分段",
    "涂装 VOCs",
    "危化品",
    "余热回收",
    "空压站 节能",
    "远程运维",
    "备件",
    "排产",
    "APS",
    "WMS",
    "SCADA",
    "RFID",
    "UWB 定位",
    "AR 巡检",
    "能源管理",
    "设备 故障 预警",
    "化工 安全 监测",
    "冷链",
    "区块链",
)
TARGETS_3K = {"build_s": 10.0, "engine_p95": 20.0, "page_p95": 60.0}
#: Issue 17, the PostgreSQL backend: size → (top 10 + facets + highlights p95 ms, index build s)
POSTGRES_TARGETS: dict[int, tuple[float, float | None]] = {3000: (10.0, None), 100000: (50.0, 120.0)}
# (label, file, function): cumulative time of these functions in a profile.
PHASES = (
    ("engine.search, total", "app/search/whoosh_backend.py", "search"),
    ("  parse the query (jieba, synonyms)", "app/search/query.py", "parse_query"),
    ("  match and score every hit (Whoosh)", "whoosh/searching.py", "search"),
    ("  facet counts (set intersections)", "app/search/whoosh_backend.py", "<dictcomp>"),
    ("  stored fields of the page's hits", "whoosh/searching.py", "stored_fields"),
    ("  highlights (jieba on title+description)", "app/search/whoosh_backend.py", "_highlights"),
    ("page: SQL for the hits' scenarios, labels", "sqlalchemy/orm/session.py", "execute"),
    ("page: render_template", "flask/templating.py", "render_template"),
)


def where_time_goes(label: str, fn, queries) -> None:
    """cProfile every query once: the share of the time spent in each phase, then the top functions."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [fn(q) for q in queries])
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\n{label}: {stats.total_tt * 1000 / len(queries):.1f} ms a query under the profiler")
    for name, filename, function in PHASES:
        seconds = sum(v[3] for (f, _, fn_), v in stats.stats.items() if f.endswith(filename) and fn_ == function)
        if seconds:
            print(f"  {name:<44} {seconds / stats.total_tt * 100:5.1f}%  {seconds * 1000 / len(queries):6.1f} ms")
    stats.sort_stats("tottime").print_stats(8)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed_rounds(fn, queries, repeat: int, desc: str) -> tuple[list[float], dict[str, list[float]]]:
    """Every query once (warm-up), then `repeat` rounds over all of them; milliseconds."""
    for q in queries:
        fn(q)
    samples, per_query = [], {q: [] for q in queries}
    for _ in tqdm(range(repeat), desc=desc, unit="round", leave=False):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            ms = (time.perf_counter() - start) * 1000
            samples.append(ms)
            per_query[q].append(ms)
    return samples, per_query


def insert_corpus(size: int) -> None:
    """Taxonomy (through the ORM), three published batches and `size` published scenarios (Core)."""
    load_taxonomy(json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8")))
    db.session.commit()
    ids = {
        model: dict(db.session.execute(select(model.code, model.id)).all())
        for model in (Industry, TechDomain, ScenarioCategory, ScenarioSubcategory, District)
    }
    rows = generate_rows(size, seed=2022)
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.engine.begin() as conn:
        years = sorted({(r["batch"], int(r["year"])) for r in rows}, key=lambda b: b[1])
        conn.execute(
            insert(ScenarioBatch.__table__),
            [
                {
                    "name": name,
                    "year": year,
                    "notes": "bench",
                    "status": BatchStatus.PUBLISHED,
                    "created_at": now,
                    "published_at": now.replace(year=year),
                }
                for name, year in years
            ],
        )
        batch_ids = dict(conn.execute(select(ScenarioBatch.name, ScenarioBatch.id)).all())
        for start in tqdm(range(0, size, 5000), desc=f"insert {size:,}", unit="chunk", leave=False):
            chunk = list(enumerate(rows[start : start + 5000], start=start + 1))
            conn.execute(
                insert(Scenario.__table__),
                [
                    {
                        "id": i,
                        "code": r["code"],
                        "title": r["title"],
                        "description": r["description"],
                        "industry_id": ids[Industry][r["industry"]],
                        "category_id": ids[ScenarioCategory][r["category"]],
                        "subcategory_id": ids[ScenarioSubcategory][r["subcategory"]],
                        "district_id": ids[District].get(r["district"]),
                        "organization_id": None,
                        "organization_name": r["organization"],
                        "keywords": r["keywords"],
                        "status": ScenarioStatus.PUBLISHED,
                        "batch_id": batch_ids[r["batch"]],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, r in chunk
                ],
            )
            conn.execute(
                insert(scenario_domains),
                [
                    {"scenario_id": i, "domain_id": ids[TechDomain][d]}
                    for i, r in chunk
                    for d in dict.fromkeys(r["domain"].split("、"))
                    if d
                ],
            )


def scan(q: str) -> tuple[list, int]:
    """What a search box without an index would do: every word in title, description or keywords."""
    t = Scenario.__table__
    words = [
        or_(t.c.title.like(p), t.c.description.like(p), t.c.keywords.like(p)) for p in (f"%{w}%" for w in q.split())
    ]
    where = and_(t.c.status == ScenarioStatus.PUBLISHED, *words)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.code, t.c.title, t.c.description).where(where).order_by(t.c.id).limit(10)
        ).all()
        total = conn.execute(select(func.count()).select_from(t).where(where)).scalar_one()
    return rows, total


@contextmanager
def bench_database(backend: str, tmp: str, server_url: str | None) -> Iterator[str]:
    """An empty database for one size: a SQLite file, or a database made on the PostgreSQL server."""
    if backend == "whoosh":
        yield f"sqlite:///{tmp}/bench.db"
        return
    if not server_url:
        raise SystemExit("--backend postgres needs --database-url (or TEST_DATABASE_URL): a PostgreSQL server")
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = "gongfu_search_bench"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_size(
    size: int, backend: str, queries, repeat: int, with_pages: bool, profile: bool, server_url: str | None
) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="search-bench-") as tmp,
        bench_database(backend, tmp, server_url) as database_url,
    ):
        app = create_app(
            "testing",
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SEARCH_BACKEND": backend,
                "SEARCH_INDEX_DIR": f"{tmp}/index",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            },
        )
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            insert_corpus(size)
            print(f"[{size:,}] corpus generated and inserted in {time.perf_counter() - started:.1f} s", flush=True)
            engine = get_engine(app)  # loads jieba and the dictionaries: not part of the build time
            with tqdm(total=size, desc=f"build {size:,}", unit="doc", leave=False) as bar:
                started = time.perf_counter()
                count = engine.rebuild("scenario", progress=bar.update)
                build_s = time.perf_counter() - started
            assert count == size, (count, size)
            print(f"[{size:,}] index built in {build_s:.1f} s", flush=True)

            if backend == "postgres":
                with db.engine.begin() as conn:
                    conn.execute(text("ANALYZE search_documents"))
            totals = {}

            def engine_query(q):
                totals[q] = engine.search("scenario", q, {}, "relevance", 1, 10).total

            def scan_query(q):
                totals[("scan", q)] = scan(q)[1]

            engine_ms, engine_by_q = timed_rounds(engine_query, queries, repeat, f"engine {size:,}")
            scan_ms, scan_by_q = timed_rounds(scan_query, queries, repeat, f"scan {size:,}")
            best = {
                name: percentiles([min(runs) for runs in by_q.values()])
                for name, by_q in (("engine", engine_by_q), ("scan", scan_by_q))
            }
            result = {
                "size": size,
                "backend": backend,
                "build_s": build_s,
                "engine": percentiles(engine_ms),
                "scan": percentiles(scan_ms),
                "best": best,
                "load": os.getloadavg()[0],
                "slower_queries": [
                    q for q in queries if statistics.median(engine_by_q[q]) > statistics.median(scan_by_q[q])
                ],
                "slowest": [
                    (q, statistics.median(engine_by_q[q]), statistics.median(scan_by_q[q]), totals[q] / size * 100)
                    for q in sorted(queries, key=lambda q: -statistics.median(engine_by_q[q]))[:5]
                ],
                "engine_hits": statistics.mean(totals[q] for q in queries) / size * 100,
                "scan_hits": statistics.mean(totals[("scan", q)] for q in queries) / size * 100,
            }
            if with_pages:
                client = app.test_client()

                def page(q):
                    response = client.get("/scenarios/", query_string={"q": q})
                    assert response.status_code == 200, response.status_code

                page_ms, page_by_q = timed_rounds(page, queries, repeat, f"page {size:,}")
                result["page"] = percentiles(page_ms)
                best["page"] = percentiles([min(runs) for runs in page_by_q.values()])
            if profile:
                where_time_goes(f"[{size:,}] engine top 10", engine_query, queries)
                if with_pages:
                    where_time_goes(f"[{size:,}] GET /scenarios/?q=", page, queries)
            app.extensions["search"].close()
            db.session.remove()
            db.engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="3000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 3000,20000")
    parser.add_argument("--queries", type=int, default=50, help=f"how many of the {len(QUERIES)} fixed queries")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds over the queries, after one warm-up")
    parser.add_argument(
        "--profile", action="store_true", help="where the time goes: cProfile each query once, at every size"
    )
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgres"),
        action="append",
        help="measure this backend too (Whoosh always runs, for comparison); repeatable",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("TEST_DATABASE_URL"), help="the PostgreSQL server for postgres"
    )
    parser.add_argument("--skip-whoosh-above", type=int, default=None, help="run Whoosh only up to this size")
    parser.add_argument("--no-page", action="store_true", help="leave out GET /scenarios/?q= at the first size")
    args = parser.parse_args()
    backends = list(dict.fromkeys(["whoosh", *(args.backend or ())]))
    sizes = [3000, 20000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = QUERIES[: args.queries]
    overall = time.perf_counter()
    code = hashlib.sha1(b"".join(p.read_bytes() for p in sorted((ROOT / "app" / "search").glob("*.py"))))
    print(f"app/search/*.py sha1 {code.hexdigest()[:12]}; load average {os.getloadavg()[0]:.1f}", flush=True)
    results = [
        bench_size(size, backend, queries, args.repeat, i == 0 and not args.no_page, args.profile, args.database_url)
        for i, size in enumerate(sizes)
        for backend in backends
        if backend != "whoosh" or args.skip_whoosh_above is None or size <= args.skip_whoosh_above
    ]

    print(
        f"\n{len(queries)} queries x {args.repeat} rounds after a warm-up; ms, p50 / p95 over all runs"
        " and over each query's best round"
    )
    print(
        f"{'backend':>8} {'docs':>8} {'runs':>5} {'build s':>8} {'engine top10+hl':>16} {'SQL LIKE scan':>14}"
        f" {'engine/scan':>12} {'page /scenarios/?q=':>20} {'hits engine/scan':>17} {'load':>5}"
    )
    for r in results:
        for runs, stats in (("all", r), ("best", r["best"])):
            (e50, e95), (s50, s95) = stats["engine"], stats["scan"]
            page = "{:.1f} / {:.1f}".format(*stats["page"]) if "page" in stats else "-"
            head = (
                f"{r['backend']:>8} {r['size']:>8,} {runs:>5} {r['build_s']:>8.1f}"
                if runs == "all"
                else f"{'':>8} {'':>8} {runs:>5} {'':>8}"
            )
            tail = f" {r['engine_hits']:>7.2f}% / {r['scan_hits']:.2f}% {r['load']:>5.1f}" if runs == "all" else ""
            print(
                f"{head} {e50:>7.1f} / {e95:>6.1f} {s50:>6.1f} / {s95:>5.1f} {e50 / s50:>5.2f} / {e95 / s95:>4.2f}"
                f" {page:>20}{tail}"
            )

    for r in results:
        print(
            f"slowest {r['backend']} queries at {r['size']:,} (median ms engine / scan, share of docs matched): "
            + "; ".join(f"{q} {e:.0f} / {sc:.0f} ({h:.0f}%)" for q, e, sc, h in r["slowest"])
        )

    print("\nTargets")
    for r in results:
        if r["backend"] == "postgres" and r["size"] in POSTGRES_TARGETS:
            p95_limit, build_limit = POSTGRES_TARGETS[r["size"]]
            checks = [(f"p95 <= {p95_limit:.0f} ms", r["engine"][1], p95_limit)]
            if build_limit is not None:
                checks.append((f"build <= {build_limit:.0f} s", r["build_s"], build_limit))
            for label, value, limit in checks:
                print(f"  postgres {r['size']:,}: {label:<22} {value:8.1f}  {'met' if value <= limit else 'MISSED'}")
        if r["size"] == 3000 and r["backend"] == "whoosh":
            best = r["best"]
            checks = [
                ("build < 10 s", r["build_s"], None, TARGETS_3K["build_s"]),
                ("engine top-10 p95 < 20 ms", r["engine"][1], best["engine"][1], TARGETS_3K["engine_p95"]),
            ]
            if "page" in r:
                checks.append(("page p95 < 60 ms", r["page"][1], best["page"][1], TARGETS_3K["page_p95"]))
            for label, value, best_value, limit in checks:
                note = f"   (best rounds: {best_value:.1f})" if best_value is not None else ""
                print(f"  3,000: {label:<28} {value:8.1f}  {'met' if value < limit else 'MISSED'}{note}")
        holds = r["engine"][0] <= r["scan"][0] and r["engine"][1] <= r["scan"][1]
        slower = r["slower_queries"]
        print(
            f"  {r['backend']} {r['size']:,}: engine not slower than the scan (p50 and p95):"
            f" {'holds' if holds else 'DOES NOT HOLD'};"
            f" engine median slower on {len(slower)}/{len(queries)} queries"
            + (f" ({', '.join(slower)})" if slower else "")
        )
    print(f"\ntotal {time.perf_counter() - overall:.0f} s")


if __name__ == "__main__":
    main()

"""Marketplace: recommendations and the needs and solutions search pages at 10,000 of each.

Usage: .venv/bin/python bench/marketplace_bench.py [--solutions 10000] [--needs 10000] [--runs 60] [--profile]
       .venv/bin/python bench/marketplace_bench.py --data /tmp/mb    # build once (3-4 min), reuse after

A temporary SQLite database (migrated) with the taxonomy and the enablement kinds; 3,000 published
demo scenarios (`seeds.scenarios_demo.generate_rows(3000, seed=2022)`); 2,000 enterprises and 600
providers (a third of each verified); `--solutions` published solutions and `--needs` published needs
made from the scenarios the way `seeds.marketplace_demo` makes them (a solution answers a scenario, a
need asks for what one describes: its title and description, industry, domains and sub-category,
the scenario itself linked to half the solutions and a third of the needs; a fifth of the solutions
serve a second industry); 3,000 deals in the ledger over the providers. Everything is inserted
with Core statements, which the search session hooks do not see; then both indexes are rebuilt
(timed).

Timed, each after one warm-up, each run in its own request (a new session, as a page view has):
  - recommendations: `solutions_for_need(need)` for `--runs` different needs (target p95 < 150 ms),
    and for information `needs_for_provider(org)` and `solutions_for_scenario(scenario)`, and the
    need's page as a member of its organization (the page shows the recommendations);
  - search pages through the test client: `GET /needs/?q=` and `GET /solutions/?q=` with the Chinese
    queries below, the same with a facet (`industry=EQP`), and a facet alone (`domain=IM`)
    (target p95 < 80 ms).
`--profile` adds a cProfile of the recommendations for 20 needs: the share of each phase.
"""

import argparse
import cProfile
import hashlib
import json
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import MemberRole, Membership, Organization, OrgKind, User  # noqa: E402
from app.accounts.services import register_user  # noqa: E402
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus, scenario_domains  # noqa: E402
from app.catalog.services import load_taxonomy  # noqa: E402
from app.core.validators import uscc_check_character  # noqa: E402
from app.extensions import db  # noqa: E402
from app.listings.moderation import ListingStatus  # noqa: E402
from app.matching.services import needs_for_provider, solutions_for_need, solutions_for_scenario  # noqa: E402
from app.needs.models import Need, need_domains, need_scenarios, need_subcategories  # noqa: E402
from app.search import get_engine  # noqa: E402
from app.solutions.models import (  # noqa: E402
    DeliveryMode,
    PriceModel,
    Solution,
    solution_domains,
    solution_industries,
    solution_scenarios,
    solution_subcategories,
)
from app.stats import indicators  # noqa: E402
from app.stats.models import Enablement, EnablementKind  # noqa: E402
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain  # noqa: E402
from seeds.marketplace_demo import INCLUDES, PREREQUISITES  # noqa: E402
from seeds.scenarios_demo import generate_rows  # noqa: E402

SEED = 2026
SCENARIOS = 3000
ENTERPRISES = 2000
PROVIDERS = 600
DEALS = 3000
CHUNK = 5000
CODE_PREFIX = "9137029700"  # + 7 digits + check character (stats_bench uses 9137029800)
PASSWORD = "bench-password-2026"
MEMBER_EMAIL = "member@bench.local"
QUERIES = (
    "预测性维护",
    "能耗监测",
    "质量追溯",
    "机器视觉 检测",
    "AGV",
    "数字孪生",
    "设备",
    "平台",
    "注塑",
    "5G",
    "供应链 协同",
    "远程运维",
)
TARGETS_MS = {"recommend": 150.0, "search": 80.0, "info": None}
SOLUTION_SUFFIXES = ("解决方案", "模块", "一体化平台", "SaaS服务", "实施服务")
NEED_TITLES = ("寻求{title}方案", "{title}项目", "征集{title}服务商", "{title}改造需求")
# (label, file, function): cumulative time of these functions in a profile.
PHASES = (
    ("text candidates (search index similar)", "app/search/whoosh_backend.py", "similar"),
    ("  parse the text (jieba, synonyms)", "app/search/query.py", "parse_query"),
    ("  score every word (postings)", "app/search/whoosh_scoring.py", "score_any"),
    ("taxonomy candidates (grouped SQL)", "app/matching/ranking.py", "_best_by_taxonomy"),
    ("eligible candidates (SQL)", "app/matching/ranking.py", "_owners"),
    ("shared entries (SQL)", "app/matching/ranking.py", "_shared_entries"),
    ("provider records (SQL)", "app/matching/records.py", "provider_records"),
    ("reasons", "app/matching/ranking.py", "_reasons"),
    ("all SQL (session.execute)", "sqlalchemy/orm/session.py", "execute"),
)


@dataclass(frozen=True)
class Item:
    group: str  # a key of TARGETS_MS
    label: str
    runs: list[Callable[[], None]]  # one callable a run, cycled


# --- the data --------------------------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def bulk_insert(table, rows: list[dict], desc: str) -> None:
    for start in tqdm(range(0, len(rows), CHUNK), desc=desc, unit="chunk", leave=False):
        db.session.execute(insert(table), rows[start : start + CHUNK])
    db.session.commit()


def taxonomy_ids() -> dict:
    return {
        model: dict(db.session.execute(select(model.code, model.id)).all())
        for model in (Industry, TechDomain, ScenarioCategory, ScenarioSubcategory, District)
    }


def load_scenarios(ids: dict) -> list[dict]:
    """The demo scenarios, published in their batches; returns the rows with their ids."""
    rows = generate_rows(SCENARIOS, seed=2022)
    stamp = now()
    years = sorted({(r["batch"], int(r["year"])) for r in rows}, key=lambda b: b[1])
    db.session.execute(
        insert(ScenarioBatch.__table__),
        [
            {
                "name": name,
                "year": year,
                "notes": "bench",
                "status": BatchStatus.PUBLISHED,
                "created_at": stamp,
                "published_at": stamp.replace(year=year),
            }
            for name, year in years
        ],
    )
    batch_ids = dict(db.session.execute(select(ScenarioBatch.name, ScenarioBatch.id)).all())
    for n, row in enumerate(rows, start=1):
        row["id"] = n
        row["domains"] = [ids[TechDomain][d] for d in dict.fromkeys(row["domain"].split("、")) if d]
    bulk_insert(
        Scenario.__table__,
        [
            {
                "id": r["id"],
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
                "created_at": stamp,
                "updated_at": stamp,
            }
            for r in rows
        ],
        f"insert {SCENARIOS:,} scenarios",
    )
    bulk_insert(
        scenario_domains,
        [{"scenario_id": r["id"], "domain_id": d} for r in rows for d in r["domains"]],
        "scenario domains",
    )
    return rows


def load_organizations(rng: random.Random, ids: dict) -> tuple[list[dict], list[dict]]:
    industries = list(ids[Industry].values())
    districts = list(ids[District].values())
    stamp = now()
    rows = []
    for serial in range(1, ENTERPRISES + PROVIDERS + 1):
        first17 = f"{CODE_PREFIX}{serial:07d}"
        provider = serial > ENTERPRISES
        rows.append(
            {
                "id": serial,
                "credit_code": first17 + uscc_check_character(first17),
                "name": f"青岛{'数智科技' if provider else '制造'}有限公司{serial:05d}",
                "kind": OrgKind.PROVIDER if provider else OrgKind.ENTERPRISE,
                "district_id": rng.choice(districts),
                "industry_id": rng.choice(industries),
                "founded_year": 2010,
                "employees": 100,
                "website": "",
                "contact_person": "联系人",
                "contact_phone": "0532-80000000",
                "description": "",
                "verified_at": stamp if rng.random() < 1 / 3 else None,
                "verified_by_id": None,
                "verification_note": "",
                "created_at": stamp,
            }
        )
    bulk_insert(Organization.__table__, rows, "insert organizations")
    return rows[:ENTERPRISES], rows[ENTERPRISES:]


def links(table, key: str, column: str, pairs) -> None:
    bulk_insert(table, [{key: item_id, column: entry_id} for item_id, entry_id in pairs], table.name)


def load_solutions(
    rng: random.Random, count: int, scenarios: list[dict], providers: list[dict], author: int, ids: dict
) -> None:
    industries = list(ids[Industry].values())
    stamp = now()
    rows, industry_links, domain_links, sub_links, scenario_links = [], [], [], [], []
    for n in range(1, count + 1):
        s = rng.choice(scenarios)
        plug_and_play = rng.random() < 0.6
        published = stamp - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 1440))
        low = rng.choice([2, 5, 8, 10, 20, 30])
        industry_name = s["industry"]
        rows.append(
            {
                "id": n,
                "title": f"{s['title']}{rng.choice(SOLUTION_SUFFIXES)}"[:100],
                "status": ListingStatus.PUBLISHED,
                "rejection_reason": "",
                "created_at": published,
                "updated_at": published,
                "submitted_at": published,
                "published_at": published,
                "organization_id": rng.choice(providers)["id"],
                "created_by_id": author,
                "reviewed_by_id": author,
                "summary": f"面向{industry_name}企业的{s['keywords'].split('、')[0]}成熟做法。"[:200],
                "description": s["description"],
                "delivery_mode": rng.choice(list(DeliveryMode)),
                "price_model": PriceModel.ONE_OFF,
                "price_min": low,
                "price_max": low * 2,
                "plug_and_play": plug_and_play,
                "prerequisites": "；".join(rng.sample(PREREQUISITES, 2)) if plug_and_play else "",
                "deployment_days": rng.choice([3, 7, 14, 30]) if plug_and_play else None,
                "includes": "；".join(rng.sample(INCLUDES, 3)) if plug_and_play else "",
            }
        )
        own = ids[Industry][s["industry"]]
        industry_links += [(n, own)] + (
            [(n, rng.choice([i for i in industries if i != own]))] if rng.random() < 0.2 else []
        )
        domain_links += [(n, d) for d in s["domains"]]
        sub_links.append((n, ids[ScenarioSubcategory][s["subcategory"]]))
        if rng.random() < 0.5:
            scenario_links.append((n, s["id"]))
    bulk_insert(Solution.__table__, rows, f"insert {count:,} solutions")
    links(solution_industries, "solution_id", "industry_id", industry_links)
    links(solution_domains, "solution_id", "domain_id", domain_links)
    links(solution_subcategories, "solution_id", "subcategory_id", sub_links)
    links(solution_scenarios, "solution_id", "scenario_id", scenario_links)


def load_needs(
    rng: random.Random, count: int, scenarios: list[dict], enterprises: list[dict], author: int, ids: dict
) -> None:
    by_industry: dict[int, list[dict]] = {}
    for org in enterprises:
        by_industry.setdefault(org["industry_id"], []).append(org)
    stamp = now()
    rows, domain_links, sub_links, scenario_links = [], [], [], []
    for n in range(1, count + 1):
        s = rng.choice(scenarios)
        industry = ids[Industry][s["industry"]]
        org = rng.choice(by_industry.get(industry) or enterprises)
        published = stamp - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1440))
        low = rng.choice([5, 10, 20, 50, 100])
        rows.append(
            {
                "id": n,
                "title": rng.choice(NEED_TITLES).format(title=s["title"])[:100],
                "status": ListingStatus.PUBLISHED,
                "rejection_reason": "",
                "created_at": published,
                "updated_at": published,
                "submitted_at": published,
                "published_at": published,
                "organization_id": org["id"],
                "created_by_id": author,
                "reviewed_by_id": author,
                "description": f"我司希望实现：{s['description']}预算{low}至{low * 2}万元。",
                "industry_id": industry,
                "district_id": org["district_id"],
                "budget_min": low,
                "budget_max": low * 2,
                "budget_negotiable": False,
                "contact_person": "联系人",
                "contact_phone": "0532-80000000",
                "contact_email": "",
                "show_person": True,
                "show_phone": False,
                "show_email": False,
                "expires_at": published + timedelta(days=180),
            }
        )
        domain_links += [(n, d) for d in s["domains"]]
        if rng.random() < 0.7:
            sub_links.append((n, ids[ScenarioSubcategory][s["subcategory"]]))
        if rng.random() < 1 / 3:
            scenario_links.append((n, s["id"]))
    bulk_insert(Need.__table__, rows, f"insert {count:,} needs")
    links(need_domains, "need_id", "domain_id", domain_links)
    links(need_subcategories, "need_id", "subcategory_id", sub_links)
    links(need_scenarios, "need_id", "scenario_id", scenario_links)


def load_deals(rng: random.Random, enterprises: list[dict], providers: list[dict]) -> None:
    deal = db.session.scalar(select(EnablementKind.id).where(EnablementKind.code == "deal"))
    weights = [rng.paretovariate(1.2) for _ in providers]
    stamp = now()
    rows = []
    for n, provider in enumerate(rng.choices(providers, weights, k=DEALS), start=1):
        firm = rng.choice(enterprises)
        rows.append(
            {
                "id": n,
                "firm_id": firm["id"],
                "provider_id": provider["id"],
                "programme": "",
                "kind_id": deal,
                "source_type": "bench",
                "source_id": str(n),
                "occurred_on": date(2025, 1, 1) + timedelta(days=n % 365),
                "district_id": firm["district_id"],
                "industry_id": firm["industry_id"],
                "delta": 1,
                "reverses_id": None,
                "recorded_by_id": None,
                "recorded_at": stamp,
                "note": "",
                "evidence": "",
                "demo": False,
            }
        )
    bulk_insert(Enablement.__table__, rows, f"insert {DEALS:,} deals")


def prepare(args: argparse.Namespace, tmp: str) -> Flask:
    """The app on the bench's database and indexes in `tmp`, made unless they are there (--data)."""
    made = Path(tmp, "bench.db").exists()
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "SEARCH_INDEX_DIR": f"{tmp}/index",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
    )
    if made:
        print(f"reusing the database and indexes in {tmp}", flush=True)
        return app
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seeds = ROOT / "seeds"
        load_taxonomy(json.loads((seeds / "taxonomy.json").read_text(encoding="utf-8")))
        indicators.load_kinds(json.loads((seeds / "enablement_kinds.json").read_text(encoding="utf-8"))["kinds"])
        member = register_user(MEMBER_EMAIL, "bench member", PASSWORD)
        db.session.commit()
        rng = random.Random(SEED)
        ids = taxonomy_ids()
        scenarios = load_scenarios(ids)
        enterprises, providers = load_organizations(rng, ids)
        load_solutions(rng, args.solutions, scenarios, providers, member.id, ids)
        load_needs(rng, args.needs, scenarios, enterprises, member.id, ids)
        load_deals(rng, enterprises, providers)
        print(
            f"loaded {SCENARIOS:,} scenarios, {args.solutions:,} solutions, {args.needs:,} needs in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        engine = get_engine(app)  # loads jieba and the dictionaries: not part of the build time
        for doc_type, expected in (("solution", args.solutions), ("need", args.needs)):
            started = time.perf_counter()
            with tqdm(total=expected, desc=f"index {doc_type}s", unit="doc", leave=False) as bar:
                count = engine.rebuild(doc_type, progress=bar.update)
            assert count == expected, (doc_type, count, expected)
            print(f"{doc_type} index: {count:,} documents in {time.perf_counter() - started:.1f} s", flush=True)
    return app


# --- what is timed ---------------------------------------------------------------------------


def in_request(app: Flask, fn: Callable, model: type, item_id: int) -> Callable[[], None]:
    """`fn(item)` in a request of its own, the item loaded in its session."""

    def run() -> None:
        with app.test_request_context():
            fn(db.session.get(model, item_id))

    return run


def page(client, url: str, query: dict | None = None) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url, query_string=query)
        assert response.status_code == 200, (url, query, response.status_code)

    return run


def bench_items(app: Flask, runs: int) -> list[Item]:
    rng = random.Random(SEED + 1)
    with app.app_context():
        needs = rng.sample(db.session.scalars(select(Need.id)).all(), runs)
        providers = db.session.scalars(
            select(Organization.id).where(Organization.kind == OrgKind.PROVIDER).order_by(Organization.id).limit(runs)
        ).all()
        scenarios = db.session.scalars(select(Scenario.id).order_by(Scenario.id).limit(runs)).all()
        owned_id = needs[0]
        member = db.session.scalar(select(User).where(User.email == MEMBER_EMAIL))
        if member.membership is None:
            db.session.add(
                Membership(
                    user=member, organization_id=db.session.get(Need, owned_id).organization_id, role=MemberRole.MEMBER
                )
            )
            db.session.commit()
        else:
            owned_id = db.session.scalar(
                select(Need.id).where(Need.organization_id == member.membership.organization_id).limit(1)
            )
    client = app.test_client()
    response = client.post("/login", data={"email": MEMBER_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    queries = list(islice(cycle(QUERIES), runs))
    return [
        Item("recommend", "solutions_for_need(need)", [in_request(app, solutions_for_need, Need, i) for i in needs]),
        Item(
            "info", "needs_for_provider(org)", [in_request(app, needs_for_provider, Organization, i) for i in providers]
        ),
        Item(
            "info",
            "solutions_for_scenario(scenario)",
            [in_request(app, solutions_for_scenario, Scenario, i) for i in scenarios],
        ),
        Item("info", "GET /needs/<id> as its organization's member", [page(client, f"/needs/{owned_id}")]),
        Item("search", "GET /needs/?q=", [page(client, "/needs/", {"q": q}) for q in queries]),
        Item(
            "search",
            "GET /needs/?q=&industry=EQP",
            [page(client, "/needs/", {"q": q, "industry": "EQP"}) for q in queries],
        ),
        Item("search", "GET /needs/?domain=IM", [page(client, "/needs/", {"domain": "IM"})]),
        Item("search", "GET /solutions/?q=", [page(client, "/solutions/", {"q": q}) for q in queries]),
        Item(
            "search",
            "GET /solutions/?q=&industry=EQP",
            [page(client, "/solutions/", {"q": q, "industry": "EQP"}) for q in queries],
        ),
        Item("search", "GET /solutions/?domain=IM", [page(client, "/solutions/", {"domain": "IM"})]),
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and nearest-rank p95."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[math.ceil(len(ordered) * 0.95) - 1]


def timed(item: Item, runs: int) -> list[float]:
    """Each distinct run once to warm up, then `runs` runs; milliseconds."""
    for run in item.runs:
        run()
    samples = []
    for run in tqdm(list(islice(cycle(item.runs), runs)), desc=item.label, unit="run", leave=False):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def where_time_goes(item: Item) -> None:
    """cProfile 20 runs: the share of the time spent in each phase, then the top functions."""
    runs = item.runs[:20]
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [run() for run in runs])
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\n{item.label}: {stats.total_tt * 1000 / len(runs):.1f} ms a run under the profiler")
    for name, filename, function in PHASES:
        seconds = sum(v[3] for (f, _, fn_), v in stats.stats.items() if f.endswith(filename) and fn_ == function)
        if seconds:
            print(f"  {name:<44} {seconds / stats.total_tt * 100:5.1f}%  {seconds * 1000 / len(runs):6.1f} ms")
    stats.sort_stats("tottime").print_stats(10)


def report(results: list[tuple[Item, list[float]]], runs: int) -> None:
    print(f"\n{runs} runs of each item after a warm-up; ms")
    print(f"{'what':<52} {'p50':>8} {'p95':>8} {'fastest':>8}  target")
    for item, samples in results:
        p50, p95 = percentiles(samples)
        limit = TARGETS_MS[item.group]
        verdict = f"p95 < {limit:.0f} {'met' if p95 < limit else 'MISSED'}" if limit else "-"
        print(f"{item.label:<52} {p50:8.1f} {p95:8.1f} {min(samples):8.1f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--solutions", type=int, default=10_000, help="published solutions")
    parser.add_argument("--needs", type=int, default=10_000, help="published needs")
    parser.add_argument("--runs", type=int, default=60, help="timed runs of each item (at least 50), after a warm-up")
    parser.add_argument("--profile", action="store_true", help="where the recommendations' time goes")
    parser.add_argument(
        "--data",
        help="keep the database and indexes in this folder and reuse them on later runs"
        " (the sizes of the first run stay)",
    )
    args = parser.parse_args()
    overall = time.perf_counter()
    code = hashlib.sha1(
        b"".join(
            p.read_bytes()
            for p in sorted([*(ROOT / "app" / "matching").glob("*.py"), *(ROOT / "app" / "search").glob("*.py")])
        )
    )
    print(f"app/matching + app/search sha1 {code.hexdigest()[:12]}; load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="marketplace-bench-") as tmp:
        if args.data:
            Path(args.data).mkdir(parents=True, exist_ok=True)
        app = prepare(args, args.data or tmp)
        items = bench_items(app, args.runs)
        report([(item, timed(item, args.runs)) for item in items], args.runs)
        if args.profile:
            where_time_goes(items[0])
        with app.app_context():
            app.extensions["search"].close()
            db.session.remove()
            db.engine.dispose()
    print(f"\nload average {os.getloadavg()[0]:.1f}; total {time.perf_counter() - overall:.0f} s")


if __name__ == "__main__":
    main()

"""Relevance beyond a document's own words: the labels it is filed under, one-way synonyms and
broader terms; and a part of the hand-judged relevance set (bench/relevance_set.json) on a part
of the demo corpus, as a regression guard for bench/relevance.py's figures."""

import pytest

from app.catalog.models import Scenario, ScenarioStatus
from app.extensions import db
from app.search import search
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain
from bench.relevance import load_set, recall_at, reciprocal_rank
from seeds.scenarios_demo import generate_rows
from tests.search.conftest import BACKENDS, entry, make_batches, new_scenario, wire_search


def found(query: str) -> list[str]:
    by_id = {s.id: s.code for s in db.session.scalars(db.select(Scenario))}
    return [by_id[hit.id] for hit in search("scenario", query, per_page=100).hits]


@pytest.fixture
def labelled(search_app):
    """Scenarios whose own words differ from the names of what they are filed under."""
    first, _ = make_batches()
    scenarios = [
        # predictive maintenance, in other words
        ("QD-2022-0201", "空压机振动监测与停机预警", "在线采集振动，提前安排检修。", "AUT", ("IM",), "C04", "C04-2"),
        # the title names it: ranks above a label-only match
        ("QD-2022-0202", "注塑机预测性维护", "采集注塑机数据。", "EQP", ("IM",), "C04", "C04-2"),
        # product data management (PDM), nothing to do with predictive maintenance
        ("QD-2022-0203", "云端CAD与PDM系统", "部署PDM管理图纸与BOM。", "EQP", ("PD",), "C01", "C01-3"),
        # energy monitoring in other words, filed elsewhere
        ("QD-2022-0204", "染色车间水电气计量", "分项计量，能耗监测到机台。", "TEX", ("DM",), "C09", "C09-4"),
        # names the broader term only
        ("QD-2022-0205", "节能降碳行动方案", "全厂节能降碳规划。", "FOOD", ("DM",), "C09", "C09-4"),
    ]
    for code, title, description, industry, domains, category, subcategory in scenarios:
        new_scenario(
            code,
            title,
            description,
            industry=industry,
            domains=domains,
            category=category,
            subcategory=subcategory,
            batch=first,
        )
    db.session.commit()


def test_a_sub_category_name_finds_the_scenarios_filed_under_it(labelled):
    assert found("预测性维护")[:2] == ["QD-2022-0202", "QD-2022-0201"]  # the title first, then the label
    assert "QD-2022-0201" in found("设备管理")  # the category
    assert found("汽车 预测性维护") == ["QD-2022-0201"]  # the industry, 汽车制造


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("predictive maintenance", "QD-2022-0201"),
        ("Equipment management", "QD-2022-0201"),
        ("automotive", "QD-2022-0201"),
        ("Intelligent manufacturing", "QD-2022-0201"),  # a technology domain
        ("textiles", "QD-2022-0204"),
        ("business-data dashboard", "QD-2022-0204"),
    ],
)
def test_english_label_names_find_the_scenarios(labelled, query, code):
    assert code in found(query)


def test_a_label_follows_a_renamed_taxonomy_entry(labelled):
    entry = db.session.scalar(db.select(ScenarioSubcategory).where(ScenarioSubcategory.code == "C09-4"))
    entry.name, entry.name_en = "经营看板", "Management cockpit"
    db.session.commit()
    assert set(found("经营看板")) == set(found("cockpit")) == {"QD-2022-0204", "QD-2022-0205"}
    assert found("驾驶舱") == []


def test_a_one_way_abbreviation_does_not_come_back(labelled):
    assert set(found("PdM")) >= {"QD-2022-0201", "QD-2022-0202"}
    assert "QD-2022-0203" not in found("预测性维护")  # PDM is product data management
    assert "QD-2022-0203" in found("PDM")  # the word itself


def test_a_broader_term_reaches_the_scenarios_of_its_narrower_terms(labelled):
    assert found("节能降碳")[0] == "QD-2022-0205"  # the word itself first
    assert "QD-2022-0204" in found("节能降碳")  # 能耗监测 in its description
    assert "QD-2022-0205" not in found("能耗监测")  # never the reverse


def test_needs_and_solutions_are_found_by_their_labels(search_app, make_user, make_org, make_need, make_solution):
    owner = make_user()
    org = make_org(owner=owner)
    heat = entry(ScenarioSubcategory, "C05-5")  # 余热余能回收, Waste heat and energy recovery; in 能源与环保
    need = make_need(org, owner, title="空压站改造", description="希望降低电费。", subcategories=[heat])
    solution = make_solution(
        org, owner, title="热泵机组", summary="一周上线。", description="热泵。", includes="机组", subcategories=[heat]
    )
    assert search("need", "余热余能回收").ids == search("need", "能源与环保").ids == [need.id]
    assert search("solution", "waste heat").ids == search("solution", "Energy & environment").ids == [solution.id]


# --- a part of the relevance set on a part of the demo corpus -----------------------------------

GUARD_QUERIES = (
    "预测性维护",
    "备品备件管理",
    "PdM",
    "OEE",
    "predictive maintenance",
    "spare parts",
    "mass customization",
    "轮胎 硫化",
    "节能降碳",
    "双碳",
    "食品 质量追溯",
    "automotive predictive maintenance",
    "质量 检测",
)
#: Every tenth demo scenario, and up to this many of each guard query's relevant ones.
SAMPLE_EVERY = 10
RELEVANT_PER_QUERY = 15


@pytest.fixture(scope="module", params=BACKENDS)
def demo_part(rolled_back, request):
    """A part of `make run`'s demo list (generate_rows(3000), seed 2022) in the database and
    the index, and the guard queries with their relevant scenarios among it."""
    judged = [item for item in load_set() if item.query in GUARD_QUERIES]
    kept = {row["code"] for row in generate_rows(3000)[::SAMPLE_EVERY]}
    for item in judged:
        kept |= set(sorted(item.relevant)[:RELEVANT_PER_QUERY])
    with rolled_back.level() as app:
        wire_search(app, request.param)
        ids = {
            model: {entry.code: entry for entry in db.session.scalars(db.select(model))}
            for model in (Industry, TechDomain, ScenarioCategory, ScenarioSubcategory, District)
        }
        batch, _ = make_batches()
        for row in generate_rows(3000):
            if row["code"] in kept:
                db.session.add(
                    Scenario(
                        code=row["code"],
                        title=row["title"],
                        description=row["description"],
                        keywords=row["keywords"],
                        organization_name=row["organization"],
                        industry=ids[Industry][row["industry"]],
                        category=ids[ScenarioCategory][row["category"]],
                        subcategory=ids[ScenarioSubcategory][row["subcategory"]],
                        district=ids[District].get(row["district"]),
                        domains=[ids[TechDomain][d] for d in dict.fromkeys(row["domain"].split("、"))],
                        status=ScenarioStatus.PUBLISHED,
                        batch=batch,
                    )
                )
        db.session.commit()
        yield [(item.query, item.relevant & kept) for item in judged]
        app.extensions["search"].close()


def test_the_relevance_set_holds_on_a_part_of_the_demo_corpus(demo_part):
    assert len(demo_part) == len(GUARD_QUERIES)
    recalls, ranks = {}, {}
    for query, relevant in demo_part:
        ranked = found(query)[:10]
        recalls[query] = recall_at(ranked, relevant)
        ranks[query] = reciprocal_rank(ranked, relevant)
    assert sum(recalls.values()) / len(recalls) >= 0.95, recalls
    assert sum(ranks.values()) / len(ranks) >= 0.9, ranks

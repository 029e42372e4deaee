"""Search fixtures: the app with search wired (whether or not create_app already does it), and a
small corpus of scenarios written for the relevance tests.

`corpus` is per test (the index follows what the test changes); `shared_corpus` is built once
per module for tests that only read. Both, and `search_app`, run every test on each backend:
Whoosh, and PostgreSQL's when the tests run on PostgreSQL (TEST_DATABASE_URL).
"""

import os
from datetime import datetime

import pytest

from app.catalog.models import BatchStatus, Scenario, ScenarioBatch, ScenarioStatus
from app.catalog.search import register_catalog_search
from app.extensions import db
from app.search import current_engine, init_search, search_backend
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

BACKENDS = ["whoosh", "postgres"] if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql") else ["whoosh"]


def wire_search(app, backend: str) -> None:
    if "search" not in app.extensions:
        init_search(app)
    if search_backend(app) != backend:
        app.config["SEARCH_BACKEND"] = backend
        app.extensions["search"].close()
    register_catalog_search()


@pytest.fixture(params=BACKENDS)
def search_backend_name(request) -> str:
    return request.param


@pytest.fixture
def search_app(app, search_backend_name):
    wire_search(app, search_backend_name)
    yield app
    app.extensions["search"].close()


@pytest.fixture
def engine(search_app):
    """The engine, checked as a worker's first search would check it: here and not in the middle of
    a test, since the tests' sessions share one connection, where a check would see what the test
    flushed and has not committed yet."""
    engine = current_engine()
    engine.ensure_ready("scenario")
    return engine


def entry(model, code):
    return db.session.scalar(db.select(model).where(model.code == code))


def new_scenario(
    code: str,
    title: str,
    description: str = "",
    *,
    industry: str = "EQP",
    domains: tuple[str, ...] = ("IM",),
    category: str = "C04",
    subcategory: str = "C04-2",
    district: str | None = "LS",
    keywords: str = "",
    organization_name: str = "",
    batch: ScenarioBatch | None = None,
    status: ScenarioStatus = ScenarioStatus.PUBLISHED,
    organization=None,
) -> Scenario:
    scenario = Scenario(
        code=code,
        title=title,
        description=description or f"{title}。",
        industry=entry(Industry, industry),
        category=entry(ScenarioCategory, category),
        subcategory=entry(ScenarioSubcategory, subcategory),
        district=entry(District, district) if district else None,
        domains=[entry(TechDomain, d) for d in domains],
        keywords=keywords,
        organization_name=organization_name,
        organization=organization,
        status=status,
        batch=batch,
    )
    db.session.add(scenario)
    return scenario


LONG_DESCRIPTION = "前言" * 100 + "这里讲预测性维护的做法" + "后记" * 100

# code, title, description, overrides. Written so that each relevance test has a document that
# must be found and one that must not.
CORPUS = [
    (
        "QD-2022-0001",
        "注塑车间设备预测性维护",
        "采集注塑机振动与温度数据，提前预警故障，减少非计划停机。",
        {"keywords": "预测性维护、设备联网", "organization_name": "青岛海智科技有限公司", "district": "LS"},
    ),
    (
        "QD-2022-0002",
        "基于数字孪生的产线仿真优化",
        "构建总装产线的数字孪生模型，仿真验证节拍与工艺参数。",
        {"industry": "AUT", "domains": ("PD", "IM"), "category": "C01", "subcategory": "C01-1", "district": "SN"},
    ),
    (
        "QD-2022-0003",
        "机加工车间数据看板",
        "推进车间数字化管理与数据看板建设，合作方为孪生兄弟机械公司。",
        {"domains": ("DM",), "category": "C02", "subcategory": "C02-1", "district": "SB"},
    ),
    (
        "QD-2022-0004",
        "家电总装MES上线",
        "部署MES，实现生产工单与质量数据的透明化管理。",
        {"industry": "APL", "domains": ("DM",), "district": "LC"},
    ),
    (
        "QD-2022-0005",
        "离散制造执行管理平台",
        "面向离散行业的生产制造执行管理，覆盖排产与报工。",
        {"industry": "APL", "domains": ("DM", "NC"), "district": "LC"},
    ),
    (
        "QD-2022-0006",
        "船舶分段5G全链接工厂",
        "利用5G专网连接焊接设备与机器视觉质检系统。",
        {"industry": "SHIP", "domains": ("5G", "IM"), "category": "C03", "subcategory": "C03-1", "district": "JM"},
    ),
    (
        "QD-2022-0007",
        "纺织印染能耗监测",
        "对印染车间水、电、气能耗监测，并核算碳排放。",
        {"industry": "TEX", "domains": ("DM",), "category": "C05", "subcategory": "C05-1", "district": None},
    ),
    (
        "QD-2022-0008",
        "食品质量追溯体系",
        "基于标识解析的食品原料与成品质量追溯。",
        {"industry": "FOOD", "domains": ("ID",), "category": "C05", "subcategory": "C05-2", "district": "CY"},
    ),
    (
        "QD-2022-0009",
        "原材料仓储物流自动化",
        "部署自动导引车实现原料与成品的自动搬运与入库。",
        {"industry": "RAW", "domains": ("IM",), "district": "XHA"},
    ),
    (
        "QD-2022-0010",
        "轨道交通装备远程运维",
        "为动车组转向架提供状态监测与远程运维服务。",
        {"industry": "RAIL", "domains": ("SE",), "category": "C06", "subcategory": "C06-1", "district": "CY"},
    ),
    (
        "QD-2022-0011",
        "焊接机器人<script>alert(1)</script>",
        "描述里有<b>标签</b>与 & 符号，焊接机器人自动排产。",
        {"industry": "EQP", "domains": ("IM",), "category": "C02", "subcategory": "C02-6"},
    ),
    (
        "QD-2022-0012",
        "设备综合效率提升",
        "实时统计设备开动率与良品率，提升产能。",
        {"industry": "EQP", "domains": ("IM", "DM"), "district": "JZ"},
    ),
    (
        "QD-2022-0013",
        "企业上云与办公协同",
        "中小企业上云用云，统一办公协同。",
        {"industry": "TEX", "domains": ("NC",), "category": "C12", "subcategory": "C12-2", "district": "PD"},
    ),
    ("QD-2022-0014", "预测性维护草稿", "尚未发布的预测性维护场景。", {"status": ScenarioStatus.DRAFT}),
    ("QD-2022-0015", "已撤回的远程运维", "已撤回批次中的远程运维场景。", {"status": ScenarioStatus.WITHDRAWN}),
    ("QD-2022-0016", "车间孪生数据平台", "汇聚车间数据，后续建设数字孪生体。", {"domains": ("DM",)}),
    ("QD-2022-0017", "车间数字 孪生展示", "数字 孪生（两个词）。", {"domains": ("DM",)}),
    ("QD-2022-0018", "长描述场景", LONG_DESCRIPTION, {"domains": ("DM",)}),
]
PUBLISHED_CODES = [
    code
    for code, _, _, overrides in CORPUS
    if overrides.get("status", ScenarioStatus.PUBLISHED) == ScenarioStatus.PUBLISHED
]


def make_batches() -> tuple[ScenarioBatch, ScenarioBatch]:
    first = ScenarioBatch(
        name="2022年第一批", year=2022, status=BatchStatus.PUBLISHED, published_at=datetime(2022, 3, 1, 9, 0)
    )
    second = ScenarioBatch(
        name="2023年第一批", year=2023, status=BatchStatus.PUBLISHED, published_at=datetime(2023, 4, 1, 9, 0)
    )
    db.session.add_all([first, second])
    db.session.commit()
    return first, second


def make_corpus() -> dict[str, Scenario]:
    """The corpus, committed at once: codes 0001-0007 in the first batch, the rest in the second."""
    first, second = make_batches()
    scenarios = {}
    for number, (code, title, description, overrides) in enumerate(CORPUS, start=1):
        overrides = dict(overrides)
        overrides.setdefault("batch", first if number <= 7 else second)
        scenarios[code] = new_scenario(code, title, description, **overrides)
    db.session.commit()
    return scenarios


@pytest.fixture
def corpus(search_app):
    return make_corpus()


@pytest.fixture(scope="module", params=BACKENDS)
def shared_corpus(rolled_back, request):
    """The corpus for a module of read-only tests, in the database and the index until the
    module ends (its tests run in the app context it was made in)."""
    with rolled_back.level() as app:
        wire_search(app, request.param)
        yield make_corpus()
        app.extensions["search"].close()

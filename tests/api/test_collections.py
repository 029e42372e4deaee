"""GET /api/v1/needs, /solutions, /events (and their items) and /indicators: public records only,
paging, facets, 400s naming each bad parameter, the shapes the OpenAPI document gives."""

from datetime import date
from decimal import Decimal

import pytest

from app.extensions import db
from app.stats import indicators
from app.stats.models import Indicator, IndicatorKind, Plan, ReportedValue
from tests.api.schema import errors, response_schema

PRIVATE_MARKERS = ("PRIVATE-", "private-needs@example.com", "DRAFT", "PENDING", "CLOSED", "contact")


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def ids(body: dict) -> set[int]:
    return {item["id"] for item in body["items"]}


@pytest.mark.parametrize(
    ("path", "kind", "public"),
    [
        ("needs", "needs", ("pdm", "talks")),
        ("solutions", "solutions", ("kit", "mes")),
        ("events", "events", ("finance", "forum")),
    ],
)
def test_lists_answer_public_records_only(client, public_records, path, kind, public):
    response = client.get(f"/api/v1/{path}?per_page=100")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=60"
    body = response.get_json()
    assert ids(body) == {public_records[kind][name] for name in public}
    assert body["total"] == len(public)
    text = response.get_data(as_text=True)
    assert not any(marker in text for marker in PRIVATE_MARKERS)
    for name, record_id in public_records[kind].items():
        status = 200 if name in public else 404
        one = client.get(f"/api/v1/{path}/{record_id}")
        assert one.status_code == status
        assert not any(marker in one.get_data(as_text=True) for marker in PRIVATE_MARKERS)
        if status == 404:
            assert one.get_json()["error"]["code"] == "not_found"


def test_paging(client, public_records):
    first = get_json(client, "/api/v1/needs?per_page=1&sort=newest")
    second = get_json(client, "/api/v1/needs?per_page=1&page=2&sort=newest")
    assert (first["total"], first["page"], first["per_page"], second["page"]) == (2, 1, 1, 2)
    assert len(first["items"]) == len(second["items"]) == 1
    assert ids(first) | ids(second) == {public_records["needs"]["pdm"], public_records["needs"]["talks"]}
    assert get_json(client, "/api/v1/needs?page=3&per_page=1")["items"] == []


def test_facets_filter_and_count(client, public_records):
    body = get_json(client, "/api/v1/solutions?plug_and_play=yes")
    assert ids(body) == {public_records["solutions"]["kit"]}
    assert body["facets"]["plug_and_play"] == {"yes": 1, "no": 1}  # the chosen facet's alternatives
    assert body["facets"]["price_model"] == {"one_off": 1}
    assert set(body["facets"]) == {"industry", "domain", "subcategory", "plug_and_play", "price_model"}
    events = get_json(client, "/api/v1/events?kind=forum")
    assert ids(events) == {public_records["events"]["forum"]}
    assert events["items"][0]["status"] == "cancelled"
    assert events["facets"]["kind"] == {"finance": 1, "forum": 1}
    needs = get_json(client, "/api/v1/needs?industry=EQP&q=预测性维护")
    assert ids(needs) == {public_records["needs"]["pdm"]}
    assert needs["items"][0]["organization"] == "青岛开放数据测试有限公司"
    assert needs["facets"]["industry"] == {"EQP": 1}


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("/api/v1/needs?industy=EQP&per_page=0", {"industy", "per_page"}),
        ("/api/v1/needs?sort=code&domain=NOPE", {"sort", "domain"}),
        ("/api/v1/solutions?plug_and_play=maybe&page=x", {"plug_and_play", "page"}),
        ("/api/v1/events?kind=party&q=" + "长" * 101, {"kind", "q"}),
        ("/api/v1/indicators?year=2025", {"year"}),
    ],
)
def test_bad_parameters_are_each_named(client, public_records, url, bad):
    body = get_json(client, url, 400)
    assert body["error"]["code"] == "bad_request"
    assert set(body["error"]["details"]) == bad


def test_responses_conform_to_the_openapi_document(client, public_records, plan):
    document = get_json(client, "/api/v1/openapi.json")
    cases = [
        ("/api/v1/needs", "/api/v1/needs", 200),
        ("/api/v1/needs/{need_id}", f"/api/v1/needs/{public_records['needs']['talks']}", 200),
        ("/api/v1/solutions", "/api/v1/solutions?price_model=subscription", 200),
        ("/api/v1/solutions/{solution_id}", f"/api/v1/solutions/{public_records['solutions']['kit']}", 200),
        ("/api/v1/events", "/api/v1/events", 200),
        ("/api/v1/events/{event_id}", f"/api/v1/events/{public_records['events']['forum']}", 200),
        ("/api/v1/events/{event_id}", f"/api/v1/events/{public_records['events']['draft']}", 404),
        ("/api/v1/indicators", "/api/v1/indicators", 200),
        ("/api/v1/indicators", "/api/v1/indicators?x=1", 400),
    ]
    for path, url, status in cases:
        body = get_json(client, url, status)
        assert not errors(document, response_schema(document, path, status), body), (url, body)


@pytest.fixture
def plan(app, make_user):
    """A current plan with a reported and a computed indicator, and a plan that has ended."""
    today = date.today()
    current = Plan(
        name="2025—2027 行动计划", starts_on=date(today.year - 1, 1, 1), ends_on=date(today.year + 1, 12, 31)
    )
    reported = Indicator(
        plan=current,
        code="output",
        name="工业互联网产业规模",
        unit="亿元",
        target=Decimal(200),
        kind=IndicatorKind.REPORTED,
    )
    computed = Indicator(
        plan=current,
        code="scenarios_published",
        name="发布场景",
        unit="个",
        target=Decimal(10),
        kind=IndicatorKind.COMPUTED,
    )
    unreported = Indicator(
        plan=current,
        code="platforms",
        name="双跨平台",
        unit="个",
        target=Decimal(5),
        kind=IndicatorKind.REPORTED,
        position=3,
    )
    past = Plan(name="2022—2024 行动计划", starts_on=date(today.year - 4, 1, 1), ends_on=date(today.year - 2, 12, 31))
    final = Indicator(
        plan=past,
        code="output",
        name="工业互联网产业规模",
        unit="亿元",
        target=Decimal(100),
        kind=IndicatorKind.REPORTED,
    )
    db.session.add_all([current, past])
    db.session.flush()
    db.session.add_all(
        [
            ReportedValue(indicator=reported, value=Decimal(150), as_of=today, source="市统计局"),
            ReportedValue(indicator=final, value=Decimal(120), as_of=date(today.year - 2, 12, 31), source="年报"),
        ]
    )
    db.session.commit()
    del computed, unreported
    return current


def test_indicators_show_the_public_figures(client, plan):
    body = get_json(client, "/api/v1/indicators")
    names = [p["name"] for p in body["plans"]]
    assert names[0] == "2025—2027 行动计划" and "2022—2024 行动计划" in names[1:]  # the current plan first
    current, past = body["plans"][0], body["plans"][names.index("2022—2024 行动计划")]
    assert (current["current"], past["current"]) == (True, False)
    figures = {i["code"]: i for i in current["indicators"]}
    expected = {s.indicator.code: s for s in indicators.statuses(db.session.get(Plan, plan.id))}
    assert figures["output"]["value"] == float(expected["output"].value) == 150
    assert figures["output"]["target"] == 200 and figures["output"]["source"] == "市统计局"
    assert figures["scenarios_published"]["value"] == float(expected["scenarios_published"].value)
    assert figures["platforms"]["value"] is None and figures["platforms"]["verdict"] is None
    final = past["indicators"][0]
    assert (final["value"], final["verdict"]) == (120, "achieved")


def test_articles_are_published_ones_only(client, public_articles):
    body = get_json(client, "/api/v1/articles?per_page=100")
    assert ids(body) == {public_articles["notice"], public_articles["policy"]} and body["total"] == 2
    text = client.get("/api/v1/articles").get_data(as_text=True)
    assert not any(word in text for word in ("DRAFT", "WITHDRAWN", "SCHEDULED"))
    for name, article_id in public_articles.items():
        assert client.get(f"/api/v1/articles/{article_id}").status_code == (
            200 if name in ("notice", "policy") else 404
        )
    policy = get_json(client, "/api/v1/articles?category=policy")
    assert ids(policy) == {public_articles["policy"]}
    assert policy["facets"]["category"] == {"notice": 1, "policy": 1}
    assert policy["items"][0]["url"] == f"http://localhost/news/{public_articles['policy']}"
    assert set(get_json(client, "/api/v1/articles?category=gossip&sort=code", 400)["error"]["details"]) == {
        "category",
        "sort",
    }
    document = get_json(client, "/api/v1/openapi.json")
    one = get_json(client, f"/api/v1/articles/{public_articles['notice']}")
    assert not errors(document, response_schema(document, "/api/v1/articles/{article_id}", 200), one)
    assert not errors(document, response_schema(document, "/api/v1/articles", 200), policy)

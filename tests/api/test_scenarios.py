"""GET /api/v1/scenarios and /api/v1/scenarios/<code>: shapes, filters, counts, pages, order."""

import pytest
from sqlalchemy import update

from app.catalog.models import Scenario, ScenarioStatus
from app.extensions import db
from tests.api.schema import errors, response_schema

ITEM_KEYS = {
    "code",
    "title",
    "description",
    "industry",
    "domains",
    "category",
    "subcategory",
    "district",
    "organization",
    "keywords",
    "batch",
    "url",
}
FACET_KEYS = {"industry", "domain", "category", "subcategory", "district", "batch"}


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def codes(body: dict) -> list[str]:
    return [item["code"] for item in body["items"]]


def test_list_answers_published_scenarios_with_their_shape(client, catalogue):
    response = client.get("/api/v1/scenarios")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers
    assert "注塑车间".encode() in response.data  # Chinese is not \u-escaped
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "per_page", "facets"}
    assert (body["total"], body["page"], body["per_page"]) == (4, 1, 20)
    assert sorted(codes(body)) == ["QD-2022-0001", "QD-2022-0002", "QD-2023-0003", "QD-2023-0004"]
    for item in body["items"]:
        assert set(item) == ITEM_KEYS
        assert isinstance(item["title"], str) and isinstance(item["description"], str)
        assert set(item["industry"]) == {"code", "name"}
        assert all(set(d) == {"code", "name", "new_mode"} and isinstance(d["new_mode"], bool) for d in item["domains"])
        assert item["url"] == f"http://localhost/scenarios/{item['code']}"
    assert set(body["facets"]) == FACET_KEYS


def test_item_fields(client, catalogue):
    items = {item["code"]: item for item in get_json(client, "/api/v1/scenarios")["items"]}
    pdm = items["QD-2022-0001"]
    assert pdm["title"] == "注塑车间设备预测性维护"
    assert pdm["industry"] == {"code": "EQP", "name": "装备制造"}
    assert pdm["domains"] == [{"code": "IM", "name": "智能化制造", "new_mode": True}]
    assert pdm["category"]["code"] == "C04" and pdm["subcategory"]["code"] == "C04-2"
    assert pdm["district"]["code"] == "LS"
    assert pdm["organization"] == "青岛海智科技有限公司"
    assert pdm["keywords"] == ["预测性维护", "设备联网"]
    assert pdm["batch"] == {"id": catalogue["batches"]["first"], "name": "2022年第一批", "year": 2022}
    assert [d["code"] for d in items["QD-2022-0002"]["domains"]] == ["PD", "IM"]  # in position order
    energy = items["QD-2023-0004"]
    assert energy["district"] is None and energy["organization"] is None and energy["keywords"] == []


def test_responses_conform_to_the_openapi_document(client, catalogue):
    document = get_json(client, "/api/v1/openapi.json")
    cases = [
        ("/api/v1/scenarios", "/api/v1/scenarios?q=预测性维护&industry=EQP", 200),
        ("/api/v1/scenarios", "/api/v1/scenarios?per_page=0", 400),
        ("/api/v1/scenarios/{code}", "/api/v1/scenarios/QD-2022-0001", 200),
        ("/api/v1/scenarios/{code}", "/api/v1/scenarios/QD-2023-0004", 200),
        ("/api/v1/scenarios/{code}", "/api/v1/scenarios/QD-2024-0005", 404),
        ("/api/v1/taxonomy", "/api/v1/taxonomy", 200),
    ]
    for path, url, status in cases:
        body = get_json(client, url, status)
        assert errors(document, response_schema(document, path, status), body) == [], url


def test_detail_is_the_list_item(client, catalogue):
    listed = {item["code"]: item for item in get_json(client, "/api/v1/scenarios")["items"]}
    for code, item in listed.items():
        response = client.get(f"/api/v1/scenarios/{code}")
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.get_json() == item


@pytest.mark.parametrize("code", ["NO-SUCH-CODE", "QD-2024-0005", "qd-2022-0001", "%20"])
def test_detail_of_an_unknown_or_unpublished_code_is_a_json_404(client, catalogue, code):
    body = get_json(client, f"/api/v1/scenarios/{code}", 404)
    assert body == {"error": {"code": "not_found", "message": "no published scenario has this code", "details": {}}}


def test_withdrawn_scenarios_disappear(client, catalogue):
    scenario = db.session.scalar(db.select(Scenario).where(Scenario.code == "QD-2022-0002"))
    scenario.status = ScenarioStatus.WITHDRAWN
    db.session.commit()
    assert "QD-2022-0002" not in codes(get_json(client, "/api/v1/scenarios"))
    get_json(client, "/api/v1/scenarios/QD-2022-0002", 404)


def test_a_hit_the_index_still_holds_is_not_shown_once_unpublished(client, catalogue):
    # A bulk UPDATE is invisible to the index hooks: the index lags the database.
    db.session.execute(update(Scenario).where(Scenario.code == "QD-2022-0001").values(status=ScenarioStatus.WITHDRAWN))
    db.session.commit()
    body = get_json(client, "/api/v1/scenarios?sort=code")
    assert codes(body) == ["QD-2022-0002", "QD-2023-0003", "QD-2023-0004"]


def test_query_searches_published_text_only(client, catalogue):
    body = get_json(client, "/api/v1/scenarios?q=预测性维护")
    # its words first, then the MES scenario only filed under 预测性维护 (its label); never the draft
    assert codes(body) == ["QD-2022-0001", "QD-2023-0003"] and body["total"] == 2
    assert codes(get_json(client, "/api/v1/scenarios?q=PdM")) == ["QD-2022-0001", "QD-2023-0003"]  # synonym
    assert get_json(client, "/api/v1/scenarios?q=不存在的词语组合")["items"] == []
    assert get_json(client, "/api/v1/scenarios?q=%20%20")["total"] == 4  # blank: everything


def test_facet_counts_without_filters(client, catalogue):
    facets = get_json(client, "/api/v1/scenarios")["facets"]
    assert facets["industry"] == {"EQP": 1, "AUT": 1, "APL": 1, "TEX": 1}
    assert facets["domain"] == {"IM": 2, "PD": 1, "DM": 2}
    assert facets["category"] == {"C04": 2, "C01": 1, "C05": 1}
    assert facets["district"] == {"LS": 1, "SN": 1, "LC": 1}
    batches = catalogue["batches"]
    assert facets["batch"] == {str(batches["first"]): 2, str(batches["second"]): 2}


def test_filters_or_within_a_facet_and_within_across_facets(client, catalogue):
    body = get_json(client, "/api/v1/scenarios?industry=EQP&industry=AUT&sort=code")
    assert codes(body) == ["QD-2022-0001", "QD-2022-0002"] and body["total"] == 2
    # The chosen facet still counts its other values; the others count within the selection.
    assert body["facets"]["industry"] == {"EQP": 1, "AUT": 1, "APL": 1, "TEX": 1}
    assert body["facets"]["domain"] == {"IM": 2, "PD": 1}
    body = get_json(client, "/api/v1/scenarios?industry=EQP&industry=AUT&district=SN")
    assert codes(body) == ["QD-2022-0002"]
    assert get_json(client, "/api/v1/scenarios?industry=EQP&district=SN")["total"] == 0
    body = get_json(client, f"/api/v1/scenarios?batch={catalogue['batches']['second']}&sort=code")
    assert codes(body) == ["QD-2023-0003", "QD-2023-0004"]
    body = get_json(client, "/api/v1/scenarios?domain=DM&category=C05")
    assert codes(body) == ["QD-2023-0004"]
    body = get_json(client, "/api/v1/scenarios?subcategory=C04-2&q=MES")
    assert codes(body) == ["QD-2023-0003"]


def test_a_chosen_value_without_matches_is_counted_as_zero(client, catalogue):
    body = get_json(client, "/api/v1/scenarios?industry=FOOD")
    assert body["total"] == 0 and body["items"] == []
    assert body["facets"]["industry"]["FOOD"] == 0


def test_an_inactive_taxonomy_code_is_still_a_valid_filter(client, catalogue):
    from app.taxonomy.models import Industry

    db.session.scalar(db.select(Industry).where(Industry.code == "EQP")).is_active = False
    db.session.commit()
    assert codes(get_json(client, "/api/v1/scenarios?industry=EQP")) == ["QD-2022-0001"]


def test_pages_of_one(client, catalogue):
    seen = []
    for page in range(1, 5):
        body = get_json(client, f"/api/v1/scenarios?per_page=1&page={page}&sort=code")
        assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (4, page, 1, 1)
        seen += codes(body)
    assert seen == ["QD-2022-0001", "QD-2022-0002", "QD-2023-0003", "QD-2023-0004"]
    body = get_json(client, "/api/v1/scenarios?per_page=1&page=5")
    assert (body["items"], body["total"], body["page"]) == ([], 4, 5)
    body = get_json(client, "/api/v1/scenarios?page=100000")
    assert (body["items"], body["total"]) == ([], 4)


def test_page_sizes_at_the_limits(client, catalogue):
    assert len(get_json(client, "/api/v1/scenarios?per_page=100")["items"]) == 4
    assert len(get_json(client, "/api/v1/scenarios?per_page=3")["items"]) == 3
    assert get_json(client, "/api/v1/scenarios?per_page=007")["per_page"] == 7


def test_sorts(client, catalogue):
    by_code = codes(get_json(client, "/api/v1/scenarios?sort=code"))
    assert by_code == sorted(by_code)
    newest = codes(get_json(client, "/api/v1/scenarios?sort=newest"))
    assert set(newest[:2]) == {"QD-2023-0003", "QD-2023-0004"}  # the 2023 batch first
    assert codes(get_json(client, "/api/v1/scenarios?sort=relevance")) == newest  # no query: newest
    assert codes(get_json(client, "/api/v1/scenarios?q=数字孪生&sort=relevance")) == ["QD-2022-0002"]


def test_an_empty_catalogue(client):
    body = get_json(client, "/api/v1/scenarios")
    assert body["items"] == [] and body["total"] == 0
    assert body["facets"] == {name: {} for name in FACET_KEYS}

"""Bad parameters answer 400 naming each one; unknown things answer a JSON 404; never HTML."""

import logging

import pytest

from app.api import services

PER_PAGE = "must be an integer from 1 to 100"
PAGE = "must be an integer from 1 to 100000"


def bad_request(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "bad_request"
    assert body["error"]["message"] == "invalid query parameters"
    return body["error"]["details"]


@pytest.mark.parametrize("value", ["0", "101", "-1", "abc", "1.5", "", " 5", "1e2", "١٢", "99999999999999999999"])
def test_per_page_must_be_an_integer_from_1_to_100(client, catalogue, value):
    assert bad_request(client, f"/api/v1/scenarios?per_page={value}") == {"per_page": PER_PAGE}


@pytest.mark.parametrize("value", ["0", "-3", "abc", "", "100001", "2.0", "1" * 5000])
def test_page_must_be_a_positive_integer(client, catalogue, value):
    assert bad_request(client, f"/api/v1/scenarios?page={value}") == {"page": PAGE}


@pytest.mark.parametrize("value", ["popular", "", "CODE", "relevance "])
def test_unknown_sort(client, catalogue, value):
    assert bad_request(client, f"/api/v1/scenarios?sort={value}") == {"sort": "must be one of: relevance, newest, code"}


def test_query_longer_than_100_characters(client, catalogue):
    assert bad_request(client, "/api/v1/scenarios?q=" + "维" * 101) == {"q": "must be at most 100 characters"}
    assert client.get("/api/v1/scenarios?q=" + "维" * 100).status_code == 200


@pytest.mark.parametrize(
    ("query", "facet", "shown"),
    [
        ("industry=NOPE", "industry", "'NOPE'"),
        ("industry=EQP&industry=eqp", "industry", "'eqp'"),
        ("domain=XX", "domain", "'XX'"),
        ("category=C99", "category", "'C99'"),
        ("subcategory=C04-99", "subcategory", "'C04-99'"),
        ("district=", "district", "''"),
        ("batch=abc", "batch", "'abc'"),
        ("batch=99999", "batch", "'99999'"),
    ],
)
def test_unknown_facet_values(client, catalogue, query, facet, shown):
    details = bad_request(client, f"/api/v1/scenarios?{query}")
    assert list(details) == [facet]
    assert shown in details[facet] and "see /api/v1/taxonomy" in details[facet]


def test_a_draft_batch_is_unknown(client, catalogue):
    details = bad_request(client, f"/api/v1/scenarios?batch={catalogue['batches']['draft']}")
    assert details["batch"].startswith("unknown batch ids")


def test_unknown_parameters_are_refused(client, catalogue):
    details = bad_request(client, "/api/v1/scenarios?industy=EQP")
    assert details == {
        "industy": "unknown parameter; allowed: q, sort, page, per_page, lang, industry, domain, category, "
        "subcategory, district, batch"
    }


def test_single_parameters_may_not_repeat(client, catalogue):
    assert bad_request(client, "/api/v1/scenarios?q=a&q=b") == {"q": "must be given at most once"}
    assert bad_request(client, "/api/v1/scenarios?page=1&page=2") == {"page": "must be given at most once"}


def test_every_bad_parameter_is_named_at_once(client, catalogue):
    details = bad_request(client, "/api/v1/scenarios?per_page=0&sort=x&foo=1&industry=NOPE&page=a")
    assert set(details) == {"per_page", "sort", "foo", "industry", "page"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/",
        "/api/v1",
        "/api/v2/scenarios",
        "/api/",
        "/api/v1/scenarios/QD-2022-0001/extra",
        "/api/v1/scenarios/",
    ],
)
def test_unknown_api_paths_answer_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json()["error"] == {
        "code": "not_found",
        "details": {},
        "message": "no such API endpoint: see /api/v1/openapi.json",
    }
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_other_paths_keep_their_html_404(client):
    for path in ("/no-such-page", "/apix", "/scenarios/NO-SUCH-CODE"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "页面不存在" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_api_is_read_only(client, method):
    response = client.open("/api/v1/scenarios", method=method)
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_head_and_options_work(client, catalogue):
    assert client.head("/api/v1/scenarios").status_code == 200
    assert client.options("/api/v1/scenarios").status_code == 200


def test_an_unexpected_error_is_a_logged_json_500(client, catalogue, monkeypatch, caplog):
    def broken(query):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(services, "list_scenarios", broken)
    with caplog.at_level(logging.ERROR, logger="gongfu.api"):
        response = client.get("/api/v1/scenarios")
    assert response.status_code == 500
    assert response.get_json()["error"] == {"code": "internal_error", "message": "internal error", "details": {}}
    assert "index on fire" in caplog.text

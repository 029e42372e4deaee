"""Whatever the query string, the list answers 200 or 400, in JSON: never a server error."""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.services import LIST_PARAMETERS

NAMES = st.one_of(st.sampled_from([*LIST_PARAMETERS, "industy", "PAGE", "q[]", ""]), st.text(max_size=12))
VALUES = st.one_of(
    st.sampled_from(
        [
            "EQP",
            "AUT",
            "IM",
            "DM",
            "C04",
            "C04-2",
            "LS",
            "SN",
            "1",
            "2",
            "0",
            "-1",
            "100",
            "101",
            "relevance",
            "newest",
            "code",
            "预测性维护",
            "PdM",
            "数字孪生",
            "%",
            "\x00",
            "",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.text(max_size=120),
)
PAIRS = st.lists(st.tuples(NAMES, VALUES), max_size=6)
RAW = st.text(alphabet=st.characters(codec="utf-8"), max_size=80).map(lambda s: quote(s, safe="=&%+;"))


def check(response) -> None:
    assert response.status_code in (200, 400), (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code == 200:
        assert set(body) == {"items", "total", "page", "per_page", "facets"}
        assert len(body["items"]) <= body["per_page"] and body["total"] >= 0
    else:
        assert body["error"]["code"] == "bad_request" and body["error"]["details"]


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=PAIRS)
def test_parameters_never_cause_a_server_error(client, catalogue, pairs):
    check(client.get("/api/v1/scenarios?" + urlencode(pairs)))


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=RAW)
def test_raw_query_strings_never_cause_a_server_error(client, catalogue, raw):
    check(client.get("/api/v1/scenarios", query_string=raw))

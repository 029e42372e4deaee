"""The API is public: every route answers every kind of visitor alike (the rows to add to
tests/test_permissions.py's TABLE), with the portal's security headers and no cookie."""

import pytest

from tests.test_permissions import ROLES

ROUTES = [
    ("api.scenarios", "/api/v1/scenarios?q=维护"),
    ("api.scenario", "/api/v1/scenarios/{scenario}"),
    ("api.needs", "/api/v1/needs?q=维护"),
    ("api.need", "/api/v1/needs/{need}"),
    ("api.solutions", "/api/v1/solutions?plug_and_play=yes"),
    ("api.solution", "/api/v1/solutions/{solution}"),
    ("api.events", "/api/v1/events?kind=finance"),
    ("api.event", "/api/v1/events/{event}"),
    ("api.articles", "/api/v1/articles?category=notice"),
    ("api.article", "/api/v1/articles/{article}"),
    ("api.plan_indicators", "/api/v1/indicators"),
    ("api.taxonomy", "/api/v1/taxonomy"),
    ("api.openapi", "/api/v1/openapi.json"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "path"), ROUTES)
def test_every_role_gets_the_same_public_answer(client, login, world, endpoint, path, role):
    users, ids = world
    if users[role] is not None:
        login(users[role])
    response = client.get(path.format(**ids))
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    if users[role] is None:
        assert "Set-Cookie" not in response.headers


def test_the_routes_are_these(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")} == {
        endpoint for endpoint, _ in ROUTES
    }

"""`Cache-Control: private, no-store` on every response to a signed-in visitor (app/core/security.py):
no browser or proxy keeps a page, an export or a file someone saw while signed in. Public pages,
public exports and public files fetched anonymously keep what they sent before: they are the same
for everyone."""

from tests.test_permissions import TABLE, fresh_client

GET_ROWS = [(endpoint, path, expected) for endpoint, method, path, expected in TABLE if method == "GET"]


def not_stored(response) -> bool:
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_every_response_to_a_signed_in_visitor_is_private_and_not_stored(app, world):
    users, ids = world
    stored = []
    for role in ("admin", "owner"):
        client = fresh_client(app, users[role])
        for endpoint, path, _expected in GET_ROWS:
            response = client.get(path.format(**ids))
            if not not_stored(response):
                stored.append((role, endpoint, response.status_code, response.headers.get("Cache-Control")))
    assert stored == []


def test_the_pages_named_in_the_review_are_not_stored(client, login, world):
    users, ids = world
    login(users["admin"])
    for url in (f"/admin/outbox/{ids['mail']}", "/stats/ledger.csv", f"/inquiries/{ids['inquiry']}"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"


def test_actions_of_a_signed_in_visitor_are_not_stored(client, login, world):
    users, _ids = world
    login(users["owner"])
    response = client.post_form("/inbox/read")
    assert response.status_code == 302
    assert not_stored(response)


def test_anonymous_public_pages_exports_and_files_are_not_forced_private(client, world):
    """What anyone may fetch without signing in (pages, /scenarios/export.csv, an event's .ics, a
    published solution's attachment) is the same for everyone: caches may keep it."""
    _users, ids = world
    forced = []
    public = [(endpoint, path) for endpoint, path, expected in GET_ROWS if expected["anonymous"] == 200]
    assert {"scenarios.export", "events.calendar", "solutions.attachment"} <= {endpoint for endpoint, _ in public}
    for endpoint, path in public:
        response = client.get(path.format(**ids))
        if response.status_code == 200 and "no-store" in response.headers.get("Cache-Control", ""):
            forced.append(endpoint)
    assert forced == []


def test_private_files_are_not_stored_even_when_already_marked(client, login, world):
    """A private stored file says `private, no-store` itself; the header is not doubled."""
    users, ids = world
    login(users["owner"])
    response = client.get(f"/inquiries/{ids['inquiry']}/files/{ids['inquiry_file']}")
    assert response.status_code == 200
    assert response.headers.getlist("Cache-Control") == ["private, no-store"]

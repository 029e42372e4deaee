"""Nothing writes on a GET: every page of the role × route table, opened by every role, sends the
database no INSERT, UPDATE or DELETE. Signing in is a POST and writes; only the GETs are watched.
(Every other GET the test client makes in the suite is watched too: tests/conftest.py.)"""

from tests.test_permissions import READS, ROLES, fresh_client


def test_no_page_writes_on_a_get(app, world, writes):
    users, ids = world
    written = []
    for role in ROLES:
        client = fresh_client(app, users[role])
        for endpoint, _method, path, _expected in READS:
            writes.clear()
            client.get(path.format(**ids))
            if writes:
                written.append(f"{endpoint} {path} as {role}: " + "; ".join(writes))
    assert not written, "\n".join(written)

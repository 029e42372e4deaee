"""Signed-in pages (never cached) run a bounded number of queries, however much their owner has,
and answer without signing the session cookie again."""

import pytest
from sqlalchemy import event, select

from app.accounts.models import OrgKind, SiteRole
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Topic
from app.taxonomy.models import District

#: Each page's queries: the user (with their organization), the inbox's unread count, and what the
#: page itself shows.
BOUNDS = {"dashboard": 2, "inbox": 3, "need": 8, "admin statistics": 5}


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        # Not the tests' SAVEPOINTs, nor the data version, which production reads from the cache.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")) and (
            "FROM data_version" not in statement
        ):
            self.statements.append(statement)


@pytest.fixture
def count_queries(app):
    counter = QueryCounter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


@pytest.fixture
def pages(make_user, make_org, make_need, make_solution):
    owner = make_user()
    org = make_org(owner=owner, verified=True)
    district = db.session.scalar(select(District).where(District.code == "LS"))
    need = make_need(org, owner, title="注塑车间能耗监测", domains=("IM", "DM"), district_id=district.id)
    provider_owner = make_user()
    provider = make_org(owner=provider_owner, kind=OrgKind.PROVIDER, verified=True)
    for title in ("能耗监测云平台", "设备预测性维护套件", "注塑车间数字孪生"):
        make_solution(provider, provider_owner, title=title)
    for n in range(5):
        notifications.notify([owner], Topic.STATE, f"状态变化 {n}", "home.index")
    db.session.commit()
    admin = make_user(role=SiteRole.ADMIN)
    return {
        "dashboard": (owner, "/dashboard"),
        "inbox": (owner, "/inbox/"),
        "need": (owner, f"/needs/{need.id}"),
        "admin statistics": (admin, "/stats/"),
    }


@pytest.mark.parametrize("page", list(BOUNDS))
def test_a_signed_in_page_runs_a_bounded_number_of_queries(client, login, pages, count_queries, page):
    user, url = pages[page]
    login(user)
    assert client.get(url).status_code == 200  # the first visit fills what is kept per data version
    count_queries.statements.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert len(count_queries.statements) <= BOUNDS[page], "\n".join(count_queries.statements)
    assert "Set-Cookie" not in response.headers

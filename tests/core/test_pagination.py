"""Paginated lists count their rows only when the page does not tell (app/core/pagination.py)."""

import pytest
from sqlalchemy import event

from app.core.pagination import paginate
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Topic

PER_PAGE = 4


@pytest.fixture
def inbox_of(app, make_user):
    def make(size: int):
        user = make_user()
        for n in range(size):
            notifications.notify([user], Topic.STATE, f"状态变化 {n}", "home.index")
        db.session.commit()
        return user

    return make


def _page(app, user, number: int):
    """The page and the number of COUNT queries run to make it."""
    counts: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement.lower():
            counts.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context(f"/?page={number}"):
            page = paginate(notifications.inbox(user), per_page=PER_PAGE)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return page, len(counts)


@pytest.mark.parametrize("size", [0, 1, PER_PAGE - 1, PER_PAGE, PER_PAGE + 1, 3 * PER_PAGE, 3 * PER_PAGE + 2])
def test_every_page_knows_the_total_and_only_a_full_or_empty_page_counts(app, inbox_of, size):
    user = inbox_of(size)
    seen = []
    for number in range(1, size // PER_PAGE + 3):
        page, counted = _page(app, user, number)
        seen += [n.id for n in page.items]
        assert page.total == size
        assert page.pages == -(-size // PER_PAGE)
        full = len(page.items) == PER_PAGE
        past_the_end = not page.items and number > 1
        assert counted == (1 if full or past_the_end else 0)
    assert len(seen) == len(set(seen)) == size

"""Whole numbers in URLs and query strings (app/core/numbers.py): whatever a visitor types, a
number the database cannot hold, a negative one or letters, is a 404 in a path and the default
in a query string, never a server error."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlalchemy import select

from app.core.numbers import DB_INT_MAX, parse_int
from app.events.models import EventSlot, EventTable
from app.extensions import db
from app.incubation.models import AnnualFigures
from tests.test_permissions import TABLE, fresh_client

APP = Path(__file__).resolve().parents[2] / "app"

TOO_BIG = (str(DB_INT_MAX + 1), "9223372036854775808", "99999999999999999999999999")
NOT_NUMBERS = ("-1", "abc", "²", "1e3", "0x10")
BAD_VALUES = (str(DB_INT_MAX), *TOO_BIG, *NOT_NUMBERS)

PAGED = (
    "admin.audit_log",
    "admin.organizations",
    "admin.outbox",
    "admin.users",
    "event_admin.index",
    "event_admin.manage",
    "events.participants",
    "inbox.index",
    "inquiries.index",
    "moderation.queue",
    "needs.index",
    "needs.mine",
    "saved_searches.index",
    "scenario_admin.batch",
    "scenario_admin.index",
    "scenarios.batch_list",
    "scenarios.export",
    "scenarios.index",
    "solutions.index",
    "solutions.mine",
    "stats.ledger_rows",
)
# The numbers each page reads from its query string besides `page`.
NUMERIC_QUERY = {
    "admin.audit_log": ("target_id",),
    "api.scenarios": ("page", "per_page", "batch"),
    "catalog.new_entry": ("category_id",),
    "events.participants": ("industry", "domain"),
    "incubation_admin.enrol": ("org",),
    "solutions.compare": ("id",),
    "stats.ledger_csv": ("provider",),
    "stats.ledger_rows": ("provider",),
}
GET_ROWS = [(endpoint, path, expected) for endpoint, method, path, expected in TABLE if method == "GET"]


def query_names(endpoint: str) -> tuple[str, ...]:
    return (("page",) if endpoint in PAGED else ()) + NUMERIC_QUERY.get(endpoint, ())


def with_arg(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    args = [(k, v) for k, v in parse_qsl(parts.query) if k != name] + [(name, value)]
    return f"{parts.path}?{urlencode(args)}"


NUMBER_SEGMENT = re.compile(r"^[0-9]+(\.\w+)?$")


def with_segment(url: str, position: int, value: str) -> str:
    path, _, query = url.partition("?")
    segments = path.split("/")
    segments[position] = re.sub(r"^[0-9]+", lambda _m: value, segments[position])
    return "/".join(segments) + (f"?{query}" if query else "")


def number_segments(url: str) -> list[int]:
    return [i for i, segment in enumerate(url.partition("?")[0].split("/")) if NUMBER_SEGMENT.match(segment)]


def roles_for(expected: dict) -> list[str]:
    """Anonymous and the admin; the owner too where the admin is turned away and the owner is not."""
    return ["anonymous", "admin"] + (["owner"] if expected["owner"] == 200 and expected["admin"] != 200 else [])


def get(client, url):
    try:
        return client.get(url).status_code
    except Exception as error:  # a server error, as the test client propagates it
        return type(error).__name__


def test_parse_int_takes_ascii_digits_within_the_range():
    assert parse_int("42") == 42
    assert parse_int("007") == 7
    assert parse_int(str(DB_INT_MAX)) == DB_INT_MAX
    assert parse_int("-5", minimum=-10) == -5
    for text in (None, "", " 4", "+4", "4_0", "٤", *TOO_BIG, *NOT_NUMBERS, "9" * 5000):
        assert parse_int(text) is None, text
    assert parse_int("5", minimum=6) is None
    assert parse_int("5", maximum=4) is None


def test_numbers_in_paths_out_of_range_are_not_found(app, world):
    """Every number in every page's path, replaced by a bad one: a 404 (the largest number the
    database holds finds nothing, or whatever else the page answers: never a server error)."""
    users, ids = world
    clients = {role: fresh_client(app, users[role]) for role in ("anonymous", "admin", "owner")}
    wrong = []
    for endpoint, template, expected in GET_ROWS:
        url = template.format(**ids)
        for position in number_segments(url):
            for value in BAD_VALUES:
                bad_url = with_segment(url, position, value)
                for role in roles_for(expected):
                    status = get(clients[role], bad_url)
                    if status != 404 and not (value == str(DB_INT_MAX) and isinstance(status, int) and status < 500):
                        wrong.append((role, endpoint, bad_url, status))
    assert wrong == []


def test_numbers_in_query_strings_never_fail(app, world):
    users, ids = world
    clients = {role: fresh_client(app, users[role]) for role in ("anonymous", "admin", "owner")}
    wrong = []
    for endpoint, template, expected in GET_ROWS:
        url = template.format(**ids)
        for name in query_names(endpoint):
            for value in BAD_VALUES:
                bad_url = with_arg(url, name, value)
                for role in roles_for(expected):
                    status = get(clients[role], bad_url)
                    if not isinstance(status, int) or status >= 500:
                        wrong.append((role, endpoint, bad_url, status))
    assert wrong == []


def test_the_lists_cover_every_page_and_every_number_read():
    """Pages that paginate are in PAGED; every name read with the shared parser is in the lists;
    nothing else in app/ turns request values into numbers."""
    tested = set(PAGED) | set(NUMERIC_QUERY)
    known = {endpoint for endpoint, _path, _expected in GET_ROWS}
    assert tested <= known
    names = {"page"} | {name for names in NUMERIC_QUERY.values() for name in names}
    read: set[str] = set()
    elsewhere = []
    for path in APP.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"\bint_args?\(\s*\"(\w+)\"", source))
        reads_requests = "request." in source or "args.get" in source
        if reads_requests and re.search(r"type=int\b|\.isdigit\(\)|\bint\((request|args)\b", source):
            elsewhere.append(str(path.relative_to(APP)))
    assert elsewhere == []
    assert read - names == set()


@pytest.mark.parametrize("value", TOO_BIG)
def test_compare_ignores_ids_too_large(client, world, value):
    _users, ids = world
    response = client.get(f"/solutions/compare?id={value}&id={ids['solution']}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", TOO_BIG)
def test_figures_with_a_count_too_large_are_refused(client, login, world, value):
    users, _ids = world
    login(users["owner"])
    data = {"year": "2023", "revenue": "100", "net_profit": "10", "rd_spending": "5", "financing": "0"}
    data |= {"employees": value, "rd_staff": "1", "invention_patents": "0", "other_ip": "0"}
    response = client.post_form("/incubation/figures", data)
    assert response.status_code == 200
    assert "人数和件数过大" in response.get_data(as_text=True)
    assert db.session.scalar(select(AnnualFigures).where(AnnualFigures.year == 2023)) is None


@pytest.mark.parametrize("value", TOO_BIG)
def test_moving_a_meeting_of_an_id_too_large_is_refused(client, login, world, value):
    users, ids = world
    login(users["admin"])
    slot = db.session.scalar(select(EventSlot.id).where(EventSlot.event_id == ids["event"]))
    table = db.session.scalar(select(EventTable.id).where(EventTable.event_id == ids["event"]))
    response = client.post_form(
        f"/admin/events/{ids['event']}/schedule/move", {"request_id": value, "slot": slot, "table": table}
    )
    assert response.status_code in (302, 404)

"""What a page offers its viewer: links they may follow, the state of a meeting request as their
side reads it, and only the taxonomy entries still in use."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag

import pytest
from sqlalchemy import select

from app.catalog.services import set_entry_active
from app.events import services as events
from app.events.models import EventKind, ParticipantRole, Registration
from app.extensions import db
from app.taxonomy.models import Industry
from tests.conftest import PASSWORD

ROLES = ("anonymous", "other_member", "member", "owner", "expert", "admin")
ADMIN_PAGES = ("/stats/", "/admin/")


def start_pages(ids: dict, role: str, competition: int) -> list[str]:
    pages = [
        "/",
        "/dashboard",
        "/needs/",
        f"/needs/{ids['need']}",
        "/solutions/",
        f"/solutions/{ids['solution']}",
        "/events/",
        f"/events/{ids['event']}",
        f"/events/{ids['event']}/agenda",
        "/pilots/",
        f"/pilots/{ids['pilot_call']}",
        "/incubation",
        "/stats/public",
        "/inbox/",
        f"/orgs/{ids['org']}",
        "/scenarios/",
    ]
    admin_pages = [*ADMIN_PAGES, f"/admin/events/{competition}/judging"]
    return pages + admin_pages if role == "admin" else pages


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith(("//", "/static/")):
            self.found.add(urldefrag(href).url)


def local_links(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def signed_in_client(app, user):
    client = app.test_client()
    if user is not None:
        response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_page_links_where_its_viewer_may_not_go(app, world, role, make_event):
    users, ids = world
    competition = make_event(users["admin"], kind=EventKind.COMPETITION, title="工业APP创新大赛").id
    client = signed_in_client(app, users[role])
    links: dict[str, str] = {}  # link → the first page that showed it
    seen: dict[str, int] = {}  # URL → status, each fetched once
    for page in start_pages(ids, role, competition):
        response = client.get(page)
        seen[page] = response.status_code
        assert response.status_code < 500, page
        if response.status_code == 200 and response.mimetype == "text/html":
            for link in local_links(response.get_data(as_text=True)):
                links.setdefault(link, page)
    assert links, "no page showed a link"
    broken = {}
    for link, page in sorted(links.items()):
        status = seen[link] if link in seen else client.get(link).status_code
        if status in (403, 404) or status >= 500:
            broken[link] = (status, page)
    assert broken == {}


def _request_status(client, event_id: int) -> list[str]:
    page = client.get(f"/events/{event_id}/meetings").get_data(as_text=True)
    return re.findall(r'data-test="request-status">([^<]*)<', page)


def test_a_pending_meeting_request_awaits_the_recipient_as_each_side_reads_it(app, world, make_user, make_org):
    users, ids = world
    sender = make_user("sender@example.com")
    make_org(owner=sender, name="青岛发起方科技")
    recipient = db.session.get(Registration, ids["registration"])
    with app.test_request_context():
        events.register(recipient.event, sender, events.Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
        events.send_request(recipient.event, sender, recipient, "想聊聊数据采集。")
    db.session.commit()
    event_id = recipient.event_id

    sender_client = signed_in_client(app, sender)
    assert _request_status(sender_client, event_id) == ["待对方答复"]
    recipient_client = signed_in_client(app, users["owner"])
    assert "待您答复" in _request_status(recipient_client, event_id)
    assert "待对方答复" not in _request_status(recipient_client, event_id)


def _options(page: str, name: str) -> set[str]:
    select_tag = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_tag is not None, name
    return set(re.findall(r'<option value="([^"]+)"', select_tag.group(1)))


def test_filters_offer_only_active_industries(app, world):
    users, ids = world
    kept, retired = db.session.scalars(select(Industry).where(Industry.is_active.is_(True)).limit(2)).all()
    set_entry_active(retired, False, users["admin"])
    db.session.commit()

    admin = signed_in_client(app, users["admin"])
    stats = _options(admin.get("/stats/").get_data(as_text=True), "industry")
    assert kept.code in stats
    assert retired.code not in stats
    participants = _options(admin.get(f"/events/{ids['event']}/participants").get_data(as_text=True), "industry")
    assert str(kept.id) in participants
    assert str(retired.id) not in participants

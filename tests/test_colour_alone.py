"""No information conveyed by colour alone (issue 19, 适老化): badges carry words, a selected filter
card and a thread's unread count say so in text or shape, and a calendar day of another month names
its month. The charts' series are told apart by patterns and line styles (static/js), and each chart
has its figures as a table (tests/stats/test_chart_tables.py, tests/catalog/test_atlas_access.py)."""

import re
from datetime import date

from lxml import html as lxml_html

from app.accounts.models import OrgKind, SiteRole
from app.catalog.models import BatchStatus
from app.events import month
from tests.conftest import ROOT

BADGE = re.compile(r"<span\b[^>]*\bclass=\"[^\"]*\bbadge\b[^\"]*\"[^>]*>(.*?)</span>", re.S)


def test_every_badge_in_the_templates_has_words():
    empty = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in BADGE.finditer(path.read_text(encoding="utf-8")):
            if not re.sub(r"<[^>]+>|\s", "", match.group(1)):
                empty.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]}")
    assert empty == []


def test_a_threads_unread_count_says_unread_in_words(client, login, make_user, make_org, make_solution):
    provider = make_user("colour-provider@example.com")
    solution = make_solution(make_org(owner=provider, kind=OrgKind.PROVIDER, verified=True), provider)
    enterprise = make_user("colour-enterprise@example.com")
    make_org(owner=enterprise, kind=OrgKind.ENTERPRISE)
    login(enterprise)
    assert client.post_form(f"/inquiries/solution/{solution.id}/new", {"body": "想了解部署周期。"}).status_code == 302
    client.post_form("/logout")
    login(provider)
    document = lxml_html.fromstring(client.get("/inquiries/").get_data(as_text=True))
    (badge,) = document.xpath("//main//span[contains(@class, 'rounded-pill')][contains(@class, 'text-bg-danger')]")
    count, words = badge.text.strip(), badge.xpath("./span[@class='visually-hidden']")[0].text_content()
    assert count.isdigit() and int(count) > 0 and words == "条未读"


def test_the_selected_change_card_of_a_batch_is_marked_by_more_than_its_colour(client, login, make_user, make_batch):
    login(make_user("colour-admin@example.com", role=SiteRole.ADMIN))
    batch = make_batch(status=BatchStatus.DRAFT)
    document = lxml_html.fromstring(
        client.get(f"/admin/scenarios/batches/{batch.id}?change=changed").get_data(as_text=True)
    )
    cards = document.xpath("//a[contains(@class, 'card')][contains(@href, 'change=')]")
    current = [card for card in cards if card.get("aria-current") == "true"]
    assert len(cards) == 3 and len(current) == 1 and "change=changed" in current[0].get("href")
    assert "border-3" in current[0].get("class")
    assert all("border-3" not in card.get("class") for card in cards if card is not current[0])


def test_a_calendar_day_of_another_month_names_its_month(client):
    shown = month.month_of(date(2026, 12, 1))
    others = [day.date for week in shown.weeks for day in week if not day.in_month]
    assert others
    document = lxml_html.fromstring(client.get("/events/calendar?month=2026-12").get_data(as_text=True))
    for day in others:
        (cell,) = document.xpath(f"//td[@data-test='day-{day.isoformat()}']")
        assert cell.xpath("./div")[0].text_content().strip() == f"{day.month}月{day.day}日"
    inside = document.xpath("//td[@data-test='day-2026-12-15']/div")[0].text_content().strip()
    assert inside == "15"

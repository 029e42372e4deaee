"""axe-core on every public page and the main member and admin pages, in Chinese and English, at
desktop (1280 px) and phone (375 px) width: no serious or critical violation of WCAG 2.0 A and AA
and WCAG 2.1 AA (GB/T 37668-2019 follows WCAG 2.1 AA), and no violation at all of the rules on
headings and landmarks that a screen reader navigates by.

axe is a test-only asset that `make test-setup` fetches (scripts/fetch-test-assets.py). To keep this
quick, each visitor has one browser tab: a page is loaded once per language, checked at desktop
width, then narrowed to phone width and checked again.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import PASSWORD, Factories
from tests.world import build_world

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
#: axe's best-practice rules on the page's outline, failed at any impact: headings in order, one main,
#: banner and footer at the top level, landmarks of one kind told apart by their names.
STRUCTURE_RULES = [
    "heading-order",
    "page-has-heading-one",
    "empty-heading",
    "landmark-one-main",
    "landmark-unique",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "region",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

#: (rule, path) → why that page may break that rule. Keep it empty where at all possible.
EXCEPTIONS: dict[tuple[str, str], str] = {}

#: axe reads the style sheets once per page for its CSS rules (orientation lock): the narrowed page
#: is checked without reading them again.
AXE_RUN = """async ([tags, structure, preload]) => {
  const rules = Object.fromEntries(structure.map((id) => [id, {enabled: true}]));
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, rules, preload, resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@dataclass(frozen=True)
class Visit:
    path: str
    who: str = "anonymous"  # "anonymous" or a role of the world (tests/world.py), signed in
    submit_empty: bool = False  # also checked after sending the form empty: its errors shown


def visits(ids: dict) -> list[Visit]:
    public = [
        "/",
        "/scenarios/",
        "/scenarios/?q=预测性维护&industry=EQP",
        f"/scenarios/{ids['scenario']}",
        "/scenarios/batches",
        f"/scenarios/batches/{ids['batch']}",
        "/atlas",
        "/needs/",
        f"/needs/{ids['need']}",
        "/solutions/",
        f"/solutions/{ids['solution']}",
        "/events/",
        "/events/calendar",
        f"/events/{ids['event']}",
        "/stats/public",
        "/pilots/",
        f"/pilots/{ids['pilot_call']}",
        "/incubation",
        f"/incubation/{ids['track']}",
        "/news/",
        f"/news/{ids['article']}",
        f"/orgs/{ids['org']}",
        "/search?q=预测性维护",
        "/data",
        "/privacy",
        "/terms",
        "/sitemap",
        "/login",
        "/password/forgot",
    ]
    return [
        *(Visit(path) for path in public),
        Visit("/register", submit_empty=True),
        Visit("/dashboard", "owner"),
        Visit("/needs/new", "owner", submit_empty=True),
        Visit(f"/inquiries/{ids['inquiry']}", "owner"),
        Visit(f"/events/{ids['event']}/agenda", "owner"),
        Visit(f"/pilots/applications/{ids['pilot_application']}", "expert"),
        Visit("/admin/", "admin"),
    ]


def failures(page: Page, preload: bool) -> list[tuple[str, str, str]]:
    """(rule, impact, element and what is wrong) of each failing element."""
    found = []
    for violation in page.evaluate(AXE_RUN, [WCAG_TAGS, STRUCTURE_RULES, preload]):
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in STRUCTURE_RULES:
            found.extend(
                (violation["id"], violation["impact"], f"{n['target']}: {n['summary']}") for n in violation["nodes"]
            )
    return found


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(base + "/dashboard")


def check(page: Page, base: str, visit: Visit, language: str) -> list[str]:
    page.set_viewport_size(DESKTOP)
    response = page.goto(base + visit.path)
    assert response is not None and response.ok, f"{visit.path}: {response and response.status}"
    states = [""]
    if visit.submit_empty:
        states.append(" (sent empty)")
    found = []
    for state in states:
        if state:
            page.locator("main form[method=post] [type=submit]").last.click()
            expect(page.locator("main [aria-invalid=true]").first).to_be_focused()
        for width, size, preload in (("desktop", DESKTOP, True), ("phone", PHONE, False)):
            page.set_viewport_size(size)
            for rule, impact, detail in failures(page, preload):
                if (rule, visit.path) not in EXCEPTIONS:
                    found.append(f"{language} {width} {visit.path}{state} [{visit.who}]: {rule} ({impact}) {detail}")
        page.set_viewport_size(DESKTOP)
    return found


@pytest.fixture
def planned(app, tmp_path, factories: Factories) -> list[Visit]:
    """The shared world (tests/world.py) and published scenarios in several cells of the atlas."""
    world = build_world(app, factories, tmp_path / "files")
    for industry, domains, category, subcategory in [
        ("EQP", ("IM", "DM"), "C04", "C04-3"),
        ("AUT", ("IM", "5G"), "C02", "C02-5"),
        ("FOOD", ("DM",), "C05", "C05-1"),
        ("TEX", ("PC", "NC"), "C10", "C10-2"),
    ]:
        factories.scenario(industry=industry, domains=domains, category=category, subcategory=subcategory)
    db.session.commit()
    return visits(world.ids)


def test_no_serious_violation_in_either_language_at_either_width(
    live_server: str, browser: Browser, planned: list[Visit], axe_script
):
    found: list[str] = []
    for who in dict.fromkeys(visit.who for visit in planned):
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(path=axe_script)
        page = context.new_page()
        if who != "anonymous":
            sign_in(page, live_server, f"{who}@example.com")
        for language in ("zh", "en"):
            context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
            for visit in planned:
                if visit.who == who:
                    found.extend(check(page, live_server, visit, language))
        context.close()
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)

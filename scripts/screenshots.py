"""Full-page screenshots at desktop (1280 px) and phone (375 px) widths, for visual review.

Builds a throwaway SQLite database with the taxonomy and the demo data (plus an invitation, a
few audit entries, 600 published demo scenarios in three batches, an empty draft batch, a fifth
batch revising a dozen of them, the plan's indicators, 1,500 demo enablements, the demo needs and
solutions, the demo threads and articles), serves the app on a local port and drives Debian's
Chromium via Playwright.

    .venv/bin/python scripts/screenshots.py [--out DIR] [NAME=PATH[@LOGIN][+LANG] ...]

LOGIN is a demo account without its domain (admin, expert, enterprise1, enterprise2, provider1,
provider2), or `new` for a freshly registered user without an organization; leave it out for an
anonymous visitor. LANG (e.g. `+en`) sets the language cookie, as the navbar switch does.
Without pages the default list below is taken. Each page gives DIR/NAME-desktop.png and
DIR/NAME-phone.png; DIR defaults to screenshots/ (git-ignored).

The import preview is the answer to an upload, not a page of its own: the PATH
`/admin/scenarios/batches/N/import` (`…/import?file=problems`) opens the batch page above it and
uploads a demo file with new, changed and unchanged scenarios (one with mistakes in it).
"""

import argparse
import json
import logging
import secrets
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts import organizations, services  # noqa: E402
from app.accounts.models import Organization  # noqa: E402
from app.admin import services as admin_services  # noqa: E402
from app.catalog import batches  # noqa: E402
from app.catalog.importing import apply_import, parse_scenarios  # noqa: E402
from app.catalog.services import load_taxonomy  # noqa: E402
from app.extensions import db  # noqa: E402
from seeds.articles_demo import seed_articles  # noqa: E402
from seeds.demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from seeds.events_demo import seed_events  # noqa: E402
from seeds.incubation_demo import seed_incubation  # noqa: E402
from seeds.inquiries_demo import seed_inquiries  # noqa: E402
from seeds.ledger_demo import seed_ledger  # noqa: E402
from seeds.marketplace_demo import seed_marketplace  # noqa: E402
from seeds.pilots_demo import seed_pilots  # noqa: E402
from seeds.scenarios_demo import generate_rows, write_workbook  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 375, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
NEW_USER = ("new.user@example.com", "新用户", "Qingdao-factory-2026")
LEDGER_ROWS = 1500  # `flask seed demo --ledger-rows`
SCENARIO_COUNT = 600  # `flask seed scenarios --count`: 200 a batch, 2022 to 2024 (batches 1 to 3)
DRAFT_BATCH = ("2025年第一批", 2025, "第一批征集的场景，待专家评审后发布。")  # batch 4
REVISED_BATCH = (
    "2024年第二批（修订）",
    2024,
    "修订部分 2024 年场景的名称、描述、关键词和分类，新增 3 个场景。",
)  # batch 5

DEFAULT_PAGES = [
    "home=/",
    "register=/register",
    "login=/login",
    "dashboard-enterprise=/dashboard@enterprise1",
    "dashboard-admin=/dashboard@admin",
    "org-new=/orgs/new@new",
    "org=/orgs/1",
    "org-owner=/orgs/1@enterprise1",
    "org-members=/orgs/1/members@enterprise1",
    "admin=/admin/@admin",
    "admin-organizations=/admin/organizations@admin",
    "admin-organization=/admin/organizations/2@admin",
    "admin-users=/admin/users@admin",
    "admin-subcategories=/admin/taxonomy/subcategories@admin",
    "admin-domain-edit=/admin/taxonomy/domains/1/edit@admin",
    "admin-outbox=/admin/outbox@admin",
    "admin-audit=/admin/audit@admin",
    "scenarios=/scenarios/",
    "scenarios-search=/scenarios/?q=预测性维护",
    "scenarios-filtered=/scenarios/?industry=EQP&domain=IM&category=C04",
    "scenario=/scenarios/QD-2022-0110",
    "scenario-batches=/scenarios/batches",
    "scenario-batch=/scenarios/batches/3",
    "atlas=/atlas",
    "admin-scenarios=/admin/scenarios/@admin",
    "admin-scenario-batch=/admin/scenarios/batches/3@admin",
    "admin-scenario-draft=/admin/scenarios/batches/4@admin",
    "admin-import-preview=/admin/scenarios/batches/4/import@admin",
    "admin-import-problems=/admin/scenarios/batches/4/import?file=problems@admin",
    "news=/news/",
    "news-search=/news/?q=工业互联网",
    "news-article=/news/1",
    "admin-articles=/admin/articles/@admin",
    "admin-article-edit=/admin/articles/1/edit@admin",
    "not-found=/no-such-page",
    "home-en=/+en",
]


def parse_page(spec: str) -> tuple[str, str, str, str]:
    """`NAME=PATH[@LOGIN][+LANG]` -> (name, path, login, lang)."""
    name, sep, rest = spec.partition("=")
    if not sep or not name or not rest.startswith("/"):
        raise argparse.ArgumentTypeError(f"expected NAME=PATH[@LOGIN][+LANG], got {spec!r}")
    rest, _, lang = rest.partition("+")
    path, _, login = rest.partition("@")
    return name, path, login, lang


def build_app(tmp: Path):
    app = create_app(
        "development",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'screenshots.db'}",
            "SECRET_KEY": secrets.token_hex(32),
            "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        },
    )
    logging.getLogger("gongfu.security").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
        load_taxonomy(json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8")))
        seed_demo()
        db.session.commit()
        add_activity(app)
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["seed", "scenarios", "--count", str(SCENARIO_COUNT)])
    if result.exit_code != 0:
        raise RuntimeError(f"flask seed scenarios failed: {result.output}") from result.exception
    for command in ("plan", "programs"):
        result = app.test_cli_runner().invoke(args=["seed", command])
        if result.exit_code != 0:
            raise RuntimeError(f"flask seed {command} failed: {result.output}") from result.exception
    with app.app_context():
        batches.create_batch(*DRAFT_BATCH)
        publish_revised_batch(tmp)
        seed_ledger(rows=LEDGER_ROWS)
        seed_marketplace()
        seed_inquiries()
        seed_events()
        seed_pilots()
        seed_incubation()
        seed_articles()
        db.session.commit()
        db.session.remove()
    write_import_files(tmp)
    return app


def publish_revised_batch(tmp: Path) -> None:
    """Batch 5, published: a dozen 2024 scenarios revised (title, description, keywords or category)
    and three new ones, so that the batch page and the comparison of releases have changes to show."""
    rows = [r for r in generate_rows(SCENARIO_COUNT) if r["year"] == "2024"]
    revised = []
    for i, r in enumerate(rows[:12]):
        other = rows[-1 - i]
        revised.append(
            [
                dict(r, title=r["title"] + "（二期）"),
                dict(r, description=r["description"].replace("，", "，并接入市级工业互联网平台，", 1)),
                dict(r, keywords=r["keywords"] + "、数字孪生"),
                dict(r, category=other["category"], subcategory=other["subcategory"]),
            ][i % 4]
        )
    new = [dict(r, code=f"QD-2024-9{i + 1:03d}") for i, r in enumerate(generate_rows(45, seed=2026)[:3])]
    path = tmp / "revised.xlsx"
    write_workbook(revised + new, path)
    batch = batches.create_batch(*REVISED_BATCH)
    apply_import(parse_scenarios(path.read_bytes(), path.name), batch)
    batches.publish_batch(batch)


IMPORT_FILES: dict[str, Path] = {}


def write_import_files(tmp: Path) -> None:
    """Files for the import preview: the 2024 batch's first rows, some edited, and new 2025 rows;
    and the same file with a few mistakes."""
    old = [r for r in generate_rows(SCENARIO_COUNT) if r["year"] == "2024"][:30]
    changed = [dict(r, title=r["title"] + "（二期）") if i % 3 == 0 else r for i, r in enumerate(old)]
    new = [dict(r, code=f"QD-2025-{i + 1:04d}") for i, r in enumerate(generate_rows(45, seed=2025)[:25])]
    rows = changed + new
    IMPORT_FILES["preview"] = tmp / "2025年第一批场景清单.xlsx"
    write_workbook(rows, IMPORT_FILES["preview"])
    wrong = [dict(r) for r in rows]
    wrong[2]["industry"] = "航天"
    wrong[5]["subcategory"] = "C01-1"
    wrong[8]["title"] = ""
    wrong[11]["code"] = wrong[10]["code"]
    wrong[14]["district"] = "火星区"
    wrong[17]["title"] = "基于工业互联网平台的" * 12
    IMPORT_FILES["problems"] = tmp / "2025年第一批场景清单（有误）.xlsx"
    write_workbook(wrong, IMPORT_FILES["problems"])


def open_page(page, base: str, path: str) -> tuple:
    """Go to `path`; for `…/import[?file=NAME]`, upload that demo file from the batch page.
    Returns the response and the path the page should end on."""
    route, _, query = path.partition("?")
    if not (route.startswith("/admin/scenarios/") and route.endswith("/import")):
        return page.goto(base + path), path
    page.goto(base + route.removesuffix("/import"))
    page.get_by_label("表格文件").set_input_files(IMPORT_FILES[query.removeprefix("file=") or "preview"])
    with page.expect_response(lambda r: r.url.endswith(route) and r.request.method == "POST") as upload:
        page.locator("main").get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    return upload.value, route


def add_activity(app) -> None:
    """A pending invitation (and its mail in the outbox) and a few admin actions in the audit log."""
    admin = services.find_user_by_email("admin@demo.gongfu")
    owner = services.find_user_by_email("enterprise1@demo.gongfu")
    with app.test_request_context():
        organizations.invite_member(owner.organization, "colleague@example.com", by=owner)
    provider = db.session.scalar(select(Organization).where(Organization.name == "青岛启元数据服务有限公司"))
    admin_services.revoke_verification(provider, admin, "营业执照已过期，请上传新的营业执照。")
    admin_services.verify_organization(provider, admin, "已核对新营业执照。")
    admin_services.set_user_active(services.find_user_by_email("expert@demo.gongfu"), False, by=admin)
    admin_services.set_user_active(services.find_user_by_email("expert@demo.gongfu"), True, by=admin)


def sign_in(browser, base: str, login: str) -> dict:
    """Cookies of a logged-in session for `login` (registering the `new` user first)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    if login == "new":
        email, name, password = NEW_USER
        page.goto(base + "/register")
        page.get_by_label("邮箱", exact=True).fill(email)
        page.get_by_label("姓名或称呼").fill(name)
        page.get_by_label("密码", exact=True).fill(password)
        page.get_by_label("确认密码").fill(password)
        page.locator("main").get_by_role("button", name="注册").click()
        page.wait_for_url(base + "/orgs/new")
    else:
        page.goto(base + "/login")
        page.get_by_label("邮箱").fill(f"{login}@demo.gongfu")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.locator("main").get_by_role("button", name="登录").click()
        page.wait_for_url(base + "/dashboard")
    state = context.storage_state()
    context.close()
    return state


def take_screenshots(
    browser, base: str, pages: list[tuple[str, str, str, str]], out: Path, top: int | None = None
) -> None:
    sessions: dict[str, dict] = {}
    for name, path, login, lang in pages:
        if login and login not in sessions:
            sessions[login] = sign_in(browser, base, login)
        for width, options in WIDTHS.items():
            context = browser.new_context(locale="zh-CN", storage_state=sessions.get(login), **options)
            if lang:
                context.add_cookies([{"name": "lang", "value": lang, "url": base}])
            page = context.new_page()
            response, expected = open_page(page, base, path)
            file = out / f"{name}-{width}.png"
            if top:  # the first `top` pixels of a long page, readable at full size
                page.screenshot(
                    path=str(file),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": options["viewport"]["width"], "height": top},
                )
            else:
                page.screenshot(path=str(file), full_page=True)
            final = unquote(page.url.removeprefix(base))
            note = f" (redirected to {final})" if final != expected else ""
            print(f"{file.relative_to(out)}: {response.status if response else '?'}{note}")
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="output directory")
    parser.add_argument("--top", type=int, help="capture only the top TOP pixels of each page")
    parser.add_argument("pages", nargs="*", type=parse_page, metavar="NAME=PATH[@LOGIN][+LANG]")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="gongfu-screenshots-") as tmp:
        app = build_app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                take_screenshots(
                    browser,
                    f"http://127.0.0.1:{server.server_port}",
                    args.pages or [parse_page(spec) for spec in DEFAULT_PAGES],
                    args.out,
                    args.top,
                )
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
            with app.app_context():
                db.engine.dispose()
    print(f"Screenshots in {args.out}")


if __name__ == "__main__":
    main()

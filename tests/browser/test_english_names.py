"""English names of data in the browser: an admin gives an indicator an English name and unit on
its form, switches the portal to English, and the public figures read them."""

import pytest
from playwright.sync_api import expect

from app.accounts.models import SiteRole
from app.extensions import db
from app.stats.models import Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Qingdao-admin-2026"


def test_an_admin_names_an_indicator_in_english(app, live_server, page, make_user):
    make_user("admin@example.com", role=SiteRole.ADMIN, password=PASSWORD)
    item = db.session.scalar(db.select(Indicator).where(Indicator.code == "pilot_projects"))
    base, main = live_server, page.locator("main")

    page.goto(base + "/login")
    page.get_by_label("邮箱").fill("admin@example.com")
    page.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    page.goto(f"{base}/stats/indicators/{item.id}")
    form = page.get_by_test_id("indicator-form")
    form.get_by_label("英文名称").fill("Pilot projects of the new modes")
    form.get_by_label("英文单位").fill("pilots")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存指标")

    page.get_by_test_id("language-en").click()
    page.goto(base + "/stats/public")
    card = page.get_by_test_id("indicator-pilot_projects")
    expect(card).to_contain_text("Pilot projects of the new modes")
    expect(card).to_contain_text("/ 300 pilots")
    expect(card).not_to_contain_text(item.name)

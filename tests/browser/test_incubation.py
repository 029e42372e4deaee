"""Incubation in the browser: a firm's member reports three years of figures through the form,
sees the chart and the gazelle evaluation, and applies to the gazelle track."""

from datetime import date

import pytest
from playwright.sync_api import expect

from app.accounts.models import OrgKind
from tests.browser.test_marketplace import sign_in

pytestmark = pytest.mark.browser


def test_a_firm_reports_its_figures_and_applies_to_the_gazelle_track(app, live_server, page, make_user, make_org):
    make_org(owner=make_user("founder@example.com"), name="青岛瞪羚智能装备有限公司", kind=OrgKind.ENTERPRISE)
    base = live_server
    main = page.locator("main")
    last = date.today().year - 1

    sign_in(page, base, "founder@example.com")
    page.get_by_test_id("incubation-figures-link").click()
    for year, revenue in ((last - 2, "300"), (last - 1, "400"), (last, "600")):
        form = page.get_by_test_id("figures-form")
        form.get_by_label("年度", exact=True).fill(str(year))
        form.get_by_label("营业收入（万元）").fill(revenue)
        form.get_by_label("净利润（万元）").fill("-12.5")
        form.get_by_label("研发投入（万元）").fill("36")
        form.get_by_label("融资额（万元）").fill("0")
        form.get_by_label("从业人员（人）").fill("48")
        form.get_by_label("研发人员（人）").fill("12")
        form.get_by_label("发明专利（件）").fill("1")
        form.get_by_label("其他知识产权（件）").fill("4")
        form.get_by_role("button", name="保存").click()
        expect(page.locator(".alert-success")).to_contain_text(f"{year} 年数据已保存")

    expect(page.get_by_test_id("figures-table").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("figures-chart").locator("canvas")).to_have_count(1)
    gazelle = page.get_by_test_id("evaluation-gazelle")
    expect(gazelle.get_by_test_id("criterion-met")).to_have_count(3)
    expect(gazelle).to_contain_text(f"{last - 2}—{last} 年营业收入年均增长 41.42%")

    gazelle.get_by_test_id("apply-gazelle").click()
    expect(page.get_by_test_id("evaluation-verdict")).to_contain_text("符合全部认定条件")
    page.get_by_label("申请说明").fill("工业机器人集成商，近三年营业收入快速增长。")
    main.get_by_role("button", name="提交申请").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交瞪羚企业申请")
    expect(page.get_by_test_id("evaluation-gazelle").get_by_test_id("stage")).to_have_text("已申请")

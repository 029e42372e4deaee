"""A visitor narrows the needs list by a search and an industry, and downloads what it shows as a
spreadsheet: every matching need, the others left out."""

import csv
import io

import pytest
from playwright.sync_api import expect

from app.taxonomy.models import Industry
from tests.conftest import taxonomy_entry

pytestmark = pytest.mark.browser


def test_a_visitor_exports_the_filtered_needs(live_server, page, make_user, make_org, make_need):
    owner = make_user()
    org = make_org(owner=owner)
    equipment, cars = taxonomy_entry(Industry, "EQP"), taxonomy_entry(Industry, "AUT")
    wanted = [make_need(org, owner, title=f"注塑设备联网第{n}期", industry_id=equipment.id).title for n in range(3)]
    make_need(org, owner, title="冲压设备联网", industry_id=cars.id)
    make_need(org, owner, title="仓储机器人调度", industry_id=equipment.id)
    main = page.locator("main")

    page.goto(live_server + "/needs/")
    main.get_by_role("searchbox", name="搜索").fill("设备联网")
    main.get_by_role("button", name="搜索").click()
    main.locator("#facets").get_by_role("link", name=equipment.name).click()
    expect(main.get_by_test_id("result-count")).to_contain_text("3")
    with page.expect_download() as download:
        main.get_by_role("link", name="将当前搜索的全部结果导出为 CSV 文件").click()

    assert download.value.suggested_filename.startswith("needs-")
    header, *rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert header[1] == "需求名称" and sorted(row[1] for row in rows) == sorted(wanted)

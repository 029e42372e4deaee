"""Policy and news in the browser: the office writes a notice with a PDF, publishes and pins it; a
visitor finds it pinned on the home page and the news list and through search, downloads the PDF and reads it in the
category's Atom feed."""

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from app.accounts.models import SiteRole
from tests.articles.conftest import PDF
from tests.browser.test_marketplace import sign_in, sign_out

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "关于开展智能工厂诊断服务的通知"


def test_a_pinned_notice_with_a_pdf_from_the_office_to_a_visitor(app, live_server, page, make_user):
    make_user("admin@example.com", role=SiteRole.ADMIN)
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/")
    page.get_by_test_id("admin-articles-link").click()
    main.get_by_role("link", name="写文章").first.click()
    main.get_by_label("栏目").select_option(label="通知公告")
    main.get_by_label("标题").fill(TITLE)
    main.get_by_label("摘要").fill("免费为中小企业提供智能工厂诊断。")
    main.get_by_label("正文").fill("## 服务内容\n\n- 设备联网诊断\n- **数据采集**评估")
    main.get_by_label("附件").set_input_files(
        files=[{"name": "诊断服务指南.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    main.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("文章已保存为草稿")
    expect(page.get_by_test_id("admin-attachments")).to_contain_text("诊断服务指南.pdf")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("article-actions").get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("文章已发布")
    page.goto(base + "/admin/articles/")
    page.get_by_test_id("admin-articles").get_by_role("button", name="置顶").click()
    expect(page.locator(".alert-success")).to_contain_text("文章已置顶")
    sign_out(page)

    page.goto(base + "/")
    pinned = page.get_by_test_id("home-articles").get_by_test_id("pinned-article").first
    expect(pinned).to_contain_text(TITLE)
    pinned.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.goto(base + "/news/")
    first = page.get_by_test_id("article").first
    expect(first).to_contain_text(TITLE)
    expect(first).to_contain_text("置顶")

    page.goto(base + "/search?q=智能工厂诊断")
    main.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_test_id("article-body").locator("strong")).to_have_text("数据采集")
    with page.expect_download() as download:
        page.get_by_test_id("attachments").get_by_role("link", name="诊断服务指南.pdf").click()
    assert download.value.suggested_filename == "诊断服务指南.pdf"
    assert download.value.path().read_bytes() == PDF

    page.get_by_role("link", name="通知公告").first.click()
    feed_url = page.get_by_test_id("feed-link").get_attribute("href")
    assert feed_url == "/news/feed/notice.atom"
    feed = page.request.get(base + feed_url)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.body())
    assert root.tag == f"{ATOM}feed"
    assert [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")] == [TITLE]

"""A new visitor registers, creates an organization, logs out and in, and switches language."""

import re

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from app.core.validators import uscc_check_character
from config import BASE_DIR

pytestmark = pytest.mark.browser

EMAIL = "zhang.wei@example.com"
NAME = "张伟"
PASSWORD = "Qingdao-factory-2026"
ORG_NAME = "青岛测试精工有限公司"
CREDIT_CODE = "91370212MA3B7K2L4" + uscc_check_character("91370212MA3B7K2L4")


def english(msgid: str) -> str | None:
    """The English catalogue's translation of `msgid`, or None while it is still missing."""
    translated = Translations.load(str(BASE_DIR / "translations"), ["en"]).gettext(msgid)
    return translated if translated != msgid else None


def test_register_create_organization_log_out_and_in_switch_language(live_server, page: Page):
    nav = page.locator("nav.navbar")
    main = page.locator("main")

    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    nav.get_by_role("link", name="注册", exact=True).click()
    expect(page).to_have_url(live_server + "/register")

    page.get_by_label("邮箱", exact=True).fill(EMAIL)
    page.get_by_label("姓名或称呼").fill(NAME)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意").check()
    main.get_by_role("button", name="注册").click()

    expect(page).to_have_url(live_server + "/orgs/new")
    expect(page.get_by_role("heading", name="创建企业/机构")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("注册成功")

    page.get_by_label("企业/机构名称").fill(ORG_NAME)
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_label("类型").select_option(label="需求企业")
    page.get_by_label("所在区市").select_option(label="崂山区")
    page.get_by_label("所属行业").select_option(label="装备制造")
    page.get_by_label("联系人", exact=True).fill("张伟")
    page.get_by_label("联系电话").fill("13800138000")
    main.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/orgs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ORG_NAME)
    expect(main.locator(".badge", has_text="待认证")).to_be_visible()
    expect(main.get_by_text(CREDIT_CODE)).to_be_visible()

    nav.get_by_role("button", name="退出").click()
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("alert")).to_contain_text("您已安全退出")
    expect(nav.get_by_role("button", name="退出")).to_have_count(0)

    nav.get_by_role("link", name="登录", exact=True).click()
    expect(page).to_have_url(live_server + "/login")
    page.get_by_label("邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()

    expect(page).to_have_url(live_server + "/dashboard")
    expect(page).to_have_title(re.compile("^工作台"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"您好，{NAME}")
    expect(main.get_by_role("heading", name=ORG_NAME)).to_be_visible()

    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server + "/dashboard")
    expect(page.get_by_test_id("language-zh")).to_have_text("简体中文")
    expect(page.get_by_test_id("language-en")).to_have_count(0)
    for msgid, role in (("退出", "button"), ("工作台", "link")):
        if translated := english(msgid):
            expect(nav.get_by_role(role, name=translated, exact=True)).to_be_visible()

    nav.locator("a.navbar-brand").click()  # another page: the choice is remembered
    expect(page).to_have_url(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_test_id("language-zh").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(nav.get_by_role("button", name="退出")).to_be_visible()
    expect(nav.get_by_role("link", name="工作台")).to_be_visible()

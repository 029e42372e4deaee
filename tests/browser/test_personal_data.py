"""A visitor registers only once they tick consent, reads the policy they agreed to, downloads their
data, and asks for the account to be deleted; an admin completes it and the account is gone."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from app.accounts import services as accounts
from app.accounts.models import SiteRole
from app.extensions import db
from app.legal import services as legal
from app.legal.models import LegalKind
from tests.browser.test_marketplace import sign_in, sign_out

pytestmark = pytest.mark.browser

EMAIL = "li.na@example.com"
NAME = "李娜"
PASSWORD = "Qingdao-factory-2026"


def test_register_with_consent_export_and_delete(app, live_server, page, make_user):
    legal.publish(
        LegalKind.PRIVACY, "# 隐私政策\n\n平台只收集提供服务所必需的信息。", "# Privacy\n\nOnly what is needed.", None
    )
    legal.publish(LegalKind.TERMS, "# 用户协议\n\n请遵守平台规则。", "# Terms\n\nFollow the rules.", None)
    db.session.commit()
    admin = make_user("keeper@example.com", name="管理员", role=SiteRole.ADMIN)
    accounts.record_consent(admin)
    db.session.commit()
    base, main = live_server, page.locator("main")

    page.goto(base + "/register")
    page.get_by_label("邮箱", exact=True).fill(EMAIL)
    page.get_by_label("姓名或称呼").fill(NAME)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    main.get_by_role("button", name="注册").click()
    expect(main.locator(".invalid-feedback")).to_contain_text("请阅读并勾选同意")

    with page.expect_popup() as popup:
        main.get_by_role("link", name="《隐私政策》").click()
    expect(popup.value.locator("main")).to_contain_text("平台只收集提供服务所必需的信息")
    popup.value.close()

    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_test_id("consent").check()
    main.get_by_role("button", name="注册").click()
    expect(page).to_have_url(base + "/orgs/new")

    page.get_by_test_id("account-menu").click()
    page.get_by_test_id("my-data-link").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-data").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    account = json.loads(archive.read("data.json"))["account"][0]
    assert (account["email"], account["display_name"], account["privacy_version"]) == (EMAIL, NAME, 1)

    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("我了解").check()
    main.get_by_role("button", name="申请注销账号").click()
    expect(page.get_by_test_id("deletion-pending")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "keeper@example.com")
    page.goto(base + "/admin/deletion-requests")
    row = page.get_by_test_id("deletion-request").filter(has_text=EMAIL)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="办理注销").click()
    expect(page.get_by_role("alert")).to_contain_text("账号已注销并匿名化")
    expect(main).not_to_contain_text(EMAIL)
    sign_out(page)

    page.goto(base + "/login")
    page.get_by_label("邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    expect(main).to_contain_text("邮箱或密码不正确")

"""The privacy policy and the terms of use: public pages in both languages, versions the admins
publish (audited), the default texts, the site map and the footer's filing numbers."""

from flask import url_for
from sqlalchemy import select

from app.accounts import services as account_services
from app.accounts.models import SiteRole
from app.core import settings
from app.core.audit import AuditEntry
from app.extensions import db
from app.legal import services
from app.legal.models import LegalDocument, LegalKind
from seeds.cli import seed_legal


def consenting(user):
    """A member who agreed to what is published (one who did not is sent to the consent page)."""
    account_services.record_consent(user)
    db.session.commit()
    return user


def publish(
    kind=LegalKind.PRIVACY, zh="# 隐私政策\n\n我们保护您的**个人信息**。", en="# Privacy\n\nWe protect your data."
):
    document = services.publish(kind, zh, en, None)
    db.session.commit()
    return document


def test_pages_show_the_current_version_in_the_visitors_language(client):
    publish()
    newest = publish(zh="# 隐私政策\n\n第二版正文。", en="# Privacy\n\nSecond version.")
    page = client.get("/privacy").get_data(as_text=True)
    assert "第二版正文" in page and "我们保护您的" not in page
    assert f"第 {newest.version} 版" in page
    client.set_cookie("lang", "en")
    english = client.get("/privacy").get_data(as_text=True)
    assert "Second version." in english and "第二版正文" not in english


def test_markdown_is_rendered_through_the_sanitizer(client):
    publish(kind=LegalKind.TERMS, zh="## 第一条\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1))", en="x")
    page = client.get("/terms").get_data(as_text=True)
    assert "<h2>第一条</h2>" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page


def test_a_page_without_a_published_text_says_so(client):
    response = client.get("/terms")
    assert response.status_code == 200
    assert "平台尚未发布这份文本" in response.get_data(as_text=True)


def test_an_admin_publishes_the_next_version_audited(client, login, make_user):
    publish()
    admin = consenting(make_user(role=SiteRole.ADMIN))
    login(admin)
    form = client.get("/admin/legal/privacy").get_data(as_text=True)
    assert "我们保护您的" in form  # the form starts from the current text
    response = client.post_form("/admin/legal/privacy", {"body_zh": "新的隐私政策。", "body_en": "The new policy."})
    assert response.status_code == 302
    current = services.current(LegalKind.PRIVACY)
    assert (current.version, current.body_zh, current.published_by_id) == (2, "新的隐私政策。", admin.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "legal.publish"))
    assert entry.actor_id == admin.id and entry.after == {"kind": "privacy", "version": 2}
    assert "第 2 版" in client.get("/admin/legal").get_data(as_text=True)


def test_an_unchanged_or_half_empty_text_publishes_nothing(client, login, make_user):
    publish()
    login(consenting(make_user(role=SiteRole.ADMIN)))
    same = client.post_form(
        "/admin/legal/privacy",
        {"body_zh": "# 隐私政策\n\n我们保护您的**个人信息**。", "body_en": "# Privacy\n\nWe protect your data."},
    )
    assert same.status_code == 200 and "文本没有变化" in same.get_data(as_text=True)
    missing = client.post_form("/admin/legal/privacy", {"body_zh": "只有中文。", "body_en": ""})
    assert "请填写英文文本" in missing.get_data(as_text=True)
    assert services.current(LegalKind.PRIVACY).version == 1


def test_only_admins_edit_the_texts(client, login, make_user):
    assert client.get("/admin/legal").status_code == 302
    login(make_user())
    assert client.get("/admin/legal").status_code == 403
    assert client.get("/admin/legal/terms").status_code == 403
    assert client.post_form("/admin/legal/terms", {"body_zh": "篡改", "body_en": "tampered"}).status_code == 403
    assert services.current(LegalKind.TERMS) is None


def test_unknown_kind_is_not_found(client, login, make_user):
    login(make_user(role=SiteRole.ADMIN))
    assert client.get("/admin/legal/cookies").status_code == 404


def test_the_seed_publishes_version_one_of_each_in_both_languages_once(app):
    runner = app.test_cli_runner()
    assert "2 published" in runner.invoke(seed_legal).output
    assert "0 published" in runner.invoke(seed_legal).output
    documents = db.session.scalars(select(LegalDocument)).all()
    assert sorted((d.kind.value, d.version) for d in documents) == [("privacy", 1), ("terms", 1)]
    privacy = services.current(LegalKind.PRIVACY)
    assert "个人信息保护法" in privacy.body_zh and "Personal Information Protection Law" in privacy.body_en


ENDPOINTS = (
    "scenarios.index",
    "needs.index",
    "solutions.index",
    "articles.index",
    "home.search",
    "events.index",
    "legal.privacy",
    "legal.terms",
)


def test_the_site_map_links_the_public_sections(app, client):
    page = client.get("/sitemap").get_data(as_text=True)
    with app.test_request_context():
        hrefs = [url_for(endpoint) for endpoint in ENDPOINTS]
    for href in hrefs:
        assert f'href="{href}"' in page


def test_the_footer_shows_only_the_filled_lines(client, login, make_user):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in page and 'href="/sitemap"' in page
    for test_id in ("footer-operator", "footer-contact", "footer-icp", "footer-psb", "footer-site-code"):
        assert f'data-test="{test_id}"' not in page
    admin = make_user(role=SiteRole.ADMIN)
    login(admin)
    response = client.post_form(
        "/admin/settings/footer",
        {"operator": "青岛市工业和信息化局", "icp_filing": "鲁ICP备12345678号-1", "site_identifier": "3702000001"},
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert entry.after == {
        settings.SITE_OPERATOR: "青岛市工业和信息化局",
        settings.ICP_FILING: "鲁ICP备12345678号-1",
        settings.SITE_IDENTIFIER: "3702000001",
    }
    client.post_form("/logout")
    page = client.get("/needs/").get_data(as_text=True)
    assert "主办单位：青岛市工业和信息化局" in page
    assert "鲁ICP备12345678号-1" in page and "网站标识码：3702000001" in page
    assert 'data-test="footer-contact"' not in page and 'data-test="footer-psb"' not in page


def test_footer_settings_are_admin_only_and_bounded(client, login, make_user):
    login(make_user())
    assert client.post_form("/admin/settings/footer", {"operator": "冒充"}).status_code == 403
    client.post_form("/logout")
    login(make_user(role=SiteRole.ADMIN))
    response = client.post_form("/admin/settings/footer", {"contact": "电话" * 101})
    assert response.status_code == 400
    assert "不超过 200 个字符" in response.get_data(as_text=True)
    assert settings.get_text(settings.SITE_CONTACT) == ""

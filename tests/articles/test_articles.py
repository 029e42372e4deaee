"""The public list and article pages, and the office's steps through the admin pages: each step
changes what the public sees, says so, and is in the audit log."""

from sqlalchemy import select

from app.articles import services
from app.articles.models import Article, ArticleCategory, ArticleStatus
from app.core.audit import AuditEntry
from app.extensions import db
from tests.articles.conftest import PDF, earlier, upload


def _audited(action: str, article: Article) -> list[AuditEntry]:
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target_id == article.id))
    )


def test_the_list_shows_public_articles_pinned_first_by_category(client, make_article):
    old = make_article("旧的通知", publish_at=earlier(48))
    pinned = make_article("置顶的通知", publish_at=earlier(72), pinned=True)
    policy = make_article("青岛市工业互联网发展政策", category=ArticleCategory.POLICY)
    make_article("草稿不公开", publish=False)

    page = client.get("/news/").get_data(as_text=True)
    assert page.index(pinned.title) < page.index(policy.title) < page.index(old.title)
    assert "草稿不公开" not in page

    notices = client.get("/news/?category=notice").get_data(as_text=True)
    assert old.title in notices and pinned.title in notices and policy.title not in notices
    assert 'href="/news/feed/notice.atom"' in notices


def test_the_list_pages(client, app, make_article):
    for number in range(17):
        make_article(f"工作动态第{number:02d}期", category=ArticleCategory.NEWS, publish_at=earlier(100 - number))
    first = client.get("/news/?category=news").get_data(as_text=True)
    second = client.get("/news/?category=news&page=2").get_data(as_text=True)
    assert "工作动态第16期" in first and "工作动态第00期" not in first
    assert "工作动态第00期" in second and "工作动态第16期" not in second
    assert "共 17 条" in first


def test_an_article_page_with_its_attachment_list(client, make_article):
    article = make_article(uploads=[upload(PDF, "申报指南.pdf")])
    page = client.get(f"/news/{article.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert article.title in text and "申报指南.pdf" in text and "PDF" in text


def test_drafts_and_withdrawn_articles_are_not_found_by_the_public(client, login, make_user, make_article, admin):
    draft = make_article("草稿", publish=False)
    withdrawn = make_article("撤回的通知")
    login(admin)
    assert client.post_form(f"/admin/articles/{withdrawn.id}/withdraw").status_code == 302
    assert client.get(f"/news/{draft.id}").status_code == 200  # the office previews it
    client.post_form("/logout")
    for article in (draft, withdrawn):
        assert client.get(f"/news/{article.id}").status_code == 404
    login(make_user("member@example.com"))
    assert client.get(f"/news/{draft.id}").status_code == 404
    assert "撤回的通知" not in client.get("/news/").get_data(as_text=True)


def test_the_office_writes_publishes_pins_and_withdraws(client, login, admin):
    login(admin)
    response = client.post_form(
        "/admin/articles/new",
        {
            "category": "notice",
            "title": "关于举办工业互联网对接会的通知",
            "summary": "6 月举办。",
            "body": "**欢迎报名**",
        },
    )
    article = db.session.scalar(select(Article).where(Article.title == "关于举办工业互联网对接会的通知"))
    assert response.headers["Location"].endswith(f"/admin/articles/{article.id}/edit")
    assert article.status == ArticleStatus.DRAFT and _audited("article.create", article)

    assert client.post_form(f"/admin/articles/{article.id}/publish").status_code == 302
    db.session.refresh(article)
    assert article.status == ArticleStatus.PUBLISHED and _audited("article.publish", article)
    client.post_form("/logout")
    assert client.get(f"/news/{article.id}").status_code == 200

    login(admin)
    client.post_form(f"/admin/articles/{article.id}/pin")
    db.session.refresh(article)
    assert article.pinned and _audited("article.pin", article)
    assert "取消置顶" in client.get("/admin/articles/").get_data(as_text=True)
    client.post_form(f"/admin/articles/{article.id}/unpin")
    db.session.refresh(article)
    assert not article.pinned and _audited("article.unpin", article)

    client.post_form(
        f"/admin/articles/{article.id}/edit",
        {"category": "notice", "title": "关于举办工业互联网对接会的通知（更新）", "summary": "", "body": "改期"},
    )
    db.session.refresh(article)
    assert article.title.endswith("（更新）") and article.status == ArticleStatus.PUBLISHED
    assert _audited("article.update", article)[0].before == {
        "title": "关于举办工业互联网对接会的通知",
        "summary": "6 月举办。",
        "body": "**欢迎报名**",
    }

    client.post_form(f"/admin/articles/{article.id}/withdraw")
    db.session.refresh(article)
    assert article.status == ArticleStatus.WITHDRAWN and _audited("article.withdraw", article)
    client.post_form("/logout")
    assert client.get(f"/news/{article.id}").status_code == 404


def test_bad_input_changes_nothing(client, login, admin, make_article):
    article = make_article("原标题")
    login(admin)
    response = client.post_form(
        f"/admin/articles/{article.id}/edit", {"category": "notice", "title": "", "summary": "", "body": "正文"}
    )
    assert response.status_code == 200 and "请填写标题。" in response.get_data(as_text=True)
    db.session.refresh(article)
    assert article.title == "原标题"

    response = client.post_form(f"/admin/articles/{article.id}/publish", follow_redirects=True)
    assert "这篇文章已经发布。" in response.get_data(as_text=True)
    assert len(_audited("article.publish", article)) == 1


def test_the_admin_pages_are_the_offices(client, login, make_user, make_article):
    article = make_article()
    assert client.get("/admin/articles/").status_code == 302
    login(make_user("member@example.com"))
    for url in ("/admin/articles/", "/admin/articles/new", f"/admin/articles/{article.id}/edit"):
        assert client.get(url).status_code == 403
    for url in (f"/admin/articles/{article.id}/withdraw", f"/admin/articles/{article.id}/pin"):
        assert client.post_form(url).status_code == 403
    db.session.refresh(article)
    assert article.status == ArticleStatus.PUBLISHED and not article.pinned


def test_the_admin_index_links_to_articles(client, login, admin):
    login(admin)
    assert 'href="/admin/articles/"' in client.get("/admin/").get_data(as_text=True)


def test_pinned_and_latest_for_the_home_page(app, make_article):
    notice = make_article("置顶通知", pinned=True)
    policies = [make_article(f"政策{n}", category=ArticleCategory.POLICY, publish_at=earlier(10 - n)) for n in range(4)]
    make_article("工作动态", category=ArticleCategory.NEWS)
    make_article("未发布的政策", category=ArticleCategory.POLICY, publish=False)
    headlines = services.pinned_and_latest(3)
    assert [a.id for a in headlines.pinned] == [notice.id]
    assert [a.id for a in headlines.latest] == [p.id for p in reversed(policies)][:3]

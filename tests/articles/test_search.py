"""Articles are a search document type: a published article is found, a draft, a scheduled or a
withdrawn one is not."""

from app.articles import services
from app.articles.models import ArticleCategory
from app.articles.search import ARTICLE
from app.extensions import db
from app.search import search
from tests.articles.conftest import later


def test_search_finds_published_articles_only(app, make_article, admin):
    published = make_article("数字化转型专项资金申报指南", category=ArticleCategory.POLICY)
    make_article("数字化转型草稿", publish=False)
    make_article("数字化转型定时发布", publish_at=later(3))
    withdrawn = make_article("数字化转型已撤回")
    with app.test_request_context():
        services.withdraw(withdrawn, admin)
        db.session.commit()
        result = search(ARTICLE, "数字化转型")
        assert result.ids == [published.id]
        assert search(ARTICLE, "数字化转型", {"category": ["notice"]}).ids == []


def test_the_list_page_searches(client, make_article):
    article = make_article("关于开展工业互联网标识解析推广的通知", summary="标识解析二级节点")
    make_article("其他通知")
    page = client.get("/news/?q=标识解析").get_data(as_text=True)
    assert f'href="/news/{article.id}"' in page and "其他通知" not in page
    assert "<mark>" in page

"""An article published with a publish time to come is not public until then: not on the list,
not on its page, not in the feed, not in search; from then on it is, and `flask articles
release` marks it published."""

from datetime import timedelta

from sqlalchemy import update

from app.articles import services
from app.articles.models import Article, ArticleStatus
from app.articles.search import ARTICLE
from app.core.models import utcnow
from app.extensions import db
from app.search import search
from tests.articles.conftest import PDF, later, upload


def test_a_scheduled_article_is_hidden_until_its_time(client, app, make_article):
    article = make_article("定时发布的政策解读", publish_at=later(2), uploads=[upload(PDF, "解读.pdf")])
    assert article.status == ArticleStatus.SCHEDULED
    file_id = article.attachments[0].id

    assert client.get(f"/news/{article.id}").status_code == 404
    assert client.get(f"/news/{article.id}/files/{file_id}").status_code == 404
    assert "定时发布的政策解读" not in client.get("/news/").get_data(as_text=True)
    assert "定时发布的政策解读" not in client.get("/news/feed/all.atom").get_data(as_text=True)
    assert "定时发布的政策解读" not in client.get("/news/?q=政策解读").get_data(as_text=True)
    assert services.pinned_and_latest(5) == ([], [])

    # Its time comes (the clock is the database's row here: the time is moved back instead).
    db.session.execute(
        update(Article).where(Article.id == article.id).values(publish_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert client.get(f"/news/{article.id}").status_code == 200
    assert client.get(f"/news/{article.id}/files/{file_id}").status_code == 200
    assert "定时发布的政策解读" in client.get("/news/").get_data(as_text=True)
    assert "定时发布的政策解读" in client.get("/news/feed/all.atom").get_data(as_text=True)


def test_release_marks_the_due_articles_published(app, make_article, client):
    due = make_article("到时发布", publish_at=later(1))
    not_yet = make_article("还没到时间", publish_at=later(5))
    with app.test_request_context():
        assert services.release_due(now=utcnow() + timedelta(hours=2)) == 1
        db.session.commit()
    db.session.refresh(due)
    db.session.refresh(not_yet)
    assert due.status == ArticleStatus.PUBLISHED and not_yet.status == ArticleStatus.SCHEDULED


def test_the_release_command(app, make_article):
    make_article("还没到时间", publish_at=later(5))
    result = app.test_cli_runner().invoke(args=["articles", "release"])
    assert result.exit_code == 0 and "0 scheduled articles published." in result.output


def test_publishing_with_a_time_to_come_through_the_form(client, login, admin):
    login(admin)
    local = (utcnow() + timedelta(days=1, hours=8)).strftime("%Y-%m-%dT%H:%M")  # Beijing time, a day ahead
    client.post_form(
        "/admin/articles/new",
        {"category": "policy", "title": "明天发布的政策", "summary": "", "body": "正文", "publish_at": local},
    )
    article = db.session.query(Article).filter_by(title="明天发布的政策").one()
    response = client.post_form(f"/admin/articles/{article.id}/publish", follow_redirects=True)
    assert "文章将在设定的发布时间自动公开。" in response.get_data(as_text=True)
    db.session.refresh(article)
    assert article.status == ArticleStatus.SCHEDULED
    assert article.publish_at is not None
    assert abs(article.publish_at - (utcnow() + timedelta(days=1))) < timedelta(minutes=2)
    client.post_form("/logout")
    assert client.get(f"/news/{article.id}").status_code == 404


def test_release_puts_a_due_article_in_search(app, make_article):
    article = make_article("定时发布的标识解析指南", publish_at=later(1))
    # Its time comes without a change the search index sees (a bulk UPDATE, as the clock passing would be).
    db.session.execute(
        update(Article).where(Article.id == article.id).values(publish_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    with app.test_request_context():
        assert search(ARTICLE, "标识解析指南").ids == []
    assert app.test_cli_runner().invoke(args=["articles", "release"]).output == "1 scheduled articles published.\n"
    with app.test_request_context():
        assert search(ARTICLE, "标识解析指南").ids == [article.id]

"""The demo articles that `flask seed demo` publishes: public, labelled as demo, one pinned notice
with its PDF, and none added twice."""

from sqlalchemy import func, select

from app.articles import services
from app.articles.models import Article
from app.extensions import db
from seeds.articles_demo import ARTICLES, DEMO_NOTE, seed_articles
from seeds.demo import seed_demo


def test_demo_articles(app, client):
    seed_demo()
    assert seed_articles() == len(ARTICLES)
    db.session.commit()
    assert seed_articles() == 0
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) == len(ARTICLES)
    assert all(services.is_public(a) and DEMO_NOTE in a.summary and DEMO_NOTE in a.body for a in articles)
    pinned = services.pinned_and_latest(5).pinned
    assert len(pinned) == 1 and pinned[0].attachments
    response = client.get(f"/news/{pinned[0].id}/files/{pinned[0].attachments[0].id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    page = client.get("/news/").get_data(as_text=True)
    assert page.count(DEMO_NOTE) == db.session.scalar(select(func.count(Article.id)).where(Article.summary != ""))

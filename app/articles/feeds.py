"""The Atom feed of a category's public articles (or of all of them), built with feedgen."""

from datetime import UTC

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from app.articles.forms import CATEGORY_LABELS
from app.articles.models import Article, ArticleCategory
from app.articles.services import feed_articles
from app.core.links import external_url
from app.core.models import utcnow
from app.core.rich_text import render_markdown

MIMETYPE = "application/atom+xml"


def atom_feed(category: ArticleCategory | None) -> bytes:
    articles = feed_articles(category)
    name = str(CATEGORY_LABELS[category]) if category else _("政策与资讯")
    feed = FeedGenerator()
    self_url = external_url("articles.feed", category=category.value if category else "all")
    feed.id(self_url)
    feed.title(_("工赋汇 · %(name)s", name=name))
    feed.subtitle(_("工业互联网赋能平台发布的%(name)s", name=name))
    feed.link(href=external_url("articles.index", category=category.value if category else None), rel="alternate")
    feed.link(href=self_url, rel="self", type=MIMETYPE)
    feed.language("zh-CN")
    feed.author({"name": _("工赋汇")})
    feed.updated(_utc(max((a.updated_at for a in articles), default=utcnow())))
    for article in reversed(articles):  # feedgen puts the last added first
        _entry(feed, article)
    return feed.atom_str(pretty=True)


def _entry(feed: FeedGenerator, article: Article) -> None:
    url = external_url("articles.detail", article_id=article.id)
    entry = feed.add_entry()
    entry.id(url)
    entry.title(article.title)
    entry.link(href=url, rel="alternate")
    entry.category(term=article.category.value, label=str(CATEGORY_LABELS[article.category]))
    assert article.publish_at is not None  # public articles have one
    entry.published(_utc(article.publish_at))
    entry.updated(_utc(max(article.updated_at, article.publish_at)))
    if article.summary:
        entry.summary(article.summary)
    entry.content(str(render_markdown(article.body)), type="html")


def _utc(value):
    return value.replace(tzinfo=UTC)

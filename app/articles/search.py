"""Public articles in the search index, faceted by category."""

from sqlalchemy import Select, select

from app.articles.models import Article
from app.articles.services import is_public, public_clause
from app.core.rich_text import plain_text
from app.search import Document, DocumentType, SortKey, register_document_type

ARTICLE = "article"
FACETS = ("category",)


def indexable_articles() -> Select:
    return select(Article).where(public_clause()).order_by(Article.id)


def article_document(article: Article) -> Document | None:
    if not is_public(article):
        return None
    return Document(
        id=article.id,
        text={"title": article.title, "summary": article.summary, "body": plain_text(article.body)},
        facets={"category": [article.category.value]},
        sort={"published": article.publish_at},
    )


ARTICLE_TYPE = DocumentType(
    name=ARTICLE,
    model=Article,
    to_document=article_document,
    query=indexable_articles,
    text_fields={"title": 3.0, "summary": 1.5, "body": 1.0},
    facet_fields=FACETS,
    sort_fields={"published": "datetime"},
    sorts={"newest": (SortKey("published", descending=True),)},
    highlight_fields={"title": None, "summary": 120, "body": 120},
    default_sort="newest",
)


def register_article_search() -> None:
    register_document_type(ARTICLE_TYPE)

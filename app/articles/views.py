"""Policy and news for everyone: the list by category with search, an article, its attachments and
the Atom feeds."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from app.articles import services
from app.articles.feeds import MIMETYPE, atom_feed
from app.articles.forms import CATEGORY_LABELS, STATUS_LABELS
from app.articles.models import Article, ArticleAttachment, ArticleCategory
from app.articles.permissions import can_read_article
from app.articles.search import ARTICLE, FACETS
from app.core import files
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.rich_text import render_markdown
from app.core.templating import add_app_template_values
from app.extensions import db
from app.search import search
from app.search.pages import SearchQuery, records_of

bp = Blueprint("articles", __name__, url_prefix="/news")
add_app_template_values(bp, article_category_labels=CATEGORY_LABELS, article_status_labels=STATUS_LABELS)
CATEGORIES = {category.value: category for category in ArticleCategory}
PER_PAGE = 15


@bp.route("/")
@public_page
def index():
    category = CATEGORIES.get(request.args.get("category", ""))
    query = SearchQuery.parse(request.args, FACETS, ("newest",))
    if query.q:
        result = search(
            ARTICLE, query.q, {"category": [category.value]} if category else None, query.sort, query.page, PER_PAGE
        )
        hits = [(article, hit) for article, hit in records_of(Article, result) if services.is_public(article)]
        page = result
    else:
        page = paginate(services.public_articles(category), PER_PAGE)
        hits = [(article, None) for article in page.items]
    return render_template(
        "articles/index.html",
        category=category,
        query=query,
        hits=hits,
        page=page,
        counts=services.category_counts(),
    )


@bp.route("/<int:article_id>")
@public_page
def detail(article_id: int):
    article = db.get_or_404(Article, article_id)
    if not can_read_article(current_user, article):
        abort(404)  # not public yet, or withdrawn: not found, except by the office
    return render_template("articles/detail.html", article=article, body=render_markdown(article.body))


@bp.route("/<int:article_id>/files/<int:file_id>")
def attachment(article_id: int, file_id: int):
    article = db.get_or_404(Article, article_id)
    if not can_read_article(current_user, article):
        abort(404)
    stored = db.get_or_404(ArticleAttachment, file_id)
    if stored.article_id != article.id:
        abort(404)
    return files.send_stored(
        services.FILES,
        stored.stored_name,
        stored.content_type,
        stored.original_name,
        private=not services.is_public(article),
    )


@bp.route("/feed/<any(all, policy, notice, news):category>.atom")
@public_page
def feed(category: str):
    return Response(atom_feed(CATEGORIES.get(category)), mimetype=MIMETYPE)

"""The office's side of policy and news: the list of every article, writing and editing, publishing
(now or at a time to come), pinning, withdrawing and removing attachments."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.articles import services
from app.articles.forms import ArticleForm
from app.articles.models import Article, ArticleAttachment, ArticleStatus
from app.core import files
from app.core.forms import ConfirmForm
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db

bp = Blueprint("article_admin", __name__, url_prefix="/admin/articles")


def _published_message(article: Article) -> str:
    if article.status == ArticleStatus.SCHEDULED:
        return _("文章将在设定的发布时间自动公开。")
    return _("文章已发布。")


@bp.route("/")
@admin_required
def index():
    return render_template("articles/admin/index.html", page=paginate(services.all_articles(), 30))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = ArticleForm.of(None)
    if form.validate_on_submit():
        article = run_step(lambda: services.create_article(form.values(), current_user), _("文章已保存为草稿。"))
        if article is not None:
            return redirect(url_for("article_admin.edit", article_id=article.id))
    return render_template("articles/admin/form.html", form=form, article=None)


@bp.route("/<int:article_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(article_id: int):
    article = db.get_or_404(Article, article_id)
    form = ArticleForm.of(article)

    def update() -> Article:
        services.update_article(article, form.values(), current_user)
        return article

    if form.validate_on_submit() and run_step(update, _("文章已保存。")) is not None:
        return redirect(url_for("article_admin.edit", article_id=article.id))
    return render_template("articles/admin/form.html", form=form, article=article)


@bp.route("/<int:article_id>/publish", methods=["POST"])
@admin_required
def publish(article_id: int):
    article = db.get_or_404(Article, article_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.publish(article, current_user), _published_message)
    return redirect(url_for("article_admin.edit", article_id=article.id))


@bp.route("/<int:article_id>/<any(pin, unpin):step>", methods=["POST"])
@admin_required
def pin(article_id: int, step: str):
    article = db.get_or_404(Article, article_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: services.set_pinned(article, step == "pin", current_user),
            _("文章已置顶。") if step == "pin" else _("已取消置顶。"),
        )
    return redirect(url_for("article_admin.index"))


@bp.route("/<int:article_id>/withdraw", methods=["POST"])
@admin_required
def withdraw(article_id: int):
    article = db.get_or_404(Article, article_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.withdraw(article, current_user), _("文章已撤回，公众不再能看到它。"))
    return redirect(url_for("article_admin.edit", article_id=article.id))


@bp.route("/<int:article_id>/files/<int:file_id>/remove", methods=["POST"])
@admin_required
def remove_attachment(article_id: int, file_id: int):
    stored = db.get_or_404(ArticleAttachment, file_id)
    if stored.article_id != article_id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        stored_name = run_step(lambda: services.remove_attachment(stored, current_user), _("附件已删除。"))
        if stored_name:
            files.remove_stored(services.FILES, stored_name)
    return redirect(url_for("article_admin.edit", article_id=article_id))

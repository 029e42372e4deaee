"""The privacy policy, the terms of use and the site map; the office edits the policy texts."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import current_language
from app.core.page_cache import public_page
from app.core.permissions import admin_required
from app.core.rich_text import render_markdown
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.legal import services
from app.legal.forms import LegalDocumentForm
from app.legal.models import KIND_LABELS, LegalKind

bp = Blueprint("legal", __name__)
add_app_template_values(bp, legal_kind_labels=KIND_LABELS)


def _show(kind: LegalKind):
    document = services.current(kind)
    body = render_markdown(document.body(current_language())) if document else None
    return render_template("legal/document.html", kind=kind, document=document, body=body)


@bp.route("/privacy")
@public_page
def privacy():
    return _show(LegalKind.PRIVACY)


@bp.route("/terms")
@public_page
def terms():
    return _show(LegalKind.TERMS)


@bp.route("/sitemap")
@public_page
def sitemap():
    return render_template("legal/sitemap.html")


@bp.route("/admin/legal")
@admin_required
def admin_index():
    return render_template("legal/admin_index.html", histories={kind: services.history(kind) for kind in LegalKind})


@bp.route("/admin/legal/<any(privacy, terms):kind>", methods=["GET", "POST"])
@admin_required
def edit(kind: str):
    legal_kind = LegalKind(kind)
    document = services.current(legal_kind)
    form = LegalDocumentForm(
        data=None
        if request.method == "POST" or document is None
        else {"body_zh": document.body_zh, "body_en": document.body_en}
    )
    if form.validate_on_submit():
        published = run_step(
            lambda: services.publish(legal_kind, form.body_zh.data or "", form.body_en.data or "", current_user),
            lambda doc: _("已发布第 %(version)s 版，用户下次登录时需重新同意。", version=doc.version),
        )
        if published is not None:
            return redirect(url_for("legal.admin_index"))
    return render_template("legal/edit.html", form=form, kind=legal_kind, document=document)

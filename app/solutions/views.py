"""Solutions: the public list and pages, the plug-and-play comparison, and what a provider's
members do with their own, reference cases and attachments included."""

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.accounts.permissions import in_an_organization
from app.catalog.scenarios import facet_labels
from app.core import files
from app.core.forms import ConfirmForm
from app.core.numbers import int_args
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db
from app.listings import moderation
from app.listings.permissions import can_manage_listing, can_view_listing
from app.listings.view_steps import owner_step
from app.search import search
from app.search.pages import export_search, records_of
from app.solutions import services
from app.solutions.forms import DELIVERY_LABELS, PRICE_LABELS, AttachmentForm, CaseForm, SolutionForm
from app.solutions.models import Solution, SolutionAttachment, SolutionCase
from app.solutions.permissions import can_post_solution, can_see_attachment
from app.solutions.search import EXPORT, SOLUTION, parse_query

bp = Blueprint("solutions", __name__, url_prefix="/solutions")
add_app_template_values(bp, delivery_labels=DELIVERY_LABELS, price_labels=PRICE_LABELS)
bp.add_app_template_global(services.published_by, "provider_solutions")
add_app_template_values(
    bp, attachment_limits={"count": services.MAX_ATTACHMENTS, "size": services.MAX_ATTACHMENT_BYTES}
)


@bp.app_template_global()
def visible_attachments(solution: Solution) -> list[SolutionAttachment]:
    """The files of `solution` the current user may see (pending ones only to its organization and admins)."""
    return services.visible_attachments(current_user, solution)


MAX_COMPARED = 4


def _solution(solution_id: int) -> Solution:
    solution = db.get_or_404(Solution, solution_id)
    if not can_view_listing(current_user, solution):
        abort(404)
    return solution


def _frozen(solution: Solution) -> bool:
    """True, the refusal said, once the solution is closed and its owner no longer changes it."""
    return run_step(lambda: moderation.editable(solution)) is None


def _detail_page(solution: Solution):
    return redirect(url_for("solutions.detail", solution_id=solution.id))


@bp.route("/")
@public_page
def index():
    query = parse_query(request.args)
    result = search(SOLUTION, query.q, query.filters, query.sort, query.page, 20)
    solutions = records_of(Solution, result, selectinload(Solution.industries), selectinload(Solution.organization))
    labels = facet_labels()
    labels["plug_and_play"] = {"yes": _("即插即用"), "no": _("其他方案")}
    labels["price_model"] = {model.value: str(label) for model, label in PRICE_LABELS.items()}
    return render_template(
        "solutions/index.html",
        query=query,
        result=result,
        solutions=solutions,
        labels=labels,
        can_post=can_post_solution(current_user),
        save_doc_type=SOLUTION,
        export_endpoint="solutions.export",
    )


@bp.route("/export.<kind>")
def export(kind: str):
    return export_search(EXPORT, kind)


@bp.route("/compare")
def compare():
    ids = int_args("id")[:MAX_COMPARED]
    chosen = [
        s
        for s in (db.session.get(Solution, i) for i in dict.fromkeys(ids))
        if s is not None and s.is_public and s.plug_and_play
    ]
    return render_template("solutions/compare.html", solutions=chosen, max_compared=MAX_COMPARED)


@bp.route("/mine")
@login_required
def mine():
    org = current_user.organization
    ensure(in_an_organization(current_user))
    return render_template(
        "solutions/mine.html",
        page=paginate(moderation.owned_by(Solution, org)),
        org=org,
        can_post=can_post_solution(current_user),
    )


@bp.route("/<int:solution_id>")
@public_page
def detail(solution_id: int):
    solution = _solution(solution_id)
    return render_template(
        "solutions/detail.html",
        solution=solution,
        can_manage=can_manage_listing(current_user, solution),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    ensure(can_post_solution(current_user))
    form = SolutionForm()
    if form.validate_on_submit():
        solution = run_step(
            lambda: moderation.create_listing(
                Solution, current_user.organization, current_user, form.values(), submit_now=form.submit_for_review.data
            ),
            lambda solution: (
                _("方案已提交审核，审核通过后公开。")
                if solution.status == moderation.ListingStatus.SUBMITTED
                else _("方案草稿已保存。")
            ),
        )
        if solution:
            return redirect(url_for("solutions.detail", solution_id=solution.id))
    return render_template("solutions/form.html", form=form, solution=None)


@bp.route("/<int:solution_id>/edit", methods=["GET", "POST"])
@login_required
def edit(solution_id: int):
    solution = _solution(solution_id)
    ensure(can_manage_listing(current_user, solution))
    if _frozen(solution):
        return _detail_page(solution)
    form = SolutionForm(solution=solution)
    if form.validate_on_submit():
        run_step(
            lambda: moderation.update_listing(solution, form.values(), submit_now=form.submit_for_review.data),
            lambda back_to_review: (
                _("修改了方案的主要内容，方案已转入重新审核。") if back_to_review else _("方案已保存。")
            ),
        )
        return redirect(url_for("solutions.detail", solution_id=solution.id))
    return render_template("solutions/form.html", form=form, solution=solution)


@bp.route("/<int:solution_id>/submit", methods=["POST"])
@login_required
def submit(solution_id: int):
    solution = _solution(solution_id)
    ensure(can_manage_listing(current_user, solution))
    owner_step(solution, moderation.submit, _("方案已提交审核，审核通过后公开。"))
    return redirect(url_for("solutions.detail", solution_id=solution.id))


@bp.route("/<int:solution_id>/close", methods=["POST"])
@login_required
def close(solution_id: int):
    solution = _solution(solution_id)
    ensure(can_manage_listing(current_user, solution))
    owner_step(solution, moderation.close, _("方案已下架，不再公开。"))
    return redirect(url_for("solutions.detail", solution_id=solution.id))


# --- reference cases and attachments -----------------------------------------------------------


def _managed(solution_id: int) -> Solution:
    solution = _solution(solution_id)
    ensure(can_manage_listing(current_user, solution))
    return solution


_Part = TypeVar("_Part", SolutionCase, SolutionAttachment)


def _part_of(solution: Solution, model: type[_Part], part_id: int) -> _Part:
    """A case or attachment of this solution; another solution's is not found here."""
    part = db.get_or_404(model, part_id)
    if part.solution_id != solution.id:
        abort(404)
    return part


def _saved(done: str) -> Callable[[bool], str]:
    """What the owner reads once a case is saved, and whether the solution went back for review."""
    return lambda back_to_review: (
        _("%(done)s方案已转入重新审核，审核通过后重新公开。", done=done) if back_to_review else done
    )


@bp.route("/<int:solution_id>/cases/new", methods=["GET", "POST"])
@login_required
def new_case(solution_id: int):
    solution = _managed(solution_id)
    if _frozen(solution):
        return _detail_page(solution)
    form = CaseForm()
    if form.validate_on_submit():
        run_step(lambda: services.add_case(solution, form.values()), _saved(_("参考案例已添加。")))
        return redirect(url_for("solutions.detail", solution_id=solution.id, _anchor="cases"))
    return render_template("solutions/case_form.html", form=form, solution=solution, case=None)


@bp.route("/<int:solution_id>/cases/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit_case(solution_id: int, case_id: int):
    solution = _managed(solution_id)
    case = _part_of(solution, SolutionCase, case_id)
    if _frozen(solution):
        return _detail_page(solution)
    form = CaseForm(obj=case)
    if form.validate_on_submit():
        run_step(lambda: services.update_case(case, form.values()), _saved(_("参考案例已保存。")))
        return redirect(url_for("solutions.detail", solution_id=solution.id, _anchor="cases"))
    return render_template("solutions/case_form.html", form=form, solution=solution, case=case)


@bp.route("/<int:solution_id>/cases/<int:case_id>/delete", methods=["POST"])
@login_required
def delete_case(solution_id: int, case_id: int):
    solution = _managed(solution_id)
    case = _part_of(solution, SolutionCase, case_id)
    if _frozen(solution):
        return _detail_page(solution)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.delete_case(case), _("参考案例已删除。"))
    return redirect(url_for("solutions.detail", solution_id=solution.id, _anchor="cases"))


@bp.route("/<int:solution_id>/attachments/new", methods=["GET", "POST"])
@login_required
def new_attachment(solution_id: int):
    solution = _managed(solution_id)
    if _frozen(solution):
        return _detail_page(solution)
    form = AttachmentForm()
    if form.validate_on_submit():
        held_for_review = run_step(
            lambda: services.add_attachment(solution, form.file.data, current_user),
            lambda held: _("附件已上传，平台审核通过后公开；方案保持公开。") if held else _("附件已上传。"),
        )
        if held_for_review is not None:
            return redirect(url_for("solutions.detail", solution_id=solution.id, _anchor="attachments"))
    return render_template("solutions/attachment_form.html", form=form, solution=solution)


@bp.route("/<int:solution_id>/attachments/<int:attachment_id>")
def attachment(solution_id: int, attachment_id: int):
    """The file, to whoever may see the solution (a pending file: its organization and the admins);
    never cached when the solution or the file is not public."""
    solution = _solution(solution_id)
    stored = _part_of(solution, SolutionAttachment, attachment_id)
    if not can_see_attachment(current_user, stored):
        abort(404)
    return files.send_stored(
        services.ATTACHMENTS,
        stored.stored_name,
        stored.content_type,
        stored.original_name,
        private=stored.pending or not solution.is_public,
    )


@bp.route("/<int:solution_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(solution_id: int, attachment_id: int):
    solution = _managed(solution_id)
    stored = _part_of(solution, SolutionAttachment, attachment_id)
    if _frozen(solution):
        return _detail_page(solution)
    if ConfirmForm().validate_on_submit():
        stored_name = run_step(lambda: services.delete_attachment(stored), _("附件已删除。"))
        if stored_name:
            files.remove_stored(services.ATTACHMENTS, stored_name)
    return redirect(url_for("solutions.detail", solution_id=solution.id, _anchor="attachments"))

"""Solutions: the public list and pages, the plug-and-play comparison, and what a provider's
members do with their own."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.catalog.scenarios import facet_labels
from app.core import moderation
from app.core.forms import ConfirmForm
from app.core.listing_views import owner_step
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.extensions import db
from app.search import search
from app.search.pages import SearchQuery, records_of
from app.solutions.forms import DELIVERY_LABELS, PRICE_LABELS, SolutionForm
from app.solutions.models import Solution
from app.solutions.permissions import can_post_solution
from app.solutions.search import FACETS, SOLUTION

bp = Blueprint("solutions", __name__, url_prefix="/solutions")
bp.add_app_template_global(DELIVERY_LABELS, "delivery_labels")
bp.add_app_template_global(PRICE_LABELS, "price_labels")

SORTS = ("relevance", "newest")
MAX_COMPARED = 4


def _solution(solution_id: int) -> Solution:
    solution = db.get_or_404(Solution, solution_id)
    if not moderation.can_view(current_user, solution):
        abort(404)
    return solution


@bp.route("/")
def index():
    query = SearchQuery.parse(request.args, FACETS, SORTS)
    result = search(SOLUTION, query.q, query.filters, query.sort, query.page, 20)
    solutions = records_of(Solution, result, selectinload(Solution.industries), selectinload(Solution.organization))
    labels = facet_labels()
    labels["plug_and_play"] = {"yes": _("即插即用"), "no": _("其他方案")}
    labels["price_model"] = {model.value: str(label) for model, label in PRICE_LABELS.items()}
    return render_template("solutions/index.html", query=query, result=result, solutions=solutions, labels=labels,
                           can_post=can_post_solution(current_user), save_doc_type=SOLUTION)


@bp.route("/compare")
def compare():
    ids = [int(i) for i in request.args.getlist("id") if i.isdigit()][:MAX_COMPARED]
    chosen = [s for s in (db.session.get(Solution, i) for i in dict.fromkeys(ids))
              if s is not None and s.is_public and s.plug_and_play]
    return render_template("solutions/compare.html", solutions=chosen, max_compared=MAX_COMPARED)


@bp.route("/mine")
@login_required
def mine():
    org = current_user.organization
    ensure(org is not None)
    return render_template("solutions/mine.html", page=paginate(moderation.owned_by(Solution, org)), org=org,
                           can_post=can_post_solution(current_user))


@bp.route("/<int:solution_id>")
def detail(solution_id: int):
    solution = _solution(solution_id)
    return render_template("solutions/detail.html", solution=solution, confirm_form=ConfirmForm(),
                           can_manage=moderation.can_manage(current_user, solution))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    ensure(can_post_solution(current_user))
    form = SolutionForm()
    if form.validate_on_submit():
        solution = moderation.create_listing(Solution, current_user.organization, current_user, form.values(),
                                             submit_now=form.submit_for_review.data)
        db.session.commit()
        flash(_("方案已提交审核，审核通过后公开。") if solution.status == moderation.ListingStatus.SUBMITTED
              else _("方案草稿已保存。"), "success")
        return redirect(url_for("solutions.detail", solution_id=solution.id))
    return render_template("solutions/form.html", form=form, solution=None)


@bp.route("/<int:solution_id>/edit", methods=["GET", "POST"])
@login_required
def edit(solution_id: int):
    solution = _solution(solution_id)
    ensure(moderation.can_manage(current_user, solution))
    if not solution.is_editable:
        flash(_("已下架的方案不能再修改。"), "warning")
        return redirect(url_for("solutions.detail", solution_id=solution.id))
    form = SolutionForm(solution=solution)
    if form.validate_on_submit():
        back_to_review = moderation.update_listing(solution, form.values(), submit_now=form.submit_for_review.data)
        db.session.commit()
        flash(_("修改了方案的主要内容，方案已转入重新审核。") if back_to_review else _("方案已保存。"), "success")
        return redirect(url_for("solutions.detail", solution_id=solution.id))
    return render_template("solutions/form.html", form=form, solution=solution)


@bp.route("/<int:solution_id>/submit", methods=["POST"])
@login_required
def submit(solution_id: int):
    solution = _solution(solution_id)
    ensure(moderation.can_manage(current_user, solution))
    owner_step(solution, moderation.submit, _("方案已提交审核，审核通过后公开。"), _("只有草稿或被退回的方案可以提交审核。"))
    return redirect(url_for("solutions.detail", solution_id=solution.id))


@bp.route("/<int:solution_id>/close", methods=["POST"])
@login_required
def close(solution_id: int):
    solution = _solution(solution_id)
    ensure(moderation.can_manage(current_user, solution))
    owner_step(solution, moderation.close, _("方案已下架，不再公开。"), _("这个方案已经下架。"))
    return redirect(url_for("solutions.detail", solution_id=solution.id))

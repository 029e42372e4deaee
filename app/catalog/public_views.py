"""The public scenario list: scenario pages and the releases (batches)."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.catalog import batches, scenarios
from app.catalog.models import BatchStatus, ChangeKind, Scenario, ScenarioBatch
from app.catalog.permissions import can_view_batch
from app.core.numbers import parse_int
from app.core.page_cache import public_page
from app.core.pagination import paginate, paginate_list
from app.extensions import db
from app.search.pages import export_search

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

BATCH_PAGE_ITEMS = 50
CHANGES_PER_PAGE = 20


@bp.route("/")
@public_page
def index():
    search = scenarios.ScenarioSearch.from_args(request.args)
    page = scenarios.search_scenarios(search)
    return render_template("catalog/scenarios.html", search=search, page=page, result=page.result, labels=page.labels)


@bp.route("/export.<kind>")
def export(kind: str):
    return export_search(scenarios.EXPORT, kind)


@bp.route("/<code>")
@public_page
def detail(code: str):
    scenario = db.session.scalar(select(Scenario).where(Scenario.code == code))
    if scenario is None or not scenario.is_public:
        abort(404)
    return render_template(
        "catalog/scenario.html",
        scenario=scenario,
        history=batches.scenario_history(scenario),
        related=scenarios.related_scenarios(scenario),
        solutions=scenarios.scenario_solutions(scenario),
    )


@bp.route("/batches")
@public_page
def batch_list():
    return render_template("catalog/batches.html", page=paginate(scenarios.released_batches()))


@bp.route("/batches/<int:batch_id>")
@public_page
def batch(batch_id: int):
    batch = db.get_or_404(ScenarioBatch, batch_id)
    if batch.status == BatchStatus.DRAFT:
        abort(404)

    def first(stmt):
        return db.session.scalars(stmt.limit(BATCH_PAGE_ITEMS)).all()

    changed = paginate(batches.revisions_query(batch, ChangeKind.CHANGED), per_page=CHANGES_PER_PAGE)
    return render_template(
        "catalog/batch.html",
        batch=batch,
        counts=batches.change_counts(batch),
        added=first(batches.revisions_query(batch, ChangeKind.ADDED)),
        changed=changed,
        changes=batches.revision_changes(changed.items),
        withdrawn=first(batches.withdrawn_with(batch)),
        item_limit=BATCH_PAGE_ITEMS,
    )


@bp.route("/batches/compare")
@public_page
def compare():
    """Two releases of the list side by side: `?from=<batch id>&to=<batch id>`, the older first."""
    shown = [b for b in batches.comparable_batches() if can_view_batch(current_user, b)]
    by_id = {b.id: b for b in shown}
    chosen = {key: by_id.get(parse_int(request.args.get(key), minimum=1) or 0) for key in ("from", "to")}
    context: dict = {"batches": shown, "chosen": chosen, "comparison": None, "error": None}
    asked = [key for key in ("from", "to") if request.args.get(key)]
    status = 200
    if any(chosen[key] is None for key in asked):
        context["error"], status = _("找不到所选的发布批次，请从列表中重新选择。"), 404
    elif len(asked) == 2 and chosen["from"] is chosen["to"]:
        context["error"], status = _("请选择两个不同的批次进行对比。"), 400
    elif len(asked) == 2:
        comparison = batches.compare_batches(chosen["from"], chosen["to"], shown)
        change = request.args.get("change", "")
        change = change if change in batches.CHANGE_ORDER else ""
        page = paginate_list(comparison.of(change or None), per_page=CHANGES_PER_PAGE)
        context.update(comparison=comparison, change=change, page=page, diffs=batches.diff_changes(page.items))
    return render_template("catalog/compare.html", **context), status

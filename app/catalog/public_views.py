"""The public scenario list: scenario pages and the releases (batches)."""

from datetime import date

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from app.catalog import batches, scenarios
from app.catalog.models import BatchStatus, ChangeKind, Scenario, ScenarioBatch
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.spreadsheets import EXPORT_MIMETYPES, export_response
from app.extensions import db

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

BATCH_PAGE_ITEMS = 50


@bp.route("/")
@public_page
def index():
    search = scenarios.ScenarioSearch.from_args(request.args)
    page = scenarios.search_scenarios(search)
    return render_template("catalog/scenarios.html", search=search, page=page, result=page.result, labels=page.labels)


@bp.route("/export.<kind>")
def export(kind: str):
    if kind not in EXPORT_MIMETYPES:
        abort(404)
    rows = scenarios.export_rows(scenarios.matching_scenarios(scenarios.ScenarioSearch.from_args(request.args)))
    return export_response(kind, f"scenarios-{date.today():%Y%m%d}", "场景清单", scenarios.EXPORT_HEADER, rows)


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

    return render_template(
        "catalog/batch.html",
        batch=batch,
        counts=batches.change_counts(batch),
        added=first(batches.revisions_query(batch, ChangeKind.ADDED)),
        changed=first(batches.revisions_query(batch, ChangeKind.CHANGED)),
        withdrawn=first(batches.withdrawn_with(batch)),
        item_limit=BATCH_PAGE_ITEMS,
    )

"""The statistics pages: the admins' dashboard and drill-down, manual enablements and their
import, indicators and targets, the reports, and the public figures."""

import re
from datetime import date, timedelta

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Organization
from app.core import data_version
from app.core.forms import SpreadsheetForm, flash_errors, required_data
from app.core.i18n import current_language
from app.core.import_flow import ImportFlow
from app.core.models import local_today
from app.core.numbers import int_arg
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.spreadsheets import XLSX_MIMETYPE
from app.core.steps import run_step
from app.extensions import db
from app.stats import charts, importing, indicators, ledger, reports, services
from app.stats.forms import (
    FilterForm,
    IndicatorForm,
    ManualEnablementForm,
    NewIndicatorForm,
    PlanForm,
    ReportValueForm,
    ReverseForm,
    SuccessorPlanForm,
)
from app.stats.models import Enablement, Indicator, IndicatorKind, Plan, ReportedValue

bp = Blueprint("stats", __name__, url_prefix="/stats")

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
IMPORT = ImportFlow(
    importing.parse_enablements,
    row_limit=50,
    problem_limit=200,
    applicable=lambda parsed: parsed.ok and bool(parsed.new_rows),
)


def _filters(drill: bool = False) -> tuple[services.Filters, FilterForm]:
    """The filters in the query string; a value that does not parse is dropped with a message."""
    form = FilterForm(request.args)
    valid = form.validate() if request.args else True
    if not valid:
        flash_errors(form, "warning")
    values = {
        name: getattr(form, name).data if getattr(form, name).data and name not in form.errors else None
        for name in ("start", "end", "district", "industry", "kind")
    }
    filters = services.Filters(**values)
    if drill:
        month = request.args.get("month", "")
        filters = filters.narrowed(month=month if MONTH.match(month) else None, provider=int_arg("provider"))
    return filters, form


@bp.route("/")
@admin_required
def dashboard():
    filters, form = _filters()
    body = data_version.cached_fragment(
        "stats.dashboard", lambda: _dashboard_body(filters, form), current_language(), request.query_string
    )
    return render_template("stats/dashboard.html", body=body)


def _dashboard_body(filters: services.Filters, form: FilterForm) -> str:
    """The same for every admin (the page around it is theirs): the aggregates and the plan's
    indicators rendered once per data version, language and query string."""
    board = services.dashboard(filters, locale=current_language(), unknown=_("未填写"))
    plan = indicators.current_plan()
    statuses = indicators.statuses(plan) if plan else []
    return render_template(
        "stats/_dashboard_body.html",
        board=board,
        form=form,
        filters=filters,
        plan=plan,
        statuses=statuses,
        elapsed=indicators.elapsed_share(plan) if plan else 0,
        past=_past_plans(),
        chart=charts.chart_data(board, drill=True),
        follow_ups=services.follow_up_counts(),
    )


def _past_plans() -> list[tuple[Plan, list[indicators.IndicatorStatus]]]:
    """The plans that have ended, each with its indicators' final figures."""
    return [(plan, indicators.statuses(plan)) for plan in indicators.past_plans()]


@bp.route("/public")
@public_page
def public():
    board = services.dashboard(services.Filters(), with_providers=False, locale=current_language(), unknown=_("未填写"))
    plan = indicators.current_plan()
    statuses = indicators.statuses(plan) if plan else []
    return render_template(
        "stats/public.html",
        board=board,
        plan=plan,
        statuses=statuses,
        elapsed=indicators.elapsed_share(plan) if plan else 0,
        past=_past_plans(),
        chart=charts.chart_data(board, drill=False),
        follow_ups=services.follow_up_counts(),
    )


@bp.route("/ledger")
@admin_required
def ledger_rows():
    filters, form = _filters(drill=True)
    stmt = services.ledger_rows(filters).options(
        selectinload(Enablement.firm),
        selectinload(Enablement.provider),
        selectinload(Enablement.kind),
        selectinload(Enablement.district),
        selectinload(Enablement.industry),
    )
    rows = paginate(stmt)
    net = services.firm_times(filters)
    return render_template(
        "stats/ledger.html",
        rows=rows,
        net=net,
        firms=services.firms_served(filters),
        filters=filters,
        scope=_scope(filters, form),
    )


def _scope(filters: services.Filters, form: FilterForm) -> list[str]:
    """The drill-down's filters in words."""
    scope = []
    if filters.start:
        scope.append(_("自 %(date)s", date=filters.start.isoformat()))
    if filters.end:
        scope.append(_("至 %(date)s", date=filters.end.isoformat()))
    if filters.month:
        scope.append(_("%(month)s 月", month=filters.month))
    for name in ("district", "industry", "kind"):
        value = getattr(filters, name)
        if value:
            labels = {choice.value: str(choice.label) for choice in getattr(form, name).choices}
            scope.append(f"{getattr(form, name).label.text}：{labels.get(value, value)}")
    if filters.provider:
        provider = db.session.get(Organization, filters.provider)
        scope.append(_("服务商：%(name)s", name=provider.name if provider else filters.provider))
    return scope


@bp.route("/ledger.csv")
@admin_required
def ledger_csv():
    filters, _form = _filters(drill=True)
    return _download(reports.ledger_csv(filters), f"enablements-{date.today():%Y%m%d}.csv", "text/csv")


@bp.route("/report.xlsx")
@admin_required
def report():
    filters, _form = _filters()
    data = reports.workbook(filters, indicators.current_plan(), locale=current_language())
    return _download(data, f"enablement-report-{date.today():%Y%m%d}.xlsx", XLSX_MIMETYPE)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.route("/ledger/<int:row_id>")
@admin_required
def entry(row_id: int):
    row = db.get_or_404(Enablement, row_id)
    return render_template("stats/entry.html", row=row, reversal=ledger.reversal_of(row), form=ReverseForm())


@bp.route("/ledger/<int:row_id>/reverse", methods=["POST"])
@admin_required
def reverse(row_id: int):
    row = db.get_or_404(Enablement, row_id)
    form = ReverseForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("stats.entry", row_id=row.id))
    run_step(
        lambda: ledger.reverse(row, by=current_user, reason=required_data(form.reason)),
        _("已冲销：赋能企业家次减少 1。"),
    )
    return redirect(url_for("stats.entry", row_id=row.id))


@bp.route("/ledger/new", methods=["GET", "POST"])
@admin_required
def record():
    form = ManualEnablementForm()
    if form.validate_on_submit() and (
        result := run_step(
            lambda: ledger.record_manual(
                firm=form.firm.organization,
                kind=form.kind.data,
                token=form.token.data,
                occurred_on=form.occurred_on.data,
                provider=getattr(form.provider, "organization", None),
                programme=form.programme.data,
                by=current_user,
                note=form.note.data,
                evidence=form.evidence.data,
            ),
            lambda result: (
                _("已登记一次赋能：%(firm)s，%(kind)s。", firm=result.row.firm.name, kind=result.row.kind.name)
                if result.created
                else _("这张表单已经提交过，没有重复登记。")
            ),
            category=lambda result: "success" if result.created else "info",
        )
    ):
        return redirect(url_for("stats.entry", row_id=result.row.id))
    return render_template("stats/record.html", form=form)


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_upload():
    form = SpreadsheetForm()
    if request.method == "GET":
        return render_template("stats/import.html", form=form, columns=importing.COLUMNS)
    if not form.validate_on_submit():
        return render_template("stats/import.html", form=form, columns=importing.COLUMNS), 400
    staged = IMPORT.preview(form.file.data.read(), form.file.data.filename or "")
    return render_template(
        "stats/import_preview.html",
        parsed=staged.parsed,
        token=staged.token,
        filename=staged.filename,
        row_limit=staged.row_limit,
        problem_limit=staged.problem_limit,
    )


@bp.route("/import/apply", methods=["POST"])
@admin_required
def import_apply():
    applied = run_step(
        lambda: IMPORT.apply(
            request.form.get("token", ""),
            lambda parsed: importing.apply_enablements(parsed, current_user),
        ),
        lambda applied: _(
            "已导入 %(created)d 次赋能（%(skipped)d 行此前已导入）。",
            created=applied[1],
            skipped=len(applied[0].rows) - applied[1],
        ),
    )
    if applied is None:
        return redirect(url_for("stats.import_upload"))
    parsed, created = applied
    return redirect(url_for("stats.ledger_rows", kind=parsed.rows[0].kind.code if created else None))


@bp.route("/indicators", methods=["GET", "POST"])
@admin_required
def indicator_list():
    plan = indicators.current_plan()
    if plan is None:
        abort(404)
    return _plan_page(plan)


@bp.route("/plans", methods=["GET", "POST"])
@admin_required
def plans():
    all_plans = indicators.plans()
    latest = all_plans[0] if all_plans else None
    form = SuccessorPlanForm()
    if latest and request.method == "GET":
        form.starts_on.data = latest.ends_on + timedelta(days=1)
        form.ends_on.data = _three_years_after(latest.ends_on)
    if (
        latest
        and form.validate_on_submit()
        and (
            plan := run_step(
                lambda: indicators.create_successor(
                    latest,
                    name=required_data(form.name),
                    name_en=form.name_en.data or "",
                    starts_on=required_data(form.starts_on),
                    ends_on=required_data(form.ends_on),
                    by=current_user,
                ),
                lambda plan: _(
                    "已新建“%(name)s”，指标和目标复制自“%(previous)s”，请逐项核对修改。",
                    name=plan.display_name(),
                    previous=latest.display_name(),
                ),
            )
        )
    ):
        return redirect(url_for("stats.plan", plan_id=plan.id))
    return render_template(
        "stats/plans.html",
        plans=all_plans,
        latest=latest,
        current=indicators.current_plan(),
        today=local_today(),
        form=form,
    )


def _three_years_after(day: date) -> date:
    """The suggested end of a successor plan: a three-year plan, as the previous one."""
    return day.replace(year=day.year + 3, day=28 if (day.month, day.day) == (2, 29) else day.day)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@admin_required
def plan(plan_id: int):
    return _plan_page(db.get_or_404(Plan, plan_id))


@bp.route("/plans/<int:plan_id>/edit", methods=["POST"])
@admin_required
def update_plan(plan_id: int):
    item = db.get_or_404(Plan, plan_id)
    form = PlanForm(prefix="plan")
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        run_step(
            lambda: indicators.update_plan(
                item,
                name=required_data(form.name),
                name_en=form.name_en.data or "",
                starts_on=required_data(form.starts_on),
                ends_on=required_data(form.ends_on),
                by=current_user,
            ),
            lambda _result: _("已保存计划“%(name)s”。", name=item.display_name()),
        )
    return redirect(url_for("stats.plan", plan_id=item.id))


def _plan_page(plan: Plan):
    """A plan's indicators and targets, where admins add an indicator; posts to the page's own address."""
    form = NewIndicatorForm()
    if form.validate_on_submit() and run_step(
        lambda: indicators.create_indicator(
            plan,
            code=required_data(form.code),
            name=required_data(form.name),
            name_en=form.name_en.data or "",
            unit=required_data(form.unit),
            unit_en=form.unit_en.data or "",
            target=required_data(form.target),
            kind=IndicatorKind(form.kind.data),
            note=form.note.data or "",
            by=current_user,
        ),
        lambda indicator: _("已添加指标“%(name)s”。", name=indicator.display_name()),
    ):
        return redirect(request.path)
    return render_template(
        "stats/indicators.html",
        plan=plan,
        statuses=indicators.statuses(plan),
        form=form,
        plan_form=PlanForm(obj=plan, formdata=None, prefix="plan"),
        elapsed=indicators.elapsed_share(plan),
        computations=indicators.COMPUTATIONS,
    )


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
@admin_required
def indicator(indicator_id: int):
    item = db.get_or_404(Indicator, indicator_id)
    form = IndicatorForm(obj=item)
    report_form = ReportValueForm(formdata=None) if item.kind == IndicatorKind.REPORTED else None
    if form.validate_on_submit():
        run_step(
            lambda: indicators.update_indicator(
                item,
                name=required_data(form.name),
                name_en=form.name_en.data or "",
                unit=required_data(form.unit),
                unit_en=form.unit_en.data or "",
                target=required_data(form.target),
                note=form.note.data or "",
                by=current_user,
            ),
            lambda _result: _("已保存指标“%(name)s”。", name=item.display_name()),
        )
        return redirect(url_for("stats.indicator", indicator_id=item.id))
    return _indicator_page(item, form, report_form)


def _indicator_page(item: Indicator, form: IndicatorForm, report_form: ReportValueForm | None, status: int = 200):
    history = db.session.scalars(
        select(ReportedValue)
        .where(ReportedValue.indicator_id == item.id)
        .order_by(ReportedValue.as_of.desc(), ReportedValue.id.desc())
    ).all()
    return render_template(
        "stats/indicator.html",
        item=item,
        form=form,
        report_form=report_form,
        status=indicators.status(item),
        history=history,
        computation=indicators.COMPUTATIONS.get(item.code),
    ), status


@bp.route("/indicators/<int:indicator_id>/report", methods=["POST"])
@admin_required
def report_value(indicator_id: int):
    item = db.get_or_404(Indicator, indicator_id)
    if item.kind != IndicatorKind.REPORTED:
        abort(404)
    report_form = ReportValueForm()
    if not report_form.validate_on_submit():
        return _indicator_page(item, IndicatorForm(obj=item, formdata=None), report_form, 400)
    run_step(
        lambda: indicators.report_value(
            item,
            required_data(report_form.value),
            required_data(report_form.as_of),
            required_data(report_form.source),
            current_user,
        ),
        _("已填报“%(name)s”的完成值。", name=item.display_name()),
    )
    return redirect(url_for("stats.indicator", indicator_id=item.id))

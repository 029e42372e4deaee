"""The office's side of pilot selection: calls and their steps, experts assigned to applications,
the ranking and the selection, the notice and the answers to objections."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.models import User
from app.core.forms import ConfirmForm, flash_errors, required_data
from app.core.numbers import parse_int
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db
from app.pilots import services
from app.pilots.forms import AnswerForm, CallForm, NoticeForm
from app.pilots.models import PilotApplication, PilotAssignment, PilotCall, PilotObjection
from app.reviews import services as reviews

bp = Blueprint("pilot_admin", __name__, url_prefix="/admin/pilots")
STEPS = {  # the service, and what to say once it is done
    "open": (services.open_call, lambda call: _("申报已开始，企业可以提交申报。")),
    "review": (services.start_review, lambda call: _("申报已截止，进入评审。")),
    "close": (services.close_scoring, lambda call: _("打分已结束，可以查看排名并确定入选项目。")),
}


@bp.route("/")
@admin_required
def index():
    return render_template("pilots/admin/index.html", calls=services.all_calls())


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = CallForm.of(None)
    if form.validate_on_submit():
        call = run_step(lambda: services.create_call(form.values(), current_user), _("申报批次已保存为草稿。"))
        if call is not None:
            return redirect(url_for("pilot_admin.manage", call_id=call.id))
    return render_template("pilots/admin/form.html", form=form, call=None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(call_id: int):
    call = db.get_or_404(PilotCall, call_id)
    form = CallForm.of(call)

    def update() -> PilotCall:
        services.update_call(call, form.values(), current_user)
        return call

    if form.validate_on_submit() and run_step(update, _("申报批次已保存。")) is not None:
        return redirect(url_for("pilot_admin.manage", call_id=call.id))
    return render_template("pilots/admin/form.html", form=form, call=call)


@bp.route("/<int:call_id>")
@admin_required
def manage(call_id: int):
    call = db.get_or_404(PilotCall, call_id)
    closed, objections = services.scoring_closed(call), services.objections_of(call)
    experts = reviews.experts()
    return render_template(
        "pilots/admin/manage.html",
        call=call,
        review=services.review_of(call),
        closed=closed,
        ranked=services.ranking(call) if closed else [],
        chosen=services.preselection(call) if closed else set(),
        assignable={a.id: services.assignable(a, experts) for a in call.applications},
        objections=objections,
        notice_form=NoticeForm(),
        answer_forms={o.id: AnswerForm(prefix=f"o{o.id}") for o in objections if o.answered_at is None},
    )


@bp.route("/<int:call_id>/<any(open, review, close):step>", methods=["POST"])
@admin_required
def step(call_id: int, step: str):
    call = db.get_or_404(PilotCall, call_id)
    if ConfirmForm().validate_on_submit():
        action, done = STEPS[step]
        run_step(lambda: action(call, current_user), done)
    return redirect(url_for("pilot_admin.manage", call_id=call.id))


@bp.route("/applications/<int:application_id>/assign", methods=["POST"])
@admin_required
def assign(application_id: int):
    application = db.get_or_404(PilotApplication, application_id)
    if ConfirmForm().validate_on_submit():
        expert = db.session.get(User, parse_int(request.form.get("expert")) or 0)
        run_step(
            lambda: services.assign(application, expert, current_user),
            lambda assignment: _(
                "已请 %(name)s 评审“%(project)s”。",
                name=assignment.expert.display_name,
                project=application.project_name,
            ),
        )
    return redirect(url_for("pilot_admin.manage", call_id=application.call_id) + "#applications")


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@admin_required
def unassign(assignment_id: int):
    assignment = db.get_or_404(PilotAssignment, assignment_id)
    call_id, name = assignment.application.call_id, assignment.expert.display_name
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.unassign(assignment, current_user), _("已撤回 %(name)s 的评审任务。", name=name))
    return redirect(url_for("pilot_admin.manage", call_id=call_id) + "#applications")


@bp.route("/<int:call_id>/selection", methods=["POST"])
@admin_required
def selection(call_id: int):
    call = db.get_or_404(PilotCall, call_id)
    if ConfirmForm().validate_on_submit():
        chosen = {number for number in map(parse_int, request.form.getlist("selected")) if number is not None}
        run_step(
            lambda: services.select_applications(call, chosen, current_user),
            lambda count: ngettext(
                "已确定 %(count)d 个入选项目。", "已确定 %(count)d 个入选项目。", count, count=count
            ),
        )
    return redirect(url_for("pilot_admin.manage", call_id=call.id) + "#ranking")


@bp.route("/<int:call_id>/notice", methods=["POST"])
@admin_required
def notice(call_id: int):
    call = db.get_or_404(PilotCall, call_id)
    form = NoticeForm()

    def start_notice() -> PilotCall:
        services.start_notice(call, required_data(form.ends_on), current_user)
        return call

    if form.validate_on_submit():
        run_step(start_notice, _("公示已开始，入选名单已在“试点示范”页面公开。"))
    else:
        flash_errors(form)
    return redirect(url_for("pilot_admin.manage", call_id=call.id))


@bp.route("/<int:call_id>/publish", methods=["POST"])
@admin_required
def publish(call_id: int):
    call = db.get_or_404(PilotCall, call_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: services.publish(call, current_user),
            lambda count: ngettext(
                "结果已公布，%(count)d 家企业计入赋能统计。",
                "结果已公布，%(count)d 家企业计入赋能统计。",
                count,
                count=count,
            ),
        )
    return redirect(url_for("pilot_admin.manage", call_id=call.id))


@bp.route("/objections/<int:objection_id>/answer", methods=["POST"])
@admin_required
def answer(objection_id: int):
    objection = db.get_or_404(PilotObjection, objection_id)
    form = AnswerForm(prefix=f"o{objection.id}")
    if form.validate_on_submit():
        run_step(
            lambda: services.answer(objection, current_user, required_data(form.answer), form.withdraw.data),
            _("异议已答复。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for("pilot_admin.manage", call_id=objection.application.call_id) + "#objections")

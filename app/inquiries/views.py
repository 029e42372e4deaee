"""Threads: opening one from a solution or a need, reading and answering it, and the steps to a deal."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.permissions import in_an_organization
from app.core import files
from app.core.forms import ConfirmForm, flash_errors
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db
from app.inquiries import services
from app.inquiries.forms import (
    FOLLOW_UP_LABELS,
    SIDE_LABELS,
    STATE_LABELS,
    STATE_STYLES,
    DealForm,
    DeclineForm,
    FollowUpForm,
    InquiryForm,
    MessageForm,
)
from app.inquiries.models import FollowUpAnswer, Inquiry, InquiryAttachment, InquiryState
from app.inquiries.permissions import can_act_in_thread, can_inquire, can_propose, can_read_thread, side_of
from app.listings.permissions import can_view_listing
from app.needs.models import Need
from app.notifications.services import unread_count
from app.solutions.models import Solution

bp = Blueprint("inquiries", __name__, url_prefix="/inquiries")
add_app_template_values(
    bp,
    follow_up_labels=FOLLOW_UP_LABELS,
    inquiry_state_labels=STATE_LABELS,
    inquiry_state_styles=STATE_STYLES,
    inquiry_side_labels=SIDE_LABELS,
)
bp.add_app_template_global(services.follow_up_answers)


def _inquiry(inquiry_id: int) -> Inquiry:
    inquiry = db.get_or_404(Inquiry, inquiry_id)
    ensure(can_read_thread(current_user, inquiry))
    return inquiry


def _public(model, item_id: int):
    item = db.get_or_404(model, item_id)
    if not can_view_listing(current_user, item):
        abort(404)
    return item


@bp.route("/")
@login_required
def index():
    ensure(in_an_organization(current_user))
    org = current_user.organization
    state = request.args.get("state", "")
    chosen = InquiryState(state) if state in {s.value for s in InquiryState} else None
    page = paginate(services.threads_of(org, chosen))
    return render_template(
        "inquiries/index.html",
        page=page,
        org=org,
        state=chosen,
        unread=services.unread_by_thread(current_user, page.items),
    )


@bp.route("/solution/<int:solution_id>/new", methods=["GET", "POST"])
@login_required
def inquire(solution_id: int):
    solution = _public(Solution, solution_id)
    ensure(can_inquire(current_user, solution))
    return _open(solution, services.inquire, solution=solution)


@bp.route("/need/<int:need_id>/new", methods=["GET", "POST"])
@login_required
def propose(need_id: int):
    need = _public(Need, need_id)
    ensure(can_propose(current_user, need))
    return _open(need, services.propose, need=need)


def _open(item, step, **subject):
    org = current_user.organization
    if run_step(lambda: services.no_active_thread(org, **subject)) is None:
        existing = services.active_thread(org, **subject)
        assert existing is not None
        return redirect(url_for("inquiries.detail", inquiry_id=existing.id))
    form = InquiryForm()
    if form.validate_on_submit() and (
        inquiry := run_step(
            lambda: step(item, current_user, form.body.data), _("已发送，对方会收到站内消息和邮件提醒。")
        )
    ):
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    return render_template("inquiries/new.html", form=form, item=item, **subject)


@bp.route("/<int:inquiry_id>")
@login_required
def detail(inquiry_id: int):
    inquiry = _inquiry(inquiry_id)
    side = side_of(current_user, inquiry)
    answered = {f.side for f in inquiry.follow_ups}
    return render_template(
        "inquiries/detail.html",
        inquiry=inquiry,
        side=side,
        unread_messages=services.unread_messages(inquiry, current_user),
        unread=services.unread_by_thread(current_user, [inquiry]).get(inquiry.id, 0),
        message_form=MessageForm(),
        decline_form=DeclineForm(),
        deal_form=DealForm(),
        follow_up_form=FollowUpForm(),
        may_answer=side is not None and inquiry.follow_up_asked_at and side not in answered,
    )


@bp.route("/<int:inquiry_id>/read", methods=["POST"])
@login_required
def read(inquiry_id: int):
    """Sent by the thread page once shown (static/js/app.js): the member's notifications about the
    thread are read. Answers the member's unread count, for the page's inbox badge."""
    inquiry = _participant(inquiry_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.mark_thread_read(inquiry, current_user))
    return {"unread": unread_count(current_user)}


@bp.route("/<int:inquiry_id>/messages", methods=["POST"])
@login_required
def reply(inquiry_id: int):
    inquiry = _inquiry(inquiry_id)
    ensure(can_act_in_thread(current_user, inquiry))
    form = MessageForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.post_message(inquiry, current_user, form.body.data, form.file.data),
            _("消息已发送。"),
        )
    else:
        flash_errors(form)
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/accept", methods=["POST"])
@login_required
def accept(inquiry_id: int):
    inquiry = _participant(inquiry_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.accept(inquiry, current_user), _("已接受对接，双方可以继续沟通并确认签约。"))
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/decline", methods=["POST"])
@login_required
def decline(inquiry_id: int):
    inquiry = _participant(inquiry_id)
    form = DeclineForm()
    if form.validate_on_submit():
        run_step(lambda: services.decline(inquiry, current_user, form.reason.data), _("已婉拒这次对接。"))
    else:
        flash_errors(form)
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/deal", methods=["POST"])
@login_required
def confirm_deal(inquiry_id: int):
    inquiry = _participant(inquiry_id)
    form = DealForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.confirm_deal(inquiry, current_user, form.amount.data),
            lambda made: _("双方均已确认，签约完成，已计入赋能统计。") if made else _("已确认签约，等待对方确认。"),
        )
    else:
        flash_errors(form)
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/close", methods=["POST"])
@login_required
def close(inquiry_id: int):
    inquiry = _participant(inquiry_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.close(inquiry, current_user), _("对接已关闭。"))
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/follow-up", methods=["POST"])
@login_required
def follow_up(inquiry_id: int):
    inquiry = _participant(inquiry_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.answer_follow_up(inquiry, current_user, FollowUpAnswer(form.answer.data)),
            _("感谢反馈，回访已记录。"),
        )
    else:
        flash_errors(form)
    return _back(inquiry)


@bp.route("/<int:inquiry_id>/files/<int:file_id>")
@login_required
def attachment(inquiry_id: int, file_id: int):
    inquiry = _inquiry(inquiry_id)
    stored = db.get_or_404(InquiryAttachment, file_id)
    if stored.message.inquiry_id != inquiry.id:
        abort(404)
    return files.send_stored(
        services.FILES, stored.stored_name, stored.content_type, stored.original_name, private=True
    )


def _participant(inquiry_id: int) -> Inquiry:
    """Admins read threads; only the two sides act in them."""
    inquiry = _inquiry(inquiry_id)
    ensure(can_act_in_thread(current_user, inquiry))
    return inquiry


def _back(inquiry: Inquiry):
    return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))

"""The inbox: what a member was told, unread first to the eye, and which mails they get."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core.forms import ConfirmForm
from app.core.pagination import paginate
from app.core.redirects import is_local_path
from app.core.steps import run_step
from app.extensions import db
from app.notifications import services
from app.notifications.forms import MailTopicsForm
from app.notifications.models import Notification

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.app_context_processor
def unread_notifications():
    if not current_user.is_authenticated:
        return {}
    return {"inbox_unread": services.unread_count(current_user)}


@bp.route("/")
@login_required
def index():
    return render_template("notifications/index.html", page=paginate(services.inbox(current_user)))


@bp.route("/<int:notification_id>", methods=["GET", "POST"])
@login_required
def follow(notification_id: int):
    """Each notification in the inbox is a button: pressing it marks it read and follows its link.
    A GET (an old bookmark, the browser's history) reads nothing and lands on the inbox."""
    if request.method == "GET":
        return redirect(url_for("inbox.index"))
    notification = db.get_or_404(Notification, notification_id)
    if notification.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.mark_read(current_user, notification.link))
    return redirect(notification.link if is_local_path(notification.link) else url_for("inbox.index"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: services.mark_read(current_user),
            lambda count: ngettext(
                "已将 %(count)d 条消息标为已读。", "已将 %(count)d 条消息标为已读。", count, count=count
            ),
        )
    return redirect(url_for("inbox.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = MailTopicsForm(
        data=None
        if request.method == "POST"
        else {"topics": [topic.value for topic in services.mail_topics(current_user)]}
    )
    if form.validate_on_submit():
        run_step(lambda: services.set_mail_topics(current_user, form.chosen()), _("邮件提醒设置已保存。"))
        return redirect(url_for("inbox.settings"))
    return render_template("notifications/settings.html", form=form)

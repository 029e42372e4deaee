"""A member's data page (download, deletion request) and the admins' list of deletion requests."""

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.passwords import verify_password
from app.core.forms import ConfirmForm
from app.core.models import utcnow
from app.core.pagination import paginate
from app.core.permissions import admin_required, ensure
from app.core.steps import run_step
from app.extensions import db
from app.personal_data import services
from app.personal_data.forms import DeletionRequestForm
from app.personal_data.models import DeletionRequest
from app.personal_data.permissions import can_download_own_data, can_request_account_deletion

bp = Blueprint("personal_data", __name__)


@bp.route("/account/data")
@login_required
def index():
    return render_template(
        "personal_data/index.html",
        form=DeletionRequestForm(),
        pending=services.pending_request(current_user),
    )


@bp.route("/account/data/export.zip")
@login_required
def export():
    ensure(can_download_own_data(current_user))
    filename = f"gongfu-my-data-{utcnow():%Y%m%d}.zip"
    return Response(
        services.export_zip(current_user),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/account/data/delete", methods=["POST"])
@login_required
def request_deletion():
    ensure(can_request_account_deletion(current_user))
    user = current_user._get_current_object()
    form = DeletionRequestForm()
    if form.validate_on_submit():
        if verify_password(user.password_hash, form.password.data or ""):
            run_step(
                lambda: services.request_deletion(user),
                _("注销申请已提交。平台处理后，您的账号将被注销，届时会自动退出登录。"),
            )
            return redirect(url_for("personal_data.index"))
        form.password.errors.append(_("当前密码不正确。"))
    return render_template("personal_data/index.html", form=form, pending=services.pending_request(user)), 400


@bp.route("/admin/deletion-requests")
@admin_required
def admin_requests():
    return render_template(
        "personal_data/admin_requests.html", page=paginate(services.requests_query()), form=ConfirmForm()
    )


@bp.route("/admin/deletion-requests/<int:request_id>/complete", methods=["POST"])
@admin_required
def complete(request_id: int):
    deletion = db.get_or_404(DeletionRequest, request_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.complete_deletion(deletion, current_user), _("账号已注销并匿名化。"))
    return redirect(url_for("personal_data.admin_requests"))

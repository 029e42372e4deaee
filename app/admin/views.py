"""The admin area: users, organization verification, mail outbox and audit log."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Organization, SiteRole, User
from app.admin import services
from app.admin.audit_log import Names, field_changes
from app.admin.forms import (
    SITE_ROLE_LABELS,
    FooterForm,
    NeedLifetimeForm,
    RevokeVerificationForm,
    UserRoleForm,
    VerifyOrganizationForm,
)
from app.admin.labels import ACTION_LABELS, TARGET_LABELS
from app.core import settings
from app.core.forms import ConfirmForm, required_data
from app.core.numbers import int_arg
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db
from app.mail.models import MailMessage
from app.mail.services import outbox_query

bp = Blueprint("admin", __name__, url_prefix="/admin")
add_app_template_values(
    bp, site_role_labels=SITE_ROLE_LABELS, audit_action_labels=ACTION_LABELS, audit_target_labels=TARGET_LABELS
)


@bp.route("/")
@admin_required
def index():
    return render_template("admin/index.html", queue=services.admin_queue_counts())


@bp.route("/users")
@admin_required
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    page = paginate(services.user_query(q, role))
    return render_template("admin/users.html", page=page, q=q, role=role, confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserRoleForm(site_role=user.site_role.value)
    if form.validate_on_submit():
        run_step(
            lambda: services.set_user_role(user, SiteRole(form.site_role.data), by=current_user), _("角色已更新。")
        )
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_detail.html", user=user, form=form, confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        activate = request.form.get("active") == "1"
        run_step(
            lambda: services.set_user_active(user, activate, by=current_user),
            _("账号已启用。") if activate else _("账号已停用，该用户的登录已全部退出。"),
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/organizations")
@admin_required
def organizations():
    q = request.args.get("q", "").strip()
    status = request.args.get("status", "pending")
    page = paginate(services.organization_query(q, status))
    return render_template("admin/organizations.html", page=page, q=q, status=status)


@bp.route("/organizations/<int:org_id>", methods=["GET", "POST"])
@admin_required
def organization_detail(org_id: int):
    org = db.get_or_404(Organization, org_id)
    verify_form = VerifyOrganizationForm(prefix="verify")
    revoke_form = RevokeVerificationForm(prefix="revoke")
    if not org.is_verified and verify_form.submit.data and verify_form.validate_on_submit():
        run_step(
            lambda: services.verify_organization(org, by=current_user, note=verify_form.note.data or ""),
            _("%(name)s 已认证。", name=org.name),
        )
        return redirect(url_for("admin.organizations"))
    if org.is_verified and revoke_form.submit.data and revoke_form.validate_on_submit():
        run_step(
            lambda: services.revoke_verification(org, by=current_user, note=required_data(revoke_form.note)),
            _("已撤销 %(name)s 的认证。", name=org.name),
        )
        return redirect(url_for("admin.organization_detail", org_id=org.id))
    history = db.session.scalars(services.audit_query("Organization", org.id).limit(20)).all()
    return render_template(
        "admin/organization_detail.html",
        organization=org,
        verify_form=verify_form,
        revoke_form=revoke_form,
        history=history,
    )


@bp.route("/outbox")
@admin_required
def outbox():
    recipient = request.args.get("q", "").strip()
    return render_template("admin/outbox.html", page=paginate(outbox_query(recipient)), q=recipient)


@bp.route("/outbox/<int:message_id>")
@admin_required
def outbox_message(message_id: int):
    return render_template("admin/outbox_message.html", message=db.get_or_404(MailMessage, message_id))


@bp.route("/audit")
@admin_required
def audit_log():
    target_type = request.args.get("target_type", "").strip()
    target_id = int_arg("target_id")
    actor = request.args.get("actor", "").strip()
    page = paginate(services.audit_query(target_type, target_id, actor))
    names = Names()
    return render_template(
        "admin/audit.html",
        page=page,
        changes={entry.id: field_changes(entry, names) for entry in page.items},
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        target_types=services.audit_target_types(),
    )


#: The footer form's fields and the settings they set.
FOOTER_FIELDS = {
    "operator": settings.SITE_OPERATOR,
    "contact": settings.SITE_CONTACT,
    "icp_filing": settings.ICP_FILING,
    "public_security_filing": settings.PUBLIC_SECURITY_FILING,
    "site_identifier": settings.SITE_IDENTIFIER,
}


def _footer_form() -> FooterForm:
    if request.method == "POST":
        return FooterForm()
    return FooterForm(data={name: settings.get_text(key) for name, key in FOOTER_FIELDS.items()})


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def portal_settings():
    form = NeedLifetimeForm(
        data=None if request.method == "POST" else {"days": settings.get_int(settings.NEED_LIFETIME_DAYS)}
    )
    if form.validate_on_submit():
        run_step(lambda: settings.set_int(settings.NEED_LIFETIME_DAYS, form.days.data, current_user), _("设置已保存。"))
        return redirect(url_for("admin.portal_settings"))
    return render_template("admin/settings.html", form=form, footer_form=_footer_form())


@bp.route("/settings/footer", methods=["POST"])
@admin_required
def footer_settings():
    footer_form = FooterForm()
    if footer_form.validate_on_submit():
        values = {key: getattr(footer_form, name).data or "" for name, key in FOOTER_FIELDS.items()}
        run_step(lambda: settings.set_texts(values, current_user), _("页脚已保存。"))
        return redirect(url_for("admin.portal_settings"))
    days = {"days": settings.get_int(settings.NEED_LIFETIME_DAYS)}
    return render_template("admin/settings.html", form=NeedLifetimeForm(data=days), footer_form=footer_form), 400

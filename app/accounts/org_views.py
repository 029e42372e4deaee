"""Organization profiles, members and invitations."""

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import organizations as orgs
from app.accounts.forms import ORG_KIND_LABELS, InviteForm, OrganizationForm
from app.accounts.models import Invitation, Membership, Organization, OrgKind
from app.accounts.permissions import (
    can_create_organization,
    can_edit_organization,
    can_manage_members,
    can_see_members,
    can_view_organization_contacts,
)
from app.core.forms import ConfirmForm, required_data
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db

bp = Blueprint("orgs", __name__, url_prefix="/orgs")
add_app_template_values(bp, org_kind_labels=ORG_KIND_LABELS)

#: The session key of the invitation an anonymous visitor opened: signing up or in then leads back to it.
PENDING_INVITATION = "pending_invitation"


def _profile(form: OrganizationForm) -> orgs.OrganizationProfile:
    return orgs.OrganizationProfile(
        name=required_data(form.name),
        kind=OrgKind(form.kind.data),
        district_id=form.district_id.data or None,
        industry_id=form.industry_id.data or None,
        founded_year=form.founded_year.data,
        employees=form.employees.data,
        website=form.website.data or "",
        contact_person=required_data(form.contact_person),
        contact_phone=required_data(form.contact_phone),
        description=form.description.data or "",
    )


def _get_org(org_id: int) -> Organization:
    return db.get_or_404(Organization, org_id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if run_step(lambda: orgs.free_to_create(current_user)) is None:
        return redirect(url_for("orgs.detail", org_id=current_user.membership.organization_id))
    ensure(can_create_organization(current_user))
    form = OrganizationForm()
    if form.validate_on_submit() and (
        org := run_step(
            lambda: orgs.create_organization(current_user, form.credit_code.data, _profile(form)),
            _("企业/机构已创建。平台核验统一社会信用代码前，它会标注为“待认证”。"),
        )
    ):
        return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("accounts/org_form.html", form=form, organization=None)


@bp.route("/<int:org_id>")
def detail(org_id: int):
    org = _get_org(org_id)
    return render_template(
        "accounts/org_detail.html", organization=org, show_contacts=can_view_organization_contacts(current_user, org)
    )


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org = _get_org(org_id)
    ensure(can_edit_organization(current_user, org))
    form = OrganizationForm(obj=org, organization=org)
    if form.validate_on_submit():
        run_step(
            lambda: orgs.update_organization(org, _profile(form), by=current_user),
            lambda cleared: (
                _("资料已保存。名称变更后需要平台重新认证，认证前贵单位标注为“待认证”。")
                if cleared
                else _("资料已保存。")
            ),
            category=lambda cleared: "warning" if cleared else "success",
        )
        return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("accounts/org_form.html", form=form, organization=org)


@bp.route("/<int:org_id>/members", methods=["GET", "POST"])
@login_required
def members(org_id: int):
    org = _get_org(org_id)
    ensure(can_see_members(current_user, org))
    form = InviteForm()
    if form.validate_on_submit():
        ensure(can_manage_members(current_user, org))
        run_step(
            lambda: orgs.invite_member(org, required_data(form.email), by=current_user),
            _("邀请已发送至 %(email)s，14 天内有效。", email=form.email.data),
        )
        return redirect(url_for("orgs.members", org_id=org.id))
    return render_template(
        "accounts/org_members.html",
        organization=org,
        form=form,
        confirm_form=ConfirmForm(),
        invitations=orgs.pending_invitations(org),
        can_manage=can_manage_members(current_user, org),
    )


@bp.route("/<int:org_id>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(org_id: int, membership_id: int):
    org = _get_org(org_id)
    ensure(can_manage_members(current_user, org))
    membership = db.get_or_404(Membership, membership_id)
    if membership.organization_id != org.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: orgs.remove_member(membership, by=current_user), _("成员已移除。"))
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/<int:org_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(org_id: int, invitation_id: int):
    org = _get_org(org_id)
    ensure(can_manage_members(current_user, org))
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.organization_id != org.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: orgs.revoke_invitation(invitation), _("邀请已撤销。"))
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation, problem = orgs.check_invitation(token)
    if problem is not None:
        return render_template(
            "accounts/invitation.html", invitation=None, error=str(problem)
        ), 410 if problem.reason != "invalid" else 404
    if not current_user.is_authenticated:
        session[PENDING_INVITATION] = request.path
    form = ConfirmForm()
    if (
        current_user.is_authenticated
        and form.validate_on_submit()
        and (
            org := run_step(
                lambda: orgs.accept_invitation(token, current_user),
                lambda org: _("您已加入 %(name)s。", name=org.name),
            )
        )
    ):
        return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("accounts/invitation.html", invitation=invitation, form=form, error=None)

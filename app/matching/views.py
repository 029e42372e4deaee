"""The needs recommended to a provider's members."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.core.permissions import ensure
from app.matching.permissions import can_see_recommended_needs
from app.matching.records import record_of
from app.matching.services import needs_for_provider

bp = Blueprint("matching", __name__, url_prefix="/matching")
bp.add_app_template_global(record_of, "provider_record")


@bp.route("/needs")
@login_required
def needs():
    ensure(can_see_recommended_needs(current_user))
    org = current_user.organization
    return render_template("matching/needs.html", org=org, recommendations=needs_for_provider(org))

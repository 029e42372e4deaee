"""The watch behind `every_admin_decision_is_audited` (tests/audit_watch.py) catches what it should."""

from flask import Response

from app.core.audit import audit
from app.core.settings import PortalSetting
from app.extensions import db
from tests.audit_watch import AuditWatch, admin_post_endpoints


def _admin_post(
    app, make_user, audited: bool, action: str = "settings.update", nested=False, target=None
) -> AuditWatch:
    watch = AuditWatch(endpoints={"admin.portal_settings"})
    admin = make_user("watched-admin@example.com")
    with app.test_request_context("/admin/settings", method="POST"):
        db.session.add(PortalSetting(key="watched", value="1"))
        if nested:
            with db.session.begin_nested():
                db.session.add(PortalSetting(key="watched-nested", value="1"))
        if audited:
            audit(admin, action, target, None, {"watched": 1})
        db.session.commit()
        watch._after_request(Response())
    return watch


def test_an_unaudited_admin_commit_is_a_violation(app, make_user):
    watch = _admin_post(app, make_user, audited=False)
    assert watch.violations == ["admin.portal_settings (/admin/settings) committed changes without an audit row"]
    assert watch.checked == set()


def test_an_audited_admin_commit_is_counted_as_checked(app, make_user):
    watch = _admin_post(app, make_user, audited=True)
    assert watch.violations == []
    assert watch.checked == {"admin.portal_settings"}


def test_a_savepoint_released_before_the_audit_is_not_a_commit_of_its_own(app, make_user):
    watch = _admin_post(app, make_user, audited=True, nested=True)
    assert watch.violations == []
    assert watch.checked == {"admin.portal_settings"}


def test_an_action_without_a_label_is_a_violation(app, make_user):
    watch = _admin_post(app, make_user, audited=True, action="nobody.knows")
    assert watch.violations == ["the audit action nobody.knows has no label"]


def test_a_record_type_without_a_label_is_a_violation(app, make_user):
    watch = _admin_post(app, make_user, audited=True, target=PortalSetting(key="unlabelled", value="1"))
    assert watch.violations == ["the audit record type PortalSetting has no label"]


def test_admin_only_post_routes_are_told_apart(app):
    endpoints = admin_post_endpoints(app)
    assert {"admin.portal_settings", "event_admin.publish", "stats.reverse"} <= endpoints
    assert not endpoints & {"accounts.logout", "needs.create", "home.set_language", "admin.users"}

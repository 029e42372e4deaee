"""Every admin decision leaves an audit row, checked on every test that makes one.

The watch follows each ORM session of the test apps. When a POST to an admin-only route (a view behind
`core.permissions.admin_required`) commits changes without an `AuditEntry` among them, or any request
writes an audit action or record type that `admin/labels.py` does not name, the test fails.
It also tallies the admin routes seen committing audited changes, so that the suite can say which
admin actions none of its tests has checked (see `unchecked_admin_actions`).
"""

from dataclasses import dataclass, field
from types import CodeType

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.admin.labels import ACTION_LABELS, TARGET_LABELS
from app.core.audit import AuditEntry
from app.core.permissions import admin_required

#: The code of the function `admin_required` wraps each view in (login_required wraps it once more).
_ADMIN_CHECK = next(code for code in admin_required.__code__.co_consts if isinstance(code, CodeType))

#: Admin POST routes that commit nothing: a spreadsheet is parsed and shown, not applied.
WRITES_NOTHING = {
    "scenario_admin.upload": "the preview of an import; the apply step is audited",
    "stats.import_upload": "the preview of an import; the apply step is audited",
}


def _is_admin_only(view, depth: int = 3) -> bool:
    if getattr(view, "__code__", None) is _ADMIN_CHECK:
        return True
    wrapped = [cell.cell_contents for cell in getattr(view, "__closure__", None) or () if cell.cell_contents]
    return depth > 0 and any(_is_admin_only(inner, depth - 1) for inner in wrapped if callable(inner))


def admin_post_endpoints(app: Flask) -> set[str]:
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    return {name for name, view in app.view_functions.items() if name in posts and _is_admin_only(view)}


@dataclass
class AuditWatch:
    violations: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    endpoints: set[str] = field(default_factory=set)

    def install(self, app: Flask) -> None:
        self.endpoints |= admin_post_endpoints(app)
        app.after_request(self._after_request)

    def _after_request(self, response):
        commits = g.pop("audit_watch_commits", [])
        self.violations.extend(f"the audit {code} has no label" for code in g.pop("audit_watch_unlabelled", ()))
        if request.method == "POST" and request.endpoint in self.endpoints and commits:
            if all(audited for audited in commits):
                self.checked.add(request.endpoint)
            else:
                self.violations.append(f"{request.endpoint} ({request.path}) committed changes without an audit row")
        return response


def _changes(session: Session) -> dict:
    return session.info.setdefault("audit_watch", {"changed": False, "audited": False})


@event.listens_for(Session, "after_flush")
def _seen_flush(session: Session, flush_context: UOWTransaction) -> None:
    if not has_request_context():
        return
    changes = _changes(session)
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, AuditEntry):
            changes["audited"] = True
            if item.action not in ACTION_LABELS:
                g.setdefault("audit_watch_unlabelled", set()).add(f"action {item.action}")
            if item.target_type and item.target_type not in TARGET_LABELS:
                g.setdefault("audit_watch_unlabelled", set()).add(f"record type {item.target_type}")
        elif item in session.new or item in session.deleted or session.is_modified(item):
            changes["changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _seen_statement(state: ORMExecuteState) -> None:
    if has_request_context() and (state.is_update or state.is_delete or state.is_insert):
        _changes(state.session)["changed"] = True


@event.listens_for(Session, "after_commit")
def _seen_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: its changes commit with the transaction's
        return
    changes = session.info.pop("audit_watch", None)
    if has_request_context() and changes and changes["changed"]:
        g.setdefault("audit_watch_commits", []).append(changes["audited"])


@event.listens_for(Session, "after_soft_rollback")
def _seen_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop("audit_watch", None)


def unchecked_admin_actions(watch: AuditWatch) -> set[str]:
    return watch.endpoints - watch.checked - set(WRITES_NOTHING)

"""Helpers for checking the domains' permission predicates."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def ensure(allowed: bool) -> None:
    """Stop the request with 403 unless a permission predicate allowed it."""
    if not allowed:
        abort(403)


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        ensure(current_user.is_admin)
        return view(*args, **kwargs)

    return wrapped

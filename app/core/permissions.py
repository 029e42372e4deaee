"""Helpers for checking the domains' permission predicates.

Each domain names its rules in its own `permissions.py` (`can_x(user, obj) -> bool`); views ask
them through `ensure`, and templates call the same predicates to show a button only when the route
would allow it (`expose_to_templates`).
"""

import inspect
from functools import wraps
from types import ModuleType

from flask import Flask, abort
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


def expose_to_templates(app: Flask, *modules: ModuleType) -> None:
    """Make every public function each permissions module defines a Jinja global of the same name."""
    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module.__name__:
                continue
            if app.jinja_env.globals.get(name, value) is not value:
                raise RuntimeError(f"{module.__name__}.{name}: a template global of that name exists already")
            app.jinja_env.globals[name] = value

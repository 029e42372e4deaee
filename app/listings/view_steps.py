"""View steps needs and solutions share: an owner's lifecycle button (submit, close)."""

from collections.abc import Callable

from flask import flash

from app.core.forms import ConfirmForm
from app.extensions import db
from app.listings.moderation import ModerationError


def owner_step(item, step: Callable, done: str, refused: str) -> None:
    """Run a lifecycle step behind a CSRF-checked button, commit, and say what happened."""
    if not ConfirmForm().validate_on_submit():
        return
    try:
        step(item)
    except ModerationError:
        flash(refused, "danger")
        return
    db.session.commit()
    flash(done, "success")

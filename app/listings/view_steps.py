"""View steps needs and solutions share: an owner's lifecycle button (submit, close, renew)."""

from collections.abc import Callable

from app.core.forms import ConfirmForm
from app.core.steps import run_step


def owner_step(item, step: Callable, done: str) -> None:
    """Run a lifecycle step behind a CSRF-checked button; a refusal says why in the item's words."""
    if ConfirmForm().validate_on_submit():
        run_step(lambda: step(item), done)

"""Running one service step from a view: commit its work and say so, or roll back and say why not."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from app.extensions import db

T = TypeVar("T")


def run_step(
    step: Callable[[], T],
    done: str | Callable[[T], str] | None,
    refused: tuple[type[Exception], ...],
    refused_category: str = "danger",
) -> T | None:
    """`step`'s result once committed (flashing `done`, or `done(result)`), or None after a rollback
    when it raised one of `refused`, whose message is for the user and is flashed."""
    try:
        result = step()
    except refused as error:
        db.session.rollback()
        flash(str(error), refused_category)
        return None
    db.session.commit()
    if done:
        flash(done(result) if callable(done) else done, "success")
    return result

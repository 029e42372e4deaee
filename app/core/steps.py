"""Running one service step from a view: commit its work and say so, or roll back and say why not.

This is the only place a view's work is committed, rolled back or announced with a flash.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from app.core.domain_error import DomainError
from app.extensions import db

T = TypeVar("T")


def run_step(
    step: Callable[[], T],
    done: str | Callable[[T], str] | None = None,
    category: str | Callable[[T], str] = "success",
) -> T | None:
    """`step`'s result once committed (flashing `done`, or `done(result)`, in `category`, or
    `category(result)`), or None after a rollback when it raised a `DomainError`, whose message is
    flashed."""
    try:
        result = step()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), error.category)
        return None
    db.session.commit()
    if done:
        flash(done(result) if callable(done) else done, category(result) if callable(category) else category)
    return result

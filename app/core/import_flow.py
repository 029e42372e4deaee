"""The admin pages' spreadsheet import: upload and preview, then apply the same file.

A preview that passes keeps the file under a random token (see `uploads`); applying reads the file
back, parses it again against the data as it is now, and applies every row or none: the flow
commits once after the domain's apply, rolls back if it fails, and the token is then used up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from flask_babel import gettext as _

from app.core import uploads
from app.core.domain_error import DomainError
from app.extensions import db


class Parsed(Protocol):
    @property
    def ok(self) -> bool: ...


P = TypeVar("P", bound=Parsed)
R = TypeVar("R")


class ImportRefused(DomainError):
    """The stored file cannot be applied; the message is for the user."""


@dataclass(frozen=True)
class Staged(Generic[P]):
    """What the preview page shows: the parsed file, and the token to apply it (empty if it cannot be)."""

    parsed: P
    token: str
    filename: str
    row_limit: int
    problem_limit: int


@dataclass(frozen=True)
class ImportFlow(Generic[P]):
    parse: Callable[[bytes, str], P]
    row_limit: int
    problem_limit: int
    # Whether a preview is worth keeping for applying; by default, when it passes.
    applicable: Callable[[P], bool] = lambda parsed: parsed.ok

    def preview(self, data: bytes, filename: str) -> Staged[P]:
        parsed = self.parse(data, filename)
        token = uploads.store(data, filename) if self.applicable(parsed) else ""
        return Staged(parsed, token, filename, self.row_limit, self.problem_limit)

    def apply(self, token: str, apply: Callable[[P], R], *, usable: bool = True) -> tuple[P, R]:
        """Parse the stored file again and apply it, committed whole: the file as parsed now, and
        what `apply` returned. `usable` is False when the preview's target no longer takes imports.
        Raises ImportRefused with the user's message."""
        stored = uploads.load(token)
        if stored is None or not usable:
            raise ImportRefused(_("预览已失效，请重新上传文件。"))
        parsed = self.parse(*stored)
        if not parsed.ok:
            raise ImportRefused(_("数据已发生变化，文件不再通过校验，请重新上传并预览。"))
        try:
            result = apply(parsed)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        uploads.discard(token)
        return parsed, result

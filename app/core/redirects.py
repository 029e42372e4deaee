"""`next=` handling: only ever redirect to a path on this site."""

from typing import TypeGuard
from urllib.parse import unquote, urlsplit

from flask import request, url_for


def _is_local(candidate: str) -> bool:
    # Browsers treat backslashes as slashes and drop tabs and newlines inside URLs.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
        return False
    path = candidate.replace("\\", "/")
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc and path.startswith("/") and not path.startswith("//")


def is_local_path(target: str | None) -> TypeGuard[str]:
    if not target or target != target.strip():
        return False
    once = unquote(target)
    return all(_is_local(candidate) for candidate in (target, once, unquote(once)))


def local_next() -> str | None:
    """The request's `next` when it is a path on this site."""
    target = request.args.get("next") or request.form.get("next")
    return target if is_local_path(target) else None


def next_url(default_endpoint: str = "home.dashboard", fallback: str | None = None) -> str:
    """The request's local `next`, else `fallback` (a path this site chose), else the endpoint."""
    return local_next() or fallback or url_for(default_endpoint)

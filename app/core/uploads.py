"""Holding an uploaded import file between its preview and its application.

Files live under the instance folder with random names; only the token travels in the form.
"""

import re
import secrets
import time
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SUFFIXES = (".csv", ".xlsx")
MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(data: bytes, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError("unsupported file type")
    _remove_stale()
    token = secrets.token_urlsafe(24)
    (_folder() / f"{token}{suffix}").write_bytes(data)
    return token


def load(token: str) -> tuple[bytes, str] | None:
    if not TOKEN.match(token or ""):
        return None
    for suffix in SUFFIXES:
        path = _folder() / f"{token}{suffix}"
        if path.is_file():
            return path.read_bytes(), path.name
    return None


def discard(token: str) -> None:
    if TOKEN.match(token or ""):
        for suffix in SUFFIXES:
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)

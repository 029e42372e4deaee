"""Public pages and the open-data API, kept whole in the cache for anonymous visitors.

A view marked `@public_page` is answered from the cache (Flask-Caching: files shared by the
workers by default, Redis through `CACHE_TYPE`) when the visitor is anonymous. The key holds the
data version (app/core/data_version.py), which every change to public data replaces in its own
transaction, the release, the portal's date, the language, the host and the whole path with its
query string: a change shows at once, Chinese and English are kept apart, and a restart finds only
pages of the data as it is, rendered by the code as it is. The release is config `RELEASE` when
set, else a digest of the contents of the code, templates, translations and static files, so that
every worker and every machine of one deployment agrees on it and a new deployment keeps nothing
of the old one's. The date (in the portal's time zone) keeps a page that says what is upcoming or
behind schedule from outliving its day.

Never kept, and never answered from the cache:
- a signed-in visitor's page (`current_user` is checked before the cache is looked at);
- a visitor whose session holds a flash message (the page must show it);
- a response other than 200, one that sets a cookie or changes the session, or one that made a
  CSRF token: public pages carry no form that needs one (the language switch checks the
  request's origin instead, app/home/views.py), so a token on such a page is a mistake that
  must not reach other visitors.

Every page kept carries an ETag, `Vary: Cookie` and `Cache-Control: no-cache` unless the view set
its own (the API's `max-age`); a request whose If-None-Match matches is answered 304.
"""

from collections.abc import Callable
from hashlib import md5, sha256
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from app.core import data_version
from app.core.i18n import current_language
from app.core.models import local_today
from app.extensions import cache

MAX_QUERY_STRING = 1000
CACHE_STATUS_HEADER = "X-Cache"
RELEASE_FOLDERS = ("app", "templates", "translations", "static")
V = TypeVar("V", bound=Callable[..., Any])


def public_page(view: V) -> V:
    """Mark a view whose page is the same for every anonymous visitor in a language."""
    view.public_page = True  # type: ignore[attr-defined]  # a mark on the function, as Flask's own decorators do
    return view


def init_page_cache(app: Flask) -> None:
    app.config["RELEASE"] = app.config.get("RELEASE") or release_digest(Path(app.root_path).parent)
    cache.init_app(app)
    data_version.install_session_hooks()
    app.before_request(_answer_from_cache)
    app.after_request(_keep)


def _eligible() -> bool:
    if not current_app.config["PAGE_CACHE"] or request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "public_page", False) or len(request.query_string) > MAX_QUERY_STRING:
        return False
    return "_flashes" not in session and not current_user.is_authenticated


def release_digest(root: Path) -> str:
    """A digest of the files that make the pages, by content (not times: a copy on another machine,
    or the same files checked out again, is the same release)."""
    digest = sha256()
    for folder in RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _key() -> str:
    query = request.query_string.decode("latin-1")
    release, today = current_app.config["RELEASE"], local_today().isoformat()
    return (
        f"page:{release}:{today}:{data_version.current()}:{current_language()}:"
        f"{request.host_url}:{request.path}?{query}"
    )


def _answer_from_cache() -> Response | None:
    if not _eligible():
        return None
    g.page_key = _key()
    entry: dict[str, Any] | None = cache.get(g.page_key)
    if entry is None:
        return None
    g.page_key = None  # nothing to keep
    response = current_app.response_class(entry["body"], content_type=entry["content_type"])
    if entry["cache_control"]:
        response.headers["Cache-Control"] = entry["cache_control"]
    return _conditional(response, entry["etag"], "hit")


def _keep(response: Response) -> Response:
    key = g.pop("page_key", None)
    if key is None:
        return response
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or session.modified
        or current_app.config["WTF_CSRF_FIELD_NAME"] in g
    ):
        return response
    body = response.get_data()
    etag = md5(body, usedforsecurity=False).hexdigest()
    entry = {
        "body": body,
        "content_type": response.content_type,
        "cache_control": response.headers.get("Cache-Control", ""),
        "etag": etag,
    }
    cache.set(key, entry)
    return _conditional(response, etag, "miss")


def _conditional(response: Response, etag: str, status: str) -> Response:
    response.set_etag(etag)
    response.headers.setdefault("Cache-Control", "no-cache")
    response.vary.add("Cookie")
    response.headers[CACHE_STATUS_HEADER] = status
    response.make_conditional(request)
    return response

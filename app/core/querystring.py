"""URLs for the current page with its query string changed: facet toggles, sorting, clearing."""

from typing import Any

from flask import request, url_for
from werkzeug.datastructures import MultiDict


def _current_args() -> MultiDict:
    args = MultiDict(request.args)
    args.pop("page", None)
    return args


def _url(args: MultiDict) -> str:
    assert request.endpoint is not None, "only for the page of a matched route"
    view_args: dict[str, Any] = request.view_args or {}
    query: dict[str, Any] = args.to_dict(flat=False)
    return url_for(request.endpoint, **view_args, **query)


def toggle_url(name: str, value: str) -> str:
    """Add the value to the argument's values, or remove it when it is there; back to page 1."""
    args = _current_args()
    values = args.getlist(name)
    args.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return _url(args)


def replace_url(**changes) -> str:
    """Set (or, with None, remove) arguments; back to page 1."""
    args = _current_args()
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args.setlist(name, [value])
    return _url(args)


def selected(name: str) -> list[str]:
    return request.args.getlist(name)

"""Absolute links that leave the site (mail, calendar files): always on PUBLIC_BASE_URL, never on the
Host or X-Forwarded-Host a request came with, which anyone can forge to make a reset link lead to
their own site."""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """What `url_for(endpoint, _external=True, **values)` gives, on the portal's public address; works
    inside and outside a request."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    # Flask's own way to build URLs outside a request (create_url_adapter with SERVER_NAME), bound to the public address
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)

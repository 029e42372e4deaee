"""Static files' URLs carry their content's version: `url_for("static", filename="css/app.css")` is
`/static/css/app.css?v=<the first 12 hex digits of its SHA-256>`. A URL with a version never
changes its content, so nginx lets browsers keep it a year (deploy/nginx/gongfu.conf) and a new
file reaches them at once under a new URL."""

import hashlib
import os

from flask import Flask
from werkzeug.security import safe_join

VERSION_LENGTH = 12


def init_static_urls(app: Flask) -> None:
    versions: dict[str, tuple[int, str]] = {}  # filename -> (mtime_ns, version), per process

    def version_of(filename: str) -> str | None:
        # Static files change under a running worker only in development (templates reloading):
        # elsewhere the version is found once, not checked against the file on every link.
        known = versions.get(filename)
        if known is not None and not app.jinja_env.auto_reload:
            return known[1]
        path = safe_join(app.static_folder or "", filename)
        try:
            modified = os.stat(path).st_mtime_ns if path else None
        except OSError:
            modified = None
        if path is None or modified is None:
            return None
        known = versions.get(filename)
        if known is None or known[0] != modified:
            with open(path, "rb") as file:
                digest = hashlib.file_digest(file, "sha256").hexdigest()[:VERSION_LENGTH]
            known = versions[filename] = (modified, digest)
        return known[1]

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = version_of(values["filename"])
            if version:
                values["v"] = version

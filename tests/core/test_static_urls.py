"""Static URLs carry a version made from the file's content (app/core/static_urls.py), so that nginx
may let browsers keep them a year."""

import hashlib
import os
import re

from flask import Flask, url_for

from app.core.static_urls import init_static_urls


def _sha256(path) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def test_a_static_url_carries_the_files_content_hash(app):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    path, version = url.split("?v=")
    assert path == "/static/css/app.css"
    assert _sha256(os.path.join(app.static_folder, "css", "app.css")).startswith(version) and len(version) >= 8


def test_pages_link_their_assets_with_versions(client):
    html = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets
    assert [asset for asset in assets if "?v=" not in asset] == []


def _static_app(folder, reloading: bool) -> Flask:
    app = Flask(__name__, static_folder=str(folder), static_url_path="/static")
    app.config["TEMPLATES_AUTO_RELOAD"] = reloading  # development: files change under the running app
    init_static_urls(app)
    return app


def _versions_around_a_change(app: Flask, style) -> tuple[str, str]:
    """The file's URL, then its URL after its content and modification time changed."""
    style.write_text("body { color: black }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        style.write_text("body { color: red }")
        os.utime(style, ns=(1, 1))  # a new modification time, whatever the clock's resolution
        return first, url_for("static", filename="site.css")


def test_a_changed_file_gets_a_new_version_and_a_missing_one_none(tmp_path):
    app = _static_app(tmp_path, reloading=True)
    style = tmp_path / "site.css"
    first, second = _versions_around_a_change(app, style)
    with app.test_request_context():
        missing = url_for("static", filename="gone.css")
        outside = url_for("static", filename="../secret.txt")
    assert first.split("?v=")[1] != second.split("?v=")[1]
    assert _sha256(style).startswith(second.split("?v=")[1])
    assert missing == "/static/gone.css"
    assert "?v=" not in outside


def test_without_reloading_a_version_is_found_once_per_process(tmp_path):
    """In production a release restarts the workers: the file is not hashed again on each link."""
    style = tmp_path / "site.css"
    first, second = _versions_around_a_change(_static_app(tmp_path, reloading=False), style)
    with _static_app(tmp_path, reloading=False).test_request_context():
        after_restart = url_for("static", filename="site.css")
    assert first == second
    assert after_restart != first and _sha256(style).startswith(after_restart.split("?v=")[1])

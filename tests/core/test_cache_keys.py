"""What the page cache's key holds beyond the data (app/core/page_cache.py), and which writes
replace the data version (app/core/data_version.py)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import create_app
from app.core import models
from app.core.data_version import DataVersion
from app.core.page_cache import release_digest
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Topic
from app.solutions.models import Solution
from config import BASE_DIR


def cache_status(response) -> str | None:
    return response.headers.get("X-Cache")


@pytest.mark.real_commits
def test_a_restart_with_another_release_serves_nothing_of_the_old_one(app, tmp_path, make_batch, make_scenario):
    make_scenario(title="注塑车间设备预测性维护", batch=make_batch())
    config = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "STORED_FILES_DIR": str(tmp_path / "files"),
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    apps = {release: create_app("testing", {**config, "RELEASE": release}) for release in ("r1", "r1-again", "r2")}
    apps["r1-again"].config["RELEASE"] = "r1"  # a second worker of the same release
    assert cache_status(apps["r1"].test_client().get("/scenarios/")) == "miss"
    assert cache_status(apps["r1-again"].test_client().get("/scenarios/")) == "hit"
    assert cache_status(apps["r2"].test_client().get("/scenarios/")) == "miss"
    assert cache_status(apps["r2"].test_client().get("/scenarios/")) == "hit"
    for each in apps.values():
        with each.app_context():
            db.engine.dispose()


def test_the_release_is_the_files_contents(app, tmp_path):
    """Without RELEASE: the same digest for every app started on the same files, and another one
    once a template changes."""
    assert app.config["RELEASE"] == release_digest(BASE_DIR)
    for folder in ("app", "templates", "translations", "static"):
        (tmp_path / folder).mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ _('首页') }}</p>", encoding="utf-8")
    first = release_digest(tmp_path)
    assert release_digest(tmp_path) == first
    page.write_text("<p>{{ _('首页') }}!</p>", encoding="utf-8")
    assert release_digest(tmp_path) != first


def test_a_page_kept_today_is_not_served_tomorrow(client, monkeypatch, make_batch, make_scenario):
    make_scenario(title="注塑车间设备预测性维护", batch=make_batch())
    now = models.utcnow()
    for url in ("/stats/public", "/events/", "/scenarios/"):
        monkeypatch.setattr(models, "utcnow", lambda: now)
        assert cache_status(client.get(url)) == "miss", url
        assert cache_status(client.get(url)) == "hit", url
        monkeypatch.setattr(models, "utcnow", lambda: now + timedelta(days=1))
        assert cache_status(client.get(url)) == "miss", url


def test_a_bulk_update_of_private_rows_keeps_the_data_version(client, make_user, make_org, make_solution):
    user = make_user()
    notifications.notify([user], Topic.STATE, "状态变化", "home.index")
    db.session.commit()
    version = db.session.scalar(select(DataVersion.token))
    assert cache_status(client.get("/")) == "miss"

    assert notifications.mark_read(user) == 1
    notifications.set_mail_topics(user, {Topic.INQUIRY})
    db.session.commit()
    assert db.session.scalar(select(DataVersion.token)) == version
    assert cache_status(client.get("/")) == "hit"

    owner = make_user()
    solution = make_solution(make_org(owner=owner, verified=True), owner, title="设备预测性维护套件")
    version = db.session.scalar(select(DataVersion.token))
    db.session.execute(update(Solution).where(Solution.id == solution.id).values(summary="新的简介"))
    db.session.commit()
    assert db.session.scalar(select(DataVersion.token)) != version
    assert cache_status(client.get("/")) == "miss"

"""`/healthz` answers whenever the process does; `/readyz` answers 503 with JSON naming each part
that cannot serve: the database, the search index, the cache (app/ops)."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.search import search_backend
from app.search.models import SearchIndexState


def test_healthz_answers_without_asking_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-cache"


def test_readyz_is_ready_when_database_and_index_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"
    assert response.json["failed"] == []
    assert set(response.json["checks"].values()) <= {"ok", "not configured"}
    assert response.json["checks"]["database"] == response.json["checks"]["migrations"] == "ok"
    assert response.json["checks"]["search_index"] == "ok"
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.fixture
def app_without_database(app, tmp_path, jieba_cache):
    """An app like the test's, on a database that cannot be opened and the test app's index (with
    PostgreSQL's search backend, the index is in that database)."""
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'gongfu.db'}"
    if search_backend(app) == "postgres":
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(database="no_such_database")
        url = url.render_as_string(hide_password=False)
    broken = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            "STORED_FILES_DIR": str(tmp_path / "files"),
            "SEARCH_JIEBA_CACHE": str(jieba_cache),
        },
    )
    yield broken
    with broken.app_context():
        broken.extensions["search"].close()
        db.engine.dispose()


def test_readyz_names_the_database_when_it_is_unreachable(app_without_database):
    client = app_without_database.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    if search_backend(app_without_database) == "postgres":
        assert response.json["failed"] == ["database", "migrations", "search_index"]
    else:
        assert response.json["failed"] == ["database", "migrations"]
        assert response.json["checks"]["search_index"] == "ok"
    body = response.get_data(as_text=True).lower()
    assert "sqlite" not in body and "no_such_database" not in body  # the cause is logged, not shown


def test_readyz_names_the_migrations_when_the_database_is_behind_the_code(app, client):
    db.session.execute(text("UPDATE alembic_version SET version_num = 'an_older_one'"))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["migrations"]
    assert response.json["checks"]["database"] == "ok"


def test_readyz_names_the_search_index_when_it_is_missing(app, client):
    app.extensions["search"].close()
    if search_backend(app) == "postgres":
        db.session.execute(delete(SearchIndexState))  # rolled back after the test
        db.session.commit()
    else:
        shutil.rmtree(Path(app.config["SEARCH_INDEX_DIR"]))  # the fixture rebuilds it afterwards
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["search_index"]
    assert response.json["checks"]["database"] == "ok"


def test_readyz_checks_the_cache_when_one_is_configured(app, client, monkeypatch):
    cachelib = pytest.importorskip("cachelib")
    monkeypatch.setitem(app.extensions, "cache", {"cache": cachelib.SimpleCache()})
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["cache"] == "ok"

    # A Redis cache where no server listens (port 9 is discard; nothing answers on the loopback).
    unreachable = cachelib.RedisCache(host="127.0.0.1", port=9, socket_timeout=0.5, socket_connect_timeout=0.5)
    monkeypatch.setitem(app.extensions, "cache", {"cache": unreachable})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["cache"]

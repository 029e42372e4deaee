import pytest

from app import create_app

GOOD_KEY = "k" * 16 + "0123456789abcdef0123456789"


@pytest.mark.parametrize("key", ["", None, "dev", "change-me", "short-but-random-8f2"])
def test_production_refuses_missing_placeholder_or_short_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_settings_are_safe():
    app = create_app("production", {"SECRET_KEY": GOOD_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.debug is False
    assert app.config["MAX_CONTENT_LENGTH"] > 0
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_sends_hsts():
    app = create_app("production", {"SECRET_KEY": GOOD_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_client().get("/static/css/app.css") as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    from config import _database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/gongfu")
    assert _database_url("sqlite://") == "postgresql+psycopg://u:p@db/gongfu"

import secrets

import pytest

from app import create_app

GOOD_KEY = secrets.token_hex(32)
PUBLIC = "https://hub.example.cn"


def production_app(**overrides):
    config = {"SECRET_KEY": GOOD_KEY, "PUBLIC_BASE_URL": PUBLIC, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    return create_app("production", {**config, **overrides})


@pytest.mark.parametrize("key", ["", None, "dev", "change-me", "short-but-random-8f2"])
def test_production_refuses_missing_placeholder_or_short_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production_app(SECRET_KEY=key)


@pytest.mark.parametrize(
    "key",
    [
        "a" * 32,
        "ab" * 16,
        "0123456789" * 4,
        "k" * 16 + "0123456789abcdef0123456789",
        "abcdefghijklmnopqrstuvwxyz012345",
        "0123456789abcdef" * 4,
    ],
)
def test_production_refuses_a_guessable_secret_key(key):
    with pytest.raises(RuntimeError, match=r"SECRET_KEY.*secrets\.token_hex\(32\)"):
        production_app(SECRET_KEY=key)


@pytest.mark.parametrize("make", [secrets.token_hex, secrets.token_urlsafe])
def test_random_secret_keys_pass(make):
    from config import MIN_SECRET_BITS, estimated_secret_bits

    assert all(estimated_secret_bits(make(32)) >= MIN_SECRET_BITS for _ in range(2000))
    key = make(32)
    assert production_app(SECRET_KEY=key).secret_key == key


@pytest.mark.parametrize(
    "url", ["", None, "hub.example.cn", "/gongfu", "ftp://hub.example.cn", "https://", "https://hub.example.cn/?a=1"]
)
def test_production_refuses_a_missing_or_relative_public_base_url(url):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        production_app(PUBLIC_BASE_URL=url)


def test_production_trusts_only_the_public_host():
    assert production_app().config["TRUSTED_HOSTS"] == ["hub.example.cn"]
    app = production_app(PUBLIC_BASE_URL="http://Hub.Example.cn:8080/gongfu/")
    assert app.config["TRUSTED_HOSTS"] == ["hub.example.cn"]
    hosts = ["hub.example.cn", ".gongfu.example.cn"]
    assert production_app(TRUSTED_HOSTS=hosts).config["TRUSTED_HOSTS"] == hosts


def test_trusted_hosts_are_read_as_a_comma_separated_list(monkeypatch):
    from config import _env_list

    monkeypatch.setenv("TRUSTED_HOSTS", " hub.example.cn, .gongfu.example.cn ,")
    assert _env_list("TRUSTED_HOSTS") == ["hub.example.cn", ".gongfu.example.cn"]
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert _env_list("TRUSTED_HOSTS") is None


def test_production_settings_are_safe():
    app = production_app()
    assert app.debug is False
    assert app.config["MAX_CONTENT_LENGTH"] > 0
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_sends_hsts():
    with production_app().test_client().get("/static/css/app.css", base_url=PUBLIC) as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    from config import _database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/gongfu")
    assert _database_url("sqlite://") == "postgresql+psycopg://u:p@db/gongfu"

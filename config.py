"""Configuration classes, read from the environment.

`create_app()` picks one by `FLASK_CONFIG` (development, testing, production).
"""

import math
import os
import secrets
import string
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

PLACEHOLDER_SECRETS = {"", "dev", "change-me", "changeme", "secret", "replace-me"}
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'
CHARACTER_CLASSES = (string.digits, string.ascii_lowercase, string.ascii_uppercase)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str] | None:
    """A comma-separated variable as a list; None when it is not set."""
    value = os.environ.get(name)
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def estimated_secret_bits(key: str) -> float:
    """A rough estimate of a key's entropy in bits, enough to catch keys made by hand: every character
    counts log2 of the size of the character classes the key uses, except those a guesser would
    predict (one that continues a run of equal or consecutive characters, or repeats three
    characters seen before)."""
    classes = [chars for chars in CHARACTER_CLASSES if any(c in chars for c in key)]
    others = any(not any(c in chars for chars in CHARACTER_CLASSES) for c in key)
    alphabet = sum(len(chars) for chars in classes) + (len(string.punctuation) + 1 if others else 0)
    steps = [ord(b) - ord(a) for a, b in pairwise(key)]
    guessed = sum(
        1
        for i in range(2, len(key))
        if (steps[i - 1] == steps[i - 2] and abs(steps[i - 1]) <= 1) or key[i - 2 : i + 1] in key[:i]
    )
    return (len(key) - guessed) * math.log2(alphabet) if alphabet else 0.0


def _check_secret_key(key: str) -> None:
    if key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
        problem = f"must be set to a random value of at least {MIN_SECRET_LENGTH} characters"
    elif estimated_secret_bits(key) < MIN_SECRET_BITS:
        problem = "is too easy to guess (repeated or consecutive characters, or too few kinds of them)"
    else:
        return
    raise RuntimeError(f"SECRET_KEY {problem} in production; make one with: {MAKE_SECRET}")


def _check_public_base_url(url: str) -> str:
    """PUBLIC_BASE_URL's host name, once the URL is known to be an absolute http(s) address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(
            "PUBLIC_BASE_URL must be set in production to the portal's absolute address, "
            f"such as https://gongfu.example.cn (got {url!r}); links in mail are built on it"
        )
    return parts.hostname


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'gongfu.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    #: "whoosh" or "postgres"; unset: postgres when the database is PostgreSQL, whoosh otherwise.
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND") or None
    #: Uploaded files (solution attachments, ...), outside static/ and served only through views.
    STORED_FILES_DIR = os.environ.get("STORED_FILES_DIR", str(INSTANCE_DIR / "files"))

    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)
    PREFERRED_URL_SCHEME = "http"

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE_DAYS = 14
    #: A published need expires after this many days unless its owner renews it.
    NEED_LIFETIME_DAYS = int(os.environ.get("NEED_LIFETIME_DAYS", "180"))
    #: The portal's public address: every absolute link in mail is built on it, never on the request's Host.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "10 per minute")
    #: Password reset requests per email address (registered or not) and per client address.
    PASSWORD_RESET_EMAIL_LIMIT = os.environ.get("PASSWORD_RESET_EMAIL_LIMIT", "3 per hour")
    PASSWORD_RESET_CLIENT_LIMIT = os.environ.get("PASSWORD_RESET_CLIENT_LIMIT", "10 per hour")
    #: Accounts created per client address.
    REGISTRATION_LIMIT = os.environ.get("REGISTRATION_LIMIT", "5 per hour")

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES: ClassVar[dict[str, str]] = {"zh": "简体中文", "en": "English"}

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "工赋汇 <noreply@gongfu-hub.local>")
    #: Queued mail is sent after the commit by `flask mail send` (cron) and, when this is on, by a
    #: background thread of the web process, woken by each commit that queued mail.
    MAIL_SEND_IN_BACKGROUND = _env_bool("MAIL_SEND_IN_BACKGROUND", True)
    #: A failed attempt is retried after MAIL_RETRY_DELAY seconds, then twice as long each time;
    #: after MAIL_MAX_ATTEMPTS attempts the mail is marked failed.
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))
    MAIL_RETRY_DELAY = int(os.environ.get("MAIL_RETRY_DELAY", "60"))

    #: "json": one JSON line per request and for every log record, each with the request id (app/ops).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    #: Where `flask backup create` writes its archives when given no path.
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))

    #: Flask-Caching: by default files under instance/, which the workers of one machine share; with
    #: several machines, CACHE_TYPE=RedisCache and CACHE_REDIS_URL=redis://... A restart of either
    #: serves nothing stale: every key holds the data version kept in the database.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "FileSystemCache")
    CACHE_DIR = os.environ.get("CACHE_DIR", str(INSTANCE_DIR / "cache"))
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    #: Bounds what no data version sees: the date moving on (an event that has begun), raw SQL.
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", "300"))
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "5000"))
    #: Anonymous visitors' public pages answered from the cache (app/core/page_cache.py).
    PAGE_CACHE = _env_bool("PAGE_CACHE", True)
    #: The deployment's name in every cache key (a new one keeps nothing of the old pages); when
    #: empty, a digest of the code, templates, translations and static files (app/core/page_cache.py).
    RELEASE = os.environ.get("RELEASE", "")
    #: Seconds the cache keeps its copy of the data version (app/core/data_version.py); 0: every
    #: request reads it from the database.
    DATA_VERSION_TTL = int(os.environ.get("DATA_VERSION_TTL", "2"))

    SECURITY_HSTS = False
    PAGE_SIZE = 20

    @staticmethod
    def prepare(config: dict) -> None:
        """Finish or check the configuration once overrides are applied."""


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY")

    @staticmethod
    def prepare(config: dict) -> None:
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = instance_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    # A cheap scrypt cost keeps the suite fast; the algorithm is the same.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    MAIL_SERVER = ""
    MAIL_SEND_IN_BACKGROUND = False  # the rolled-back app's one connection is not for another thread
    CACHE_TYPE = "SimpleCache"  # in the test process; emptied with each test's database (tests/conftest.py)
    # Every session of a test shares one connection, where a flushed change is seen before its commit.
    DATA_VERSION_TTL = 0
    RATELIMIT_STORAGE_URI = "memory://"
    PUBLIC_BASE_URL = "http://localhost"  # the test client's default host, whatever the environment says
    LOG_FORMAT = "text"  # tests that want JSON lines ask for them (tests/ops/test_request_log.py)


class ProductionConfig(Config):
    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    #: Host names a request may name (Flask answers 400 to others); PUBLIC_BASE_URL's host when unset.
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SECURITY_HSTS = True

    @staticmethod
    def prepare(config: dict) -> None:
        """Refuse to start with a guessable secret key or without the portal's public address."""
        _check_secret_key(config.get("SECRET_KEY") or "")
        host = _check_public_base_url(config.get("PUBLIC_BASE_URL") or "")
        if not config.get("TRUSTED_HOSTS"):
            config["TRUSTED_HOSTS"] = [host]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

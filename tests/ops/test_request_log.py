"""Every response carries its request's id (the client's `X-Request-ID` when it is sane, else a new
one), and with `LOG_FORMAT=json` every request writes one JSON line carrying that id (app/ops)."""

import json
import logging
import sys

import pytest
from flask.testing import FlaskClient
from pythonjsonlogger.json import JsonFormatter

from app import create_app
from app.extensions import db
from app.ops.request_log import RequestIdFilter
from tests.conftest import PASSWORD, Client


def test_a_sane_request_id_is_echoed(client):
    for given in ("abc-123", "0f8e3c1a9b7d4e2f8a6c5b4d3e2f1a0b", "req.2026:07_x"):
        assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given


def test_an_insane_or_missing_request_id_is_replaced_by_a_new_one(client):
    seen = set()
    for given in (None, "", "a" * 65, "bad id", "evil\\nline", "<script>", "中文"):
        headers = {"X-Request-ID": given} if given is not None else {}
        request_id = client.get("/healthz", headers=headers).headers["X-Request-ID"]
        assert request_id != given
        assert len(request_id) == 32 and int(request_id, 16) >= 0
        seen.add(request_id)
    assert len(seen) == 7  # a new id for each request


def test_requests_sharing_an_app_context_get_ids_of_their_own(app):
    """Flask's own test client runs requests inside the test's app context, so they share `g`."""
    plain = FlaskClient(app)
    first, second = (plain.get("/healthz").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def test_without_json_logging_no_request_line_is_written(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/healthz")
    assert [r for r in caplog.records if r.name == "gongfu.request"] == []


@pytest.fixture
def json_app(db_url, tmp_path, jieba_cache):
    """An app with LOG_FORMAT=json on the test database; afterwards the loggers it changed (the root,
    the request log, and the one every app of the process shares) as they were."""
    loggers = [logging.getLogger(name) for name in ("", "gongfu.request", "app")]
    saved = [(logger, list(logger.handlers), logger.level) for logger in loggers]
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": db_url,
            "LOG_FORMAT": "json",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "STORED_FILES_DIR": str(tmp_path / "files"),
            "SEARCH_JIEBA_CACHE": str(jieba_cache),
        },
    )
    app.test_client_class = Client
    try:
        yield app
    finally:
        for logger, handlers, level in saved:
            logger.handlers[:] = handlers
            logger.setLevel(level)
        with app.app_context():
            db.engine.dispose()


def _json_lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


def _log_to_captured_stderr() -> None:
    """Point the JSON handler at the standard error capsys reads during the test (the one it had
    when the fixture made the app is closed once the fixture's setup is over)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, JsonFormatter) and isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


def test_json_logging_writes_one_line_per_request_with_its_id(json_app, capsys):
    _log_to_captured_stderr()
    client = json_app.test_client()
    client.get("/healthz", headers={"X-Request-ID": "probe-1"})
    missing = client.get("/no-such-page")
    lines = [line for line in _json_lines(capsys) if line["logger"] == "gongfu.request"]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines] == [
        ("probe-1", "/healthz", 200),
        (missing.headers["X-Request-ID"], "/no-such-page", 404),
    ]
    assert {"time", "level", "method", "duration_ms", "remote_addr"} <= set(lines[0])


def test_json_lines_leave_tokens_out_of_paths(json_app, capsys):
    _log_to_captured_stderr()
    json_app.test_client().get("/password/reset/secret-reset-token")
    lines = _json_lines(capsys)
    (line,) = [line for line in lines if line["logger"] == "gongfu.request"]
    assert line["path"] == "/password/reset/[token]"
    assert "secret-reset-token" not in json.dumps(lines)


def test_other_log_lines_of_a_request_carry_its_id(json_app, capsys):
    """A failed login writes to the security log while the request runs: its line has the id."""
    _log_to_captured_stderr()
    response = json_app.test_client().post_form(
        "/login", {"email": "nobody@example.com", "password": PASSWORD}, headers={"X-Request-ID": "login-1"}
    )
    assert response.status_code == 200
    lines = _json_lines(capsys)
    security = [line for line in lines if line["logger"] == "gongfu.security"]
    assert security and all(line["request_id"] == "login-1" for line in security)


def test_the_request_id_filter_leaves_records_outside_requests_alone(app):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    assert RequestIdFilter().filter(record)
    assert not hasattr(record, "request_id")

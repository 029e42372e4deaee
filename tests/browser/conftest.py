"""Fixtures for browser tests: the test app served over HTTP, and Chromium driven by Playwright.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM_PATH); `playwright install` is never needed.
Without it the tests are skipped, except on CI (CI=true), where a missing browser is a failure; so
are the accessibility tests without axe-core, which `make test-setup` fetches.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: axe-core, fetched by `make test-setup` (scripts/fetch-test-assets.py)
AXE_SCRIPT = Path(__file__).resolve().parents[2] / ".test-assets" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def _buffered(app):
    """Each response read whole before it is sent. When the browser drops a connection mid-file (it
    navigated on), werkzeug's server leaves the file of a static response open, and the
    ResourceWarning fails the test that happens to be running."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture
def live_server(app):
    """The test app on a free local port; each request runs in its own app context."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def missing(message: str) -> None:
    """What the browser tests need is missing: skipped here, failed on CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        missing(f"Chromium not found at {CHROMIUM}; install the chromium package or set CHROMIUM_PATH")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        playwright.selectors.set_test_id_attribute("data-test")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        missing(f"axe-core not found at {AXE_SCRIPT}; run `make test-setup` (it needs npm and the npm registry)")
    return AXE_SCRIPT


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()

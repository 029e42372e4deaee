"""Fixtures: the app, built once per test process over a migrated database that holds the
reference data (see tests/database.py), an HTTP client that sends CSRF tokens, and factories.

Most tests get the *rolled-back* app: whatever a test writes, to the database, the search index,
the configuration or the rate limiter, is undone after it. Browser tests and tests marked
`real_commits` get the *committing* app, whose database really commits and is emptied after each.
"""

import os
import secrets
import shutil
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Engine, event

from app import create_app
from app.accounts.models import User
from app.extensions import cache, db, limiter
from app.search import current_engine, document_types
from app.search.analysis import configure_segmenter
from tests.audit_watch import AuditWatch, unchecked_admin_actions
from tests.database import (
    ROOT,
    Savepoints,
    bind_to_connection,
    empty_all_tables,
    load_reference_data,
    prepare_databases,
)
from tests.factories import PASSWORD, PDF, Factories, taxonomy_entry, valid_credit_code
from tests.world import World, build_world
from tests.writes_watch import READING_METHODS, recording_writes, request_method

__all__ = ["PASSWORD", "PDF", "ROOT", "taxonomy_entry", "valid_credit_code"]

#: Fixtures that build data once per module: the tests using them run after the module's others,
#: which never see that data.
MODULE_DATA = ("world", "shared_corpus")

#: Watches both apps: an admin POST that commits changes must write an audit row (tests/audit_watch.py).
AUDIT_WATCH = AuditWatch()


def pytest_collection_modifyitems(items):
    """Within each module, the tests that use module-wide data run last (the sort is stable)."""
    modules = {}
    for position, item in enumerate(items):
        modules.setdefault(item.module, position)
    items.sort(key=lambda item: (modules[item.module], any(name in item.fixturenames for name in MODULE_DATA)))


#: "GET /path: statement" for each write a GET or HEAD request of the test client made (tests/writes_watch.py).
WRITES_ON_GET: list[str] = []


@pytest.fixture(autouse=True)
def every_admin_decision_is_audited() -> Iterator[None]:
    AUDIT_WATCH.violations.clear()
    yield
    assert not AUDIT_WATCH.violations, "; ".join(AUDIT_WATCH.violations)


#: The engines of the session's apps, connected from one test to the next.
LASTING_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@pytest.fixture(autouse=True)
def connections_close_with_their_test() -> Iterator[None]:
    """An app a test makes for itself keeps its pooled connections until the garbage collector finds
    them, in whichever test runs then, where psycopg warns of a connection left open: the engines a
    test connected with are disposed when it ends, but the session's own. An engine with a connection
    still checked out (a module's app whose session is open) is left as it is: disposing it would
    orphan that connection, to be collected unclosed later."""
    used: weakref.WeakSet[Engine] = weakref.WeakSet()

    def connected(connection) -> None:
        used.add(connection.engine)

    event.listen(Engine, "engine_connect", connected)
    try:
        yield
    finally:
        event.remove(Engine, "engine_connect", connected)
        for engine in list(used):
            if engine not in LASTING_ENGINES and not getattr(engine.pool, "checkedout", lambda: 0)():
                engine.dispose()


@pytest.fixture(autouse=True)
def nothing_writes_on_a_get() -> Iterator[None]:
    WRITES_ON_GET.clear()
    yield
    assert not WRITES_ON_GET, "Nothing writes on a GET: " + "; ".join(WRITES_ON_GET)


def _whole_suite(config: pytest.Config) -> bool:
    """All of tests/ ran (browser tests may be left out), so every admin action should have been seen."""
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.deselect
        and config.option.markexpr in ("", "not browser")
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """xdist: a worker's tally of the admin actions its tests saw audited."""
    AUDIT_WATCH.checked.update(node.workeroutput.get("audit_checked", ()))
    AUDIT_WATCH.endpoints.update(node.workeroutput.get("admin_endpoints", ()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["audit_checked"] = sorted(AUDIT_WATCH.checked)
        workeroutput["admin_endpoints"] = sorted(AUDIT_WATCH.endpoints)
        return
    if exitstatus != 0 or not _whole_suite(session.config):
        return
    unchecked = unchecked_admin_actions(AUDIT_WATCH)
    if unchecked:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            "No test saw these admin actions commit and audit (tests/audit_watch.py): " + ", ".join(sorted(unchecked)),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def jieba_cache(tmp_path_factory) -> Path:
    """jieba's dictionary cache where it survives between runs (pytest keeps this folder)."""
    path = tmp_path_factory.getbasetemp().parent / "gongfu-jieba.cache"
    configure_segmenter(cache_file=path)
    return path


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> dict[str, str]:
    return prepare_databases(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def db_url(databases) -> str:
    """The URL of the rolled-back database, for a test that makes an app of its own."""
    return databases["rolled_back"]


class Client(FlaskClient):
    """Runs each request in its own app context, as a server would, so that `g` and the
    database session are not shared with the test or with other clients. Bodies are read whole,
    as a server sends them, which closes a file a view sends. What a GET writes is noted in
    WRITES_ON_GET, which fails the test."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            if request_method(args, kwargs) not in READING_METHODS:
                return super().open(*args, **kwargs)
            with recording_writes(db.engine) as sent:
                response = super().open(*args, **kwargs)
            WRITES_ON_GET.extend(
                f"{response.request.method} {response.request.path}: {statement}" for statement in sent
            )
            return response

    def csrf_token(self) -> str:
        """The token a form rendered for this client's session would carry, made as Flask-WTF
        makes it (`generate_csrf`) without a request for a page."""
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        config = self.application.config
        key = config.get("WTF_CSRF_SECRET_KEY") or self.application.secret_key
        return URLSafeTimedSerializer(key, salt="wtf-csrf-token").dumps(raw)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def _make_app(url: str, folder: Path, jieba_cache: Path) -> Flask:
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "STORED_FILES_DIR": str(folder / "files"),
            "SEARCH_JIEBA_CACHE": str(jieba_cache),
        },
    )
    app.test_client_class = Client
    AUDIT_WATCH.install(app)
    return app


class SearchIndex:
    """The rolled-back app's index folder. A test that changed it (or the configuration the engine
    was made from) leaves it rebuilt from the database as the test found it."""

    def __init__(self, app: Flask):
        self.app = app
        self.root = Path(app.config["SEARCH_INDEX_DIR"])

    def signature(self) -> set[tuple[str, int, int]]:
        found = set()
        for folder, _, files in os.walk(self.root):
            for name in files:
                if not name.endswith(".lock"):
                    stat = os.stat(os.path.join(folder, name))
                    found.add((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
        return found

    def rebuild(self) -> None:
        with self.app.app_context():
            self.app.extensions["search"].close()
            shutil.rmtree(self.root, ignore_errors=True)
            engine = current_engine()
            for doc_type in document_types():
                engine.ensure_ready(doc_type.name)


def _search_config(app: Flask) -> dict:
    return {key: value for key, value in app.config.items() if key.startswith("SEARCH_")}


class RolledBackApp:
    """The rolled-back app with its savepoints and index: `level()` is one test or module-wide fixture."""

    def __init__(self, app: Flask, savepoints: Savepoints):
        self.app = app
        self.savepoints = savepoints
        self.index = SearchIndex(app)

    @contextmanager
    def level(self, **config) -> Iterator[Flask]:
        """Inside a SAVEPOINT and an app context, with these configuration values; afterwards the
        database, the configuration and the index are as they were."""
        app = self.app
        saved = dict(app.config)
        app.config.update(config)
        engine_config = _search_config(app)
        index = self.index.signature()
        try:
            with self.savepoints.level(), app.app_context():
                limiter.reset()
                cache.clear()  # pages and aggregates kept under the data version of another test's data
                try:
                    yield app
                finally:
                    db.session.remove()
        finally:
            reconfigured = _search_config(app) != engine_config
            app.config.clear()
            app.config.update(saved)
            if reconfigured or self.index.signature() != index:
                self.index.rebuild()


@pytest.fixture(scope="session")
def rolled_back(databases, tmp_path_factory, jieba_cache) -> Iterator[RolledBackApp]:
    app = _make_app(databases["rolled_back"], tmp_path_factory.mktemp("rolled-back"), jieba_cache)
    with app.app_context():
        engine = db.engine
        LASTING_ENGINES.add(engine)
        connection = engine.connect()
        bind_to_connection(app, connection)
    savepoints = Savepoints(connection)
    shared = RolledBackApp(app, savepoints)
    shared.index.rebuild()
    try:
        yield shared
    finally:
        with app.app_context():
            app.extensions["search"].close()
        savepoints.close()
        engine.dispose()


@pytest.fixture(scope="session")
def committing(databases, tmp_path_factory, jieba_cache) -> Iterator[Flask]:
    app = _make_app(databases["committing"], tmp_path_factory.mktemp("committing"), jieba_cache)
    with app.app_context():
        LASTING_ENGINES.add(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def rolled_back_app(rolled_back, tmp_path) -> Iterator[Flask]:
    with rolled_back.level(STORED_FILES_DIR=str(tmp_path / "files")) as app:
        yield app


@pytest.fixture
def committing_app(committing, tmp_path) -> Iterator[Flask]:
    """The committing app with an index and files of its own; emptied and reloaded afterwards."""
    saved = dict(committing.config)
    committing.config.update(SEARCH_INDEX_DIR=str(tmp_path / "index"), STORED_FILES_DIR=str(tmp_path / "files"))
    try:
        with committing.app_context():
            limiter.reset()
            cache.clear()
            try:
                yield committing
            finally:
                committing.extensions["search"].close()
                db.session.remove()
                empty_all_tables()
                load_reference_data()
                db.session.remove()
    finally:
        committing.config.clear()
        committing.config.update(saved)


@pytest.fixture
def app(request) -> Flask:
    """The rolled-back app, or the committing one for browser tests and tests marked `real_commits`."""
    node = request.node
    if node.get_closest_marker("browser") or node.get_closest_marker("real_commits"):
        return request.getfixturevalue("committing_app")
    return request.getfixturevalue("rolled_back_app")


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def factories(app) -> Factories:
    return Factories(app)


@pytest.fixture
def make_user(factories):
    return factories.user


@pytest.fixture
def make_org(factories):
    return factories.org


@pytest.fixture
def make_batch(factories):
    return factories.batch


@pytest.fixture
def make_scenario(factories):
    return factories.scenario


@pytest.fixture
def make_need(factories):
    return factories.need


@pytest.fixture
def make_solution(factories):
    return factories.solution


@pytest.fixture
def make_case(factories):
    return factories.case


@pytest.fixture
def make_attachment(factories):
    return factories.attachment


@pytest.fixture
def make_event(factories):
    return factories.event


@pytest.fixture
def make_pilot_call(factories):
    return factories.pilot_call


@pytest.fixture
def make_pilot_application(factories):
    return factories.pilot_application


@pytest.fixture
def login(client):
    def do_login(user, password: str = PASSWORD, remember: bool = False):
        response = client.post_form(
            "/login", {"email": user.email, "password": password, "remember": "y" if remember else ""}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def writes(app) -> Iterator[list[str]]:
    """Every INSERT, UPDATE or DELETE statement the app's database is sent while the test runs (clear
    the list before the request that should write nothing)."""
    with recording_writes(db.engine) as sent:
        yield sent


@pytest.fixture(scope="module")
def shared_world(rolled_back, tmp_path_factory) -> Iterator[World]:
    files = tmp_path_factory.mktemp("world-files")
    with rolled_back.level(STORED_FILES_DIR=str(files)) as app:
        world = build_world(app, Factories(app), files)
        db.session.remove()
        yield world


@pytest.fixture
def world(app, shared_world, factories, tmp_path):
    """The shared world (tests/world.py), its users loaded in the test's session: (users, ids).
    The test gets a copy of the world's files, which it may delete."""
    files = shutil.copytree(shared_world.files, tmp_path / "world-files")
    app.config["STORED_FILES_DIR"] = str(files)
    factories.continue_after(shared_world.factories)
    users = {role: db.session.get(User, user_id) if user_id else None for role, user_id in shared_world.users.items()}
    return users, dict(shared_world.ids)

"""Code run in forked child processes by the concurrency test, as gunicorn runs workers: the
application is created before the fork (like `--preload`) and used by each child."""

import logging


def commit_scenarios(app, prefix: str, count: int, ready, go, results) -> None:
    """Commit `count` scenarios one transaction each, starting when the parent says go; report the
    ids and every error, or busy index, that the search logger saw."""
    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR or "busy" in record.getMessage():
                problems.append(record.getMessage())

    logging.getLogger("gongfu.search").addHandler(Collect(level=logging.WARNING))
    try:
        from app.extensions import db
        from tests.search.conftest import new_scenario

        ids = []
        with app.app_context():
            db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
            ready.put(prefix)
            go.wait(30)
            for n in range(count):
                scenario = new_scenario(f"{prefix}-{n:04d}", f"并发写入场景{n}号", "两个进程同时提交。")
                db.session.commit()
                ids.append(scenario.id)
        results.put((prefix, ids, problems))
    except Exception as error:  # reported to the parent, which fails the test
        results.put((prefix, [], [*problems, repr(error)]))

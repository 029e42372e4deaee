"""Nothing writes on a GET: the writing statements the database is sent while a request (or a whole
test) runs, caught on the engine, below the session and its hooks."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

WRITING_STATEMENTS = frozenset({"INSERT", "UPDATE", "DELETE"})
READING_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def recording_writes(engine: Engine) -> Iterator[list[str]]:
    """Every INSERT, UPDATE or DELETE statement sent to `engine` inside the block."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().split(None, 1)[0].upper() in WRITING_STATEMENTS:
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def request_method(args: tuple, kwargs: dict) -> str:
    """The method of the request a test client's `open(*args, **kwargs)` makes (a redirect it
    follows comes back as an EnvironBuilder)."""
    first = args[0] if args else None
    if isinstance(first, EnvironBuilder | Request):
        return first.method.upper()
    if isinstance(first, dict):
        return first.get("REQUEST_METHOD", "GET").upper()
    return kwargs.get("method", "GET").upper()

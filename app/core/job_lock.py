"""Scheduled jobs that run on one node at a time.

Every app node may carry the same timers (deploy/systemd), and a job can be started by hand while
its timer runs. A job that reads what is due and then marks it done (the needs to remind, the deals
to follow up) would mail twice if two runs read before either commits, so a job takes its lock
first and, when another run holds it, says so and does nothing.

- PostgreSQL: a transaction-level advisory lock (`pg_try_advisory_xact_lock`) on a connection of
  the job's own, held while the job runs. The server frees it when that transaction ends, also
  when the process dies.
- SQLite, which only one machine uses: an `flock` on a file beside the database. An in-memory
  database is seen by no other process, so needs none.
"""

import fcntl
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import click
from sqlalchemy import func, select

from app.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def lock_key(name: str) -> int:
    """The job's advisory lock key: a signed 64-bit number, the same in every process and release."""
    digest = hashlib.sha256(f"gongfu-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """True inside when this run holds the job's lock; False when another run holds it."""
    # An app bound to one connection (as the tests bind theirs) has a Connection as db.engine.
    engine = db.engine.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection, connection.begin():
            yield bool(connection.scalar(select(func.pg_try_advisory_xact_lock(lock_key(name)))))
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield True
        return
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    descriptor = os.open(f"{database}.{slug}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def one_run_at_a_time(name: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """For a CLI command: run it under `job_lock(name)`, or say that another run has it and exit 0."""

    def decorate(command: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            with job_lock(name) as held:
                if not held:
                    click.echo(f"flask {name}: another run (on this or another node) is doing it; nothing done.")
                    return None
                return command(*args, **kwargs)

        return run

    return decorate

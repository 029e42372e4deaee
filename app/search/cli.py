"""`flask search rebuild [TYPE]` and `flask search status`."""

import sys
import time

import click
from flask.cli import AppGroup
from tqdm import tqdm

from app.core.job_lock import one_run_at_a_time
from app.extensions import db
from app.mail.jobs import reporting_failed_mail
from app.search.documents import document_types
from app.search.engine import current_engine
from app.search.saved import alert_saved_searches

search_cli = AppGroup("search", help="The full-text search index.")


def _type_names(name: str | None) -> list[str]:
    names = [doc_type.name for doc_type in document_types()]
    if name is None:
        return names
    if name not in names:
        raise click.BadParameter(f"unknown type {name!r}; known: {', '.join(names) or 'none'}", param_hint="TYPE")
    return [name]


@search_cli.command("rebuild")
@click.argument("doc_type", metavar="[TYPE]", required=False)
def rebuild_command(doc_type: str | None) -> None:
    """Rebuild the index of TYPE (default: every type) from the database."""
    engine = current_engine()
    for name in _type_names(doc_type):
        started = time.perf_counter()
        with tqdm(total=engine.database_count(name), desc=name, unit="doc", file=sys.stderr, disable=None) as bar:
            count = engine.rebuild(name, progress=bar.update)
        click.echo(f"{name}: {count} documents indexed in {time.perf_counter() - started:.1f} s")


@search_cli.command("status")
@click.option("--check", is_flag=True, help="Exit with status 1 if an index is missing, stale or incomplete.")
def status_command(check: bool) -> None:
    """Documents in each index against the database, and whether the index is current."""
    engine = current_engine()
    healthy = True
    for name in _type_names(None):
        status = engine.status(name)
        healthy = healthy and status.healthy
        state = (
            "ok"
            if status.healthy
            else "missing"
            if not status.exists
            else "stale (dictionary, synonyms or schema changed)"
            if not status.fingerprint_matches
            else "out of step"
        )
        click.echo(
            f"{name}: {status.documents} indexed / {status.database} in the database, "
            f"fingerprint {'matches' if status.fingerprint_matches else 'differs'}, "
            f"{status.pending} pending — {state}"
        )
    if check and not healthy:
        sys.exit(1)


@search_cli.command("alerts")
@one_run_at_a_time("search alerts")
def alerts_command() -> None:
    """Tell members about items published since their saved searches were last checked (run daily)."""
    with reporting_failed_mail():
        told = alert_saved_searches()
        db.session.commit()
        click.echo(f"{told} saved search(es) had new matches.")

"""Daily commands that mail many members (`flask search alerts`, `flask needs expire`, `flask inquiries
follow-up`): a mail that cannot be built (a stored address that is not one address) is recorded and
logged and the command goes on, then says how many failed. The rest is queued and sent after the
commit; `flask mail send` reports the ones the SMTP server refuses."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from app.mail.services import counting_failed_mail


@contextmanager
def reporting_failed_mail() -> Iterator[None]:
    """Run the block; if mails failed in it, say how many and exit with status 1, for the scheduler
    and its monitoring to see (the outbox keeps each one's recipient and error)."""
    with counting_failed_mail() as failed:
        yield
    if failed:
        click.echo(f"{len(failed)} mail(s) failed; see the outbox (ids {', '.join(map(str, failed))}) and the log.")
        sys.exit(1)

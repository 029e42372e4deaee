"""`flask needs expire`: run daily (cron) to remind owners a week ahead and expire old needs."""

import click
from flask.cli import AppGroup

from app.core.job_lock import one_run_at_a_time
from app.extensions import db
from app.mail.jobs import reporting_failed_mail
from app.needs.services import expire_due, remind_expiring

needs_cli = AppGroup("needs", help="Needs: expiry.")


@needs_cli.command("expire")
@one_run_at_a_time("needs expire")
def expire_command() -> None:
    """Mail the owners of needs that expire within a week, then expire those past their date."""
    with reporting_failed_mail():
        reminded = remind_expiring()
        expired = expire_due()
        db.session.commit()
        click.echo(f"{reminded} need(s) reminded, {expired} expired.")

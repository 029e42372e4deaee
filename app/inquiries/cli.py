"""`flask inquiries follow-up`: run daily (cron) to ask both sides how each half-year-old deal went."""

import click
from flask.cli import AppGroup

from app.core.job_lock import one_run_at_a_time
from app.extensions import db
from app.inquiries.services import ask_follow_ups
from app.mail.jobs import reporting_failed_mail

inquiries_cli = AppGroup("inquiries", help="Inquiries: follow-ups after deals.")


@inquiries_cli.command("follow-up")
@one_run_at_a_time("inquiries follow-up")
def follow_up_command() -> None:
    """Ask both sides of every deal older than six months how it went (once per deal)."""
    with reporting_failed_mail():
        asked = ask_follow_ups()
        db.session.commit()
        click.echo(f"{asked} deal(s) followed up.")

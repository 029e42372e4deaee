"""`flask mail send`: send the queued mail that is due; cron runs it every minute (see README, Mail)."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.mail.services import deliver_queued

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, sending what is due every --interval seconds.")
@click.option("--interval", default=30, show_default=True, help="Seconds between rounds with --loop.")
@click.option("--limit", type=int, default=None, help="Send at most this many mails per round.")
def send_command(loop: bool, interval: int, limit: int | None) -> None:
    """Send the queued mail that is due, oldest first. Exits with status 1 when an attempt failed
    (the outbox in the admin area shows each one's attempts and last error)."""
    if not current_app.config["MAIL_SERVER"]:
        click.echo("MAIL_SERVER is not set: mail stays in the outbox, readable in the admin area.")
        return
    while True:
        done = deliver_queued(limit)
        click.echo(f"{done.sent} sent, {done.retrying} to retry, {done.failed} failed.")
        if not loop:
            sys.exit(1 if done.retrying or done.failed else 0)
        time.sleep(interval)

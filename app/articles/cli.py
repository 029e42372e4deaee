"""`flask articles release`: run every minute (as `flask mail send`), so that a scheduled article's
publication refreshes the cached pages and the search index on time."""

import click
from flask.cli import AppGroup

from app.articles.services import release_due
from app.extensions import db

articles_cli = AppGroup("articles", help="Policy and news articles.")


@articles_cli.command("release")
def release() -> None:
    """Mark the scheduled articles whose publish time has come published."""
    count = release_due()
    db.session.commit()
    click.echo(f"{count} scheduled articles published.")

"""Running the portal in production: the request id and JSON request log, the health and readiness
probes (`views.py`), `flask backup` and `flask db-copy`. The deployment files (gunicorn, nginx, systemd)
are in deploy/."""

from flask import Flask


def init_ops(app: Flask) -> None:
    """Install the request id and the JSON log (before the other hooks, so that their log lines
    carry the id) and the `flask backup` and `flask db-copy` commands."""
    from app.ops.cli import backup_cli, db_copy_command
    from app.ops.request_log import init_request_log

    init_request_log(app)
    app.cli.add_command(backup_cli)
    app.cli.add_command(db_copy_command)

"""`flask backup create [PATH] [--keep N]` and `flask backup restore PATH` (app/ops/backup.py), and
`flask db-copy SOURCE_URL` (app/ops/copy.py)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.ops.backup import BackupError, create_backup, default_archive_name, prune, restore_backup
from app.ops.copy import CopyError, copy_database

backup_cli = AppGroup("backup", help="Back up and restore the database and the uploaded files.")


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    help="Then delete all but the newest KEEP archives in the backup folder (only without PATH).",
)
def create_command(path: Path | None, keep: int | None) -> None:
    """Write one archive of the database and the files; by default instance/backups/gongfu-<UTC time>.tar.gz
    (BACKUP_DIR sets the folder)."""
    folder = Path(current_app.config["BACKUP_DIR"])
    target = path or folder / default_archive_name()
    try:
        manifest = create_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{target}: {sum(manifest.tables.values())} rows in {len(manifest.tables)} tables, "
        f"{manifest.files} files ({manifest.dialect}, migration {manifest.revision})"
    )
    if keep and path is None:
        for removed in prune(folder, keep):
            click.echo(f"removed {removed.name}")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(
    "--yes", prompt="This replaces the whole database and every uploaded file. Stop the portal first. Go on?"
)
def restore_command(path: Path) -> None:
    """Replace the database and the files with an archive's, check the row counts, rebuild the search index."""
    try:
        manifest = restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"restored the backup of {manifest.created_at}: {sum(manifest.tables.values())} rows, {manifest.files} files; "
        "search index rebuilt"
    )


@click.command("db-copy")
@click.argument("source_url")
@click.confirmation_option(
    "--yes", prompt="This replaces every row of the configured database with the source's. Go on?"
)
def db_copy_command(source_url: str) -> None:
    """Copy every row of SOURCE_URL (e.g. sqlite:////srv/gongfu/instance/gongfu.db) into the configured
    database, migrated first by `flask db upgrade`; then run `flask search rebuild`."""
    try:
        copied = copy_database(source_url)
    except CopyError as error:
        raise click.ClickException(str(error)) from error
    for name, rows in copied.tables.items():
        click.echo(f"{name}: {rows}")
    click.echo(
        f"{sum(copied.tables.values())} rows in {len(copied.tables)} tables copied (migration {copied.revision})"
    )

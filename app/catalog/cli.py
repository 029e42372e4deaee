"""`flask scenarios import FILE --batch NAME [--publish]`."""

from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from app.catalog import batches
from app.catalog.importing import apply_import, parse_scenarios
from app.catalog.models import BatchStatus
from app.extensions import db

scenarios_cli = AppGroup("scenarios", help="Import and publish the scenario list.")


@scenarios_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch", "batch_name", required=True, help="Batch name, e.g. 2022年第一批 (created if new).")
@click.option("--year", type=int, help="The batch's year when it is new (default: the year in its name).")
@click.option("--notes", default="", help="Release notes of a new batch.")
@click.option("--publish", is_flag=True, help="Publish the batch after importing.")
def import_command(path: Path, batch_name: str, year: int | None, notes: str, publish: bool) -> None:
    """Import a CSV or XLSX file into a batch; nothing is written if any row has a problem."""
    preview = parse_scenarios(path.read_bytes(), path.name)
    if not preview.ok:
        for problem in preview.problems[:200]:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", {problem.column}" if problem.column else ""
            click.echo(f"{where}{column}: {problem.message}", err=True)
        raise click.ClickException(f"{len(preview.problems)} problem(s); nothing was imported")
    batch = batches.find_batch(batch_name)
    if batch is None:
        year = year or batches.year_from_name(batch_name)
        if year is None:
            raise click.ClickException("give --year: the batch name holds no year")
        batch = batches.create_batch(batch_name, year, notes)
    elif batch.status != BatchStatus.DRAFT:
        raise click.ClickException(f"batch {batch.name} is {batch.status.value}; import into a draft batch")
    with tqdm(total=len(preview.rows), desc="import", unit="row") as bar:
        counts = apply_import(preview, batch, progress=bar.update)
    if publish:
        with tqdm(total=len(preview.rows), desc="publish", unit="scenario") as bar:
            batches.publish_batch(batch, progress=bar.update)
    db.session.commit()
    state = "published" if publish else "draft"
    click.echo(
        f"{batch.name} ({state}): {counts['added']} new, {counts['changed']} changed, {counts['unchanged']} unchanged."
    )

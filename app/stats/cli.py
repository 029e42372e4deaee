"""`flask stats report --from DATE --to DATE FILE`: the dashboard's workbook, for the government report."""

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from app.stats import indicators, reports, services

stats_cli = AppGroup("stats", help="Enablement statistics.")


@stats_cli.command("report")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day counted (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day counted (YYYY-MM-DD).")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def report_command(start: datetime | None, end: datetime | None, path: Path) -> None:
    """Write the XLSX workbook: the indicator table and one sheet per breakdown."""
    if start and end and end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the report is an .xlsx file", param_hint="PATH")
    filters = services.Filters(start=start.date() if start else None, end=end.date() if end else None)
    path.write_bytes(reports.workbook(filters, indicators.current_plan()))
    totals = services.totals(filters)
    click.echo(f"{path}: {totals.firm_times} firm-times, {totals.firms} firms")

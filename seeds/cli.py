"""`flask seed ...`: load the default taxonomy and the demo data."""

import json
import logging
from contextlib import contextmanager
from datetime import datetime
from itertools import groupby
from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from app.catalog import batches
from app.catalog.importing import COLUMNS, apply_import, validate_table
from app.catalog.models import BatchStatus
from app.catalog.services import load_taxonomy
from app.core.spreadsheets import Table
from app.extensions import db
from app.incubation.services import load_tracks
from app.legal.models import LegalKind
from app.legal.services import load_defaults as load_legal_defaults
from app.stats.indicators import load_kinds, load_plan
from seeds.articles_demo import seed_articles
from seeds.demo import DEMO_PASSWORD, seed_demo
from seeds.events_demo import seed_events
from seeds.incubation_demo import seed_incubation
from seeds.inquiries_demo import seed_inquiries
from seeds.ledger_demo import ROWS as LEDGER_ROWS
from seeds.ledger_demo import seed_ledger
from seeds.marketplace_demo import seed_marketplace
from seeds.pilots_demo import seed_pilots

SEEDS_DIR = Path(__file__).resolve().parent

seed_cli = AppGroup("seed", help="Load default and demo data.")


@seed_cli.command("taxonomy")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=SEEDS_DIR / "taxonomy.json",
    show_default=True,
)
@click.option(
    "--keep-names",
    is_flag=True,
    help="Only insert missing entries and fill in empty English names; keep the names admins have edited.",
)
def seed_taxonomy(path: Path, keep_names: bool) -> None:
    """Insert or update the taxonomy by code (idempotent)."""
    changed = load_taxonomy(json.loads(path.read_text(encoding="utf-8")), update_existing=not keep_names)
    db.session.commit()
    summary = ", ".join(f"{kind} {count}" for kind, count in changed.items())
    click.echo(f"Taxonomy loaded from {path.name}; added or changed: {summary}.")


@seed_cli.command("plan")
@click.option(
    "--keep",
    is_flag=True,
    help="Only insert missing kinds and indicators and fill in empty English names; keep the names and targets "
    "admins have edited.",
)
def seed_plan(keep: bool) -> None:
    """Load the enablement kinds and the plan's indicators and targets (idempotent)."""
    added = load_kinds(_json("enablement_kinds.json")["kinds"], keep_names=keep)
    plan = load_plan(_json("plan_targets.json"), keep_targets=keep)
    db.session.commit()
    click.echo(f"Enablement kinds: {added} added. Plan {plan.name}: {len(plan.indicators)} indicators.")


@seed_cli.command("programs")
@click.option("--keep", is_flag=True, help="Only insert missing tracks; keep the criteria admins have edited.")
def seed_programs(keep: bool) -> None:
    """Load the incubation tracks (eaglet, gazelle) and their default criteria (idempotent)."""
    added = load_tracks(_json("programs.json"), keep=keep)
    db.session.commit()
    click.echo(f"Incubation tracks: {added} added.")


@seed_cli.command("legal")
def seed_legal() -> None:
    """Publish version 1 of the privacy policy and the terms of use from seeds/legal/ where none is published."""
    folder = SEEDS_DIR / "legal"
    texts = {
        kind: tuple((folder / f"{kind.value}.{language}.md").read_text(encoding="utf-8") for language in ("zh", "en"))
        for kind in LegalKind
    }
    added = load_legal_defaults({kind: (zh, en) for kind, (zh, en) in texts.items()})
    db.session.commit()
    click.echo(f"Privacy policy and terms of use: {added} published.")


@contextmanager
def _quiet_audit():
    """The demo moves firms through the incubation pipeline with the admins' own service, which
    logs each step as an admin action: audited, but not news on the console of `make run`."""
    log = logging.getLogger("gongfu.security")
    level = log.level
    log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log.setLevel(level)


def _json(name: str) -> dict:
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


@seed_cli.command("demo")
@click.option("--ledger-rows", default=LEDGER_ROWS, show_default=True, help="Demo enablements to generate.")
def seed_demo_command(ledger_rows: int) -> None:
    """Add demo accounts, organizations, a year of enablement ledger rows, published needs and
    solutions, threads with deals, two events, two pilot calls, incubation enrolments and articles
    (idempotent), and print the logins."""
    accounts = seed_demo()
    load_kinds(_json("enablement_kinds.json")["kinds"], keep_names=True)
    load_plan(_json("plan_targets.json"), keep_targets=True)
    load_tracks(_json("programs.json"), keep=True)
    counted = seed_ledger(rows=ledger_rows)
    solutions, needs = seed_marketplace()
    threads = seed_inquiries()
    events = seed_events()
    pilots = seed_pilots()
    with _quiet_audit():
        enrolled = seed_incubation()
        articles = seed_articles()
    db.session.commit()
    if counted:
        click.echo(f"Demo ledger: {counted} enablements counted.")
    if solutions or needs:
        click.echo(f"Demo marketplace: {solutions} solutions, {needs} needs published.")
    if threads:
        click.echo(f"Demo inquiries: {threads} threads between demo organizations.")
    if events:
        click.echo("Demo events: one open for registration, one past with check-ins.")
    if pilots:
        click.echo("Demo pilot projects: a past call's selection published, this year's call open.")
    if articles:
        click.echo(f"Demo articles: {articles} policy documents, notices and news published.")
    if enrolled:
        click.echo(f"Demo incubation: {enrolled} firms with three years of figures in the eaglet and gazelle tracks.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in accounts:
        click.echo(f"  {role:<22} {email}")


DEMO_BATCH_NOTES = "演示数据：由 seeds/scenarios_demo.py 生成，不是真实的场景清单。"


@seed_cli.command("scenarios")
@click.option("--count", default=3000, show_default=True, help="How many demo scenarios to generate.")
def seed_scenarios_command(count: int) -> None:
    """Import and publish the generated demo scenario list, one batch a year (idempotent)."""
    from seeds.scenarios_demo import generate_rows

    rows = sorted(generate_rows(count), key=lambda r: (int(r["year"]), r["batch"], r["code"]))
    header = [column.en for column in COLUMNS]
    for (name, year), group in groupby(rows, key=lambda r: (r["batch"], int(r["year"]))):
        batch_rows = list(group)
        batch = batches.find_batch(name)
        if batch is not None and batch.status != BatchStatus.DRAFT:
            click.echo(f"{name}: already loaded ({batch.status.value}), skipped.")
            continue
        preview = validate_table(Table(header=header, rows=[[r[key] for key in header] for r in batch_rows]))
        if not preview.ok:
            problem = preview.problems[0]
            raise click.ClickException(f"{name}: row {problem.row}, {problem.column}: {problem.message}")
        batch = batch or batches.create_batch(name, year, DEMO_BATCH_NOTES)
        with tqdm(total=len(batch_rows), desc=name, unit="row") as bar:
            apply_import(preview, batch, progress=bar.update)
        batches.publish_batch(batch)
        batch.published_at = datetime(year, 6, 30, 2, 0)  # as if released mid-year
        db.session.commit()
        click.echo(f"{name}: {len(batch_rows)} demo scenarios published.")

"""`flask seed ...`: load the default taxonomy and the demo data."""
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from app.catalog.services import load_taxonomy
from app.extensions import db
from seeds.demo import DEMO_PASSWORD, seed_demo

SEEDS_DIR = Path(__file__).resolve().parent

seed_cli = AppGroup("seed", help="Load default and demo data.")


@seed_cli.command("taxonomy")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=SEEDS_DIR / "taxonomy.json", show_default=True)
@click.option("--keep-names", is_flag=True,
              help="Only insert missing entries; keep the names admins have edited.")
def seed_taxonomy(path: Path, keep_names: bool) -> None:
    """Insert or update the taxonomy by code (idempotent)."""
    changed = load_taxonomy(json.loads(path.read_text(encoding="utf-8")), update_existing=not keep_names)
    db.session.commit()
    summary = ", ".join(f"{kind} {count}" for kind, count in changed.items())
    click.echo(f"Taxonomy loaded from {path.name}; added or changed: {summary}.")


@seed_cli.command("demo")
def seed_demo_command() -> None:
    """Add demo accounts and organizations (idempotent) and print their logins."""
    accounts = seed_demo()
    db.session.commit()
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for role, email in accounts:
        click.echo(f"  {role:<22} {email}")

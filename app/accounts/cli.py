"""`flask users ...`: account administration from the command line."""

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import SiteRole
from app.accounts.passwords import MIN_PASSWORD_LENGTH, is_common_password, personal_words, weak_password_reason
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="平台管理员", show_default=True, help="Display name.")
@click.password_option(help="Password (prompted when not given).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account, or make an existing account an admin."""
    user = services.find_user_by_email(email)
    if user is not None:
        services.set_site_role(user, SiteRole.ADMIN)
        db.session.commit()
        click.echo(f"{user.email} is now an admin.")
        return
    if len(password) < MIN_PASSWORD_LENGTH or is_common_password(password):
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters and not a common password", param_hint="--password"
        )
    reason = weak_password_reason(password, personal_words(email, name))
    if reason:
        raise click.BadParameter(reason, param_hint="--password")
    user = services.register_user(email, name, password, site_role=SiteRole.ADMIN)
    db.session.commit()
    click.echo(f"Created admin {user.email}.")

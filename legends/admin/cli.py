"""``legends admins seed``: the wallets of ADMIN_ADDRESSES get the admin role."""

from __future__ import annotations

import click
from flask import Flask

from legends.cli import friendly, make_app


@click.group()
def admins() -> None:
    """The admin role."""


@admins.command("seed")
@click.pass_context
@friendly
def admins_seed(ctx: click.Context) -> None:
    """Give the wallets of ADMIN_ADDRESSES the admin role (those never revoked)."""
    click.echo(seed_admins(make_app(ctx)))


def seed_admins(app: Flask) -> str:
    from legends.admin.roles import configured, seed
    from quests.orm import utcnow

    with app.extensions["legends.db"].sessions.begin() as session:
        added = seed(session, configured(app.config.get("ADMIN_ADDRESSES")), utcnow())
    return f"admins seeded: {', '.join(added)}" if added else "admins: nothing to seed"

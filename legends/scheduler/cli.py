"""``legends scheduler``: the scheduler as its own process."""

from __future__ import annotations

import click

from legends.cli import friendly, make_app


@click.command()
@click.pass_context
@friendly
def scheduler(ctx: click.Context) -> None:
    """Open and close campaigns, pay leaderboard windows, send announcements, reset recurring
    quests and sweep up, on time (the scheduler process); Ctrl-C stops it.

    One scheduler runs per database (a lock enforces it): while this process runs, the one
    inside `legends up` stands by."""
    from legends.scheduler.runner import run_scheduler
    from legends.workers.threads import run_in_foreground

    run_in_foreground(make_app(ctx), run_scheduler, "scheduler", click.echo)

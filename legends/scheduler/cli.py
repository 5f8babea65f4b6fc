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
    from legends.realtime import emit_through_queue
    from legends.scheduler.runner import run_scheduler
    from legends.workers.threads import run_in_foreground

    app = make_app(ctx)
    emit_through_queue(app)  # announcements go out through Redis: no socket is served here
    run_in_foreground(app, run_scheduler, "scheduler", click.echo)

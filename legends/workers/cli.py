"""``legends indexer|worker|caretaker``: the background loops as processes of their own."""

from __future__ import annotations

import click

from legends.cli import CliError, friendly, make_app
from legends.realtime import emit_through_queue


@click.command()
@click.pass_context
@friendly
def indexer(ctx: click.Context) -> None:
    """Verify quests as blocks arrive (the indexer process); Ctrl-C stops it."""
    from legends.workers.threads import run_in_foreground
    from legends.workers.verification import run_until_stopped

    app = make_app(ctx)
    emit_through_queue(app)  # live events go out through Redis: no socket is served here
    run_in_foreground(app, run_until_stopped, "indexer", click.echo)


@click.command()
@click.option("--once", is_flag=True, help="Run one cycle (settle, plan, send) and exit.")
@click.pass_context
@friendly
def worker(ctx: click.Context, once: bool) -> None:
    """Mint granted shards and SAHARA in batches (the reward worker process); Ctrl-C stops it.

    One worker mints per database (a lock on the database enforces it): while this process
    runs, the worker inside `legends up` stands by, and takes over when this one stops."""

    from legends.workers.rewards import build_worker, run_worker
    from legends.workers.threads import run_in_foreground

    app = make_app(ctx)
    emit_through_queue(app)
    if once:
        from legends.workers.locks import AlreadyRunning, only_one
        from legends.workers.rewards import ROLE

        try:
            with only_one(app.extensions["legends.db"].engine, ROLE):
                cycle = build_worker(app).run_once()
        except AlreadyRunning as exc:
            raise CliError(str(exc)) from None
        click.echo(f"reward worker: {cycle.planned} planned, {cycle.sent} sent, "
                   f"{cycle.confirmed} confirmed, {cycle.deferred} deferred")
        for error in cycle.errors:
            click.echo(f"  {error}", err=True)
        return
    run_in_foreground(app, run_worker, "reward worker", click.echo)


@click.command()
@click.option("--once", is_flag=True, help="Run one tick (review, purse, council) and exit.")
@click.pass_context
@friendly
def caretaker(ctx: click.Context, once: bool) -> None:
    """Review caravan labels, refill its purse and keep a proposal open; Ctrl-C stops it.

    One caretaker tends a database (a lock enforces it, `--once` too): the one inside
    `legends up` stands by while this process runs, and `--once` refuses while another
    caretaker holds the database."""
    from legends.workers.caretaker import ROLE, build_caretaker, run_caretaker
    from legends.workers.locks import AlreadyRunning, only_one
    from legends.workers.threads import run_in_foreground

    app = make_app(ctx)
    emit_through_queue(app)
    if not once:
        return run_in_foreground(app, run_caretaker, "caretaker", click.echo)
    from legends.wiring.mint_watch import build_mint_watch, told

    try:
        with only_one(app.extensions["legends.db"].engine, ROLE):
            steps = build_caretaker(app).tick()
            strays = build_mint_watch(app).check()
    except AlreadyRunning as exc:
        raise CliError(str(exc)) from None
    for mint in strays:
        click.echo(f"caretaker: not in the ledger: {told(mint)}", err=True)
    for step in steps:
        click.echo(f"caretaker: {step}")
    click.echo(f"caretaker: {len(steps)} steps" if steps else "caretaker: the world is in order")

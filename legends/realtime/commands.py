"""``legends realtime purge|announce``: the event log's housekeeping and public messages."""

from __future__ import annotations

from datetime import UTC, datetime

import click


@click.group("realtime")
def realtime_group() -> None:
    """Live updates: event log housekeeping and announcements."""


@realtime_group.command("purge")
@click.option("--days", type=click.FloatRange(0), default=None,
              help="Keep this many days of events (default REALTIME_RETENTION_DAYS, 7).")
@click.pass_context
def purge(ctx: click.Context, days: float | None) -> None:
    """Drop events older than the retention; clients that missed them get a resync."""
    from legends.cli import make_app
    from legends.realtime import purge_events

    app = make_app(ctx)
    days = float(app.config["REALTIME_RETENTION_DAYS"]) if days is None else days
    with app.app_context(), app.extensions["legends.db"].sessions.begin() as db:
        gone = purge_events(db, datetime.now(UTC), days)
    click.echo(f"purged {gone} event(s) older than {days:g} day(s)")


@realtime_group.command("announce")
@click.argument("message")
@click.pass_context
def announce(ctx: click.Context, message: str) -> None:
    """Send MESSAGE to everybody connected (signed in or not)."""
    from legends.cli import make_app
    from legends.realtime import emit_through_queue
    from legends.realtime.events import announce as record_announcement

    app = make_app(ctx)
    emit_through_queue(app)  # this process serves no socket
    with app.app_context(), app.extensions["legends.db"].sessions.begin() as db:
        envelope = record_announcement(db, message)
    click.echo(f"announced (public offset {envelope.offset})")


ASYNC_MODE = click.option(
    "--async-mode", type=click.Choice(["gevent", "threading"]), default=None,
    help="gevent (default with PostgreSQL) or threading (default with SQLite).")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers/--no-workers", default=False, show_default=True,
              help="Also run the indexer, reward worker and caretaker in this process.")
@ASYNC_MODE
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: bool, async_mode: str | None) -> None:
    """Serve the app and its live sockets from this process (gevent with PostgreSQL, else
    threaded; see README for several processes behind sticky sessions). Ctrl-C stops it."""
    import signal

    from legends.cli import CliError, make_app
    from legends.realtime import listen
    from legends.realtime.serving import check_mode, server_for

    app = make_app(ctx)
    try:
        mode = check_mode(app, async_mode)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    stop_background = None
    if workers:
        from legends.workers import start_background

        stop_background = start_background(app)
    listen(app)
    server = server_for(app, host, port)
    signal.signal(signal.SIGTERM, _interrupt)
    click.echo(f"Sahara Legends serving http://{host}:{port} ({mode})  (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if stop_background is not None:
            stop_background()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt

"""The ``legends`` command line: devnet, deploy, database, and ``up`` (all of it)."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

from chain.errors import ChainError
from legends.config import ConfigurationError
from legends.realtime.commands import ASYNC_MODE, realtime_group, serve


class CliError(click.ClickException):
    """Printed as one line, exit status 1, no traceback."""


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into one-line CLI errors."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ChainError, ConfigurationError, ValueError, OSError) as exc:
            raise CliError(str(exc) or type(exc).__name__) from None

    return wrapper


def make_app(ctx: click.Context) -> Flask:
    from legends import create_app

    overrides = {k: v for k, v in (ctx.obj or {}).items() if v is not None}
    try:
        return create_app(overrides)
    except (ConfigurationError, ChainError) as exc:
        raise CliError(str(exc)) from None


@click.group()
@click.option("--network", help="devnet (bundled anvil) or external (CHAIN_RPC_URL).")
@click.option("--rpc-url", help="JSON-RPC URL of the chain (overrides CHAIN_RPC_URL).")
@click.pass_context
def cli(ctx: click.Context, network: str | None, rpc_url: str | None) -> None:
    """Sahara Legends: a gamified testnet on a bundled EVM devnet."""
    ctx.obj = {"CHAIN_NETWORK": network, "CHAIN_RPC_URL": rpc_url}


# -- devnet -------------------------------------------------------------------------
@cli.group()
def devnet() -> None:
    """Start, stop and inspect the bundled anvil devnet."""


@devnet.command("start")
@click.option("--port", type=click.IntRange(1, 65535), help="RPC port (default DEVNET_PORT, 8545).")
@click.option("--chain-id", type=click.IntRange(1), help="Chain id (default DEVNET_CHAIN_ID, 31337).")
@click.option("--block-time", type=click.FloatRange(0, min_open=True),
              help="Seconds per block (default: a block per transaction, instantly).")
@click.pass_context
@friendly
def devnet_start(ctx: click.Context, port: int | None, chain_id: int | None,
                 block_time: float | None) -> None:
    """Start anvil in the background; its state lives in the instance folder."""
    ctx.obj.update(DEVNET_PORT=port, DEVNET_CHAIN_ID=chain_id, DEVNET_BLOCK_TIME=block_time)
    app = make_app(ctx)
    node = app.extensions["legends.chain"].devnet()
    pid = node.start()
    click.echo(f"devnet running at {node.config.url} (pid {pid}, chain id {node.config.chain_id}, "
               f"state {node.state_file})")


@devnet.command("stop")
@click.pass_context
@friendly
def devnet_stop(ctx: click.Context) -> None:
    """Stop anvil; it saves its state first."""
    node = make_app(ctx).extensions["legends.chain"].devnet()
    click.echo("devnet stopped (state saved)" if node.stop() else "devnet was not running")


@devnet.command("status")
@click.pass_context
@friendly
def devnet_status(ctx: click.Context) -> None:
    """Say whether the devnet runs (exit status 3 when it does not)."""
    node = make_app(ctx).extensions["legends.chain"].devnet()
    info = node.status()
    if not info["running"]:
        click.echo(f"devnet not running ({node.config.url})")
        sys.exit(3)
    click.echo(f"devnet running at {info['url']} (pid {info['pid']}, chain id {info['chain_id']}, "
               f"block {info['block']})")


# -- deploy ---------------------------------------------------------------------------
@cli.command()
@click.pass_context
@friendly
def deploy(ctx: click.Context) -> None:
    """Deploy the contract suite (only what is missing or changed)."""
    from legends.wiring.deploy import deploy_suite

    app = make_app(ctx)
    with app.app_context():
        deploy_suite(click.echo)


# -- database -------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Apply and inspect database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_context
@friendly
def db_upgrade(ctx: click.Context, revision: str) -> None:
    from legends import migrate

    app = make_app(ctx)
    url = app.extensions["legends.db"].url
    migrate.upgrade(url, revision)
    click.echo(f"database at {revision}")


@db.command("downgrade")
@click.argument("revision")
@click.pass_context
@friendly
def db_downgrade(ctx: click.Context, revision: str) -> None:
    from legends import migrate

    app = make_app(ctx)
    migrate.downgrade(app.extensions["legends.db"].url, revision)
    click.echo(f"database at {revision}")


# -- quests ----------------------------------------------------------------------------
@cli.group()
def quests() -> None:
    """The quest catalog."""


@quests.command("load")
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
@friendly
def quests_load(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Validate the catalog (default quests/catalog) and load it into the database."""
    from legends.wiring.catalog import load_quests
    from quests.errors import QuestError

    app = make_app(ctx)
    try:
        load_quests(app.extensions["legends.db"].sessions, paths or None, click.echo)
    except QuestError as exc:
        raise CliError(str(exc)) from None


# -- everything ------------------------------------------------------------------------
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@ASYNC_MODE
@click.pass_context
@friendly
def up(ctx: click.Context, host: str, port: int, async_mode: str | None) -> None:
    """Migrate, start the devnet, deploy, and serve the app; Ctrl-C stops everything."""
    from legends import migrate
    from legends.realtime import listen
    from legends.realtime.serving import check_mode, server_for
    from legends.wiring.deploy import deploy_suite
    from legends.workers import start_background

    # A parent may have left SIGINT ignored (background jobs); Ctrl-C must always work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    app = make_app(ctx)
    mode = check_mode(app, async_mode)
    link = app.extensions["legends.chain"]
    node = link.devnet() if link.network == "devnet" else None
    started_devnet = False
    stop_background = None
    try:
        if node is not None and node.pid() is None:
            node.start()
            started_devnet = True
            click.echo(f"devnet started at {node.config.url}")
        migrate.upgrade(app.extensions["legends.db"].url)
        click.echo("database migrated")
        click.echo(seed_admins(app))
        with app.app_context():
            deploy_suite(click.echo)
        stop_background = start_background(app)
        listen(app)
        server = server_for(app, host, port)
        click.echo(f"Sahara Legends at http://{host}:{port} ({mode})  (Ctrl-C stops everything)")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not leave the devnet running without its state saved.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        click.echo("stopping...")
        if stop_background is not None:
            stop_background()
        if started_devnet and node is not None:
            node.stop()
            click.echo("devnet stopped (state saved)")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """The command without the gevent patch (``legends.main`` is the installed entry point)."""
    cli(prog_name="legends")


# The rooms' own commands (they import make_app and friendly from here).
from legends.admin.cli import admins, seed_admins  # noqa: E402
from legends.scheduler.cli import scheduler  # noqa: E402
from legends.workers.cli import caretaker, indexer, worker  # noqa: E402

for _command in (indexer, worker, caretaker, realtime_group, serve, admins, scheduler):
    cli.add_command(_command)

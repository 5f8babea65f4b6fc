"""Sahara Legends web application (the Flask composition root)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legends.config import Config, load_config

if TYPE_CHECKING:  # Flask is imported by create_app: ``main`` may patch the process first
    from flask import Flask

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def create_app(config: Mapping[str, Any] | Config | None = None) -> Flask:
    """Build the app. ``config`` is a mapping of overrides or a ready Config object."""
    cfg = config if isinstance(config, Config) else load_config(config)
    instance = cfg.INSTANCE_PATH
    from legends.api.contract import application

    # Flask itself, as the subclass that gathers the API's OpenAPI document.
    app = application(
        "legends",
        instance_path=str(Path(instance).resolve()) if instance else None,
        instance_relative_config=True,
        template_folder=str(FRONTEND / "templates"),
        static_folder=str(FRONTEND / "static"),
    )
    cfg.validate(app.instance_path)  # key files live in the instance folder
    app.config.from_object(cfg)
    app.extensions["legends.config"] = cfg
    # The cookie lasts as long as the session's row (legends.auth.session).
    app.permanent_session_lifetime = timedelta(hours=cfg.SESSION_HOURS)

    from legends import admin, api, db, pages, realtime
    from legends.wiring import chainlink, game
    from legends.workers import wakeup

    db.init_app(app)
    chainlink.init_app(app, cfg, cfg.chain_keys(app.instance_path))
    realtime.init_app(app, cfg)
    wakeup.init_app(app)
    game.init_app(app)
    pages.init_app(app)
    api.init_app(app)
    admin.init_app(app)
    return app


# -- the ``legends`` command -------------------------------------------------------------
SERVING = ("serve", "up")
GROUP_OPTIONS = ("--network", "--rpc-url")


def serving_mode(argv: Sequence[str], config: Config | None = None) -> str | None:
    """The async mode a serving command (``serve``, ``up``) runs in, else None.

    ``--async-mode gevent|threading`` decides; by default gevent when the database is
    PostgreSQL (psycopg, redis and requests yield to other greenlets once the process is
    patched) and threading on SQLite, whose busy wait would block every greenlet at once.
    """
    args, command = list(argv), None
    while args:
        arg = args.pop(0)
        if arg in GROUP_OPTIONS:
            args = args[1:]
        elif not arg.startswith("-"):
            command = arg
            break
    if command not in SERVING:
        return None
    for i, arg in enumerate(args):
        if arg.startswith("--async-mode="):
            return arg.split("=", 1)[1]
        if arg == "--async-mode" and i + 1 < len(args):
            return args[i + 1]
    try:
        url = (config or load_config()).DATABASE_URL or ""
    except Exception:  # the command itself reports a configuration it cannot run
        return "threading"
    return "gevent" if url.startswith(("postgres://", "postgresql")) else "threading"


def main(argv: Sequence[str] | None = None) -> None:
    """The ``legends`` command. A serving command under gevent patches the process before
    anything imports socket, ssl or threading (Flask, requests, psycopg, redis, APScheduler)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if serving_mode(argv) == "gevent":
        from gevent import monkey

        monkey.patch_all()
    from legends.cli import cli

    cli.main(args=argv, prog_name="legends")

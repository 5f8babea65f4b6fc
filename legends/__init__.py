"""Sahara Legends web application (the Flask composition root)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from legends.config import Config, load_config

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

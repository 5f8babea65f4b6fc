"""The JSON REST API under /api (described by /api/openapi.json)."""

from __future__ import annotations

from flask import Blueprint, Flask

from legends.api import errors

api = Blueprint("api", __name__, url_prefix="/api")


def init_app(app: Flask) -> None:
    # Each module registers its routes on ``api`` when imported.
    from legends.api import (  # noqa: F401
        agents,
        auth,
        chain,
        docs,
        faucet,
        health,
        inventory,
        leaderboard,
        quests,
        world,
    )

    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(api)

"""The JSON REST API under /api, described by the OpenAPI 3.1 document generated from its
views' pydantic models (``GET /api/openapi.json``; see docs/api.md)."""

from __future__ import annotations

from flask import Flask

from legends.api import contract, errors, headers, intake, limits

api = contract.blueprint()
errors.translate_domain_errors(api)
api.before_request(intake.check_body)  # before sign-in and the views' models


def init_app(app: Flask) -> None:
    # Each module registers its routes on ``api`` when imported.
    from legends.api import (  # noqa: F401
        agents,
        auth,
        campaigns,
        chain,
        docs,
        faucet,
        health,
        inventory,
        leaderboard,
        quests,
        realtime,
        world,
    )
    from legends.auth import forgery

    errors.init_app(app)
    forgery.init_app(app)
    headers.init_app(app)
    limits.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(docs.assets)
    app.register_api(api)  # type: ignore[attr-defined]

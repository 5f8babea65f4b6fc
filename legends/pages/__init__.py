"""Server-rendered pages and the public token documents (metadata JSON, SVG art)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Each page module registers its routes on ``site.bp`` when imported.
    from legends.pages import map, play, site, tokens, txpage  # noqa: F401

    app.register_blueprint(site.bp)
    app.register_blueprint(tokens.bp)

"""Server-rendered pages and the public token documents (metadata JSON, SVG art)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from legends.pages import map, tokens

    app.register_blueprint(map.bp)
    app.register_blueprint(tokens.bp)

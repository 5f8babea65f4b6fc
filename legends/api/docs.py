"""``GET /api/openapi.json`` (the generated OpenAPI 3.1 document) and ``GET /api/docs``, a
Swagger UI page served from local files only: the pinned npm ``swagger-ui-dist`` under
``/vendor/swagger-ui/`` and our own start-up script, under a strict CSP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory
from pydantic import BaseModel, ConfigDict

from legends.api import api
from legends.api.contract import document, operation

SWAGGER_UI = Path(__file__).resolve().parents[2] / "node_modules" / "swagger-ui-dist"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")

assets = Blueprint("api_docs_assets", __name__, url_prefix="/vendor/swagger-ui")


class OpenApiDocument(BaseModel):
    """An OpenAPI 3.1 document (see https://spec.openapis.org/oas/v3.1.0)."""

    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


@operation(api.get, "/openapi.json", ok={200: OpenApiDocument}, tag="meta")
def openapi_document():  # type: ignore[no-untyped-def]
    """This document"""
    return jsonify(document(current_app))


@operation(api.get, "/docs", tag="meta", ok={200: {
    "description": "The documentation page", "content": {"text/html": {"schema": {"type": "string"}}}}})
def api_docs():  # type: ignore[no-untyped-def]
    """The documentation page: Swagger UI over this document"""
    response = current_app.make_response(render_template("api_docs.html"))
    response.headers["Content-Security-Policy"] = CSP
    return response


@assets.get("/<name>")
def asset(name: str):  # type: ignore[no-untyped-def]
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI, name, max_age=86400)

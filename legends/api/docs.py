"""``GET /api/openapi.json``: the API described as OpenAPI 3.1 (see ``legends.api.openapi``)."""

from __future__ import annotations

from flask import current_app, jsonify

from legends.api import api, openapi


@api.get("/openapi.json")
def openapi_document():  # type: ignore[no-untyped-def]
    return jsonify(openapi.document(current_app.config.get("PUBLIC_URL")))

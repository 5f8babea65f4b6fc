"""``GET /api/openapi.json``: the API described as OpenAPI 3.1 (see ``legends.openapi``)."""

from __future__ import annotations

from flask import current_app, jsonify

from legends import openapi
from legends.api import api


@api.get("/openapi.json")
def openapi_document():  # type: ignore[no-untyped-def]
    return jsonify(openapi.document(current_app.config.get("PUBLIC_URL")))

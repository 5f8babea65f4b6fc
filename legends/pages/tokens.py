"""Token metadata (ERC-1155 metadata JSON schema) and deterministic SVG art.

``GET /metadata/<id>.json`` answers both the decimal id and the 64-hex ``{id}`` form that
wallets substitute into the contracts' URI; ``GET /art/<id>.svg`` serves the token's art.
Both are public, the same for everyone and change only with a new release, so they are
cacheable and readable from any origin (no cookies are involved).
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, jsonify, request

from nft.art import render_svg
from nft.metadata import token_metadata
from nft.tokens import UnknownTokenError, parse_token_id

bp = Blueprint("metadata", __name__)

METADATA_MAX_AGE = 300  # seconds; names and descriptions may be reworded between releases
ART_MAX_AGE = 86_400  # art is a pure function of the id


def _unknown(exc: UnknownTokenError) -> Response:
    response = jsonify({"error": str(exc), "field": "id"})
    response.status_code = 404
    return response


def _cached(response: Response, body: bytes, max_age: int) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


@bp.get("/metadata/<token>.json")
def metadata(token: str) -> Response:
    try:
        token_id = parse_token_id(token)
    except UnknownTokenError as exc:
        return _unknown(exc)
    config = current_app.config
    document = token_metadata(token_id, base_url=config["PUBLIC_URL"], season=config["SEASON"])
    response = jsonify(document)
    return _cached(response, response.get_data(), METADATA_MAX_AGE)


@bp.get("/art/<token>.svg")
def art(token: str) -> Response:
    try:
        svg = render_svg(parse_token_id(token)).encode()
    except UnknownTokenError as exc:
        return _unknown(exc)
    response = Response(svg, mimetype="image/svg+xml")
    return _cached(response, svg, ART_MAX_AGE)

"""Sign-in with Ethereum: nonce, verify, logout, me."""

from __future__ import annotations

from flask import current_app, jsonify, session

from legends.api import api
from legends.api.errors import ApiError, json_body, string_field
from legends.auth.players import STATEMENT, Deployment, SignInError, issue_nonce, sign_in
from legends.auth.session import current_player_or_401, deployment_chain_id, is_admin
from legends.db import get_db


def this_deployment() -> Deployment:
    return Deployment.from_public_url(current_app.config["PUBLIC_URL"], deployment_chain_id())


@api.get("/auth/nonce")
def auth_nonce():  # type: ignore[no-untyped-def]
    deployment = this_deployment()
    with get_db().sessions.begin() as db:
        row = issue_nonce(db)
        body = {"nonce": row.nonce, "expires_at": row.expires_at.isoformat(),
                "domain": deployment.domain, "uri": deployment.origin,
                "chain_id": deployment.chain_id, "statement": STATEMENT, "version": "1"}
    return jsonify(body)


@api.post("/auth/verify")
def auth_verify():  # type: ignore[no-untyped-def]
    data = json_body("message", "signature")
    message = string_field(data, "message", max_length=4000)
    signature = string_field(data, "signature", max_length=300)
    referral = string_field(data, "referral_code", max_length=16, required=False)
    try:
        with get_db().sessions.begin() as db:
            player, created = sign_in(db, this_deployment(), message, signature, referral)
            body = {"address": player.address, "referral_code": player.referral_code,
                    "created": created}
    except SignInError as exc:
        raise ApiError(str(exc), field=exc.field, status=exc.status) from None
    session.clear()
    session["player"] = body["address"]
    session.permanent = True
    return jsonify(body), 201 if created else 200


@api.post("/auth/logout")
def auth_logout():  # type: ignore[no-untyped-def]
    session.clear()
    return jsonify({"signed_in": False})


@api.get("/me")
def me():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    return jsonify({"address": player.address, "referral_code": player.referral_code,
                    "xp": player.xp, "admin": is_admin(player.address)})

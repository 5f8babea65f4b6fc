"""Admin JSON API: who I am (with the CSRF token), the admins, the audit log."""

from __future__ import annotations

from flask import current_app, jsonify

from legends.admin import audit, roles
from legends.admin.guard import actor, admin_only, csrf_token
from legends.admin.views import admin_api, admin_transaction, audited, query_instant
from legends.api.errors import json_body
from legends.api.play import int_arg
from legends.wiring.game import now


def seeded() -> set[str]:
    return roles.configured(current_app.config.get("ADMIN_ADDRESSES"))


@admin_api.get("/me")
@admin_only
def admin_me():  # type: ignore[no-untyped-def]
    return jsonify({"address": actor(), "csrf_token": csrf_token()})


@admin_api.get("/admins")
@admin_only
def admins_index():  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        return jsonify({"admins": roles.listing(db, seeded())})


@admin_api.post("/admins")
@admin_only
def admins_grant():  # type: ignore[no-untyped-def]
    data = json_body("address")
    with admin_transaction() as db:
        before, after = roles.grant(db, data["address"], actor(), now())
        audited(db, "admin.grant", f"admin:{after['address']}", before, after)
    return jsonify(after), 201


@admin_api.delete("/admins/<address>")
@admin_only
def admins_revoke(address: str):  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        before, after = roles.revoke(db, address, actor(), now(), seeded())
        audited(db, "admin.revoke", f"admin:{after['address']}", before, after)
    return jsonify(after)


@admin_api.get("/audit")
@admin_only
def audit_index():  # type: ignore[no-untyped-def]
    from flask import request

    limit, offset = int_arg("limit", 50, 1, 200), int_arg("offset", 0, 0, 10**9)
    with admin_transaction() as db:
        rows, total = audit.search(
            db, actor=request.args.get("actor") or None, action=request.args.get("action") or None,
            target=request.args.get("target") or None, since=query_instant("since"),
            until=query_instant("until"), limit=limit, offset=offset)
        return jsonify({"entries": rows, "total": total, "limit": limit, "offset": offset,
                        "actions": audit.actions(db)})

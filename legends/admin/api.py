"""Admin JSON API: who I am (with the CSRF token), the admins, the audit log."""

from __future__ import annotations

from flask import current_app

from legends.admin import audit, roles
from legends.admin.guard import actor, admin_only, csrf_token
from legends.admin.models import (
    AddressPath,
    AdminList,
    AdminMe,
    AdminRoleView,
    AuditPage,
    AuditQuery,
    GrantBody,
)
from legends.admin.views import admin_api, admin_operation, admin_transaction, audited, query_instant
from legends.api.contract import reply
from legends.wiring.game import now


def seeded() -> set[str]:
    return roles.configured(current_app.config.get("ADMIN_ADDRESSES"))


@admin_operation(admin_api.get, "/me", {200: AdminMe})
@admin_only
def admin_me():  # type: ignore[no-untyped-def]
    """The signed-in admin and the session's CSRF token"""
    return reply(AdminMe, {"address": actor(), "csrf_token": csrf_token()})


@admin_operation(admin_api.get, "/admins", {200: AdminList})
@admin_only
def admins_index():  # type: ignore[no-untyped-def]
    """Wallets holding the admin role"""
    with admin_transaction() as db:
        return reply(AdminList, {"admins": roles.listing(db, seeded())})


@admin_operation(admin_api.post, "/admins", {201: AdminRoleView}, 400)
@admin_only
def admins_grant(body: GrantBody):  # type: ignore[no-untyped-def]
    """Grant the admin role"""
    with admin_transaction() as db:
        before, after = roles.grant(db, body.address, actor(), now())
        audited(db, "admin.grant", f"admin:{after['address']}", before, after)
    return reply(AdminRoleView, after), 201


@admin_operation(admin_api.delete, "/admins/<address>", {200: AdminRoleView}, 400, 404, 409)
@admin_only
def admins_revoke(path: AddressPath):  # type: ignore[no-untyped-def]
    """Revoke the admin role (not your own)"""
    with admin_transaction() as db:
        before, after = roles.revoke(db, path.address, actor(), now(), seeded())
        audited(db, "admin.revoke", f"admin:{after['address']}", before, after)
    return reply(AdminRoleView, after)


@admin_operation(admin_api.get, "/audit", {200: AuditPage}, 400)
@admin_only
def audit_index(query: AuditQuery):  # type: ignore[no-untyped-def]
    """The audit log, newest first: filter by who, what, target prefix and time"""
    since, until = query_instant(query.since, "since"), query_instant(query.until, "until")
    with admin_transaction() as db:
        rows, total = audit.search(db, actor=query.actor, action=query.action, target=query.target,
                                   since=since, until=until, limit=query.limit, offset=query.offset)
        return reply(AuditPage, {"entries": rows, "total": total, "limit": query.limit,
                                 "offset": query.offset, "actions": audit.actions(db)})

"""Admin pages (server-rendered; each page's ES module in static/js/admin/ talks to the
JSON API with the session's CSRF token, which the base layout carries in a meta tag)."""

from __future__ import annotations

from flask import render_template, request

from legends.admin import audit
from legends.admin.guard import admin_only, csrf_token
from legends.admin.views import admin_pages, admin_transaction, query_instant
from legends.wiring.game import now
from quests import campaign_service as campaigns
from quests.catalog_store import catalog_of

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


@admin_pages.after_request
def strict_csp(response):  # type: ignore[no-untyped-def]
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def page(template: str, **context: object) -> str:
    return render_template(f"admin/{template}", csrf_token=csrf_token(), **context)


@admin_pages.get("/")
@admin_only
def dashboard():  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        rows = [campaigns.describe(c, at) for c in campaigns.listing(db)]
    return page("dashboard.html", campaigns=rows)


@admin_pages.get("/campaigns/new")
@admin_only
def campaign_new():  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        quests = [{"id": q.id, "title": q.title, "region": q.region} for q in catalog_of(db)]
    return page("campaign.html", campaign=None, quests=quests, calendar=[])


@admin_pages.get("/campaigns/<int:campaign_id>")
@admin_only
def campaign_edit(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        row = campaigns.get(db, campaign_id)
        quests = [{"id": q.id, "title": q.title, "region": q.region} for q in catalog_of(db)]
        return page("campaign.html", campaign=campaigns.describe(row, at), quests=quests,
                    calendar=campaigns.calendar_preview(row))


@admin_pages.get("/audit")
@admin_only
def audit_log():  # type: ignore[no-untyped-def]
    limit, offset = _number("limit", 50, 1, 200), _number("offset", 0, 0, 10**9)
    filters = {k: request.args.get(k, "")[:120] for k in ("actor", "action", "target", "since", "until")}
    since, until = query_instant(filters["since"], "since"), query_instant(filters["until"], "until")
    with admin_transaction() as db:
        rows, total = audit.search(db, actor=filters["actor"] or None, action=filters["action"] or None,
                                   target=filters["target"] or None, since=since, until=until,
                                   limit=limit, offset=offset)
        actions = audit.actions(db)
    return page("audit.html", entries=rows, total=total, filters=filters, actions=actions,
                limit=limit, offset=offset)


@admin_pages.get("/admins")
@admin_only
def admins():  # type: ignore[no-untyped-def]
    from legends.admin.api import seeded
    from legends.admin.roles import listing

    with admin_transaction() as db:
        return page("admins.html", admins=listing(db, seeded()))


@admin_pages.get("/rewards")
@admin_only
def rewards():  # type: ignore[no-untyped-def]
    from nft.operations import troubled

    limit = _number("limit", 50, 1, 200)
    failed_after, deferred_after = (request.args.get(k, "") for k in ("failed_after", "deferred_after"))
    with admin_transaction() as db:
        return page("rewards.html", **troubled(
            db, limit, int(failed_after) if failed_after.isdigit() else None,
            int(deferred_after) if deferred_after.isdigit() else None))


@admin_pages.get("/tools")
@admin_only
def tools():  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        rows = [campaigns.describe(c, at) for c in campaigns.listing(db)]
        quests = [{"id": q.id, "title": q.title} for q in catalog_of(db)]
    return page("tools.html", campaigns=rows, quests=quests)


def _number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    return min(max(int(raw), low), high) if raw.isdigit() else default

"""The admin room: the admin role, the one guard (``admin_only``), the audit log, the admin
pages under /admin and the JSON API under /api/admin."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Each module registers its routes on the blueprints when imported.
    from legends.admin import api, api_campaigns, api_ops, api_tools, pages  # noqa: F401
    from legends.admin.views import admin_api, admin_pages

    app.register_api(admin_api)  # type: ignore[attr-defined]  (in the generated document)
    app.register_blueprint(admin_pages)

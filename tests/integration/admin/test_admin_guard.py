"""Every admin route answers 401 to anonymous visitors, 403 to players and 200/201 to
admins, and every change it makes is in the audit log. The routes come from the URL map,
so a route added without ``@admin_only`` (or without a sample here) fails this test."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from admin_support import OTHER_KEY, account

from chain.port import Receipt
from legends.admin.guard import GUARDED

PLAN = {"name": "Season of Dunes", "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-15T00:00:00Z",
        "quests": ["gate.daily-checkin"], "budgets": {"shards": 100, "xp": 1000},
        "windows": [{"starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z", "board": "xp",
                     "prizes": [{"first": 1, "last": 10, "rewards": {"shards": {"gate": 1}}}]}],
        "announcements": [{"send_at": "2026-12-02T09:00:00Z", "text": "The dunes are singing."}]}
OTHER = account(OTHER_KEY).address
TX = "0x" + "ab" * 32

# (method, rule) -> (path, JSON body, status an admin gets, audit action or None), in the
# order an admin would use them (the campaign is created before it is published...).
SAMPLES = {
    ("GET", "/api/admin/me"): ("/api/admin/me", None, 200, None),
    ("POST", "/api/admin/admins"): ("/api/admin/admins", {"address": OTHER}, 201, "admin.grant"),
    ("GET", "/api/admin/admins"): ("/api/admin/admins", None, 200, None),
    ("DELETE", "/api/admin/admins/<address>"): (f"/api/admin/admins/{OTHER}", None, 200, "admin.revoke"),
    ("GET", "/api/admin/audit"): ("/api/admin/audit?action=admin.grant", None, 200, None),
    ("GET", "/api/admin/catalog"): ("/api/admin/catalog", None, 200, None),
    ("POST", "/api/admin/campaigns"): ("/api/admin/campaigns", PLAN, 201, "campaign.create"),
    ("GET", "/api/admin/campaigns"): ("/api/admin/campaigns", None, 200, None),
    ("GET", "/api/admin/campaigns/<int:campaign_id>"): ("/api/admin/campaigns/1", None, 200, None),
    ("PUT", "/api/admin/campaigns/<int:campaign_id>"): (
        "/api/admin/campaigns/1", {**PLAN, "name": "Season of Dunes I"}, 200, "campaign.edit"),
    ("PUT", "/api/admin/campaigns/<int:campaign_id>/quests"): (
        "/api/admin/campaigns/1/quests", {"quests": ["gate.daily-checkin", "gate.soulbound-riddle"]}, 200,
        "campaign.quests"),
    ("GET", "/api/admin/campaigns/<int:campaign_id>/calendar"): ("/api/admin/campaigns/1/calendar", None, 200,
                                                                None),
    ("POST", "/api/admin/campaigns/<int:campaign_id>/simulate"): (
        "/api/admin/campaigns/1/simulate", {"players": 100, "rate": 0.5}, 200, None),
    ("POST", "/api/admin/campaigns/<int:campaign_id>/clone"): ("/api/admin/campaigns/1/clone", None, 201,
                                                              "campaign.clone"),
    ("POST", "/api/admin/campaigns/<int:campaign_id>/publish"): ("/api/admin/campaigns/1/publish", None, 200,
                                                                "campaign.publish"),
    ("POST", "/api/admin/campaigns/<int:campaign_id>/pause"): ("/api/admin/campaigns/1/pause", None, 200,
                                                              "campaign.pause"),
    ("POST", "/api/admin/campaigns/<int:campaign_id>/end"): ("/api/admin/campaigns/1/end", None, 200,
                                                            "campaign.end"),
    ("GET", "/api/admin/rewards"): ("/api/admin/rewards", None, 200, None),
    ("POST", "/api/admin/rewards/retry"): ("/api/admin/rewards/retry", {"grant_keys": ["nope"]}, 200,
                                           "reward.retry"),
    ("POST", "/api/admin/rewards/cancel"): ("/api/admin/rewards/cancel", {"grant_keys": ["nope"]}, 200,
                                            "reward.cancel"),
    ("GET", "/api/admin/scheduler"): ("/api/admin/scheduler", None, 200, None),
    ("POST", "/api/admin/dry-run/quest"): ("/api/admin/dry-run/quest", {
        "quest_id": "gate.faucet", "tx_hash": TX, "player": None}, 200, None),
    ("GET", "/admin/"): ("/admin/", None, 200, None),
    ("GET", "/admin/campaigns/new"): ("/admin/campaigns/new", None, 200, None),
    ("GET", "/admin/campaigns/<int:campaign_id>"): ("/admin/campaigns/1", None, 200, None),
    ("GET", "/admin/audit"): ("/admin/audit", None, 200, None),
    ("GET", "/admin/admins"): ("/admin/admins", None, 200, None),
    ("GET", "/admin/rewards"): ("/admin/rewards", None, 200, None),
    ("GET", "/admin/tools"): ("/admin/tools", None, 200, None),
}


def admin_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin", "/api/admin")):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


def test_every_admin_route_is_guarded_and_has_a_sample(admin_app):
    routes = list(admin_rules(admin_app))
    assert len(routes) >= 20
    for method, rule in routes:
        assert getattr(admin_app.view_functions[rule.endpoint], GUARDED, False), f"{rule} lacks @admin_only"
        assert (method, rule.rule) in SAMPLES, f"{method} {rule.rule}: add a sample to this test"


def test_anonymous_visitors_get_401_and_players_403_everywhere(admin_app, anon, player):
    for method, rule in admin_rules(admin_app):
        path, body, _status, _action = SAMPLES[(method, rule.rule)]
        for client, expected in ((anon, 401), (player, 403)):
            response = client.open(path, method=method, json=body)
            assert response.status_code == expected, (method, path, response.status_code)
            if path.startswith("/api/"):
                assert response.get_json()["field"] == "session"


def test_an_admin_gets_200_or_201_everywhere_and_each_change_is_audited(admin_app, admin, clock,
                                                                        monkeypatch, player):
    me = player.get("/api/me").get_json()
    fake = SimpleNamespace(tx=SimpleNamespace(chain_id=31337, chain=SimpleNamespace(
        receipt=lambda h: Receipt(h, 1, 5, "0x" + "00" * 32, 21000))))
    monkeypatch.setattr("legends.admin.api_tools.get_chain", lambda: fake)
    actions = []
    for (method, _rule), (path, body, status, action) in SAMPLES.items():
        if body is not None and "player" in body:
            body = {**body, "player": me["address"]}
        response = admin.open(path, method=method, json=body)
        assert response.status_code == status, (method, path, response.get_data(as_text=True)[:300])
        if action:
            actions.append(action)
    log = admin.get("/api/admin/audit?limit=200").get_json()
    assert [e["action"] for e in reversed(log["entries"])] == actions
    edit = next(e for e in log["entries"] if e["action"] == "campaign.edit")
    assert edit["before"]["name"] == "Season of Dunes" and edit["after"]["name"] == "Season of Dunes I"
    assert all(e["actor"] == admin.get("/api/admin/me").get_json()["address"] for e in log["entries"])
    only_edits = admin.get("/api/admin/audit?action=campaign.edit").get_json()
    assert only_edits["total"] == 1
    assert admin.get("/api/admin/audit?target=admin:").get_json()["total"] == 2
    page = admin.get("/admin/audit?action=campaign.publish")
    assert b"campaign.publish" in page.data and b"campaign:1" in page.data


@pytest.mark.parametrize("headers, field", [
    ({"X-CSRF-Token": "wrong"}, "csrf_token"),
    ({"Origin": "https://evil.example"}, "origin"),
])
def test_changes_need_the_csrf_token_and_the_apps_origin(admin, headers, field):
    response = admin.post("/api/admin/campaigns", json=PLAN, headers=headers)
    assert response.status_code == 403 and response.get_json()["field"] == field


def test_a_change_without_any_csrf_token_is_refused(admin_app, admin):
    admin.environ_base.pop("HTTP_X_CSRF_TOKEN")
    response = admin.post("/api/admin/admins", json={"address": OTHER})
    assert response.status_code == 403 and response.get_json()["field"] == "csrf_token"
    assert admin.get("/api/admin/audit").get_json()["total"] == 0


def test_the_sign_in_page_answers_anonymous_admin_pages_with_401(anon):
    page = anon.get("/admin/")
    assert page.status_code == 401 and b"Sign in with an admin wallet" in page.data
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert b"<script>" not in page.data


def test_a_revoked_admin_is_a_player_again_and_a_granted_one_is_an_admin(admin_app, admin, player):
    address = player.get("/api/me").get_json()["address"]
    assert player.get("/api/admin/me").status_code == 403
    assert admin.post("/api/admin/admins", json={"address": address}).status_code == 201
    assert player.get("/api/admin/me").status_code == 200
    assert player.get("/api/me").get_json()["admin"] is True
    assert admin.delete(f"/api/admin/admins/{address}").status_code == 200
    assert player.get("/api/admin/me").status_code == 403


def test_a_seeded_admin_revoked_stays_revoked_and_nobody_revokes_themselves(admin_app, admin):
    me = admin.get("/api/admin/me").get_json()["address"]
    response = admin.delete(f"/api/admin/admins/{me}")
    assert response.status_code == 409 and response.get_json()["field"] == "address"
    bad = admin.post("/api/admin/admins", json={"address": "0x123"})
    assert bad.status_code == 400 and bad.get_json()["field"] == "address"

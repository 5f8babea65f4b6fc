"""/healthz reports database, chain (with the deployed suite) and queue."""

from __future__ import annotations


def test_healthz_without_a_chain_is_degraded_but_answers(make_app):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True and body["database"]["revision"]
    assert body["chain"]["ok"] is False and "unreachable" in body["chain"]["error"]
    assert body["queue"]["ok"] is True and body["queue"]["backend"] == "in-process"
    assert body["queue"]["rewards"] == {"pending": 0, "sending": 0, "failed": 0}
    assert body["queue"]["indexer_lag"] is None


def test_healthz_shows_the_deployed_suite(make_app, devnet, deployed):
    from chain.store import SqlManifestStore

    manifest, _ = deployed
    app = make_app(CHAIN_RPC_URL=devnet.config.url)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(manifest)
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "ok", body
    assert body["chain"]["chain_id"] == 31337 and body["chain"]["block"] >= 1
    assert body["chain"]["suite"]["version"] == manifest.version
    assert set(body["chain"]["suite"]["contracts"]) == set(manifest.addresses)


def test_healthz_reports_redis_when_configured(make_app, redis_url):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1", REDIS_URL=redis_url)
    queue = app.test_client().get("/healthz").get_json()["queue"]
    assert queue["ok"] is True and queue["backend"] == "redis"


def test_healthz_names_the_database_it_runs_on(make_app, database):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    body = app.test_client().get("/healthz").get_json()
    assert body["database"]["ok"] is True
    assert body["database"]["backend"] == ("postgresql" if database else "sqlite")


def test_the_home_page_renders(make_app):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    page = app.test_client().get("/")
    assert page.status_code == 200 and b"Sahara Legends" in page.data


def test_the_home_page_draws_the_desert(make_app):
    from legends.wiring.catalog import load_quests

    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    load_quests(app.extensions["legends.db"].sessions)
    page = app.test_client().get("/").get_data(as_text=True)
    for name in ("The Gate", "The Data Oasis", "The Agent Forge", "The Bazaar", "The Citadel"):
        assert name in page
    assert "/art/101.svg" in page and "Sealed" in page

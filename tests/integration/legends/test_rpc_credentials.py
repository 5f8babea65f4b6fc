"""A CHAIN_RPC_URL with credentials never shows: not on pages, in error bodies, in what the
browser is given, nor in logs."""

from __future__ import annotations

import logging

import pytest

KEY = "0123456789abcdef0123456789abcdef"
SECRETS = ("hunter2", "SECRETKEY", KEY)


def with_credentials(base: str) -> str:
    host = base.removeprefix("http://")
    return f"http://player:hunter2@{host}/v3/{KEY}?apikey=SECRETKEY"


def shown(response) -> str:
    return response.get_data(as_text=True) + "\n" + str(response.headers)


@pytest.mark.parametrize("network", ["devnet", "external"])
@pytest.mark.parametrize("path", ["/", "/healthz", "/api/world/npcs", "/api/chain", "/api/auth/nonce",
                                  "/quests", "/api/quests"])
def test_an_unreachable_node_with_credentials_is_named_without_them(make_app, caplog, network, path):
    app = make_app(CHAIN_RPC_URL=with_credentials("http://127.0.0.1:1"), CHAIN_NETWORK=network)
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().get(path)
    assert response.status_code < 500 or response.status_code == 503, shown(response)
    for secret in SECRETS:
        assert secret not in shown(response), (path, shown(response))
        assert secret not in caplog.text, path
    if response.status_code == 503 and path.startswith("/api/") and network == "devnet":
        assert "127.0.0.1:1" in response.get_json()["error"]  # the node is still named


def test_the_browser_gets_a_usable_devnet_url_and_never_the_credentials(make_app, devnet, deployed, caplog):
    from chain.store import SqlManifestStore

    app = make_app(CHAIN_RPC_URL=devnet.config.url)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(deployed[0])
    assert app.test_client().get("/api/chain").get_json()["rpc_url"] == devnet.config.url

    # anvil ignores the user, the query and... not the path: credentials in authority and query.
    secret_url = devnet.config.url.replace("http://", "http://player:hunter2@") + "/?apikey=SECRETKEY"
    app = make_app(CHAIN_RPC_URL=secret_url)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(deployed[0])
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        health, chain, home = client.get("/healthz"), client.get("/api/chain"), client.get("/")
    assert health.get_json()["chain"]["ok"] is True and chain.status_code == 200
    assert chain.get_json()["rpc_url"] == devnet.config.url.replace("http://", "http://***@") + "/?apikey=***"
    for response in (health, chain, home):
        assert "hunter2" not in shown(response) and "SECRETKEY" not in shown(response)
    assert "hunter2" not in caplog.text and "SECRETKEY" not in caplog.text


def test_an_explicit_browser_url_is_given_as_it_is(make_app):
    app = make_app(CHAIN_RPC_URL=with_credentials("http://127.0.0.1:1"),
                   BROWSER_RPC_URL="https://public-rpc.example/")
    page = app.test_client().get("/")
    assert "https://public-rpc.example" in page.headers["Content-Security-Policy"]
    assert "hunter2" not in shown(page)

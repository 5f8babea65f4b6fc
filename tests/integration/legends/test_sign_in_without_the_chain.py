"""Sign-in does not wait on the chain: with the node unreachable a nonce is still issued and
a wallet (EOA) still signs in, as long as the chain id is known (CHAIN_ID, or the deployment
manifest); without either the answer is a 503 that says why, never a 500."""

from __future__ import annotations

import pytest
from test_sign_in import signed

DOWN = "http://127.0.0.1:1"


def test_a_nonce_and_an_eoa_sign_in_with_chain_id_set_and_the_node_down(make_app):
    app = make_app(CHAIN_NETWORK="external", CHAIN_RPC_URL=DOWN, CHAIN_ID=11155111)
    client = app.test_client()
    nonce = client.get("/api/auth/nonce")
    assert nonce.status_code == 200 and nonce.get_json()["chain_id"] == 11155111
    body, account = signed(client)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 201, response.get_json()
    assert client.get("/api/me").get_json()["address"] == account.address


def test_the_chain_id_comes_from_the_manifest_when_chain_id_is_unset(make_app):
    from chain.deploy import Manifest, ManifestEntry
    from chain.store import SqlManifestStore

    app = make_app(CHAIN_NETWORK="external", CHAIN_RPC_URL=DOWN)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(
        Manifest(4242, {"SaharaToken": ManifestEntry("SaharaToken", "0x" + "11" * 20, "0x" + "22" * 32, 1)}))
    client = app.test_client()
    assert client.get("/api/auth/nonce").get_json()["chain_id"] == 4242
    body, _ = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201


@pytest.mark.parametrize("path", ["/api/auth/nonce"])
def test_without_a_known_chain_id_and_the_node_down_the_answer_is_503_with_a_reason(make_app, path):
    app = make_app(CHAIN_NETWORK="external", CHAIN_RPC_URL=DOWN)
    response = app.test_client().get(path)
    assert response.status_code == 503
    body = response.get_json()
    assert "unreachable" in body["error"] and "CHAIN_ID" in body["error"]


def test_sign_in_on_the_devnet_network_never_asks_the_node(make_app):
    app = make_app(CHAIN_RPC_URL=DOWN)  # the devnet's chain id is DEVNET_CHAIN_ID
    client = app.test_client()
    body, _ = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201

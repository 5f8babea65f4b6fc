"""``GET /api/chain``: what the browser needs to send its own transactions, from the manifest
and the artifacts (never pasted by hand); ``/tx/<hash>`` decodes a game transaction."""

from __future__ import annotations

from chain import artifacts


def test_the_browser_gets_the_chain_id_rpc_url_addresses_and_abis(vapp, deployed, devnet):
    body = vapp.test_client().get("/api/chain").get_json()
    manifest = deployed[0]
    assert body["chain_id"] == 31337 and body["chain_id_hex"] == "0x7a69"
    assert body["rpc_url"] == devnet.config.url
    assert set(body["contracts"]) == set(artifacts.SUITE)
    for name, found in body["contracts"].items():
        assert found["address"] == manifest.addresses[name]
        assert found["abi"] == artifacts.load(name).raw_abi


def test_the_transaction_page_decodes_the_game_events(vapp, funded, suite):
    receipt = suite.token.transact(funded[0], "claim")
    page = vapp.test_client().get(f"/tx/{receipt.tx_hash}").get_data(as_text=True)
    assert "Confirmed" in page and "SaharaToken.FaucetClaimed" in page and funded[0] in page

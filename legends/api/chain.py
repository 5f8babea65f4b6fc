"""``GET /api/chain``: what the browser needs to send transactions itself — the chain id,
the RPC URL for the browser, and the address and ABI of each contract of the suite (read
from the deployment manifest and the compiled artifacts, never pasted by hand)."""

from __future__ import annotations

from functools import cache
from typing import Any

from chain import artifacts
from chain.store import SqlManifestStore
from legends.api import api
from legends.api.chain_models import ChainForBrowser
from legends.api.contract import operation, reply
from legends.api.errors import Unavailable
from legends.auth.session import deployment_chain_id
from legends.db import get_db
from legends.pages.site import browser_rpc_url
from legends.wiring.chainlink import get_chain


@cache
def _abis() -> dict[str, list[dict[str, Any]]]:
    return {name: art.raw_abi for name, art in artifacts.load_suite().items()}


@operation(api.get, "/chain", ok={200: ChainForBrowser}, errors=(503,), tag="world")
def chain_info():  # type: ignore[no-untyped-def]
    """The chain for the browser

    Chain id, the RPC URL players' wallets call, and the address and ABI of every contract of
    the deployed suite.
    """
    link = get_chain()
    manifest = link.manifest(SqlManifestStore(get_db().sessions))
    if not manifest.complete:
        raise Unavailable("the contract suite is not deployed on this chain yet; run `legends deploy`",
                          field="chain")
    abis = _abis()
    chain_id = deployment_chain_id()
    return reply(ChainForBrowser, {
        "chain_id": chain_id, "chain_id_hex": hex(chain_id), "network": link.network,
        "chain_name": "Sahara Legends devnet" if link.network == "devnet" else f"chain {chain_id}",
        "rpc_url": browser_rpc_url(), "currency": {"name": "Ether", "symbol": "ETH", "decimals": 18},
        "tx_page": "/tx/", "suite_version": manifest.version,
        "contracts": {name: {"address": address, "abi": abis[name]}
                      for name, address in manifest.addresses.items() if name in abis},
    })

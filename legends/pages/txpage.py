"""``/tx/<hash>``: a transaction of the game as a player reads it — status, block, and the
game events it emitted, decoded with the suite's ABIs (from the receipt alone)."""

from __future__ import annotations

import re
from typing import Any

from flask import abort

from chain import artifacts
from chain.errors import ChainError
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.pages.site import bp, page
from legends.wiring.chainlink import get_chain

TX_HASH = re.compile(r"0x[0-9a-fA-F]{64}")


def _named(addresses: dict[str, str]) -> dict[str, str]:
    return {address.lower(): name for name, address in addresses.items()}


def _plain(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def describe(tx_hash: str) -> dict[str, Any]:
    link = get_chain()
    try:
        receipt = link.rpc.receipt(tx_hash)
        addresses = link.manifest(SqlManifestStore(get_db().sessions)).addresses
    except ChainError as exc:
        return {"hash": tx_hash, "error": f"the chain cannot be read right now: {exc}"}
    if receipt is None:
        return {"hash": tx_hash, "error": "no such transaction on this chain (yet)"}
    names = _named(addresses)
    events = []
    for log in receipt.logs:
        name = names.get(log.address.lower())
        decoded = artifacts.load(name).abi.decode_log(log) if name else None
        if decoded is not None:
            events.append({"contract": name, "event": decoded[0],
                           "args": {k: _plain(v) for k, v in decoded[1].items()}})
    touched = sorted({e["contract"] for e in events})
    return {"hash": tx_hash, "ok": receipt.ok, "block": receipt.block_number,
            "contracts": touched, "gas_used": receipt.gas_used, "events": events}


@bp.get("/tx/<tx_hash>")
def tx_page(tx_hash: str) -> str:
    if not TX_HASH.fullmatch(tx_hash):
        abort(404)
    return page("tx.html", "tx", "Transaction", tx=describe(tx_hash.lower()))

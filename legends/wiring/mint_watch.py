"""Watching the shards contract for mints the ledger did not make (:mod:`nft.mint_audit`).

A follower of its own (cursor ``mint-audit:<address>`` in ``chain_cursor``) reads only the
LegendShards logs, block range by block range at the indexer's confirmation depth, and rewinds
on a reorg like the quest indexer; each mint from address zero is judged against the ledger's
batches in the same transaction that moves the cursor. The caretaker runs it every tick.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from chain import artifacts
from chain.indexer import IndexedEvent, Indexer
from chain.npcs import ZERO
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from nft.mint_audit import Mint, MintTx, judge
from nft.mint_audit_store import forget_from, ledger_batches, record

log = logging.getLogger(__name__)
MAX_POLLS = 20  # ranges read per check: a long catch-up goes on at the next tick


class MintWatch:
    def __init__(self, indexer: Indexer, sessions: sessionmaker[Session]) -> None:
        self.indexer, self.sessions = indexer, sessions

    def check(self) -> list[Mint]:
        """Read what is new; returns the unledgered mints found (and logs a warning)."""
        found: list[Mint] = []
        for _ in range(MAX_POLLS):
            batch = self.indexer.poll()
            if batch.empty:
                break
            txs = transactions(batch.events)
            with self.sessions.begin() as session:
                if batch.rewind_to is not None:
                    forget_from(session, self.indexer.chain_id, batch.rewind_to)
                ledger = ledger_batches(session, [b for tx in txs for b in tx.batch_ids])
                strays = [mint for tx in txs for mint in judge(tx, ledger)]
                record(session, self.indexer.chain_id, strays, datetime.now(UTC))
                self.indexer.commit(session, batch)
            found += strays
        if found:
            log.warning("%d shard mint(s) on chain %s that the ledger did not make: %s",
                        len(found), self.indexer.chain_id, "; ".join(told(m) for m in found[:5]))
        return found


def told(mint: Mint) -> str:
    return (f"{mint.amount} x token {mint.token_id} to {mint.player} in tx {mint.tx_hash} "
            f"(block {mint.block}, sent by {mint.operator})")


def transactions(events: Sequence[IndexedEvent]) -> list[MintTx]:
    """The shards contract's events grouped by transaction, mints from address zero only."""
    by_tx: dict[str, dict[str, list]] = {}
    for event in events:
        seen = by_tx.setdefault(event.tx_hash, {"mints": [], "batches": [], "crafted": []})
        args = event.args
        if event.event in ("TransferSingle", "TransferBatch") and args["from"] == ZERO:
            ids, values = ((args["ids"], args["values"]) if event.event == "TransferBatch"
                           else ([args["id"]], [args["value"]]))
            seen["mints"] += [Mint(event.tx_hash, event.block_number, event.log_index,
                                   args["to"], int(i), int(v), args["operator"])
                              for i, v in zip(ids, values)]
        elif event.event == "RewardBatchMinted":
            seen["batches"].append(str(args["batchId"]).lower())
        elif event.event == "GuardianCrafted":
            seen["crafted"].append((args["player"], int(args["guardianId"])))
    return [MintTx(tx, tuple(s["mints"]), tuple(s["batches"]), tuple(s["crafted"]))
            for tx, s in by_tx.items() if s["mints"]]


def build_mint_watch(app: Flask) -> MintWatch:
    """The watch on the app's deployed shards contract (raises ChainError while missing)."""
    with app.app_context():
        link, sessions = get_chain(), get_db().sessions
        manifest = SqlManifestStore(sessions).load(link.tx.chain_id).require_complete()
        shards = manifest.entries["LegendShards"]
        indexer = Indexer(link.rpc, sessions, chain_id=manifest.chain_id,
                          contracts={"LegendShards": shards.address},
                          abis={"LegendShards": artifacts.load("LegendShards").abi},
                          start_block=shards.block, name=f"mint-audit:{shards.address.lower()}",
                          confirmations=int(app.config["INDEXER_CONFIRMATIONS"]))
        return MintWatch(indexer, sessions)

"""Admin dry runs: would a transaction count for a player's quest (the engine's explanation,
nothing written). The campaign simulation lives with the campaigns' API."""

from __future__ import annotations

import re

from flask import jsonify

from chain.indexer import Indexer
from chain.store import SqlManifestStore
from legends.admin.guard import admin_only
from legends.admin.views import admin_api, admin_transaction
from legends.api.errors import ApiError, NotFound, json_body, string_field
from legends.api.play import chain_call
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from legends.wiring.game import now
from legends.workers.verification import chain_event
from quests.campaign_service import player_by_address
from quests.catalog_store import catalog_of
from quests.dry_run import dry_run
from quests.journey import Journey
from quests.service import quest_or_404

TX_HASH = re.compile(r"^0x[0-9a-fA-F]{64}$")
ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@admin_api.post("/dry-run/quest")
@admin_only
def dry_run_quest():  # type: ignore[no-untyped-def]
    data = json_body("quest_id", "tx_hash", "player")
    quest_id = string_field(data, "quest_id", max_length=64)
    tx_hash = string_field(data, "tx_hash", max_length=66) or ""
    address = string_field(data, "player", max_length=42) or ""
    if not TX_HASH.match(tx_hash):
        raise ApiError("tx_hash must be 0x and 64 hex digits", field="tx_hash")
    if not ADDRESS.match(address):
        raise ApiError("player must be a wallet address", field="player")
    with chain_call("read the transaction"):
        link = get_chain()
        receipt = link.tx.chain.receipt(tx_hash)
        if receipt is None:
            raise NotFound(f"no transaction {tx_hash} on this chain", field="tx_hash")
        events = []
        if receipt.logs:
            manifest = SqlManifestStore(get_db().sessions).load(link.tx.chain_id)
            indexer = Indexer.for_manifest(link.tx.chain, get_db().sessions, manifest)
            events = [chain_event(e) for e in indexer.decode_logs(receipt.logs)]
    at = now()
    with admin_transaction() as db:
        catalog = catalog_of(db)
        quest = quest_or_404(catalog, quest_id or "")
        player = player_by_address(db, address)
        if player is None:
            raise NotFound(f"{address} has never signed in", field="player")
        journey = Journey(db, catalog, player, at)
        row, progress = journey.current(quest)
        result = dry_run(quest, progress, journey.standing(quest), row.accepted_block if row else None,
                         events, journey.wallet, at, lambda t: journey.calendar.counts(quest.id, t))
    return jsonify({"quest_id": quest.id, "tx_hash": tx_hash, "player": player.address,
                    "status": receipt.status, "counts": result.counts, "completes": result.completes,
                    "why": result.why, "report": result.report})

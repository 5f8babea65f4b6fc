"""Admin dry runs: would a transaction count for a player's quest (the engine's explanation,
nothing written). The campaign simulation lives with the campaigns' API."""

from __future__ import annotations

from chain.indexer import Indexer
from chain.store import SqlManifestStore
from legends.admin.guard import admin_only
from legends.admin.models import DryRunBody, DryRunResult
from legends.admin.views import admin_api, admin_operation, admin_transaction
from legends.api.contract import reply
from legends.api.errors import NotFound, chain_call
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from legends.wiring.game import now
from legends.workers.verification import chain_event
from quests.campaign_service import player_by_address
from quests.catalog_store import catalog_of
from quests.dry_run import dry_run
from quests.journey import Journey
from quests.service import quest_or_404


@admin_operation(admin_api.post, "/dry-run/quest", {200: DryRunResult}, 400, 404, 503)
@admin_only
def dry_run_quest(body: DryRunBody):  # type: ignore[no-untyped-def]
    """Dry run: would this transaction count for this player's quest, and why"""
    quest_id, tx_hash, address = body.quest_id, body.tx_hash, body.player
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
        _, progress = journey.current(quest)
        result = dry_run(quest, progress, journey.standing(quest), journey.opening_block(quest),
                         events, journey.wallet, at, lambda t: journey.calendar.counts(quest.id, t))
    return reply(DryRunResult, {"quest_id": quest.id, "tx_hash": tx_hash, "player": player.address,
                    "status": receipt.status, "counts": result.counts, "completes": result.completes,
                    "why": result.why, "report": result.report})

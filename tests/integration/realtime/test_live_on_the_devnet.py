"""End to end on the devnet: the player's own transaction, then ``quest.completed`` at the
player's client (the indexer saw it), then ``reward.minted`` (the woken reward worker minted
the quest's shards), over a real websocket to the served app."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

import pytest
from live_support import Listener, Served, session_cookie
from netutil import free_port

from quests import service
from quests.orm import Player

pytestmark = pytest.mark.devnet


@pytest.fixture
def devnet_app(make_app, devnet, deployed, suite):
    from chain import artifacts
    from chain.store import SqlManifestStore
    from quests.loader import load_catalog

    port = free_port()
    app = make_app(CHAIN_RPC_URL=devnet.config.url, PUBLIC_URL=f"http://localhost:{port}")
    sessions = app.extensions["legends.db"].sessions
    SqlManifestStore(sessions).save(deployed[0])
    with sessions.begin() as session:
        service.load_catalog_into(session, load_catalog(None, artifacts.known_events()))
    return app, port


def test_the_players_own_claim_reaches_their_client_then_its_minted_shards(devnet_app, players, suite):
    from legends.workers.rewards import start_reward_worker
    from legends.workers.verification import start_thread

    app, port = devnet_app
    address = players[0]
    now = datetime.now(UTC)
    with app.extensions["legends.db"].sessions.begin() as db:
        player = Player(address=address, referral_code=secrets.token_hex(4), xp=0, created_at=now,
                        last_seen_at=now)
        db.add(player)
        db.flush()
        service.accept(db, player, "gate.faucet", now, suite.token.tx.chain.block_number(),
                       sink=app.extensions["legends.completion_sink"])
    server = Served(app, port)
    stoppers = [start_thread(app), start_reward_worker(app)]
    listener = Listener(server.url, headers={"Cookie": session_cookie(app, address)})
    try:
        listener.wait_for("ready")
        receipt = suite.token.transact(address, "claim")  # the player's own transaction
        sent = time.perf_counter()
        completed = listener.wait_for("quest.completed", timeout=15)[0]
        assert completed["payload"]["quest_id"] == "gate.faucet"
        assert completed["payload"]["tx_hash"].lower() == receipt.tx_hash.lower()
        minted = listener.wait_for("reward.minted", timeout=15)[0]
        assert minted["offset"] > completed["offset"]
        assert minted["payload"]["tx_hash"] and {
            (g["quest_id"], g["kind"]) for g in minted["payload"]["grants"]} == {("gate.faucet", "shards")}
        assert time.perf_counter() - sent < 10
    finally:
        listener.close()
        for stop in reversed(stoppers):
            stop()
        server.stop()

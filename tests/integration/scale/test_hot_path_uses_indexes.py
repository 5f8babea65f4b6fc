"""Every statement of the hot path is answered by an index on PostgreSQL: sign-in, a
completion from a chain log (XP, leaderboard, grants, the referrer's credit), a wallet's
logs from before its first sign-in, a riddle answer, a check-in, a verification batch (one
block, several players, the live sink's events and ranks), the indexer's upkeep, the reward
worker's planning and the pages a player reads. The statements are recorded while
the real code runs, so a statement added later is checked without touching this test."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from plan_guard import capture, nodes, offenders, plan_of
from quest_game import Game
from sqlalchemy import select

from legends.auth.siwe import SiweMessage
from legends.realtime.sink import LiveSink
from legends.wiring.catalog import load_quests
from legends.wiring.completions import RewardedSweep
from nft import outbox_batches as outbox
from nft.worker import RewardWorker
from quests import service
from quests.orm import Player
from quests.service import awaiting_reward

pytestmark = pytest.mark.postgres


class MintingMinter:
    """Every batch is mined at once (the guard looks at SQL, not at the chain)."""

    sender = "0x" + "4" * 40

    def __init__(self) -> None:
        self.nonce = 0
        self.minted: set[bytes] = set()

    def sign_batch(self, target, to, ids, amounts, batch_id, nonce=None, replacing=None):  # type: ignore[no-untyped-def]
        self.nonce += 1
        return SimpleNamespace(tx_hash=f"0x{self.nonce:064x}", nonce=self.nonce, sender=self.sender,
                               batch_id=batch_id)

    def broadcast(self, signed):  # type: ignore[no-untyped-def]
        self.minted.add(signed.batch_id)
        return signed.tx_hash

    def is_underpriced(self, error):  # type: ignore[no-untyped-def]
        return False

    def head(self) -> int:
        return self.nonce

    def receipt(self, tx_hash):  # type: ignore[no-untyped-def]
        return SimpleNamespace(status="ok", block=int(tx_hash, 16))

    def wait(self, tx_hash, timeout):  # type: ignore[no-untyped-def]
        return self.receipt(tx_hash)

    def batch_minted(self, target, batch_id, block="latest"):  # type: ignore[no-untyped-def]
        return batch_id in self.minted

    def resync(self) -> None:
        pass


def sign_in(client, referral_code: str | None = None, account=None):  # type: ignore[no-untyped-def]
    account = account or Account.create()
    info = client.get("/api/auth/nonce").get_json()
    text = SiweMessage(
        domain=info["domain"], address=account.address, statement=info["statement"],
        uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
        issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
    signature = "0x" + account.sign_message(encode_defunct(text=text)).signature.hex().removeprefix("0x")
    body = {"message": text, "signature": signature}
    if referral_code:
        body["referral_code"] = referral_code
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


@pytest.fixture
def game(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return Game(app)


def player_of(game, address: str) -> Player:
    with game.sessions() as session:
        return session.scalar(select(Player).where(Player.address == address))


def test_no_statement_of_the_hot_path_scans_a_large_table(game):
    engine = game.app.extensions["legends.db"].engine
    host_client, guest_client = game.app.test_client(), game.app.test_client()
    with capture(engine) as seen:
        seen.label = "sign-in"
        host_info = sign_in(host_client)
        guest_info = sign_in(guest_client, referral_code=host_info["referral_code"])
        sign_in(host_client)  # a returning player
        host, guest = player_of(game, host_info["address"]), player_of(game, guest_info["address"])

        seen.label = "completion"
        game.finish(host, "gate.sahara-id")
        for quest_id in ("gate.faucet", "gate.sahara-id"):
            game.accept(guest, quest_id)
        game.feed(game.log("SaharaToken", "FaucetClaimed", account=guest.address, amount=1,
                           nextClaimAt=0))
        done = game.feed(game.log("SaharaID", "IdentityMinted", owner=guest.address, tokenId=7,
                                  profileURI=""))
        assert [c.quest_id for c in done] == ["gate.sahara-id", "gate.caravan-friend"]

        seen.label = "wayside"  # a wallet acts before its first sign-in, then signs in
        early = Account.create()
        game.feed(game.log("SaharaToken", "FaucetClaimed", account=early.address, amount=1,
                           nextClaimAt=0))
        sign_in(game.app.test_client(), account=early)
        assert game.status(player_of(game, early.address), "gate.faucet") == "completed"
        game.retract(10_000)  # a reorg forgets orphaned blocks, on the wayside too

        seen.label = "answer"
        answered = guest_client.post("/api/quests/gate.soulbound-riddle/answer",
                                     json={"answer": "it reverts"})
        assert answered.get_json()["correct"] is True

        seen.label = "check-in"
        assert guest_client.post("/api/checkin").status_code == 201

        seen.label = "upkeep"
        with game.sessions.begin() as session:
            RewardedSweep(limit=2)(session, game.now)

        seen.label = "reward planning"
        minter = MintingMinter()
        cycle = RewardWorker(game.sessions, minter, receipt_timeout=0.01).run_once()
        assert cycle.planned >= 1 and cycle.errors == []

        seen.label = "reorg re-check"  # a deep reorg undid the mints: reopened, minted again
        minter.minted.clear()
        cycle = RewardWorker(game.sessions, minter, receipt_timeout=0.01, recheck_every=0).run_once()
        assert cycle.reopened >= 1 and cycle.confirmed == cycle.reopened and cycle.errors == []
        with game.sessions.begin() as session:
            RewardedSweep()(session, game.now)

        seen.label = "verification batch"  # one block, several players, the live sink
        travellers = [game.player() for _ in range(3)]
        for traveller in travellers:
            game.accept(traveller, "gate.faucet")
        block = [game.log("SaharaToken", "FaucetClaimed", block=200, log_index=i,
                          account=t.address, amount=1, nextClaimAt=0) for i, t in enumerate(travellers)]
        sink = LiveSink()
        with game.sessions.begin() as session, sink.batch(session):  # as the indexer loop runs it
            done = service.apply_chain_events(session, block, game.now, sink=sink)
        assert [c.quest_id for c in done] == ["gate.faucet"] * 3

        seen.label = "pages"
        for path in ("/api/me", "/api/world", "/api/quests", "/api/quests/gate.faucet",
                     "/api/leaderboard", "/api/leaderboard?period=week", "/api/referrals"):
            assert host_client.get(path).status_code == 200, path

    assert len(seen.statements) > 50 and set(seen.labels) >= {"sign-in", "completion", "wayside", "upkeep",
                                                              "reorg re-check", "verification batch"}
    batch = [st for st, label in zip(seen.statements, seen.labels) if label == "verification batch"]
    assert any("INSERT INTO realtime_event" in st for st, _ in batch)  # the live sink's writes
    assert any("FROM leaderboard_score" in st and "count(*)" in st for st, _ in batch)  # ranks
    # The set-based batch's own statements are among those explained: its players' records
    # locked together, their completions, their XP, the streams' counters.
    flat = [" ".join(st.split()) for st, _ in batch]
    assert any("FROM quest_progress" in st and "player_id IN" in st and "FOR UPDATE" in st for st in flat)
    assert any("FROM quest_completion" in st and "player_id IN" in st and "GROUP BY" in st for st in flat)
    assert any(st.startswith("UPDATE player SET xp") and "lower(player.address) IN" in st for st in flat)
    assert any(st.startswith("UPDATE realtime_stream") and "CASE" in st for st in flat)
    assert offenders(engine, seen) == []


def test_the_guard_sees_a_sequential_scan(game):
    """The guard itself: an unindexed filter on the player table is reported."""
    engine = game.app.extensions["legends.db"].engine
    with capture(engine) as seen, game.sessions() as session:
        seen.label = "probe"
        session.scalar(select(Player.id).where(Player.xp == 12345))
    (line,) = offenders(engine, seen)
    assert "seq scan of player" in line


def test_planning_and_upkeep_read_their_rows_in_index_order(game):
    """No sort of the backlog: the rows come off an index in id order, ``limit`` of them."""
    engine = game.app.extensions["legends.db"].engine
    with capture(engine) as seen, game.sessions() as session:
        outbox.unplanned_grants(session, 2000)
        outbox.recent_confirmed(session, 100, 200, 50, after=(120, 7))
        awaiting_reward(session, after=10, limit=500)
    for statement, parameters in seen.statements:
        kinds = [n["Node Type"] for n in nodes(plan_of(engine, statement, parameters))]
        assert "Sort" not in kinds and kinds[0] == "Limit", (statement, kinds)


def test_the_upkeep_sweeps_on_past_records_still_waiting_for_their_mint(game):
    """Records whose shards are not minted yet do not hold the sweep at the oldest ones."""
    players = [game.player() for _ in range(3)]
    for p in players:
        game.accept(p, "gate.faucet")
        game.feed(game.log("SaharaToken", "FaucetClaimed", account=p.address, amount=1, nextClaimAt=0))
    sweep = RewardedSweep(limit=2)
    with game.sessions.begin() as session:
        first = [r[0] for r in awaiting_reward(session, after=sweep.cursor, limit=2)]
        sweep(session, game.now)
        assert sweep.cursor == first[-1]
        rest = [r[0] for r in awaiting_reward(session, after=sweep.cursor, limit=2)]
        assert rest and min(rest) > max(first)
        while sweep.cursor:
            sweep(session, game.now)
        assert sweep.cursor == 0  # wrapped round to the oldest again

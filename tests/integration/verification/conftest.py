"""Fixtures for verification tests: a migrated SQLite app on the session devnet with the
deployed suite in its manifest and the catalog loaded, funded players who signed in, and
the verification loop driven step by step.

The ``suite`` fixture rolls the chain back after each test, so every test gets a fresh app
database: a cursor left ahead of the chain would only measure the rollback. Completions go to
the app's own sink (reward ledger, player events), read back with ``heard`` and
``grant_states``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

TOKEN = 10**18


@pytest.fixture
def sink(vapp):
    """The app's own completion sink: it records the reward grants and the player's events."""
    return vapp.extensions["legends.completion_sink"]


@pytest.fixture
def heard(sessions):
    """What players were told, in order, from the committed event log: a list of
    ("completed" | "withdrawn", player, quest id)."""
    from legends.realtime.events import QUEST_COMPLETED, QUEST_WITHDRAWN
    from legends.realtime.store import RealtimeEvent

    words = {QUEST_COMPLETED: "completed", QUEST_WITHDRAWN: "withdrawn"}

    def told() -> list[tuple[str, str, str]]:
        with sessions() as session:
            rows = session.scalars(select(RealtimeEvent).where(RealtimeEvent.type.in_(list(words)))
                                   .order_by(RealtimeEvent.id))
            return [(words[r.type], r.payload["player"], r.payload["quest_id"]) for r in rows]

    return told


@pytest.fixture
def grant_states(sessions):
    """The ledger's grant states for ``address`` and ``quest_id``, by kind."""
    from nft.store import RewardGrant

    def states(address: str, quest_id: str) -> dict[str, str]:
        with sessions() as session:
            rows = session.scalars(select(RewardGrant).where(
                RewardGrant.player == address.lower(), RewardGrant.source == quest_id))
            return {f"{r.kind}{'' if r.token_id is None else r.token_id}": r.state for r in rows}

    return states


@pytest.fixture
def vapp(make_app, devnet, deployed, suite):
    """The app on the session devnet, its manifest and catalog loaded."""
    from chain import artifacts
    from chain.store import SqlManifestStore
    from quests.loader import load_catalog
    from quests.service import load_catalog_into

    app = make_app(CHAIN_RPC_URL=devnet.config.url)
    sessions = app.extensions["legends.db"].sessions
    SqlManifestStore(sessions).save(deployed[0])
    with sessions.begin() as session:
        load_catalog_into(session, load_catalog(None, artifacts.known_events()))
    return app


@pytest.fixture
def sessions(vapp):
    return vapp.extensions["legends.db"].sessions


@pytest.fixture
def funded(players, chain_tx, suite):
    """The conftest's players with ETH for gas (the devnet funds dev indices 0..9 only)."""
    for player in players:
        chain_tx.chain.request("anvil_setBalance", [player, hex(100 * TOKEN)])
    return players


@pytest.fixture
def sign_in(sessions):
    """Create the Player row a first sign-in would create; returns its id."""
    from quests.orm import Player

    def create(address: str) -> int:
        now = datetime.now(UTC)
        with sessions.begin() as session:
            player = Player(address=address, referral_code=secrets.token_hex(4), xp=0,
                            created_at=now, last_seen_at=now)
            session.add(player)
            session.flush()
            return player.id

    return create


@pytest.fixture
def finished(sessions):
    """Record quests as already completed (say, to open a region) without playing them."""
    from quests.orm import Player
    from quests.store import QuestCompletion

    def record(address: str, *quest_ids: str) -> None:
        now = datetime.now(UTC)
        with sessions.begin() as session:
            player_id = session.scalar(select(Player.id).where(Player.address == address))
            session.add_all(QuestCompletion(player_id=player_id, quest_id=q, period="once", completed_at=now,
                                            rule_version=1, evidence=[]) for q in quest_ids)

    return record


@pytest.fixture
def unlock(finished):
    """Open ``region`` for a player: the quests that unlock it and the regions before it."""
    from quests.world import REGIONS

    def open_region(address: str, region: str) -> None:
        keys = [r.key for r in REGIONS]
        needed = set().union(*(r.unlock_after for r in REGIONS[:keys.index(region) + 1]))
        finished(address, *sorted(needed))

    return open_region


@pytest.fixture
def accept(sessions, chain_tx, sink):
    """Accept a quest for a signed-in player at the current chain head."""
    from quests import service
    from quests.orm import Player

    def take(address: str, quest_id: str) -> None:
        with sessions.begin() as session:
            player = session.scalar(select(Player).where(Player.address == address))
            service.accept(session, player, quest_id, datetime.now(UTC), chain_tx.chain.block_number(),
                           sink=sink)

    return take


@pytest.fixture
def make_loop(vapp, sink):
    """A fresh verification loop (a new indexer object) on the app's database."""
    from legends.workers.verification import build_loop

    def build(**options):
        options.setdefault("sink", sink)
        return build_loop(vapp, **options)

    return build


@pytest.fixture
def settle():
    """Step ``loop`` until it has nothing new; returns every step report."""
    def run(loop, limit: int = 100) -> list:
        reports = []
        for _ in range(limit):
            report = loop.step()
            if report is None:
                return reports
            reports.append(report)
        raise AssertionError(f"the loop still had work after {limit} steps")

    return run


@pytest.fixture
def verified(sessions):
    """Quest ids ``address`` completed on chain evidence (completion rows naming a tx)."""
    from quests.orm import Player
    from quests.store import QuestCompletion

    def ids(address: str) -> set[str]:
        with sessions() as session:
            return set(session.scalars(select(QuestCompletion.quest_id).join(
                Player, Player.id == QuestCompletion.player_id).where(
                Player.address == address, QuestCompletion.tx_hash.is_not(None))))

    return ids


@pytest.fixture
def evidence_count(sessions):
    """How many evidence rows ``address`` has (for one quest, or all)."""
    from quests.orm import Player
    from quests.store import QuestEvidence

    def count(address: str, quest_id: str | None = None) -> int:
        query = (select(func.count(QuestEvidence.id)).join(Player, Player.id == QuestEvidence.player_id)
                 .where(Player.address == address))
        if quest_id is not None:
            query = query.where(QuestEvidence.quest_id == quest_id)
        with sessions() as session:
            return session.scalar(query) or 0

    return count

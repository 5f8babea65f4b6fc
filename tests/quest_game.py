"""Helpers for the quest service tests: ``Game`` builds players, quests, completions and
logs in one line each, on a migrated SQLite app with a frozen clock and a fake chain
reader. No EVM: logs are fed to the service directly.

(At the top of ``tests/`` so that the quest and the API tests share it; named
``quest_game`` so that it cannot collide with another folder's helpers.)"""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from eth_utils import keccak, to_checksum_address
from sqlalchemy import select

from legends.wiring.completions import LegendsSink
from legends.wiring.leaderboards import RedisLeaderboard
from quests import service
from quests.evidence import ChainEvent, StateReading
from quests.orm import Player
from quests.store import QuestCompletion, QuestRecord

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday, ISO week 2026-W47
TOKEN = 10**18
_serial = itertools.count(1)


def address(label: str) -> str:
    """A checksummed address nobody else uses."""
    return to_checksum_address(keccak(f"quests-test-{label}".encode())[12:])


class FrozenClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class FakeChainReader:
    """``legends.wiring.state_readings.StateSource`` without a chain."""

    def __init__(self) -> None:
        self.head, self.lag = 100, 0
        self.values: dict[tuple[str, int | None], int] = {}

    def head_block(self) -> int:
        return self.head

    def indexer_lag(self) -> int | None:
        return self.lag

    def readings(self, address: str, checks) -> list[StateReading]:  # type: ignore[no-untyped-def]
        return [StateReading(c, self.values.get((c, t), 0), t, self.head) for c, t in sorted(checks)]


class SpySink(LegendsSink):
    """The app's real sink, remembering what it was told."""

    def __init__(self, mirror: Any = None) -> None:
        super().__init__(mirror)
        self.completed_ids: list[tuple[str, str]] = []
        self.withdrawn_ids: list[tuple[str, str]] = []

    def completed(self, session, completion) -> None:  # type: ignore[no-untyped-def]
        super().completed(session, completion)
        self.completed_ids.append((completion.quest_id, completion.period))

    def withdrawn(self, session, completion) -> None:  # type: ignore[no-untyped-def]
        super().withdrawn(session, completion)
        self.withdrawn_ids.append((completion.quest_id, completion.period))


class Game:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.sessions = app.extensions["legends.db"].sessions
        self.clock = FrozenClock(NOON)
        self.chain = FakeChainReader()
        board = app.extensions["legends.leaderboard"]
        self.sink = SpySink(board if isinstance(board, RedisLeaderboard) else None)
        app.extensions["legends.clock"] = self.clock
        app.extensions["legends.chain_reader"] = self.chain
        app.extensions["legends.completion_sink"] = self.sink

    @property
    def now(self) -> datetime:
        return self.clock.at

    def travel(self, **delta: float) -> datetime:
        self.clock.at += timedelta(**delta)
        return self.clock.at

    def player(self, label: str | None = None, referred_by: Player | None = None) -> Player:
        with self.sessions.begin() as session:
            player = Player(address=address(label or f"p{next(_serial)}-{secrets.token_hex(3)}"),
                            referral_code=secrets.token_hex(4), xp=0,
                            referred_by_id=referred_by.id if referred_by else None,
                            created_at=self.now, last_seen_at=self.now)
            session.add(player)
        return player

    def finish(self, player: Player, *quest_ids: str) -> None:
        """Record quests as completed (to open regions) without playing them."""
        with self.sessions.begin() as session:
            session.add_all(QuestCompletion(player_id=player.id, quest_id=q, period="once",
                                            completed_at=self.now, rule_version=1, evidence=[])
                            for q in quest_ids)

    def accept(self, player: Player, quest_id: str, head: int = 100) -> service.Move:
        with self.sessions.begin() as session:
            return service.accept(session, player, quest_id, self.now, head, sink=self.sink)

    def log(self, contract: str, event: str, *, block: int = 101, tx: int | None = None,
            log_index: int = 0, at: datetime | None = None, **args: Any) -> ChainEvent:
        return ChainEvent(contract=contract, event=event, args=args, block_number=block,
                          tx_hash=f"0x{tx if tx is not None else next(_serial):064x}",
                          log_index=log_index, timestamp=int((at or self.now).timestamp()))

    def feed(self, *events: ChainEvent) -> list[Any]:
        with self.sessions.begin() as session:
            return service.apply_chain_events(session, list(events), self.now, sink=self.sink)

    def retract(self, block: int) -> list[Any]:
        with self.sessions.begin() as session:
            return service.retract_from(session, block, self.now, sink=self.sink)

    def record(self, player: Player, quest_id: str, period: str = "once") -> QuestRecord | None:
        with self.sessions() as session:
            return session.scalar(select(QuestRecord).where(
                QuestRecord.player_id == player.id, QuestRecord.quest_id == quest_id,
                QuestRecord.period == period))

    def status(self, player: Player, quest_id: str, period: str = "once") -> str | None:
        row = self.record(player, quest_id, period)
        return row.status if row else None

    def xp(self, player: Player) -> int:
        with self.sessions() as session:
            return session.scalar(select(Player.xp).where(Player.id == player.id)) or 0


def sign_in_cookie(app: Any, client: Any, address: str) -> Any:
    """Sign ``client`` in as ``address`` (a player row that exists) without a wallet: the
    session row and the cookie, as ``POST /api/auth/verify`` makes them. An empty address
    leaves the client anonymous."""
    from legends.auth.session import open_session

    if not address:
        return client

    with app.app_context(), app.extensions["legends.db"].sessions.begin() as session:
        player = session.scalar(select(Player).where(Player.address == address))
        assert player is not None, f"no player {address}: sign-in comes first"
        token = open_session(session, player, datetime.now(UTC))
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.update(player=address, sid=token)
        cookie.permanent = True
    return client

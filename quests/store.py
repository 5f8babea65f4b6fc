"""Persistence of the quest engine: definitions as loaded, each player's progress per quest
and period, the evidence seen, the logs kept for later (a player's, and a wallet's from
before its first sign-in), completions, check-ins and leaderboard totals.

Each table's UNIQUE constraint is a rule of the game: one record per (player, quest,
period); a log (tx hash, log index) counts at most once per (player, quest, period); one
completion per (player, quest, period); one check-in per player and UTC day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quests.orm import Base, intpk, utcnow
from quests.progress import QuestProgress, Status

quest_id = String(64)
period = String(16)
tx_hash = String(66)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite hands back naive ones otherwise,
    which the rules could not compare with an aware ``now``)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else aware(value).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else aware(value)


def aware(at: datetime) -> datetime:
    """``at`` with UTC attached when it came back naive."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class QuestDefinition(Base):
    """One quest of the catalog as last loaded; ``spec`` is its YAML mapping, re-parsed at
    run time so that every process plays by the catalog loaded at deploy time."""

    __tablename__ = "quest_definition"

    id: Mapped[str] = mapped_column(quest_id, primary_key=True)
    region: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # catalog order
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class QuestRecord(Base):
    """A player's progress on one quest in one period (``progress`` holds the objectives'
    progress and the completion evidence; the columns hold the state machine)."""

    __tablename__ = "quest_progress"
    __table_args__ = (
        UniqueConstraint("player_id", "quest_id", "period"),
        # The upkeep walks the completed records (awaiting rewards) in id order from a cursor.
        Index("ix_quest_progress_status_id", "status", "id"),
    )

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))
    quest_id: Mapped[str] = mapped_column(quest_id, ForeignKey("quest_definition.id"))
    period: Mapped[str] = mapped_column(period)
    status: Mapped[str] = mapped_column(String(16))  # completed ones await rewards
    progress: Mapped[dict[str, Any]] = mapped_column(JSON)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    accepted_block: Mapped[int | None] = mapped_column(BigInteger)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    rewarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow,
                                                 onupdate=utcnow)

    def to_progress(self) -> QuestProgress:
        data = self.progress or {}
        return QuestProgress(
            quest_id=self.quest_id,
            period=self.period,
            status=Status(self.status),
            objectives=tuple(data.get("objectives", ())),
            evidence=tuple(data.get("evidence", ())),
            rule_version=data.get("rule_version", 1),
            started_at=self.accepted_at,
            completed_at=self.completed_at,
            rewarded_at=self.rewarded_at,
        )

    def store(self, progress: QuestProgress) -> None:
        self.status = progress.status.value
        self.progress = {
            "objectives": [dict(o) for o in progress.objectives],
            "evidence": [dict(e) for e in progress.evidence],
            "rule_version": progress.rule_version,
        }
        self.accepted_at = progress.started_at
        self.completed_at = progress.completed_at
        self.rewarded_at = progress.rewarded_at


class QuestEvidence(Base):
    """A log that moved (or was judged by) one player's quest; never counted twice."""

    __tablename__ = "quest_evidence"
    __table_args__ = (
        UniqueConstraint("player_id", "quest_id", "period", "tx_hash", "log_index"),
    )

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))
    quest_id: Mapped[str] = mapped_column(quest_id)
    period: Mapped[str] = mapped_column(period)
    contract: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    tx_hash: Mapped[str] = mapped_column(tx_hash)
    log_index: Mapped[int] = mapped_column(Integer)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)  # reorgs retract by block
    block_time: Mapped[datetime] = mapped_column(UtcDateTime())
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_version: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class KeptLog:
    """The columns of a suite log kept for later judging (the inbox and the wayside)."""

    contract: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    tx_hash: Mapped[str] = mapped_column(tx_hash)
    log_index: Mapped[int] = mapped_column(Integer)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)  # reorgs forget by block
    block_time: Mapped[datetime] = mapped_column(UtcDateTime())
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class QuestInbox(KeptLog, Base):
    """A suite log of a signed-in player, kept whatever their quests' state: a quest that
    opens later counts the logs of blocks from its opening block on (see docs/world.md)."""

    __tablename__ = "quest_inbox"
    __table_args__ = (UniqueConstraint("player_id", "tx_hash", "log_index"),)

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))


class WaysideLog(KeptLog, Base):
    """A suite log of a wallet that has not signed in yet, kept on the wayside: its first
    sign-in moves it into the new player's inbox and judges it (docs/world.md). ``address``
    is lowercase; the unique (address, tx, log) index also answers the sign-in's read."""

    __tablename__ = "quest_wayside"
    __table_args__ = (UniqueConstraint("address", "tx_hash", "log_index"),)

    id: Mapped[intpk]
    address: Mapped[str] = mapped_column(String(42))


class QuestCompletion(Base):
    """A completed quest with the evidence that completed it (the rewards' reason)."""

    __tablename__ = "quest_completion"
    __table_args__ = (UniqueConstraint("player_id", "quest_id", "period"),)

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))
    quest_id: Mapped[str] = mapped_column(quest_id, index=True)
    period: Mapped[str] = mapped_column(period)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    tx_hash: Mapped[str | None] = mapped_column(tx_hash)
    block_number: Mapped[int | None] = mapped_column(BigInteger)
    log_index: Mapped[int | None] = mapped_column(Integer)
    rule_version: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class QuestWithdrawal(Base):
    """A completion taken back because a chain reorg orphaned its evidence. Grants the
    ledger already recorded for it stay there (it is append-only); admins read this."""

    __tablename__ = "quest_withdrawal"

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"), index=True)
    quest_id: Mapped[str] = mapped_column(quest_id)
    period: Mapped[str] = mapped_column(period)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    from_block: Mapped[int] = mapped_column(BigInteger)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class CheckInDay(Base):
    """A daily check-in; ``streak`` is the run of consecutive UTC days ending here."""

    __tablename__ = "quest_checkin"
    __table_args__ = (UniqueConstraint("player_id", "day"),)

    id: Mapped[intpk]
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))
    day: Mapped[date] = mapped_column(Date)
    streak: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class LeaderboardScore(Base):
    """A player's total on one board (``xp`` or ``shards``) for ``all`` time or one ISO
    week; the (board, period, score) index answers "top N" and "my rank" without a scan."""

    __tablename__ = "leaderboard_score"
    __table_args__ = (
        UniqueConstraint("board", "period", "player_id"),
        Index("ix_leaderboard_score_rank", "board", "period", "score", "player_id"),
    )

    id: Mapped[intpk]
    board: Mapped[str] = mapped_column(String(8))
    period: Mapped[str] = mapped_column(period)
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"), index=True)
    score: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow,
                                                 onupdate=utcnow)


def json_ready(value: Any) -> Any:
    """Event args as JSON: bytes become 0x-hex, tuples lists."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def keep_in_inbox(session: Any, player_id: int, event: Any) -> bool:
    """Keep a chain log in the player's inbox (one ``INSERT .. ON CONFLICT DO NOTHING`` on
    its unique (player, tx, log index)); False when it was kept already."""
    from sqlalchemy.dialects import postgresql, sqlite

    module = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    statement = (module.insert(QuestInbox).values(
        player_id=player_id, contract=event.contract, event=event.event, tx_hash=event.tx_hash,
        log_index=event.log_index, block_number=event.block_number, block_time=event.at,
        args=json_ready(dict(event.args)), seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["player_id", "tx_hash", "log_index"])
        .returning(QuestInbox.id))
    return session.execute(statement).first() is not None

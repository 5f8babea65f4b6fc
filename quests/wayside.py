"""Early travellers: wallets that act on chain before their first sign-in.

Players act first and sign in later; the game never punishes that. The indexer keeps the
suite logs of an address that is not a player yet on the wayside (``quest_wayside``); the
first sign-in moves them into the new player's inbox and judges them at once for every quest
open to the player, by the same counting rule as any log (docs/world.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quests.definitions import Catalog
from quests.evidence import ChainEvent
from quests.journey import OPEN, Journey
from quests.orm import Player
from quests.ports import Completion, CompletionSink
from quests.store import QuestInbox, WaysideLog, json_ready


def keep_on_wayside(session: Session, address: str, event: ChainEvent) -> bool:
    """Keep a log of a wallet that has not signed in yet. False when it was already kept.

    No player row exists to lock, so two indexers delivering the same log race on the
    unique (address, tx, log) index instead; the loser's savepoint is rolled back."""
    address = address.lower()
    found = session.scalar(select(WaysideLog.id).where(
        WaysideLog.address == address, WaysideLog.tx_hash == event.tx_hash,
        WaysideLog.log_index == event.log_index))
    if found is not None:
        return False
    try:
        with session.begin_nested():
            session.add(WaysideLog(
                address=address, contract=event.contract, event=event.event,
                tx_hash=event.tx_hash, log_index=event.log_index, block_number=event.block_number,
                block_time=event.at, args=json_ready(dict(event.args))))
    except IntegrityError:
        return False
    return True


def take_in(session: Session, player: Player) -> int:
    """Move the wallet's wayside logs into the player's inbox; how many were moved."""
    address = player.address.lower()
    rows = session.scalars(select(WaysideLog).where(WaysideLog.address == address)).all()
    for r in rows:
        session.add(QuestInbox(
            player_id=player.id, contract=r.contract, event=r.event, tx_hash=r.tx_hash,
            log_index=r.log_index, block_number=r.block_number, block_time=r.block_time,
            args=r.args, seen_at=r.seen_at))
    if rows:
        session.execute(delete(WaysideLog).where(WaysideLog.address == address)
                        .execution_options(synchronize_session=False))
        session.flush()
    return len(rows)


def welcome(session: Session, catalog: Catalog, player: Player, now: datetime,
            sink: CompletionSink | None = None) -> list[Completion]:
    """A new player's first sign-in: take in what the wallet did before, and judge it for
    every quest open to them now (from block 0 for quests without prerequisites). Quests the
    judged logs complete open their followers, which read the kept logs in turn."""
    if not take_in(session, player):
        return []
    journey = Journey(session, catalog, player, now, sink)
    open_now = [q for q in catalog if q.listens_to() and journey.current(q)[1].status in OPEN]
    done: list[Completion] = []
    for quest in open_now:
        for event in journey.kept(quest.listens_to(), journey.opening_block(quest)):
            done += journey.offer_event(quest, event)
    return done

"""The quest engine's service API, for the indexer loop and the views.

Every function takes the caller's ``Session`` and plain values, raises domain errors from
``quests.errors`` and never commits: the caller's transaction holds the evidence, the
progress, the completion and (through the ``CompletionSink``) the reward grants together.
``sink`` defaults to the one the composition root installed (``install_sink``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quests.batch import journeys_of
from quests.catalog_store import catalog_of, load_catalog_into, quest_or_404
from quests.checkins import check_in, referral_report
from quests.definitions import Catalog, Quest
from quests.engine import players_in
from quests.errors import AnswerTooSoon, NotApplicable, QuestAlreadyDone, QuestLocked
from quests.evidence import Answer, ChainEvent, StateReading
from quests.journey import Journey, install_sink
from quests.objectives import AnswerObjective
from quests.objectives.answer import retry_at
from quests.orm import Player
from quests.ports import Completion, CompletionSink
from quests.progress import QuestProgress, Status, transition
from quests.reorg import retract_from
from quests.store import QuestRecord
from quests.wayside import keep_on_wayside, welcome
from quests.why import explain_transaction, why

__all__ = [
    "Move", "accept", "answer", "apply_chain_events", "awaiting_reward", "catalog_of",
    "check_in", "check_state", "install_sink", "load_catalog_into", "mark_rewarded",
    "explain_transaction", "observe_state", "quest_or_404", "referral_report", "retract_from",
    "state_to_read", "welcome_traveller", "why",
]


@dataclass(frozen=True)
class Move:
    """What a player's action did: the record now, the completions it caused (the quest's
    and any that followed, e.g. a referrer's), and the reasons objectives are still unmet."""

    progress: QuestProgress
    completions: list[Completion] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return any(c.quest_id == self.progress.quest_id for c in self.completions)


def accept(session: Session, player: Player, quest_id: str, now: datetime, head_block: int, *,
           sink: CompletionSink | None = None) -> Move:
    """Pin an open quest to the journal: available -> in_progress, remembering the chain
    head. Accepting is optional: logs count from the quest's opening block whether or not
    it was accepted. Accepting a quest in progress again changes nothing."""
    if isinstance(head_block, bool) or not isinstance(head_block, int) or head_block < 0:
        raise NotApplicable("head_block", f"expected a block number, got {head_block!r}")
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    lock_player(session, player)
    journey = Journey(session, catalog, player, now, sink)
    row, progress = journey.current(quest, lock=True)
    if progress.is_done:
        raise QuestAlreadyDone(quest.id, progress.period)
    if progress.status is Status.LOCKED:
        raise QuestLocked(quest.id, journey.standing(quest).reason or "not open to you yet")
    if progress.status is Status.AVAILABLE:
        progress = transition(progress, Status.IN_PROGRESS, now)
    row = journey.save(quest, row, progress)
    if row.accepted_block is None:
        row.accepted_block = head_block
    completions = journey.catch_up_referrals()
    return Move(row.to_progress(), completions)


def apply_chain_events(session: Session, events: Sequence[ChainEvent], now: datetime, *,
                       sink: CompletionSink | None = None) -> list[Completion]:
    """Feed indexed logs to the open quests of the players they concern, accepted or not
    (the counting rule, docs/world.md); each log is also kept, so that a quest it opens
    later counts it. The logs of a wallet that has not signed in yet are kept on the
    wayside until it does (``welcome_traveller``); a log fed twice counts once."""
    catalog = catalog_of(session)
    done: list[Completion] = []
    concerned = []
    for event in sorted(events, key=lambda e: (e.block_number, e.log_index)):
        quests = catalog.listening_to(event.contract, event.event)
        addresses = players_in(catalog, event) if quests else frozenset()
        if addresses:
            concerned.append((event, quests, addresses))
    if not concerned:
        return done
    # One read locks every player of the batch, in id order (two indexers delivering the
    # same logs wait for each other here, and never deadlock).
    wanted = sorted(set().union(*(a for _, _, a in concerned)))
    lock_players(session, set(wanted))  # with their referrers, in the order a page takes them
    known = {p.address.lower(): p for p in session.scalars(
        select(Player).where(Player.address.in_(wanted)).order_by(Player.id).with_for_update())}
    journeys = _read_together(session, catalog, concerned, known, now, sink)
    for event, quests, addresses in concerned:
        for player in sorted((known[a.lower()] for a in addresses if a.lower() in known),
                             key=lambda p: p.id):
            journey = journeys.get(player.id) or Journey(session, catalog, player, now, sink)
            journey.keep(event)
            for quest in quests:
                done += journey.offer_event(quest, event)
        for address in sorted(a for a in addresses if a.lower() not in known):
            keep_on_wayside(session, address, event)
    return done


def _read_together(session: Session, catalog: Catalog, concerned: list[Any], known: dict[str, Player],
                   now: datetime, sink: CompletionSink | None) -> dict[int, Journey]:
    """The journeys of the batch's players whose quests only their own log changes here (one
    log in the batch, and no invitee in it who could credit them): their records locked and
    their completions read in two statements for all of them instead of three per player."""
    seen = Counter(known[a.lower()].id for _, _, addresses in concerned for a in addresses
                   if a.lower() in known)
    referrers = {p.referred_by_id for p in known.values()}
    alone = [p for p in known.values() if seen[p.id] == 1 and p.id not in referrers]
    return journeys_of(session, catalog, alone, now, lock=True, sink=sink) if len(alone) > 1 else {}


def welcome_traveller(session: Session, player: Player, now: datetime, *,
                      sink: CompletionSink | None = None) -> list[Completion]:
    """A player was just created at their first sign-in: the suite logs their wallet made
    before are theirs now, judged at once for every quest open to them (docs/world.md)."""
    return welcome(session, catalog_of(session), player, now, sink)


def check_state(session: Session, player: Player, quest_id: str, readings: list[StateReading],
                now: datetime, *, sink: CompletionSink | None = None) -> Move:
    """Judge the on-chain state readings (balance, stake, ownership...) the caller made for
    the player against the quest's state objectives."""
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    if not quest.state_checks():
        raise NotApplicable("quest_id", f"{quest.id} has no on-chain state to check; it completes "
                                        "as the indexer sees your transactions")
    return _act(session, catalog, player, quest, list(readings), now, sink)


Checks = frozenset[tuple[str, int | None]]


def state_to_read(session: Session, player: Player, now: datetime) -> dict[str, Checks]:
    """The state readings the player's open, unfinished quests check (quest id -> checks):
    what opening the quest log reads from the chain."""
    catalog = catalog_of(session)
    journey = Journey(session, catalog, player, now)
    wanted: dict[str, Checks] = {}
    for quest in catalog:
        checks = quest.state_checks()
        if checks and journey.current(quest)[1].status in (Status.AVAILABLE, Status.IN_PROGRESS):
            wanted[quest.id] = checks
    return wanted


def observe_state(session: Session, player: Player, readings: list[StateReading], now: datetime, *,
                  only: str | None = None, sink: CompletionSink | None = None) -> list[Completion]:
    """Judge fresh readings against every open quest that checks them (the quest log's read),
    or ``only`` that quest."""
    lock_player(session, player, first=True)
    done: list[Completion] = []
    for quest_id, checks in state_to_read(session, player, now).items():
        if only is not None and quest_id != only:
            continue
        mine = [r for r in readings if (r.check, r.token_id) in checks]
        if mine:
            catalog = catalog_of(session)
            done += _act(session, catalog, player, catalog.get(quest_id), mine, now, sink).completions
    return done


def answer(session: Session, player: Player, quest_id: str, text: str, now: datetime, *,
           sink: CompletionSink | None = None) -> Move:
    """Answer the quest's quiz question."""
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    if not any(isinstance(o, AnswerObjective) for o in quest.all_objectives()):
        raise NotApplicable("quest_id", f"{quest.id} asks no question")
    lock_player(session, player)
    _, progress = Journey(session, catalog, player, now).current(quest, lock=True)
    for i, objective in enumerate(quest.objectives):
        opens = retry_at(progress.objective(i)) if isinstance(objective, AnswerObjective) else None
        if opens is not None and now < opens and not progress.is_done:
            wait = max(1, math.ceil((opens - now).total_seconds()))
            raise AnswerTooSoon(quest.id, wait, int(progress.objective(i).get("attempts", 0)))
    return _act(session, catalog, player, quest, [Answer(text, now)], now, sink)


def lock_players(session: Session, addresses: set[str]) -> None:
    """Every player of a batch of logs and their referrers, locked up front in id order (the
    order :func:`lock_player` takes), so a page and the indexer never wait on each other in a
    cycle."""
    if not addresses or session.get_bind().dialect.name == "sqlite":
        return
    named = Player.address.in_(sorted(addresses))
    # A UNION of two index lookups: ``named OR id IN (referrers)`` walks the whole primary
    # key (PostgreSQL cannot use an index for an OR with a subquery): 120 ms at 1M players.
    wanted = select(Player.id).where(named).union(
        select(Player.referred_by_id).where(named, Player.referred_by_id.is_not(None)))
    session.execute(select(Player.id).where(Player.id.in_(wanted))
                    .order_by(Player.id).with_for_update())


def lock_player(session: Session, player: Player, *, first: bool = False) -> None:
    """Take the player's row lock first, as the indexer does (``apply_chain_events``), and
    their referrer's (a completion may credit them), in id order: a page completing a quest
    from state and the indexer completing it from the log then queue one behind the other
    instead of deadlocking on PostgreSQL, and the later one sees it done. SQLite has no row
    locks; as the ``first`` statement of a transaction, a no-op update takes its write lock
    instead (later in a transaction it could fail on a stale snapshot)."""
    if session.get_bind().dialect.name == "sqlite":
        if first:
            session.execute(update(Player).where(Player.id == player.id).values(id=Player.id))
        return
    referrer = session.scalar(select(Player.referred_by_id).where(Player.id == player.id))
    ids = sorted({player.id} | ({referrer} if referrer is not None else set()))
    session.execute(select(Player.id).where(Player.id.in_(ids)).order_by(Player.id).with_for_update())


def _act(session: Session, catalog: Catalog, player: Player, quest: Quest, evidence: list[Any],
         now: datetime, sink: CompletionSink | None) -> Move:
    lock_player(session, player)
    journey = Journey(session, catalog, player, now, sink)
    _, progress = journey.current(quest)
    if progress.is_done:
        raise QuestAlreadyDone(quest.id, progress.period)
    if progress.status is Status.LOCKED:
        raise QuestLocked(quest.id, journey.standing(quest).reason or "not open to you yet")
    completions: list[Completion] = []
    reasons: list[str] = []
    for item in evidence:
        step, done = journey.feed(quest, item)
        completions += done
        reasons = [o.reason for o in step.outcomes if not o.met and o.reason]
        progress = step.progress
    return Move(progress, completions, reasons)


def awaiting_reward(session: Session, *, player_id: int | None = None, after: int = 0,
                    limit: int = 500) -> list[tuple[int, str, str, str]]:
    """Completed (not yet rewarded) records with an id above ``after``, by id: (record id,
    player address, quest id, period). The (status, id) index answers it in ``limit`` rows."""
    query = (select(QuestRecord.id, Player.address, QuestRecord.quest_id, QuestRecord.period)
             .join(Player, Player.id == QuestRecord.player_id)
             .where(QuestRecord.status == Status.COMPLETED.value, QuestRecord.id > after))
    if player_id is not None:
        query = query.where(QuestRecord.player_id == player_id)
    return [tuple(r) for r in session.execute(query.order_by(QuestRecord.id).limit(limit))]  # type: ignore[misc]


def mark_rewarded(session: Session, record_ids: Sequence[int], now: datetime) -> int:
    """completed -> rewarded, once every on-chain grant of the completion is confirmed."""
    changed = 0
    for row in session.scalars(select(QuestRecord).where(QuestRecord.id.in_(list(record_ids)),
                                                         QuestRecord.status == Status.COMPLETED.value)):
        row.store(transition(row.to_progress(), Status.REWARDED, now))
        changed += 1
    session.flush()
    return changed

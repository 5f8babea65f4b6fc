"""Where completions go: the reward ledger, the leaderboard mirror and the player's events.

``LegendsSink`` is the app's ``quests.ports.CompletionSink``. In the completion's own
transaction it records the reward grants (``nft.outbox.record_grants``: idempotent per
(player, quest, period); XP grants raise ``Player.xp`` there) and queues a domain event that
is published once the transaction commits. ``sync_rewarded`` moves completed quests to
rewarded when the ledger has confirmed every grant it recorded for the completion.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from legends.wiring.campaigns import admitted_grants
from legends.wiring.leaderboards import RedisLeaderboard
from nft.batching import OutboxState
from nft.ledger import Grant, grants_for_completion
from nft.outbox import record_grants, withdraw_grants
from nft.store import RewardGrant
from quests.definitions import Rewards
from quests.orm import Player
from quests.ports import Completion
from quests.progress import Status
from quests.service import awaiting_reward
from quests.store import QuestRecord

log = logging.getLogger(__name__)


HELD = "legends.completions.batch"  # session.info: the completions of the open batch


class LegendsSink:
    """Records rewards and tells the player, inside the caller's transaction. Inside
    :meth:`batch` (a verification batch) completions are held and settled together at its
    end: their grants in one ledger write, the XP in one statement per distinct amount."""

    def __init__(self, mirror: RedisLeaderboard | None = None) -> None:
        self.mirror = mirror

    def completed(self, session: Session, completion: Completion) -> None:
        held = session.info.get(HELD)
        if held is None:
            self.settle(session, [completion])
        else:
            held.append(completion)

    @contextmanager
    def batch(self, session: Session) -> Iterator[None]:
        """Hold the completions made inside the block and settle them at its end, in the
        same transaction (nothing is settled if the block raises)."""
        held: list[Completion] = []
        outer = session.info.get(HELD)
        session.info[HELD] = held
        try:
            yield
        finally:
            if outer is None:
                session.info.pop(HELD, None)
            else:
                session.info[HELD] = outer
        self.settle(session, held)

    def settle(self, session: Session, completions: list[Completion]) -> None:
        """The grants of ``completions`` (campaign budgets admitting them one by one), one
        ledger write for all; then, for each, the mirror and ``quest.completed``."""
        if not completions:
            return
        admitted = [admitted_grants(session, c, grants_of(c)) for c in completions]
        records = {r.key: r for r in record_grants(session, [g for grants in admitted for g in grants])}
        for completion, grants in zip(completions, admitted):
            if self.mirror is not None:
                self.mirror.mirror(session, completion.player_id, completion.completed_at)
            mine = [records[key] for key in dict.fromkeys(g.key for g in grants)]
            queue_event(session, completion.player, "quest.completed", {
                "quest_id": completion.quest_id, "period": completion.period,
                "tx_hash": completion.tx_hash, "block_number": completion.block_number,
                "grants": [{"kind": str(r.kind), "token_id": r.token_id, "amount": str(r.amount),
                            "state": str(r.state)} for r in mine],
            })

    def withdrawn(self, session: Session, completion: Completion) -> None:
        # Grants not yet sent (and XP) are taken back in this transaction; what already
        # reached the chain stays, and is logged so an admin can see it.
        withdrawn, kept = withdraw_grants(session, grants_of(completion))
        if kept:
            log.warning("quest %s (%s) of %s withdrawn after a reorg; %d grant(s) were already "
                        "sent and stay: %s", completion.quest_id, completion.period,
                        completion.player, len(kept), kept)
        if self.mirror is not None:
            self.mirror.mirror(session, completion.player_id, completion.completed_at)
        queue_event(session, completion.player, "quest.withdrawn", {
            "quest_id": completion.quest_id, "period": completion.period,
            "tx_hash": completion.tx_hash})


def grants_of(completion: Completion) -> list[Grant]:
    return grants_for_completion(completion.player, completion.quest_id, completion.period,
                                 rewards_mapping(completion.rewards))


def rewards_mapping(rewards: Rewards) -> dict[str, Any]:
    return {"shards": dict(rewards.shards), "sahara": rewards.sahara, "xp": rewards.xp}


def sync_rewarded(session: Session, now: datetime, *, player_id: int | None = None,
                  limit: int = 500) -> int:
    """completed -> rewarded for completions whose recorded grants are all confirmed (a
    completion that pays only XP is rewarded at once: XP is confirmed when recorded). The
    views call it for the signed-in player; the indexer loop sweeps everybody with
    :class:`RewardedSweep`."""
    return _sync(session, now, awaiting_reward(session, player_id=player_id, limit=limit))


class RewardedSweep:
    """The indexer's upkeep: each call looks at the next ``limit`` completed records after
    a cursor (wrapping round at the end), so records still waiting for their mint do not
    make every pass re-read the same oldest ones and the cost of a pass stays constant."""

    def __init__(self, limit: int = 500) -> None:
        self.limit = limit
        self.cursor = 0

    def __call__(self, session: Session, now: datetime) -> int:
        waiting = awaiting_reward(session, after=self.cursor, limit=self.limit)
        self.cursor = waiting[-1][0] if len(waiting) == self.limit else 0
        return _sync(session, now, waiting)


def _sync(session: Session, now: datetime, waiting: list[tuple[int, str, str, str]]) -> int:
    """completed -> rewarded in one set-based ``UPDATE``: the records among ``waiting``
    whose recorded grants (the ledger's rows for (player, quest, period), answered by the
    player index) are all confirmed."""
    if not waiting:
        return 0
    ids = [record_id for record_id, *_ in waiting]
    unpaid = (select(RewardGrant.id).where(
        RewardGrant.player == func.lower(Player.address), RewardGrant.source == QuestRecord.quest_id,
        RewardGrant.period == QuestRecord.period,
        RewardGrant.state != OutboxState.CONFIRMED.value).exists())
    changed = session.execute(
        update(QuestRecord)
        .where(QuestRecord.id.in_(ids), QuestRecord.status == Status.COMPLETED.value,
               Player.id == QuestRecord.player_id, ~unpaid)
        .values(status=Status.REWARDED.value, rewarded_at=now, updated_at=now)
        .returning(QuestRecord.id).execution_options(synchronize_session=False)).scalars().all()
    if changed:  # records this session holds are read again when used
        done = set(changed)
        for row in list(session.identity_map.values()):
            if isinstance(row, QuestRecord) and row.id in done:
                session.expire(row)
    return len(changed)


# -- domain events: logged in this transaction, published after the commit ----------------
def queue_event(session: Session, player: str, kind: str, payload: dict[str, Any]) -> None:
    """Log an event for ``player`` (legends.realtime's event log, with its offset); it is
    published to the player's room only if the transaction commits."""
    from legends.realtime.events import for_player

    for_player(session, player, kind, {"player": player, **payload})


def queued_events(session: Session) -> list[dict[str, Any]]:
    """Player events queued by the open transaction (tests read these)."""
    from legends.realtime.events import pending

    return [{"type": e.type, "offset": e.offset, **e.payload}
            for e in pending(session) if "player" in e.payload]

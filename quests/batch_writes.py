"""A verification batch's per-event writes, held and sent as one statement per table.

Inside :func:`held_writes` (``quests.service.apply_chain_events`` opens it for a batch of
logs), the journeys of the batch do not write row by row:

- a log kept in a player's inbox is held and written with the others in one ``INSERT …
  ON CONFLICT DO NOTHING`` (executemany), before anything reads the inbox again
  (``Journey.kept``) and at the end of the batch;
- "was this log counted already?" is answered from one read of the evidence of the
  batch's players and logs, plus the evidence the batch itself wrote;
- leaderboard totals are summed per (board, period, player) and upserted in one
  executemany at the end (or before the session reads the boards, e.g. a completion
  sink's rank reads; the inbox likewise);
- the evidence and completion rows are held as plain rows and inserted in one
  executemany per table at the end (or before the session reads that table);
- a step's record stays pending in the ORM session (no flush per step): one flush at the
  end writes them in one executemany. Any read the session makes in between flushes them
  first (autoflush), so nothing reads stale rows.

Everything stays in the caller's transaction: the unique keys (one evidence per log,
quest and period; one completion per period) still make a re-delivered batch harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.util import find_tables

from quests.orm import utcnow
from quests.rows import evidence_values
from quests.store import LeaderboardScore, QuestEvidence, QuestInbox, json_ready, keep_in_inbox
from quests.store import count_evidence as store_count_evidence

HELD = "quests.batch_writes"
Key = tuple[int, str, str, str, int]  # player id, quest, period, tx hash, log index

# players, txs (lists): the evidence of those players among those transactions' logs (the
# unique (player, quest, period, tx, log) index answers it from its first column).
EVIDENCE_OF_BATCH = select(
    QuestEvidence.player_id, QuestEvidence.quest_id, QuestEvidence.period,
    QuestEvidence.tx_hash, QuestEvidence.log_index).where(
    QuestEvidence.player_id.in_(bindparam("players", expanding=True)),
    QuestEvidence.tx_hash.in_(bindparam("txs", expanding=True)))


class HeldWrites:
    """What the open batch holds: inbox rows, summed scores, the evidence it knows of."""

    def __init__(self, session: Session, players: Iterable[int], txs: Iterable[str]) -> None:
        self.session = session
        self.players, self.txs = frozenset(players), frozenset(txs)
        self.inbox: dict[tuple[int, str, int], dict[str, Any]] = {}
        self.scores: dict[tuple[str, str, int], int] = {}
        self.counted: set[Key] = set()
        self.rows: dict[Table, list[dict[str, Any]]] = {}  # evidence and completion rows
        if self.players and self.txs:
            self.counted.update((int(p), str(q), str(per), str(tx), int(i)) for p, q, per, tx, i in
                                session.execute(EVIDENCE_OF_BATCH, {"players": sorted(self.players),
                                                                     "txs": sorted(self.txs)}))

    def keep(self, player_id: int, event: Any) -> None:
        self.inbox.setdefault((player_id, event.tx_hash, event.log_index), {
            "player_id": player_id, "contract": event.contract, "event": event.event,
            "tx_hash": event.tx_hash, "log_index": event.log_index,
            "block_number": event.block_number, "block_time": event.at,
            "args": json_ready(dict(event.args)), "seen_at": utcnow()})

    def seen(self, key: Key) -> bool | None:
        """True/False when the batch knows; None when the database must be asked (a player
        or a log outside the batch, e.g. a kept log of an earlier block)."""
        if key in self.counted:
            return True
        return False if key[0] in self.players and key[3] in self.txs else None

    def counting(self, key: Key) -> None:
        self.counted.add(key)

    def hold(self, table: Table, row: dict[str, Any]) -> None:
        """A row for ``table`` (no one reads its id), written with the batch's others."""
        self.rows.setdefault(table, []).append(row)

    def write_rows(self, *tables: Table) -> None:
        for table in tables or list(self.rows):
            rows = self.rows.pop(table, None)
            if rows:
                self.session.execute(table.insert(), rows)  # one executemany

    def add_scores(self, rows: Iterable[Mapping[str, Any]]) -> None:
        from quests.leaderboard import written_scores

        written = written_scores(self.session)  # a total written before is stale now
        for row in rows:
            at = (str(row["board"]), str(row["period"]), int(row["player_id"]))
            self.scores[at] = self.scores.get(at, 0) + int(row["score"])
            written.pop(at, None)

    def write_inbox(self) -> None:
        if not self.inbox:
            return
        rows, self.inbox = list(self.inbox.values()), {}
        self.session.execute(_inbox_insert(self.session.get_bind().dialect.name), rows)

    def write_scores(self) -> None:
        from quests.leaderboard import upsert_scores

        if not self.scores:
            return
        now = utcnow()
        rows = [{"board": b, "period": p, "player_id": pid, "score": s, "updated_at": now}
                for (b, p, pid), s in sorted(self.scores.items(), key=lambda kv: kv[0][::-1]) if s]
        self.scores = {}
        if rows:
            upsert_scores(self.session, rows)

    def write(self) -> None:
        """Everything held, one statement per table (the ORM's pending rows in one flush)."""
        self.write_inbox()
        self.write_rows()
        self.write_scores()
        self.session.flush()


def _write_before_reading(state: ORMExecuteState) -> None:
    """A read of the inbox or the boards inside a batch (a completion sink reading ranks,
    say) first writes what the batch holds for that table, as autoflush does for rows."""
    writes = held(state.session)
    if writes is None or not (writes.inbox or writes.scores or writes.rows) or not state.is_select:
        return
    names = {t.name for t in find_tables(state.statement, include_joins=True, include_aliases=True)}
    held_rows = [t for t in writes.rows if t.name in names]
    if held_rows:
        writes.write_rows(*held_rows)
    if writes.inbox and QuestInbox.__tablename__ in names:
        writes.write_inbox()
    if writes.scores and LeaderboardScore.__tablename__ in names:
        writes.write_scores()


def _inbox_insert(dialect: str) -> Any:
    module = {"postgresql": postgresql, "sqlite": sqlite}[dialect]
    return (module.insert(QuestInbox.__table__)
            .on_conflict_do_nothing(index_elements=["player_id", "tx_hash", "log_index"]))


def held(session: Session) -> HeldWrites | None:
    """The open batch's held writes, or None outside a batch."""
    return session.info.get(HELD)


@contextmanager
def held_writes(session: Session, players: Iterable[int], txs: Iterable[str]) -> Iterator[HeldWrites]:
    """Hold the per-event writes of a batch of logs of ``txs`` for ``players`` and write them
    at the end (nothing is written if the block raises; the caller's transaction rolls
    back). Nested, the outer batch holds them."""
    outer = held(session)
    if outer is not None:
        yield outer
        return
    if not session.info.get(HELD + ".hooked"):
        event.listen(session, "do_orm_execute", _write_before_reading)
        session.info[HELD + ".hooked"] = True
    writes = session.info[HELD] = HeldWrites(session, players, txs)
    try:
        yield writes
    finally:
        session.info.pop(HELD, None)
    writes.write()


# -- what a journey calls: the batch's way when one is open, row by row otherwise ----------
def keep(session: Session, player_id: int, event: Any) -> bool:
    """Keep a log in the player's inbox (False: kept already); in a batch, held (True)."""
    writes = held(session)
    if writes is None:
        return keep_in_inbox(session, player_id, event)
    writes.keep(player_id, event)
    return True


def write_inbox(session: Session) -> None:
    writes = held(session)
    if writes is not None:
        writes.write_inbox()


def seen(session: Session, key: Key) -> bool | None:
    writes = held(session)
    return writes.seen(key) if writes is not None else None


def add(session: Session, model: Any, values: dict[str, Any]) -> None:
    """A row of ``model`` (nobody reads its id): held by a batch, else added to the session."""
    writes = held(session)
    if writes is None:
        session.add(model(**values))
    else:
        writes.hold(model.__table__, values)


def count_evidence(session: Session, player_id: int, quest: Any, period: str, event: Any) -> bool:
    """Keep ``event`` as evidence of the player's quest in ``period``; False (nothing written)
    when it was counted before. In a batch that knows the log, held and remembered; else
    one ``INSERT .. ON CONFLICT DO NOTHING RETURNING`` answers and writes it at once."""
    key: Key = (player_id, quest.id, period, event.tx_hash, event.log_index)
    writes = held(session)
    known = writes.seen(key) if writes is not None else None
    if known is True:
        return False
    if writes is not None and known is False:
        writes.hold(QuestEvidence.__table__, evidence_values(player_id, quest, period, event))
        writes.counting(key)
        return True
    counted = store_count_evidence(session, player_id, quest, period, event)
    if counted and writes is not None:
        writes.counting(key)
    return counted

"""The app's completion sink with live events: besides the ledger and ``quest.completed``
(:class:`legends.wiring.completions.LegendsSink`), it tells the player which quests the
completion opened, how their rank moved, and every step of a quest in progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from legends.realtime import happenings
from legends.wiring.completions import LegendsSink
from quests.ports import Completion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


BATCH = "legends.realtime.batch"  # session.info: the completions of the open batch


class LiveSink(LegendsSink):
    def completed(self, session: Session, completion: Completion) -> None:
        super().completed(session, completion)
        happenings.unlocked_by(session, completion, completion.completed_at)
        held = session.info.get(BATCH)
        if held is None:
            happenings.ranks_moved(session, [completion], self.mirror)
        else:
            held.append(completion)

    @contextmanager
    def batch(self, session: Session) -> Iterator[None]:
        """Completions made inside the block (a verification batch) have their ranks read
        and announced once, together, at its end: one set of rank statements and one
        top-ten event per board for the batch instead of per completion. Nothing is
        announced if the block raises."""
        held: list[Completion] = []
        outer = session.info.get(BATCH)
        session.info[BATCH] = held
        try:
            yield
        finally:
            if outer is None:
                session.info.pop(BATCH, None)
            else:
                session.info[BATCH] = outer
        happenings.ranks_moved(session, held, self.mirror)

    def progressed(self, session: Session, player: Any, quest: Any, progress: Any) -> None:
        happenings.progressed(session, player, quest, progress)

"""The app's completion sink with live events: besides the ledger and ``quest.completed``
(:class:`legends.wiring.completions.LegendsSink`), it tells the player which quests the
completion opened, how their rank moved, and every step of a quest in progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legends.realtime import happenings
from legends.wiring.completions import LegendsSink
from quests.ports import Completion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class LiveSink(LegendsSink):
    def settle(self, session: Session, completions: list[Completion]) -> None:
        """After the ledger and ``quest.completed``: the quests each completion opened, and
        the ranks of all of them read together (one completion, or a batch's)."""
        super().settle(session, completions)
        journeys = happenings.journeys_for(session, completions, completions[0].completed_at) \
            if completions else {}
        for completion in completions:
            happenings.unlocked_by(session, completion, completion.completed_at,
                                   journeys.get(completion.player_id))
        happenings.ranks_moved(session, completions, self.mirror)

    def progressed(self, session: Session, player: Any, quest: Any, progress: Any) -> None:
        happenings.progressed(session, player, quest, progress)

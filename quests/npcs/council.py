"""The council elder: keeps a proposal open for votes, tabling the next motion when none is,
and sees the motions it tabled through (queued once passed, executed after the timelock).

:class:`CouncilPolicy` holds every decision, so another policy (other motions, or tabling
for new stakers) is a subclass or another instance handed to the caretaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# What the council debates, in turn; signal-only proposals (they call nothing).
MOTIONS = (
    "Dig a second well at the Data Oasis",
    "Light beacons along the caravan road to the Bazaar",
    "Raise the Citadel's walls by one course of staked stone",
    "Open the Forge's furnaces to apprentices at night",
    "Pay the Oasis reviewers in dates as well as SAHARA",
)


class ProposalState(StrEnum):
    ACTIVE = "active"  # voting open
    DEFEATED = "defeated"
    SUCCEEDED = "succeeded"
    QUEUED = "queued"
    EXECUTED = "executed"


class Settle(StrEnum):
    """The elder's next step with one of its proposals."""

    WAIT = "wait"  # voting, or the timelock has not elapsed: look again next tick
    QUEUE = "queue"
    EXECUTE = "execute"
    FORGET = "forget"  # settled for good: stop watching it


@dataclass(frozen=True)
class CouncilPolicy:
    motions: tuple[str, ...] = MOTIONS

    def wants_motion(self, open_proposal: int | None) -> bool:
        """The council always has one proposal open for votes."""
        return open_proposal is None

    def motion(self, number: int) -> str:
        """The text of proposal ``number`` (1-based): the motions in turn."""
        return f"{self.motions[(number - 1) % len(self.motions)]} (motion {number})"

    def stake_needed(self, threshold: int, staked: int) -> int:
        """What the elder must stake before it may propose (0: it has a voice already)."""
        return max(threshold - staked, 0)

    def settle(self, state: ProposalState) -> Settle:
        """What to do with a tabled proposal in ``state``."""
        if state is ProposalState.SUCCEEDED:
            return Settle.QUEUE
        if state is ProposalState.QUEUED:
            return Settle.EXECUTE
        if state in (ProposalState.DEFEATED, ProposalState.EXECUTED):
            return Settle.FORGET
        return Settle.WAIT

    def after_refusal(self, error: str) -> Settle | None:
        """How to go on when the council refused a step with ``error`` (None: unexpected)."""
        if error == "TimelockNotElapsed":
            return Settle.WAIT
        if error == "ExecutionFailed":
            return Settle.FORGET  # the council lets it rest
        return None

    @staticmethod
    def told(proposal: int, step: Settle) -> str | None:
        """What the elder did, in the caretaker's log."""
        if step is Settle.QUEUE:
            return f"proposal {proposal} passed and was queued"
        if step is Settle.EXECUTE:
            return f"proposal {proposal} was executed"
        return None

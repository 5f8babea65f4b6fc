"""The Oasis caravan: its master keeps a labeling task open with a full purse, and its
reviewer judges the labels players bring.

The reviewer accepts honest labels and rejects junk: an empty content hash, or one already
brought to any caravan. Labels are judged in the order they were submitted, so the first of
two equal labels is the honest one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from quests.npcs.cast import Caravan, Stock

CARAVAN_SPEC = "sahara-legends://npc/oasis-caravan"
EMPTY_LABEL = bytes(32)


class LabelStatus(StrEnum):
    """A label's review status on the caravan's task."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def verdict(content_hash: bytes, seen: Collection[bytes]) -> str | None:
    """None to accept a label; otherwise why the reviewer calls it junk."""
    if content_hash == EMPTY_LABEL:
        return "an empty label"
    if content_hash in seen:
        return "a copy of a label already brought to the caravan"
    return None


@dataclass(frozen=True)
class Review:
    """A verdict still to be sent for one label."""

    label_id: int
    task_id: int
    labeler: str
    junk: str | None  # None: accept

    def told(self) -> str:
        """What the reviewer did, in the caretaker's log."""
        if self.junk is None:
            return f"label {self.label_id} accepted"
        return f"label {self.label_id} rejected: {self.junk}"


class Reviewer:
    """Judges labels one by one, remembering every content hash brought to any caravan.

    Subclass and override :meth:`judge` for another review policy; the caretaker only asks
    it for a :class:`Review` per label, in submission order.
    """

    def __init__(self, seen: Iterable[bytes] = ()) -> None:
        self.seen: set[bytes] = set(seen)

    def judge(self, label_id: int, task_id: int, labeler: str, content_hash: bytes) -> Review:
        junk = verdict(content_hash, self.seen)
        self.seen.add(content_hash)
        return Review(label_id, task_id, labeler, junk)


class Refused(StrEnum):
    """What the caretaker does with a review the caravan's task refused."""

    RETRY = "retry"  # keep it: the task will be able to pay again
    SETTLED = "settled"  # drop it: someone else reviewed it, or it cannot be reviewed
    UNPAID = "unpaid"  # drop it: an older caravan's purse is empty for good


# Refusals that mean the label needs no review from us (any more).
SETTLED_REFUSALS = frozenset({"AlreadyReviewed", "CannotReviewOwnLabel", "LabelNotFound"})


def after_refusal(error: str, task_id: int, current_task: int | None) -> Refused | None:
    """How to go on after the task refused a review with ``error`` (None: unexpected)."""
    if error == "BudgetExhausted":
        # The current caravan gets a new purse (a new caravan) this very tick; older ones never.
        return Refused.RETRY if task_id == current_task else Refused.UNPAID
    if error in SETTLED_REFUSALS:
        return Refused.SETTLED
    return None


# -- the caravan master ------------------------------------------------------------------------
def needs_new_caravan(current: Caravan | None, stock: Stock) -> bool:
    """A new caravan arrives when none is open or the open one's purse runs low."""
    return current is None or current.remaining_budget < stock.caravan_low_water


def spent_caravans(caravans: Iterable[Caravan], current: Caravan) -> list[int]:
    """Older open caravans that can no longer pay a label: they move on (are closed)."""
    return [old.task_id for old in caravans
            if old.open and old.task_id != current.task_id
            and old.remaining_budget < old.reward_per_label]

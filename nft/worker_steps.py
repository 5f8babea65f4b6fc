"""The reward worker's parts: what it reports of a cycle, the points between its steps where a
test can stop it dead (:func:`crash_at`), as a ``kill -9`` would, and how it judges a batch
from the chain read at the confirmation depth (:func:`judge`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nft.batching import Batch, Decision, ReceiptStatus, reconcile
from nft.ports import Minter, MintReceipt

STEPS = ("planned", "before_send", "after_send", "after_receipt", "before_commit")


class SimulatedCrash(BaseException):
    """Raised by a test hook to stop the worker dead, like a kill would.

    A BaseException, so the worker's own ``except Exception`` never swallows it and the
    open database transaction, if any, is rolled back.
    """


Hook = Callable[[str, str], None]  # (step, batch id)


def crash_at(step: str, *, times: int = 1) -> Hook:
    """A hook that raises :class:`SimulatedCrash` the first ``times`` times ``step`` is reached."""
    if step not in STEPS:
        raise ValueError(f"step: unknown worker step {step!r} (one of {', '.join(STEPS)})")
    left = [times]

    def hook(reached: str, batch_id: str) -> None:
        if reached == step and left[0] > 0:
            left[0] -= 1
            raise SimulatedCrash(f"crash at {step} ({batch_id})")

    return hook


@dataclass
class Cycle:
    """What one :meth:`nft.worker.RewardWorker.run_once` did."""

    planned: int = 0  # new batches
    sent: int = 0  # transactions broadcast (a replacement counts again)
    confirmed: int = 0  # grants confirmed
    released: int = 0  # batches whose grants were given back after a revert
    deferred: int = 0  # batches postponed by an error
    waiting: int = 0  # batches mined above the confirmation depth, looked at again soon
    reopened: int = 0  # confirmed grants whose mint a reorg deeper than the depth undid
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.planned or self.sent or self.confirmed or self.released or self.reopened)


@dataclass(frozen=True)
class Work:
    """A batch to sign and send."""

    row_id: int
    batch: Batch
    nonce: int | None  # the earlier attempt's nonce when re-sending
    failures: int
    replacing: str | None = None  # the earlier attempt's hash, whose fees a re-send outbids


@dataclass
class Outcome:
    """Decisions about a group of batches, committed together."""

    confirm: list[int] = field(default_factory=list)
    release: list[tuple[int, str]] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    again: list[Work] = field(default_factory=list)  # to send again
    mined: dict[int, int] = field(default_factory=dict)  # confirmed row id -> its mint's block

    def add(self, item: Work, tx_hash: str | None, decision: Decision, block: int) -> None:
        if decision is Decision.CONFIRM:
            self.confirm.append(item.row_id)
            self.mined[item.row_id] = block
        elif decision is Decision.REPLAN:
            self.release.append((item.row_id, f"tx {tx_hash} reverted"))
        elif decision is Decision.WAIT:
            self.waiting.append(item.row_id)
        else:
            self.again.append(item)


# -- reading the chain at the confirmation depth ----------------------------------------------
def depth_of(minter: Minter, confirmations: int) -> int | str:
    """The block receipts and ``batchMinted`` count at: head - confirmations."""
    return "latest" if confirmations <= 0 else max(minter.head() - confirmations, 0)


def mined_in(minter: Minter, receipt: MintReceipt | None, depth: int | str) -> int:
    """The block a confirmed batch is recorded as mined in: its receipt's, or (an earlier
    attempt landed instead) the block it was seen minted at, which is no earlier than the mint."""
    if receipt is not None:
        return receipt.block
    return minter.head() if isinstance(depth, str) else depth


def judge(minter: Minter, tx_hash: str | None, batch: Batch, receipt: MintReceipt | None,
          depth: int | str) -> Decision:
    """What to do with a batch whose last attempt is ``tx_hash`` (see
    :func:`nft.batching.reconcile`): ``batchMinted`` is read at ``depth``, and at the head
    too when the depth says no, so that a mint not yet deep waits instead of going out again."""
    deep = receipt is None or isinstance(depth, str) or receipt.block <= depth
    minted = minter.batch_minted(batch.target, batch.batch_id_bytes, depth)
    above = False
    if not minted and deep and not isinstance(depth, str):  # minted by a tx not yet deep?
        above = minter.batch_minted(batch.target, batch.batch_id_bytes, "latest")
    status = receipt.status if receipt is not None else (
        ReceiptStatus.NOT_FOUND if tx_hash else None)
    return reconcile(tx_hash, status, minted, deep=deep, minted_above=above).decision

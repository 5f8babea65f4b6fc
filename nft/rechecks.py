"""Looking again at confirmed batches: a reorg deeper than the confirmation depth can undo a
mint the worker already confirmed. While a confirmed batch's mined block is recent (within
``window`` blocks of the head, the network's finality horizon), the worker reads its
``batchMinted`` at the confirmation depth now and then; when that is false, the batch is
reopened (confirmed -> sending, the same batch id, tx hash and nonce) and the worker settles it
like any open batch: sent again, in the slot of its first send, and minted once (the contract
refuses a batch id twice, so a mint that comes back on its own is never doubled)."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from nft import outbox_batches
from nft.ports import Minter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("nft.worker")


class Recheck:
    """Re-reads ``batchMinted`` of recently confirmed batches, ``page`` of them per pass and at
    most one pass every ``every`` seconds, in (mined block, id) order from a cursor that wraps
    around: every batch of the window is looked at, however many there are."""

    def __init__(self, sessions: sessionmaker[Session], minter: Minter, *, window: int,
                 confirmations: int, every: float, page: int) -> None:
        self.sessions, self.minter = sessions, minter
        self.window, self.confirmations = window, confirmations
        self.every, self.page = every, page
        self._last: float | None = None
        self._after: tuple[int, int] | None = None  # (mined block, row id) of the last looked at

    def due(self) -> bool:
        return self.window > 0 and (self._last is None
                                    or time.monotonic() - self._last >= self.every)

    def when_due(self, errors: list[str]) -> int:
        """A pass if one is due (else 0); a failure (the chain unreachable) goes to ``errors``
        and the pass is tried again next cycle."""
        if not self.due():
            return 0
        try:
            return self.run()
        except Exception as exc:
            self._last = None
            errors.append(f"re-checking confirmed batches failed: {type(exc).__name__}: {exc}")
            return 0

    def run(self) -> int:
        """One pass; returns the number of grants owed again."""
        self._last = time.monotonic()
        head = self.minter.head()
        depth: int | str = "latest" if self.confirmations <= 0 else max(head - self.confirmations, 0)
        # A mint above the depth is not the worker's to judge yet (a shorter branch may have
        # lifted it there); it is looked at once it is deep again.
        deep = head if isinstance(depth, str) else depth
        with self.sessions.begin() as session:
            found = outbox_batches.recent_confirmed(session, max(head - self.window, 0), deep,
                                                    self.page, after=self._after)
        self._after = (found[-1].mined_block, found[-1].row_id) if len(found) == self.page else None
        undone = [b for b in found if not self.minter.batch_minted(
            b.target, bytes.fromhex(b.batch_id[2:]), depth)]
        if not undone:
            return 0
        reopened = 0
        with self.sessions.begin() as session:
            for batch in undone:
                reason = (f"reorg: batchMinted is false at block {depth} though the batch was "
                          f"confirmed as mined in block {batch.mined_block}; owed again")
                grants = outbox_batches.reopen_batch(session, batch.row_id, reason)
                reopened += grants
                log.warning("reward batch %s reopened (%d grant(s)): %s", batch.batch_id,
                            grants, reason)
        return reopened

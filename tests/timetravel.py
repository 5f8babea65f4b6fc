"""Moving time for a whole world at once: the app's clock and the devnet's clock together.

Time-gated quests (Seven Suns, the unstake cooldown, weekly quests, the faucet's cooldown)
are judged by the app's clock and by block timestamps; a test that moves only one of them
plays a world that cannot exist. ``TravelClock.travel`` moves both, to the same instant.
(At the top of ``tests/`` so any test folder can use it.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class TravelClock:
    """The app's clock (``app.extensions["legends.clock"]``): the wall clock plus an offset
    that ``travel`` grows, mining a devnet block at the same instant."""

    def __init__(self, rpc=None) -> None:  # type: ignore[no-untyped-def]
        self.rpc = rpc  # chain.rpc.JsonRpcChain of the devnet (None: the app's clock only)
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def travel(self, **delta: float) -> datetime:
        """Move both clocks forward by ``timedelta(**delta)``; returns the new now."""
        step = timedelta(**delta)
        self.offset += step
        at = self.now()
        if self.rpc is not None:
            head = self.rpc.block("latest").timestamp
            # Block timestamps only go forward, and a devnet mining many blocks a second runs
            # ahead of the wall clock: the chain moves by ``step`` from its head at least, and
            # the app's clock follows it there, so both stay at one instant.
            target = max(int(at.timestamp()), head + max(1, int(step.total_seconds())))
            self.offset += timedelta(seconds=max(0.0, target - at.timestamp()))
            self.rpc.request("evm_setNextBlockTimestamp", [target])
            self.rpc.request("evm_mine", [])
            at = self.now()
        return at

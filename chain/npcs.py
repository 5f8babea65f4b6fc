"""Reading the NPCs' events: decoded logs of one contract over a block range, filtered by
indexed arguments, in spans a public node accepts.

What the NPCs are, stock and decide is game content (:mod:`quests.npcs`); finding them and
acting for them is composition (``legends.wiring.scout``, ``legends.wiring.upkeep``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chain.bindings import BoundContract
from chain.port import Log

ZERO = "0x" + "00" * 20
LOG_SPAN = 10_000  # blocks per eth_getLogs: public nodes cap the range


def topic(value: str | int) -> str:
    """A 32-byte topic for an indexed address or uint."""
    number = int(value, 16) if isinstance(value, str) else value
    return "0x" + number.to_bytes(32, "big").hex()


def event_logs(contract: BoundContract, event: str, since: int, *filters: Any,
               until: int | None = None) -> list[tuple[Log, dict[str, Any]]]:
    """Decoded ``event`` logs of ``contract`` from block ``since``, in chain order; ``filters``
    are the indexed arguments' topics (None matches anything)."""
    chain = contract.tx.chain
    head = chain.block_number() if until is None else until
    topics: Sequence[Any] = ["0x" + contract.abi.events[event].topic.hex(), *filters]
    found = []
    for start in range(max(since, 0), head + 1, LOG_SPAN):
        for log in chain.logs([contract.address], start, min(start + LOG_SPAN - 1, head), topics):
            decoded = contract.abi.decode_log(log)
            if decoded and decoded[0] == event and not log.removed:
                found.append((log, decoded[1]))
    return found

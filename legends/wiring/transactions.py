"""Reading one of the player's transactions from the chain for ``POST /api/quests/<id>/explain``:
who sent it, what it called, whether it reverted (and with which custom error, replayed at its
parent block), the suite events it emitted, and what the world offers next (for a vote that
came too late: the motion the player can vote on)."""

from __future__ import annotations

from typing import Any

from chain.bindings import Suite
from legends.wiring.chainlink import ChainLink
from legends.wiring.scout import proposal_state
from quests.evidence import ChainEvent
from quests.npcs.council import ProposalState
from quests.receipts import TxFacts

CARETAKER_TICK_SECONDS = 2


class UnknownTransaction(LookupError):
    pass


class NotYourTransaction(PermissionError):
    pass


def read_facts(link: ChainLink, suite: Suite, tx_hash: str, player: str, *,
               tick_seconds: float = CARETAKER_TICK_SECONDS) -> TxFacts:
    rpc = link.rpc
    tx = rpc.transaction(tx_hash)
    if tx is None:
        raise UnknownTransaction(tx_hash)
    sender, to, data = tx[0], tx[1] or "", tx[2]
    if sender.lower() != player.lower():
        raise NotYourTransaction(tx_hash)
    receipt = rpc.receipt(tx_hash)
    if receipt is None:
        return TxFacts(tx_hash, sender, mined=False)
    contracts = suite.by_address()
    called = contracts.get(to.lower())
    call = called.abi.decode_call(data) if called else None
    facts: dict[str, Any] = {"contract": called.abi.name if called else None,
                             "function": call[0] if call else None,
                             "block_number": receipt.block_number}
    if receipt.status == 0:
        revert = link.tx.why_failed(tx_hash, sender, to, data, receipt)
        context = _context(suite, player, revert.error, call, tick_seconds)
        return TxFacts(tx_hash, sender, mined=True, reverted=True, error=revert.error,
                       error_args=_plain(revert.args_by_name), context=context, **facts)
    block = rpc.block(receipt.block_number)
    timestamp = block.timestamp if block else 0
    events = []
    for log in receipt.logs:
        contract = contracts.get(log.address.lower())
        decoded = contract.abi.decode_log(log) if contract else None
        if decoded:
            events.append(ChainEvent(contract.abi.name, decoded[0], _plain(decoded[1]), log.block_number,
                                     log.tx_hash, log.log_index, timestamp))
    return TxFacts(tx_hash, sender, mined=True, events=tuple(events), **facts)


def _context(suite: Suite, player: str, error: str, call: tuple[str, tuple[Any, ...]] | None,
             tick_seconds: float) -> dict[str, Any]:
    """What to advise with: for a vote, the proposal's snapshot and the motion to vote on."""
    if error not in ("NoVotingPower", "VotingClosed", "AlreadyVoted") or not call or call[0] != "castVote":
        return {}
    council, staking = suite.governance, suite.staking
    context: dict[str, Any] = {"snapshot": int(council.call("proposals", call[1][0])[1])}
    if not int(staking.call("stakedOf", player)):
        return context
    motion = votable(suite, player)
    if motion is not None:
        return {**context, "motion": motion, "opens_in": 0}
    # None open for this stake: the caretaker's patrons ask the elder for a fresh one next tick.
    return {**context, "motion": int(council.call("proposalCount")) + 1, "opens_in": round(tick_seconds)}


def votable(suite: Suite, player: str, look_back: int = 5) -> int | None:
    """An open proposal the player's stake can vote on (newest first), or None."""
    council, staking = suite.governance, suite.staking
    newest = int(council.call("proposalCount"))
    for proposal in range(newest, max(0, newest - look_back), -1):
        if proposal_state(suite, proposal) is not ProposalState.ACTIVE or council.call(
                "hasVoted", proposal, player):
            continue
        if int(staking.call("votingPowerAt", player, int(council.call("proposals", proposal)[1]))):
            return proposal
    return None


def _plain(args: Any) -> dict[str, Any]:
    return {k: "0x" + v.hex() if isinstance(v, bytes) else v for k, v in dict(args).items()}

"""Explaining one of the player's transactions for a quest, in words: a reverted one by its
decoded custom error and what to do about it, a mined one by what it did and why it did (or
did not) count. Pure: the wiring reads the chain into ``TxFacts``; the service adds what the
quest engine knows (verdicts on the logs, the quest's standing and opening block).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from quests.definitions import Quest
from quests.evidence import ChainEvent, Player
from quests.objectives import EventObjective, describe
from quests.objectives.event import concerns
from quests.units import format_sahara
from quests.words import contract_name, deed


@dataclass(frozen=True)
class TxFacts:
    """What the chain says about a transaction. ``context`` carries what the wiring read to
    advise on the error (e.g. ``snapshot``, ``motion``, ``opens_in`` for ``NoVotingPower``)."""

    tx_hash: str
    sender: str
    mined: bool
    reverted: bool = False
    block_number: int | None = None
    contract: str | None = None  # the suite contract it called, if any
    function: str | None = None
    error: str | None = None
    error_args: Mapping[str, Any] = field(default_factory=dict)
    events: tuple[ChainEvent, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Judged:
    """What the engine did with one log of the transaction for this quest."""

    verdict: str  # counted | ignored
    why: str | None = None


def _when(ts: Any, now: datetime) -> str:
    at = datetime.fromtimestamp(int(ts), UTC)
    seconds = max(0, int((at - now).total_seconds()))
    return f"{at:%H:%M:%S} UTC (in {seconds} s)"


def advice(error: str, args: Mapping[str, Any], ctx: Mapping[str, Any], now: datetime) -> tuple[str, str]:
    """(what happened, what to do) for a custom error of the suite."""
    sahara = format_sahara
    if error == "NoVotingPower":
        snapshot = ctx.get("snapshot")
        what = (
            f"your stake came after this proposal's snapshot (block #{snapshot})"
            if snapshot is not None
            else "you had no stake at this proposal's snapshot"
        )
        motion, wait = ctx.get("motion"), ctx.get("opens_in")
        if motion is None:
            return what + ", so it gives you no voice on it", "stake SAHARA in the Citadel first"
        when = "which is open now" if not wait else f"which opens in {wait} s"
        return what + ", so it gives you no voice on it", f"vote on motion #{motion}, {when}"
    table: dict[str, tuple[str, str]] = {
        "AlreadyHasIdentity": (
            "you already hold a Sahara ID: one per traveller, and it never leaves you",
            "nothing to mint: “A Name in the Sand” counts the ID you hold; open it",
        ),
        "AlreadyForged": ("you are a Legend already", "“Legend of the Sahara” counts the Legend you hold"),
        "AlreadyVoted": (
            f"you already voted on proposal #{args.get('proposalId')}",
            "each voice counts once per proposal: vote on another motion",
        ),
        "VotingClosed": (
            f"voting on proposal #{args.get('proposalId')} has closed",
            f"vote on motion #{ctx.get('motion', 'the newest')} instead",
        ),
        "FaucetCooldown": (
            "the well pours once an hour for each traveller",
            f"claim again at {_when(args.get('nextClaimAt', 0), now)}",
        ),
        "FaucetDailyCapReached": ("you drank the well's daily share", "come back tomorrow (UTC)"),
        "CannotBuyOwnListing": (
            "you tried to buy your own listing: coins passed from your left hand to your right fool nobody",
            "buy another merchant's listing",
        ),
        "SelfLicense": ("you cannot license your own agent", "license another traveller's agent"),
        "AlreadyLicensed": (
            f"you already hold a licence for agent #{args.get('agentId')}",
            "invoke it, or license another agent",
        ),
        "NotLicensed": (
            f"you hold no licence for agent #{args.get('agentId')}",
            "license the agent first, then invoke it",
        ),
        "InsufficientShards": (
            f"you hold {args.get('balance')} of the {args.get('required')} shards this Guardian needs",
            "finish more of the region's quests and wait for the shards",
        ),
        "MissingGuardian": (
            f"the relic needs Guardian #{args.get('guardianId')}, which you do not hold",
            "craft every region's Guardian first",
        ),
        "UnstakeNotReady": (
            "your unstaked SAHARA is still cooling down",
            f"withdraw at {_when(args.get('availableAt', 0), now)}",
        ),
        "NoPendingUnstake": ("you have no unstake waiting", "request an unstake first"),
        "NoRewards": ("your stake has earned nothing yet", "wait a few seconds and claim again"),
        "NothingToWithdraw": ("no revenue is waiting for you in the Bazaar", "sell something first"),
        "NoAcceptedLabels": (
            "your task has no accepted label yet",
            "review (accept) a label on your own task, then create the dataset",
        ),
        "NotReviewer": (
            "only a task's poster, or the Oasis reviewer, reviews its labels",
            "review labels on a task you posted",
        ),
        "CannotReviewOwnLabel": (
            "you cannot review your own label",
            "wait for the task's poster to review it",
        ),
        "DuplicateLabel": ("a label with this content was already given to the task", "label something new"),
        "TaskClosed": (f"task #{args.get('taskId')} is closed", "label the caravan's open task"),
        "BudgetExhausted": (
            f"task #{args.get('taskId')} has no purse left",
            "label the caravan's newest task",
        ),
        "BelowProposalThreshold": (
            f"proposing needs {sahara(int(args.get('threshold', 0)))} SAHARA of voting power at the block "
            f"before; you had {sahara(int(args.get('power', 0)))}",
            "stake more, wait one block, then propose",
        ),
        "Soulbound": ("soulbound tokens never leave their owner", "keep it: it is yours for good"),
        "ERC20InsufficientAllowance": (
            f"{sahara(int(args.get('needed', 0)))} SAHARA were needed but only "
            f"{sahara(int(args.get('allowance', 0)))} were approved",
            "approve the contract to spend it first",
        ),
        "ERC20InsufficientBalance": (
            f"you hold {sahara(int(args.get('balance', 0)))} SAHARA; "
            f"this needed {sahara(int(args.get('needed', 0)))}",
            "claim SAHARA from the faucet at the Gate",
        ),
        "OutOfGas": ("it ran out of gas", "send it again with a higher gas limit"),
    }
    if error in table:
        return table[error]
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"it reverted with {error}({shown})", "read the error, fix what it names, and send it again"


def explain_tx(
    quest: Quest,
    facts: TxFacts,
    wallet: Player,
    *,
    is_open: bool,
    locked_reason: str | None,
    opening_block: int,
    judged: Mapping[str, Judged],
    indexed_to: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The answer of ``POST /api/quests/<id>/explain``."""
    body: dict[str, Any] = {
        "tx": facts.tx_hash,
        "quest_id": quest.id,
        "quest": quest.title,
        "block_number": facts.block_number,
        "error": None,
        "events": [],
    }
    if not facts.mined:
        return {
            **body,
            "outcome": "pending",
            "explanation": "this transaction is not mined yet",
            "next": "wait a few seconds and ask again",
        }
    if facts.reverted:
        what, step = advice(facts.error or "Reverted", facts.error_args, facts.context, now)
        where = contract_name(facts.contract) if facts.contract else "the contract"
        body["error"] = {"name": facts.error, "contract": facts.contract, "args": dict(facts.error_args)}
        return {
            **body,
            "outcome": "reverted",
            "explanation": f"your call to {where} reverted: {what}",
            "next": step,
        }
    wanted = [o for o in quest.all_objectives() if isinstance(o, EventObjective)]
    lines, counted = [], False
    for event in facts.events:
        words = deed(event.contract, event.event)
        verdict, why = _verdict(
            event, wanted, wallet, judged, is_open, locked_reason, opening_block, indexed_to, quest
        )
        counted |= verdict == "counted"
        body["events"].append(
            {
                "contract": event.contract,
                "event": event.event,
                "log_index": event.log_index,
                "what": f"your {words.noun}",
                "verdict": verdict,
                "why": why,
            }
        )
        if why:
            lines.append(f"your {words.noun}: {why}")
    if counted:
        return {
            **body,
            "outcome": "counted",
            "explanation": f"it counted for “{quest.title}”",
            "next": "nothing: it is in the quest's evidence",
        }
    wash = _self_transfer(facts, wallet)
    if wash:
        return {
            **body,
            "outcome": "not_counted",
            "explanation": wash,
            "next": f"for “{quest.title}”: " + "; ".join(_steps(wanted)),
        }
    if not lines:
        made = ", ".join(sorted({deed(e.contract, e.event).noun for e in facts.events})) or "no event"
        lines = [
            f"it made {made}, and “{quest.title}” waits for "
            + " and ".join(describe(o) for o in wanted or quest.objectives)
        ]
    return {
        **body,
        "outcome": "not_counted",
        "explanation": "; ".join(lines),
        "next": "; ".join(_steps(wanted)) or "see the quest's objectives",
    }


def _verdict(
    event: ChainEvent,
    wanted: list[EventObjective],
    wallet: Player,
    judged: Mapping[str, Judged],
    is_open: bool,
    locked_reason: str | None,
    opening_block: int,
    indexed_to: int | None,
    quest: Quest,
) -> tuple[str, str | None]:
    mine = [o for o in wanted if concerns(o, event, wallet)]
    if not mine:
        return "unrelated", None
    found = judged.get(event.key)
    if found is not None:
        return found.verdict, found.why
    if not is_open:
        return "too_early", f"“{quest.title}” was not open to you ({locked_reason})"
    if event.block_number < opening_block:
        return "too_early", (
            f"it came in block #{event.block_number}, before “{quest.title}” opened to you "
            f"(block #{opening_block}); only what you do from then on counts"
        )
    if indexed_to is None or indexed_to < event.block_number:
        return "not_yet_seen", "the indexer has not reached its block yet; it counts within a second or two"
    return "not_counted", "it does not meet what the quest asks"


def _self_transfer(facts: TxFacts, wallet: Player) -> str | None:
    for event in facts.events:
        if (
            (event.contract, event.event) == ("SaharaToken", "Transfer")
            and wallet.is_me(event.args.get("from"))
            and wallet.is_me(event.args.get("to"))
        ):
            amount = format_sahara(int(event.args.get("value", 0)))
            return (
                f"you sent {amount} SAHARA to yourself: coins passed from your left hand to your right are "
                "not real use (anti-wash), so no quest counts them"
            )
    return None


def _steps(wanted: list[EventObjective]) -> list[str]:
    return list(dict.fromkeys(deed(o.contract, o.event).step for o in wanted))

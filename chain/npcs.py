"""The world's NPCs on chain: the Oasis caravan's labeling task, the Bazaar merchant's stall
(the Oracle of the Dunes agent and a star-map model), and a standing council proposal.

Nothing is recorded off chain: every NPC is found again from the chain itself (its events,
filtered by the NPC's address, and the contracts' views), so seeding twice, after a restart
or from another process, finds what exists and adds nothing. Each ``ensure_*`` returns the
steps it took (empty when the world already had it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chain.bindings import BoundContract, Suite
from chain.port import Log

TOKEN = 10**18
ZERO = "0x" + "00" * 20
LOG_SPAN = 10_000  # blocks per eth_getLogs: public nodes cap the range
ACTIVE = 0  # Governance.state: voting open
KIND_MODEL, KIND_AGENT = 1, 2

CARAVAN_SPEC = "sahara-legends://npc/oasis-caravan"
ORACLE_URI = "sahara-legends://npc/oracle-of-the-dunes"
ORACLE_MODEL = b"oracle-of-the-dunes".ljust(32, b"\0")
STAR_MAP_URI = "sahara-legends://npc/bazaar/caravan-star-map"
ORACLE_STALL_URI = "sahara-legends://npc/bazaar/oracle-of-the-dunes"
STALL_URIS = (STAR_MAP_URI, ORACLE_STALL_URI)

# What the council debates, in turn; signal-only proposals (they call nothing).
MOTIONS = (
    "Dig a second well at the Data Oasis",
    "Light beacons along the caravan road to the Bazaar",
    "Raise the Citadel's walls by one course of staked stone",
    "Open the Forge's furnaces to apprentices at night",
    "Pay the Oasis reviewers in dates as well as SAHARA",
)


@dataclass(frozen=True)
class Cast:
    """Who plays the NPCs: the game's admin (caravan master, reviewer, council elder) and the
    Bazaar merchant (another key on the devnet, so players buy from someone else)."""

    admin: str
    merchant: str
    patrons: tuple[str, ...] = ()  # travellers who label, license and buy from players


@dataclass(frozen=True)
class Stock:
    caravan_reward: int = 5 * TOKEN  # per accepted label
    caravan_budget: int = 5_000 * TOKEN  # a thousand labels
    caravan_low_water: int = 100 * TOKEN  # a new caravan arrives below this
    oracle_fee: int = 5 * TOKEN
    star_map_price: int = 3 * TOKEN
    oracle_price: int = 5 * TOKEN


@dataclass(frozen=True)
class Caravan:
    task_id: int
    open: bool
    reward_per_label: int
    remaining_budget: int
    block: int  # where it was posted: its labels come later


@dataclass
class Census:
    caravans: list[Caravan] = field(default_factory=list)  # oldest first
    oracle_agent: int | None = None
    listings: dict[str, int] = field(default_factory=dict)  # stall uri -> active listing id
    open_proposal: int | None = None

    @property
    def caravan(self) -> Caravan | None:
        """The caravan players should label for: the newest open one."""
        open_ones = [c for c in self.caravans if c.open]
        return open_ones[-1] if open_ones else None


# -- reading the chain ---------------------------------------------------------------------------
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


def caravan_of(suite: Suite, task_id: int, block: int) -> Caravan:
    poster, is_open, reward, remaining, _labels, _accepted = suite.data.call("tasks", task_id)
    # A task lost in a reorg reads back empty: treat it as gone.
    return Caravan(task_id, bool(is_open) and poster != ZERO, int(reward), int(remaining), block)


def open_proposal(suite: Suite) -> int | None:
    """The newest proposal if voting on it is open. Every proposal runs for the same voting
    period, so when the newest one is closed, all are."""
    newest = int(suite.governance.call("proposalCount"))
    if newest and int(suite.governance.call("state", newest)) == ACTIVE:
        return newest
    return None


class Scout:
    """Finds the NPCs from their events, remembering how far it has read (so a long-lived
    scout reads each block once) and re-reading their state from the contracts' views."""

    def __init__(self, suite: Suite, cast: Cast, since: int) -> None:
        self.suite, self.cast = suite, cast
        self.next_block = since
        self.caravan_blocks: dict[int, int] = {}  # task id -> block it was posted in
        self.oracle: int | None = None
        self.stall_ids: list[int] = []  # listing ids of the merchant's NPC stalls

    def read_events(self, until: int | None = None) -> None:
        suite, cast = self.suite, self.cast
        head = suite.data.tx.chain.block_number() if until is None else until
        if head < self.next_block:
            return
        since = self.next_block
        posted = event_logs(suite.data, "TaskPosted", since, None, topic(cast.admin), until=head)
        agents = event_logs(suite.agents, "AgentRegistered", since, None, topic(cast.merchant), until=head)
        listed = event_logs(suite.market, "Listed", since, None, topic(cast.merchant), until=head)
        stalls = [args["listingId"] for _log, args in listed
                  if suite.market.call("listings", args["listingId"])[5] in STALL_URIS]
        # Only now, with every read done, move on: a failed read is simply read again.
        for log, args in posted:
            if args["specURI"] == CARAVAN_SPEC:
                self.caravan_blocks.setdefault(args["taskId"], log.block_number)
        for _log, args in agents:
            if args["metadataURI"] == ORACLE_URI and self.oracle is None:
                self.oracle = args["agentId"]
        self.stall_ids.extend(i for i in stalls if i not in self.stall_ids)
        self.next_block = head + 1

    def look(self, until: int | None = None) -> Census:
        self.read_events(until)
        suite = self.suite
        caravans = [caravan_of(suite, t, b) for t, b in sorted(self.caravan_blocks.items())]
        listings: dict[str, int] = {}
        for listing in self.stall_ids:
            _seller, _kind, active, _ref, _price, uri = suite.market.call("listings", listing)
            if active:
                listings.setdefault(uri, listing)
        return Census(caravans, self.oracle, listings, open_proposal(suite))


def census(suite: Suite, cast: Cast, since: int) -> Census:
    return Scout(suite, cast, since).look()


# -- making the world ----------------------------------------------------------------------------
def fund(suite: Suite, admin: str, spender: str, amount: int) -> None:
    """Mint ``amount`` SAHARA to the admin (it holds MINTER_ROLE) and approve ``spender``."""
    suite.token.transact(admin, "mint", admin, amount)
    suite.token.transact(admin, "approve", spender, amount)


def ensure_caravan(suite: Suite, cast: Cast, stock: Stock, found: Census) -> list[str]:
    """An open caravan task with budget above the low-water mark; an older caravan that can
    no longer pay a label is closed (its dust goes back to the admin)."""
    done: list[str] = []
    current = found.caravan
    if current is None or current.remaining_budget < stock.caravan_low_water:
        fund(suite, cast.admin, suite.data.address, stock.caravan_budget)
        receipt = suite.data.transact(cast.admin, "postTask", CARAVAN_SPEC, stock.caravan_reward,
                                      stock.caravan_budget)
        task_id = suite.data.events(receipt, "TaskPosted")[0][1]["taskId"]
        current = caravan_of(suite, task_id, receipt.block_number)
        found.caravans.append(current)
        done.append(f"the Oasis caravan arrived: task {task_id}")
    for old in found.caravans:
        if old.open and old.task_id != current.task_id and old.remaining_budget < old.reward_per_label:
            suite.data.transact(cast.admin, "closeTask", old.task_id)
            done.append(f"the spent caravan {old.task_id} moved on")
    return done


def ensure_stall(suite: Suite, cast: Cast, stock: Stock, found: Census) -> list[str]:
    """The merchant's Oracle of the Dunes agent and its two listings in the Bazaar."""
    done: list[str] = []
    oracle = found.oracle_agent
    if oracle is None:
        receipt = suite.agents.transact(cast.merchant, "registerAgent", ORACLE_URI, stock.oracle_fee,
                                        ORACLE_MODEL, [])
        oracle = found.oracle_agent = suite.agents.events(receipt, "AgentRegistered")[0][1]["agentId"]
        done.append(f"the Oracle of the Dunes awoke: agent {oracle}")
    wanted = ((STAR_MAP_URI, KIND_MODEL, 1, stock.star_map_price),
              (ORACLE_STALL_URI, KIND_AGENT, oracle, stock.oracle_price))
    for uri, kind, ref, price in wanted:
        if uri not in found.listings:
            receipt = suite.market.transact(cast.merchant, "list", kind, ref, price, uri)
            listing = found.listings[uri] = suite.market.events(receipt, "Listed")[0][1]["listingId"]
            done.append(f"the merchant unrolled a carpet: listing {listing} ({uri.rsplit('/', 1)[-1]})")
    return done


def ensure_voice(suite: Suite, cast: Cast) -> list[str]:
    """Stake enough for the admin to propose (a proposal's snapshot is the previous block,
    so the stake lands in an earlier block than the proposal)."""
    threshold = int(suite.governance.call("proposalThreshold"))
    staked = int(suite.staking.call("votingPower", cast.admin))
    if staked >= threshold:
        return []
    missing = threshold - staked
    fund(suite, cast.admin, suite.staking.address, missing)
    suite.staking.transact(cast.admin, "stake", missing)
    return [f"the council elder staked {missing / TOKEN:g} SAHARA"]


def ensure_proposal(suite: Suite, cast: Cast) -> list[str]:
    """A proposal open for votes: when none is, the council elder tables the next motion."""
    if open_proposal(suite) is not None:
        return []
    return table_motion(suite, cast)


def table_motion(suite: Suite, cast: Cast) -> list[str]:
    """The council elder tables the next motion (staking first if its voice is too weak)."""
    done = ensure_voice(suite, cast)
    number = int(suite.governance.call("proposalCount")) + 1
    motion = f"{MOTIONS[(number - 1) % len(MOTIONS)]} (motion {number})"
    receipt = suite.governance.transact(cast.admin, "propose", motion, ZERO, b"")
    proposal = suite.governance.events(receipt, "ProposalCreated")[0][1]["proposalId"]
    return [*done, f"the council debates proposal {proposal}: {motion}"]


def seed_world(suite: Suite, cast: Cast, stock: Stock | None = None, since: int = 0) -> list[str]:
    """Everything a player needs from someone else; idempotent (see the module doc)."""
    stock = stock or Stock()
    found = census(suite, cast, since)
    return [*ensure_caravan(suite, cast, stock, found), *ensure_stall(suite, cast, stock, found),
            *ensure_proposal(suite, cast)]

"""Finding the NPCs on chain: their events (filtered by the NPCs' addresses) and the
contracts' views, read into a :class:`quests.npcs.cast.Census`.

Nothing about the NPCs is recorded off chain, so seeding twice, after a restart or from
another process, finds what exists. The suite's numeric states are turned into the game's
names here, in one place.
"""

from __future__ import annotations

from chain.bindings import Suite
from chain.npcs import ZERO, event_logs, topic
from quests.npcs.bazaar import ORACLE_URI, AssetKind, is_stall
from quests.npcs.caravan import CARAVAN_SPEC, LabelStatus
from quests.npcs.cast import Caravan, Cast, Census
from quests.npcs.council import ProposalState

# The suite's uint8 constants, in value order: Governance.STATE_*, DataServices.STATUS_*,
# AIMarketplace.KIND_*.
PROPOSAL_STATES = (ProposalState.ACTIVE, ProposalState.DEFEATED, ProposalState.SUCCEEDED,
                   ProposalState.QUEUED, ProposalState.EXECUTED)
LABEL_STATUSES = (LabelStatus.PENDING, LabelStatus.ACCEPTED, LabelStatus.REJECTED)
ASSET_KINDS = (AssetKind.DATASET, AssetKind.MODEL, AssetKind.AGENT)


def proposal_state(suite: Suite, proposal: int) -> ProposalState:
    return PROPOSAL_STATES[int(suite.governance.call("state", proposal))]


def label_status(suite: Suite, label_id: int) -> LabelStatus:
    return LABEL_STATUSES[int(suite.data.call("labels", label_id)[2])]


def asset_kind(value: int) -> AssetKind:
    return ASSET_KINDS[int(value)]


def kind_value(kind: AssetKind) -> int:
    return ASSET_KINDS.index(kind)


def caravan_of(suite: Suite, task_id: int, block: int) -> Caravan:
    poster, is_open, reward, remaining, _labels, _accepted = suite.data.call("tasks", task_id)
    # A task lost in a reorg reads back empty: treat it as gone.
    return Caravan(task_id, bool(is_open) and poster != ZERO, int(reward), int(remaining), block)


def open_proposal(suite: Suite) -> int | None:
    """The newest proposal if voting on it is open. Every proposal runs for the same voting
    period, so when the newest one is closed, all are."""
    newest = int(suite.governance.call("proposalCount"))
    if newest and proposal_state(suite, newest) is ProposalState.ACTIVE:
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
                  if is_stall(suite.market.call("listings", args["listingId"])[5])]
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

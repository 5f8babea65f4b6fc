"""Finding the NPCs on chain: their events (filtered by the NPCs' addresses) and the
contracts' views, read into a :class:`quests.npcs.cast.Census`.

Nothing about the NPCs is recorded off chain, so seeding twice, after a restart or from
another process, finds what exists. The suite's numeric states (:mod:`chain.enums`, read
from the artifacts) are turned into the game's names here, member by member name.
"""

from __future__ import annotations

from chain import enums
from chain.bindings import Suite
from chain.npcs import ZERO, event_logs, topic
from quests.npcs.bazaar import ORACLE_URI, AssetKind, is_stall
from quests.npcs.caravan import CARAVAN_SPEC, LabelStatus
from quests.npcs.cast import Caravan, Cast, Census
from quests.npcs.council import ProposalState


def proposal_state(suite: Suite, proposal: int) -> ProposalState:
    return ProposalState[enums.Governance.State(int(suite.governance.call("state", proposal))).name]


def label_status(suite: Suite, label_id: int) -> LabelStatus:
    return LabelStatus[enums.DataServices.Status(int(suite.data.call("labels", label_id).status)).name]


def asset_kind(value: int) -> AssetKind:
    return AssetKind[enums.AIMarketplace.Kind(int(value)).name]


def kind_value(kind: AssetKind) -> int:
    return int(enums.AIMarketplace.Kind[kind.name])


def caravan_of(suite: Suite, task_id: int, block: int) -> Caravan:
    task = suite.data.call("tasks", task_id)
    # A task lost in a reorg reads back empty: treat it as gone.
    return Caravan(task_id, bool(task.open) and task.poster != ZERO, int(task.rewardPerLabel),
                   int(task.remainingBudget), block)


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
                  if is_stall(suite.market.call("listings", args["listingId"]).uri)]
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
            found = suite.market.call("listings", listing)
            if found.active:
                listings.setdefault(found.uri, listing)
        return Census(caravans, self.oracle, listings, open_proposal(suite))


def census(suite: Suite, cast: Cast, since: int) -> Census:
    return Scout(suite, cast, since).look()

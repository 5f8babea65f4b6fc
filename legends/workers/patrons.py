"""The patrons: travellers played by the game who do what another person would do for a player,
so that every quest needing someone else can be finished alone, within seconds.

Each caretaker tick they read the suite's events since their own cursor and
- label a task a player posted (one honest label from the first patron), so that the poster
  can review it and bottle a dataset (``oasis.dataset``);
- license an agent a player registered (the first two patrons; ``forge.sought-after``);
- buy from a player's listing (all three patrons, once each; ``bazaar.agent-trader``,
  ``bazaar.collect``, ``bazaar.busy-stall``);
- ask the council elder for a fresh motion when a traveller staked after the snapshot of every
  open proposal (their vote would revert ``NoVotingPower``; ``citadel.vote``).

Their rules (what they pay, when a motion is needed) are ``quests.npcs.patrons``: a stall
priced above a patron's budget waits for real customers. Everything is found again on chain
after a restart; a second attempt reverts (``AlreadyLicensed``, ``DuplicateLabel``...) and is simply dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from chain.bindings import Suite
from chain.errors import ContractRevert
from chain.npcs import event_logs
from legends.wiring.scout import open_proposal, proposal_state
from legends.wiring.upkeep import table_motion
from quests.npcs.caravan import CARAVAN_SPEC
from quests.npcs.cast import Cast
from quests.npcs.council import ProposalState
from quests.npcs.patrons import (
    BUYING_PATRONS,
    LICENSING_PATRONS,
    LOW_PURSE,
    PURSE,
    needs_fresh_motion,
    patron_label,
    worth_buying,
    worth_licensing,
)

log = logging.getLogger(__name__)
MAX_UINT = 2**256 - 1


@dataclass
class Patrons:
    suite: Suite
    cast: Cast
    next_block: int
    tasks: list[int] = field(default_factory=list)
    agents: list[int] = field(default_factory=list)
    listings: list[int] = field(default_factory=list)
    last_stake_block: int | None = None
    provisioned: set[str] = field(default_factory=set)

    def tick(self) -> list[str]:
        if not self.cast.patrons:
            return []
        self._read()
        done: list[str] = []
        for task in self.tasks:
            done += self._label(task)
        self.tasks = []
        for agent in self.agents:
            done += self._license(agent)
        self.agents = []
        for listing in self.listings:
            done += self._buy(listing)
        self.listings = []
        done += self._motion()
        return done

    # -- reading -------------------------------------------------------------------------------
    def _read(self) -> None:
        head = self.suite.data.tx.chain.block_number()
        if head < self.next_block:
            return
        since, npcs = self.next_block, {self.cast.admin, self.cast.merchant, *self.cast.patrons}
        s = self.suite
        posted = event_logs(s.data, "TaskPosted", since, until=head)
        agents = event_logs(s.agents, "AgentRegistered", since, until=head)
        listed = event_logs(s.market, "Listed", since, until=head)
        staked = event_logs(s.staking, "Staked", since, until=head)
        self.tasks += [a["taskId"] for _, a in posted
                       if a["poster"] not in npcs and a["specURI"] != CARAVAN_SPEC]
        self.agents += [a["agentId"] for _, a in agents if a["developer"] not in npcs]
        self.listings += [a["listingId"] for _, a in listed if a["seller"] not in npcs]
        stakes = [lg.block_number for lg, a in staked if a["account"] not in npcs]
        if stakes:
            self.last_stake_block = max(stakes + [self.last_stake_block or 0])
        self.next_block = head + 1

    # -- acting --------------------------------------------------------------------------------
    def _provision(self, patron: str) -> None:
        """SAHARA in the purse and the Forge and the Bazaar approved to take it."""
        s, admin = self.suite, self.cast.admin
        if s.token.balance_of(patron) < LOW_PURSE and patron != admin:
            s.token.transact(admin, "mint", patron, PURSE)
        if patron not in self.provisioned:
            s.token.transact(patron, "approve", s.agents.address, MAX_UINT)
            s.token.transact(patron, "approve", s.market.address, MAX_UINT)
            self.provisioned.add(patron)

    def _label(self, task: int) -> list[str]:
        patron = self.cast.patrons[0]
        try:
            self.suite.data.transact(patron, "submitLabel", task, patron_label(task))
        except ContractRevert as exc:
            log.info("patron could not label task %s: %s", task, exc.error)
            return []
        return [f"a patron labelled task {task}"]

    def _license(self, agent: int) -> list[str]:
        if not worth_licensing(int(self.suite.agents.call("agentInfo", agent)[1])):
            return []
        return self._each_patron(LICENSING_PATRONS, self.suite.agents, "licenseAgent", agent,
                                 f"license agent {agent}", f"a patron licensed agent {agent}")

    def _buy(self, listing: int) -> list[str]:
        _seller, _kind, active, _ref, price, _uri = self.suite.market.call("listings", listing)
        if not active or not worth_buying(int(price)):
            return []
        return self._each_patron(BUYING_PATRONS, self.suite.market, "buy", listing,
                                 f"buy listing {listing}", f"a patron bought listing {listing}")

    def _each_patron(self, count: int, contract: Any, method: str, target: int, what: str,
                     did: str) -> list[str]:
        """The first ``count`` patrons each try ``method(target)``; a revert is logged."""
        done = []
        for patron in self.cast.patrons[:count]:
            try:
                self._provision(patron)
                contract.transact(patron, method, target)
                done.append(did)
            except ContractRevert as exc:
                log.info("patron could not %s: %s", what, exc.error)
        return done

    def _motion(self) -> list[str]:
        newest = open_proposal(self.suite)
        snapshot = None
        if newest is not None and proposal_state(self.suite, newest) is ProposalState.ACTIVE:
            snapshot = int(self.suite.governance.call("proposals", newest)[1])
        if not needs_fresh_motion(self.last_stake_block, snapshot):
            return []
        done = table_motion(self.suite, self.cast)
        self.last_stake_block = None  # the new motion's snapshot covers every stake seen so far
        return done

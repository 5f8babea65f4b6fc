"""The caretaker keeps the world playable with nobody at the admin console: it reads the world
from the chain, asks the NPCs' rules in :mod:`quests.npcs` what to do, and does it.

Every tick (~2 s) it
- reviews the labels players submit to the Oasis caravan: honest ones are accepted (paying the
  caravan's reward), junk is rejected — an empty content hash, or one already seen;
- keeps the caravan's purse full: a new caravan arrives when the budget runs low;
- keeps the council sitting: when no proposal is open the elder tables the next motion, and its
  motions that passed are queued and, after the timelock, executed;
- lets the patrons (``legends.workers.patrons``) label, license, buy and ask for a fresh motion
  for the players who need someone else.

Each tick also runs the ledger's watch (:mod:`legends.wiring.mint_watch`): shards minted on
chain outside the reward ledger are logged and reported by ``/healthz``.

Everything is found on chain (events since the caretaker's own cursor, and the contracts'
views), so a restart simply reads again; a label someone else reviewed meanwhile reverts
``AlreadyReviewed`` and counts as done. It runs as a daemon thread of the embedded app
(:func:`legends.workers.start_background`) or as ``legends caretaker``; run one per deployment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from chain.bindings import Suite
from chain.errors import ChainError, ContractRevert
from chain.npcs import event_logs, topic
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from legends.wiring.mint_watch import MintWatch, build_mint_watch
from legends.wiring.npcs import cast_for, since
from legends.wiring.scout import Scout, label_status, proposal_state
from legends.wiring.upkeep import ensure_caravan, ensure_proposal
from legends.workers.locks import run_as_only_one
from legends.workers.patrons import Patrons
from legends.workers.threads import start_daemon
from quests.npcs.caravan import LabelStatus, Refused, Review, Reviewer, after_refusal
from quests.npcs.cast import Cast, Census, Stock
from quests.npcs.council import CouncilPolicy, Settle

log = logging.getLogger(__name__)
ROLE = "caretaker"  # the lock's name: one caretaker per database


class Caretaker:
    """Reads the world, asks the NPCs' rules (:mod:`quests.npcs`) and acts for them; pass
    another ``reviewer`` or ``council`` policy to change what they decide."""

    def __init__(self, suite: Suite, cast: Cast, stock: Stock, since_block: int, *,
                 reviewer: Reviewer | None = None, council: CouncilPolicy | None = None) -> None:
        self.suite, self.cast, self.stock = suite, cast, stock
        self.reviewer = reviewer or Reviewer()
        self.policy = council or CouncilPolicy()
        self.scout = Scout(suite, cast, since_block)
        self.next_block = since_block  # labels and proposals are read from here on
        self.queue: dict[int, Review] = {}  # label id -> review still to send
        self.council: set[int] = set()  # the elder's proposals not yet settled
        self.patrons = Patrons(suite, cast, since_block)

    def tick(self) -> list[str]:
        """One round; returns what it did. Chain errors propagate (the runner retries)."""
        head = self.suite.data.tx.chain.block_number()
        census = self.scout.look(until=head)
        self._read(head, [c.task_id for c in census.caravans])
        done = self._review(census)
        done += ensure_caravan(self.suite, self.cast, self.stock, census)
        done += self._settle_council()
        done += ensure_proposal(self.suite, self.cast, self.policy)
        done += self.patrons.tick()
        return done

    # -- reading ------------------------------------------------------------------------------
    def _read(self, head: int, caravans: list[int]) -> None:
        if head < self.next_block:
            return
        data, council = self.suite.data, self.suite.governance
        labels = (event_logs(data, "LabelSubmitted", self.next_block, None,
                             [topic(t) for t in caravans], until=head) if caravans else [])
        tabled = event_logs(council, "ProposalCreated", self.next_block, None,
                            topic(self.cast.admin), until=head)
        # Judged only after both reads succeeded, in label order, so a retry judges the same.
        for _log, args in sorted(labels, key=lambda item: item[1]["labelId"]):
            self.queue[args["labelId"]] = self.reviewer.judge(
                args["labelId"], args["taskId"], args["labeler"], args["contentHash"])
        self.council.update(args["proposalId"] for _log, args in tabled)
        self.next_block = head + 1

    # -- the reviewer -------------------------------------------------------------------------
    def _review(self, census: Census) -> list[str]:
        data, done = self.suite.data, []
        current = census.caravan.task_id if census.caravan else None
        for label_id in sorted(self.queue):
            review = self.queue[label_id]
            if label_status(self.suite, label_id) is not LabelStatus.PENDING:
                del self.queue[label_id]  # reviewed by someone else meanwhile
                continue
            try:
                data.transact(self.cast.admin, "reviewLabel", label_id, review.junk is None)
            except ContractRevert as exc:
                then = after_refusal(exc.error, review.task_id, current)
                if then is None:
                    raise
                if then is Refused.RETRY:
                    continue  # a new caravan arrives below; this one is tried again
                if then is Refused.UNPAID:
                    log.warning("label %s: caravan %s has no purse left", label_id, review.task_id)
                del self.queue[label_id]
                continue
            del self.queue[label_id]
            done.append(review.told())
        return done

    # -- the council ----------------------------------------------------------------------------
    def _settle_council(self) -> list[str]:
        council, done = self.suite.governance, []
        for proposal in sorted(self.council):
            step = self.policy.settle(proposal_state(self.suite, proposal))
            try:
                if step is Settle.QUEUE:
                    council.transact(self.cast.admin, "queue", proposal)
                elif step is Settle.EXECUTE:
                    council.transact(self.cast.admin, "execute", proposal)
            except ContractRevert as exc:
                then = self.policy.after_refusal(exc.error)
                if then is None:
                    raise
                step = then
                if step is Settle.FORGET:
                    log.warning("proposal %s could not be executed; the council lets it rest",
                                proposal)
            told = self.policy.told(proposal, step)
            if told:
                done.append(told)
            if step in (Settle.EXECUTE, Settle.FORGET):
                self.council.discard(proposal)
        return done


# -- composition ------------------------------------------------------------------------------
def build_caretaker(app: Flask) -> Caretaker:
    """The caretaker on the app's chain (raises ChainError while the suite is not deployed)."""
    with app.app_context():
        link = get_chain()
        manifest = SqlManifestStore(get_db().sessions).load(link.tx.chain_id).require_complete()
        suite = Suite.bind(manifest.addresses, link.tx)
        return Caretaker(suite, cast_for(link), Stock(), since(manifest))


def run_caretaker(app: Flask, stop: threading.Event, say: Callable[[str], None] = log.info,
                  interval: float | None = None) -> None:
    """Tick until ``stop``; every failure is logged and retried, never the end of the thread."""
    interval = float(interval or app.config["CARETAKER_TICK_SECONDS"])

    def tend(held: threading.Event) -> None:
        caretaker: Caretaker | None = None
        watch: MintWatch | None = None
        while not held.is_set():
            try:
                caretaker = caretaker or build_caretaker(app)
                for step in caretaker.tick():
                    say(f"caretaker: {step}")
            except ChainError as exc:
                log.warning("caretaker tick failed (%s); retrying", exc)
            except Exception:  # a bug must not leave the world unattended for good
                log.exception("caretaker tick crashed; retrying")
            try:  # the ledger's watch: shards minted outside it are logged and on /healthz
                watch = watch or build_mint_watch(app)
                watch.check()
            except ChainError as exc:
                log.warning("mint audit failed (%s); retrying", exc)
            except Exception:
                log.exception("mint audit crashed; retrying")
            held.wait(interval)

    # Two caretakers would open two proposals at once: one per database, the other stands by.
    run_as_only_one(app.extensions["legends.db"].engine, ROLE, stop, tend, say)


def start_caretaker(app: Flask) -> Callable[[], None]:
    """Run the caretaker in a daemon thread of this process; returns its stopper."""
    return start_daemon(app, run_caretaker, "legends-caretaker")

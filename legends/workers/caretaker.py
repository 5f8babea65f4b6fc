"""The caretaker keeps the world playable with nobody at the admin console.

Every tick (~2 s) it
- reviews the labels players submit to the Oasis caravan: honest ones are accepted (paying the
  caravan's reward), junk is rejected — an empty content hash, or one already seen;
- keeps the caravan's purse full: a new caravan arrives when the budget runs low;
- keeps the council sitting: when no proposal is open the elder tables the next motion, and its
  motions that passed are queued and, after the timelock, executed.

Everything is found on chain (events since the caretaker's own cursor, and the contracts'
views), so a restart simply reads again; a label someone else reviewed meanwhile reverts
``AlreadyReviewed`` and counts as done. It runs as a daemon thread of the embedded app
(:func:`legends.workers.start_background`) or as ``legends caretaker``; run one per deployment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask import Flask

from chain.bindings import Suite
from chain.errors import ChainError, ContractRevert
from chain.npcs import Cast, Census, Scout, Stock, ensure_caravan, ensure_proposal, event_logs, topic
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from legends.wiring.npcs import cast_for, since
from legends.workers.locks import run_as_only_one
from legends.workers.threads import start_daemon

log = logging.getLogger(__name__)

EMPTY = bytes(32)
PENDING = 0
SUCCEEDED, QUEUED, DEFEATED, EXECUTED = 2, 3, 1, 4
DONE_REVIEWING = ("AlreadyReviewed", "CannotReviewOwnLabel", "LabelNotFound")


def verdict(content_hash: bytes, seen: Collection[bytes]) -> str | None:
    """None to accept a label; otherwise why the reviewer calls it junk (a pure rule)."""
    if content_hash == EMPTY:
        return "an empty label"
    if content_hash in seen:
        return "a copy of a label already brought to the caravan"
    return None


@dataclass(frozen=True)
class Review:
    label_id: int
    task_id: int
    labeler: str
    junk: str | None  # None: accept


class Caretaker:
    def __init__(self, suite: Suite, cast: Cast, stock: Stock, since_block: int) -> None:
        self.suite, self.cast, self.stock = suite, cast, stock
        self.scout = Scout(suite, cast, since_block)
        self.next_block = since_block  # labels and proposals are read from here on
        self.queue: dict[int, Review] = {}  # label id -> review still to send
        self.seen: set[bytes] = set()  # content hashes brought to any caravan
        self.council: set[int] = set()  # the elder's proposals not yet settled

    def tick(self) -> list[str]:
        """One round; returns what it did. Chain errors propagate (the runner retries)."""
        head = self.suite.data.tx.chain.block_number()
        census = self.scout.look(until=head)
        self._read(head, [c.task_id for c in census.caravans])
        done = self._review(census)
        done += ensure_caravan(self.suite, self.cast, self.stock, census)
        done += self._settle_council()
        done += ensure_proposal(self.suite, self.cast)
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
            junk = verdict(args["contentHash"], self.seen)
            self.seen.add(args["contentHash"])
            self.queue[args["labelId"]] = Review(args["labelId"], args["taskId"], args["labeler"], junk)
        self.council.update(args["proposalId"] for _log, args in tabled)
        self.next_block = head + 1

    # -- the reviewer -------------------------------------------------------------------------
    def _review(self, census: Census) -> list[str]:
        data, done = self.suite.data, []
        current = census.caravan.task_id if census.caravan else None
        for label_id in sorted(self.queue):
            review = self.queue[label_id]
            if int(data.call("labels", label_id)[2]) != PENDING:
                del self.queue[label_id]  # reviewed by someone else meanwhile
                continue
            try:
                data.transact(self.cast.admin, "reviewLabel", label_id, review.junk is None)
            except ContractRevert as exc:
                if exc.error == "BudgetExhausted" and review.task_id == current:
                    continue  # a new caravan arrives below; this one is tried again
                if exc.error != "BudgetExhausted" and exc.error not in DONE_REVIEWING:
                    raise
                if exc.error == "BudgetExhausted":
                    log.warning("label %s: caravan %s has no purse left", label_id, review.task_id)
                del self.queue[label_id]
                continue
            del self.queue[label_id]
            done.append(f"label {label_id} accepted" if review.junk is None
                        else f"label {label_id} rejected: {review.junk}")
        return done

    # -- the council ----------------------------------------------------------------------------
    def _settle_council(self) -> list[str]:
        council, done = self.suite.governance, []
        for proposal in sorted(self.council):
            state = int(council.call("state", proposal))
            try:
                if state == SUCCEEDED:
                    council.transact(self.cast.admin, "queue", proposal)
                    done.append(f"proposal {proposal} passed and was queued")
                elif state == QUEUED:
                    council.transact(self.cast.admin, "execute", proposal)
                    done.append(f"proposal {proposal} was executed")
                    self.council.discard(proposal)
                elif state in (DEFEATED, EXECUTED):
                    self.council.discard(proposal)
            except ContractRevert as exc:
                if exc.error == "TimelockNotElapsed":
                    continue  # not yet: next tick
                if exc.error != "ExecutionFailed":
                    raise
                log.warning("proposal %s could not be executed; the council lets it rest", proposal)
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

    def tend() -> None:
        caretaker: Caretaker | None = None
        while not stop.is_set():
            try:
                caretaker = caretaker or build_caretaker(app)
                for step in caretaker.tick():
                    say(f"caretaker: {step}")
            except ChainError as exc:
                log.warning("caretaker tick failed (%s); retrying", exc)
            except Exception:  # a bug must not leave the world unattended for good
                log.exception("caretaker tick crashed; retrying")
            stop.wait(interval)

    # Two caretakers would open two proposals at once: one per database, the other stands by.
    run_as_only_one(app.extensions["legends.db"].engine, "caretaker", stop, tend, say)


def start_caretaker(app: Flask) -> Callable[[], None]:
    """Run the caretaker in a daemon thread of this process; returns its stopper."""
    return start_daemon(app, run_caretaker, "legends-caretaker")

"""The reward worker, in-process or as its own process: rules live in ``nft``, chain access
in ``chain``; this module only connects them to the configuration."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from chain import artifacts
from chain.bindings import Suite
from chain.errors import ChainError
from chain.minter import ChainMinter
from chain.rpc import JsonRpcChain
from chain.store import SqlManifestStore
from chain.txmanager import TxManager
from legends.db import get_db
from legends.realtime import happenings
from legends.wiring.chainlink import get_chain
from legends.workers.locks import run_as_only_one
from legends.workers.threads import start_daemon
from legends.workers.wakeup import get_wakeup
from nft.worker import RewardWorker

log = logging.getLogger(__name__)

# -- the worker ------------------------------------------------------------------------------
def build_worker(app: Flask) -> RewardWorker:
    """A worker with its own tx manager for the minter key (raises ChainError if the suite is
    not deployed or the chain does not answer)."""
    with app.app_context():
        link, sessions = get_chain(), get_db().sessions
        tx = TxManager(JsonRpcChain(link.rpc_url, poll=link.receipt_poll), artifacts.error_decoder(),
                       receipt_timeout=float(app.config["REWARD_RECEIPT_TIMEOUT"]),
                       max_fee=app.extensions["legends.config"].max_fee_wei())
        minter = tx.add_signer(link.signers.minter)
        manifest = SqlManifestStore(sessions).load(tx.chain_id).require_complete()
        suite = Suite.bind(manifest.addresses, tx)
    return RewardWorker(sessions, ChainMinter(tx, suite, minter),
                        max_entries=int(app.config["REWARD_BATCH_SIZE"]),
                        max_batches=int(app.config["REWARD_MAX_BATCHES"]),
                        receipt_timeout=float(app.config["REWARD_RECEIPT_TIMEOUT"]),
                        confirmations=int(app.config["INDEXER_CONFIRMATIONS"]),
                        reorg_window=int(app.config["REWARD_REORG_WINDOW"]),
                        on_confirmed=happenings.minted)


ROLE = "reward worker"
STANDBY_SECONDS = 5.0


def run_worker(app: Flask, stop: threading.Event, say: Callable[[str], None] = log.info) -> None:
    """Build the worker (retrying while the chain or the suite is missing) and run it."""
    idle = float(app.config["REWARD_IDLE_SECONDS"])
    worker, waited = None, 1.0
    while worker is None and not stop.is_set():
        try:
            worker = build_worker(app)
        except ChainError as exc:
            say(f"reward worker waiting for the chain: {exc}")
            stop.wait(waited)
            waited = min(waited * 2, 30.0)
    if worker is None:
        return

    wakeup = get_wakeup(app)
    wakeup.listen()  # grants recorded by another process (web, indexer) wake it too

    def mint(held: threading.Event) -> None:  # held: stop, or the lock was lost
        say("reward worker running")
        worker.run(held, idle=idle, pause=wakeup.pause)

    run_as_only_one(app.extensions["legends.db"].engine, ROLE, stop, mint, say, STANDBY_SECONDS)


def start_reward_worker(app: Flask) -> Callable[[], None]:
    """Run the worker in a daemon thread of this process; returns its stopper."""
    return start_daemon(app, run_worker, "reward-worker")

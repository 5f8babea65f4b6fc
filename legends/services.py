"""Application services used by the CLI and the views (composition, no rules)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from chain.deploy import Manifest
from chain.deploy import deploy_suite as deploy_contracts
from chain.store import SqlManifestStore
from legends.chainlink import get_chain
from legends.db import get_db


def deploy_suite(say: Callable[[str], None] = print) -> Manifest:
    link = get_chain()
    store = SqlManifestStore(get_db().sessions)
    say(f"deploying the suite to {link.rpc_url} (chain {link.tx.chain_id})")
    manifest, _ = deploy_contracts(link.tx, link.signers, store, link.params(), say)
    from legends.quest_catalog import load_quests

    load_quests(get_db().sessions, say=say)  # the quests verify against this deployment
    from legends.npcs import seed

    seed(link, manifest, say)  # the caravan, the merchant and the council players meet
    return manifest


def start_background(app: Flask) -> Callable[[], None]:
    """Start the in-process workers the embedded setup needs; returns their stopper."""
    from legends.caretaker import start_caretaker
    from legends.rewards import start_reward_worker
    from legends.verification import start_thread

    workers: list[Callable[[], None]] = [start_thread(app), start_reward_worker(app),
                                         start_caretaker(app)]

    def stop() -> None:
        for stopper in reversed(workers):
            stopper()

    return stop

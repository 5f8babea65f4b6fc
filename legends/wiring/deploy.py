"""Deploying the suite with everything the world needs on it: contracts, the quest catalog
that verifies against them, and the NPCs players meet."""

from __future__ import annotations

from collections.abc import Callable

from chain.deploy import Manifest
from chain.deploy import deploy_suite as deploy_contracts
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.wiring.chainlink import get_chain


def deploy_suite(say: Callable[[str], None] = print) -> Manifest:
    link = get_chain()
    store = SqlManifestStore(get_db().sessions)
    say(f"deploying the suite to {link.shown_url} (chain {link.tx.chain_id})")
    manifest, _ = deploy_contracts(link.tx, link.signers, store, link.params(), say,
                                   link.custody())
    from legends.wiring.catalog import load_quests

    load_quests(get_db().sessions, say=say)  # the quests verify against this deployment
    from legends.wiring.npcs import seed

    seed(link, manifest, say)  # the caravan, the merchant and the council players meet
    return manifest

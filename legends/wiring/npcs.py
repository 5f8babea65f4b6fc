"""The world's NPCs for the app: who plays them on this network, seeding them after a deploy,
and the directory the client reads (``GET /api/world/npcs``). What the NPCs are and do is in
:mod:`quests.npcs`, finding them in :mod:`legends.wiring.scout` and their hands in
:mod:`legends.wiring.upkeep`; this module only picks keys and shapes answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from chain.bindings import Suite
from chain.deploy import Manifest
from chain.store import SqlManifestStore
from legends.wiring.chainlink import ChainLink
from legends.wiring.scout import Scout, asset_kind
from legends.wiring.upkeep import seed_world
from quests.npcs.cast import Cast, Census, Stock, cast_on


def cast_for(link: ChainLink) -> Cast:
    """Who plays the NPCs on this network (:func:`quests.npcs.cast.cast_on`). On the devnet
    the Bazaar merchant and the three patrons (A Busy Stall needs sales to three different
    buyers) are keys of the instance's keyring, funded at deploy and no role of the suite."""
    return cast_on(link.network, link.signers.deployer.address,
                   lambda: link.tx.add_signer(link.keyring().merchant),
                   lambda: tuple(link.tx.add_signer(a) for a in link.keyring().patrons))


def since(manifest: Manifest) -> int:
    """The first block that can hold an NPC event: the suite's oldest deployment."""
    return min((e.block for e in manifest.entries.values()), default=0)


def seed(link: ChainLink, manifest: Manifest, say: Callable[[str], None] = print) -> list[str]:
    """Seed the NPCs after a deploy; a second run finds them all and sends nothing."""
    suite = Suite.bind(manifest.addresses, link.tx)
    steps = seed_world(suite, cast_for(link), Stock(), since(manifest))
    for step in steps:
        say(f"  world: {step}")
    say(f"world: {len(steps)} NPC steps" if steps else "world: every NPC already in place")
    return steps


# -- the directory the client reads ----------------------------------------------------------------
class Directory:
    """A long-lived scout per app (each block's events are read once) behind a lock."""

    def __init__(self, scout: Scout, cast: Cast) -> None:
        self.scout, self.cast = scout, cast
        self.lock = threading.Lock()

    def look(self) -> Census:
        with self.lock:
            return self.scout.look()


def directory(app: Flask, link: ChainLink, manifest: Manifest) -> Directory:
    key = "legends.npc_directory"
    found: Directory | None = app.extensions.get(key)
    if found is None or found.scout.suite.data.address != manifest.addresses["DataServices"]:
        suite = Suite.bind(manifest.addresses, link.tx)
        cast = cast_for(link)
        found = Directory(Scout(suite, cast, since(manifest)), cast)
        app.extensions[key] = found
    return found


def describe(found: Directory) -> dict[str, Any]:
    """What the client needs to find the NPCs; amounts in wei as strings."""
    census, suite = found.look(), found.scout.suite
    caravan = census.caravan
    listings = []
    for uri, listing in sorted(census.listings.items(), key=lambda item: item[1]):
        found_listing = suite.market.call("listings", listing)
        listings.append({"listing_id": listing, "kind": str(asset_kind(found_listing.kind)),
                         "asset_ref": found_listing.assetRef, "price": str(found_listing.price),
                         "uri": uri, "seller": found_listing.seller})
    proposal = None
    if census.open_proposal is not None:
        record = suite.governance.call("proposals", census.open_proposal)
        proposal = {"proposal_id": census.open_proposal, "vote_end": int(record.voteEnd)}
    oracle = None
    if census.oracle_agent is not None:
        fee = suite.agents.call("agentInfo", census.oracle_agent).licenseFee
        oracle = {"agent_id": census.oracle_agent, "developer": found.cast.merchant,
                  "license_fee": str(fee)}
    return {
        "caravan": caravan and {"task_id": caravan.task_id,
                                "reward_per_label": str(caravan.reward_per_label),
                                "remaining_budget": str(caravan.remaining_budget)},
        "oracle": oracle,
        "listings": listings,
        "proposal": proposal,
        "reviewer": found.cast.admin,
        "merchant": found.cast.merchant,
    }


def report(app: Flask) -> dict[str, Any]:
    """``GET /api/world/npcs`` (raises ChainError while the chain or the suite is missing)."""
    link: ChainLink = app.extensions["legends.chain"]
    manifest = link.manifest(SqlManifestStore(app.extensions["legends.db"].sessions)).require_complete()
    return describe(directory(app, link, manifest))

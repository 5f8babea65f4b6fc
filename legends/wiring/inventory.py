"""What a player owns and can craft, read from the chain and the ledger for the API."""

from __future__ import annotations

from functools import cache
from typing import Any

from chain.bindings import Suite
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from nft import outbox_reads
from nft.ledger import WEI_PER_SAHARA
from nft.recipes import RecipeBook, load_recipes, preview
from nft.tokens import GUARDIAN_IDS, LEGEND_ID, SHARD_IDS, region_of, token_name


# -- reading what a player owns ----------------------------------------------------------------
def chain_suite() -> Suite:
    return get_chain().suite(SqlManifestStore(get_db().sessions))


def holdings_of(suite: Suite, address: str) -> dict[int, int]:
    """Every game token a player holds on chain (shards, Guardians, the Legend)."""
    held = suite.shards.balances(address, [*SHARD_IDS, *GUARDIAN_IDS])
    held[LEGEND_ID] = suite.relic.balance_of(address, LEGEND_ID)
    return held


def _token(token_id: int, balance: int) -> dict[str, Any]:
    place = region_of(token_id)
    return {"token_id": token_id, "name": token_name(token_id),
            "region": place.key if place else None, "balance": balance}


def sahara_text(wei: int) -> str:
    """Wei as a decimal SAHARA amount without float rounding: 1.5, 100, 0.000000000000000001."""
    whole, fraction = divmod(wei, WEI_PER_SAHARA)
    return f"{whole}.{fraction:018d}".rstrip("0").rstrip(".")


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def inventory(address: str, xp: int) -> dict[str, Any]:
    """Shards, Guardians, the Legend and SAHARA from the chain; open grants from the ledger."""
    suite = chain_suite()
    held = holdings_of(suite, address)
    sahara = suite.token.balance_of(address)
    with get_db().sessions() as session:
        open_grants = outbox_reads.open_grants_for(session, address)
    return {
        "address": address,
        "shards": [_token(t, held[t]) for t in SHARD_IDS],
        "guardians": [_token(t, held[t]) for t in GUARDIAN_IDS],
        "legend": {**_token(LEGEND_ID, held[LEGEND_ID]), "held": held[LEGEND_ID] > 0},
        "sahara": {"wei": str(sahara), "amount": sahara_text(sahara)},
        "xp": xp,
        "pending": [
            {"source": g.record.source, "period": g.record.period, "kind": g.record.kind.value,
             "token_id": g.record.token_id, "amount": str(g.record.amount),
             "state": g.record.state.value, "created_at": _iso(g.record.created_at),
             "tx_hash": g.tx_hash, "next_attempt_at": _iso(g.next_attempt_at),
             "last_error": g.last_error}
            for g in open_grants
        ],
    }


@cache
def recipe_book() -> RecipeBook:
    return load_recipes()


def crafting(address: str) -> dict[str, Any]:
    """What the player can craft now, what is missing, and the tx their wallet should send.

    Crafting is the player's own transaction (docs/rewards.md): the contracts burn from and
    mint to ``msg.sender``, and quests verify GuardianCrafted/LegendForged by that sender.
    """
    suite = chain_suite()
    held = holdings_of(suite, address)
    chain_id = suite.shards.tx.chain_id
    recipes = []
    for item in preview(held, recipe_book()):
        tx = None
        if item.can_craft:
            contract, data = ((suite.relic, suite.relic.encode("forge")) if item.makes == LEGEND_ID
                              else (suite.shards, suite.shards.encode("craft", item.makes)))
            tx = {"from": address, "to": contract.address, "data": "0x" + data.hex(),
                  "value": "0x0", "chain_id": chain_id}
        recipes.append({
            "key": item.recipe_key, "makes": item.makes, "name": item.name,
            "can_craft": item.can_craft, "times": item.times, "reason": item.reason,
            "missing": [{"token_id": m.token_id, "have": m.have, "need": m.need,
                         "short": m.short, "text": m.describe()} for m in item.missing],
            "transaction": tx,
        })
    return {"address": address, "holdings": {str(k): v for k, v in held.items()},
            "recipes": recipes}

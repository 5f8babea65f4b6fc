"""The patrons: travellers played by the game who do for a player what another person would —
label their task, license their agent, buy from their stall — and who ask the council for a
fresh motion when a new staker has none to vote on. Their rules, pure (the hands are
``legends.workers.patrons``)."""

from __future__ import annotations

import hashlib

from quests.npcs.cast import TOKEN

PATRON_BUDGET = 10 * TOKEN  # the most a patron pays for one licence or one listing
PURSE = 500 * TOKEN  # what a patron is given when its purse runs low
LOW_PURSE = 50 * TOKEN
LICENSING_PATRONS = 2  # Sought After: two different travellers license your agent
BUYING_PATRONS = 3  # A Busy Stall: sales to three different buyers


def worth_buying(price: int) -> bool:
    """A patron buys a player's listing priced from 1 SAHARA up to its budget."""
    return TOKEN <= price <= PATRON_BUDGET


def worth_licensing(fee: int) -> bool:
    """A patron licenses a player's agent whose fee is within its budget (free ones too)."""
    return fee <= PATRON_BUDGET


def needs_fresh_motion(last_stake_block: int | None, newest_open_snapshot: int | None) -> bool:
    """A traveller who staked at ``last_stake_block`` can vote on a proposal only if its snapshot
    is at or after that block: table a new motion when no open one qualifies."""
    if last_stake_block is None:
        return False
    return newest_open_snapshot is None or newest_open_snapshot < last_stake_block


def patron_label(task_id: int) -> bytes:
    """The content hash of the patron's label for a player's task (one per task)."""
    return hashlib.sha256(f"a patron's label for task {task_id}".encode()).digest()

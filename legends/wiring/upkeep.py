"""The NPCs' hands: each ``ensure_*`` looks at the census, asks the NPC's rule
(:mod:`quests.npcs`) what is missing, and sends the transactions for it. Each returns the
steps it took (empty when the world already had it), so seeding twice adds nothing.
"""

from __future__ import annotations

from chain.bindings import Suite
from chain.npcs import ZERO
from legends.wiring.scout import caravan_of, census, kind_value, open_proposal
from quests.npcs.bazaar import ORACLE_MODEL, ORACLE_URI, missing_carpets
from quests.npcs.caravan import CARAVAN_SPEC, needs_new_caravan, spent_caravans
from quests.npcs.cast import TOKEN, Cast, Census, Stock
from quests.npcs.council import CouncilPolicy


def fund(suite: Suite, admin: str, spender: str, amount: int) -> None:
    """Mint ``amount`` SAHARA to the admin (it holds MINTER_ROLE) and approve ``spender``."""
    suite.token.transact(admin, "mint", admin, amount)
    suite.token.transact(admin, "approve", spender, amount)


def ensure_caravan(suite: Suite, cast: Cast, stock: Stock, found: Census) -> list[str]:
    """An open caravan task with budget above the low-water mark; an older caravan that can
    no longer pay a label is closed (its dust goes back to the admin)."""
    done: list[str] = []
    current = found.caravan
    if current is None or needs_new_caravan(current, stock):
        fund(suite, cast.admin, suite.data.address, stock.caravan_budget)
        receipt = suite.data.transact(cast.admin, "postTask", CARAVAN_SPEC, stock.caravan_reward,
                                      stock.caravan_budget)
        task_id = suite.data.events(receipt, "TaskPosted")[0][1]["taskId"]
        current = caravan_of(suite, task_id, receipt.block_number)
        found.caravans.append(current)
        done.append(f"the Oasis caravan arrived: task {task_id}")
    for old in spent_caravans(found.caravans, current):
        suite.data.transact(cast.admin, "closeTask", old)
        done.append(f"the spent caravan {old} moved on")
    return done


def ensure_stall(suite: Suite, cast: Cast, stock: Stock, found: Census) -> list[str]:
    """The merchant's Oracle of the Dunes agent and its carpets in the Bazaar."""
    done: list[str] = []
    oracle = found.oracle_agent
    if oracle is None:
        receipt = suite.agents.transact(cast.merchant, "registerAgent", ORACLE_URI, stock.oracle_fee,
                                        ORACLE_MODEL, [])
        oracle = found.oracle_agent = suite.agents.events(receipt, "AgentRegistered")[0][1]["agentId"]
        done.append(f"the Oracle of the Dunes awoke: agent {oracle}")
    for carpet in missing_carpets(found, stock, oracle):
        receipt = suite.market.transact(cast.merchant, "list", kind_value(carpet.kind),
                                        carpet.asset_ref, carpet.price, carpet.uri)
        listing = found.listings[carpet.uri] = suite.market.events(receipt, "Listed")[0][1]["listingId"]
        done.append(f"the merchant unrolled a carpet: listing {listing} "
                    f"({carpet.uri.rsplit('/', 1)[-1]})")
    return done


def ensure_voice(suite: Suite, cast: Cast, policy: CouncilPolicy) -> list[str]:
    """Stake enough for the admin to propose (a proposal's snapshot is the previous block,
    so the stake lands in an earlier block than the proposal)."""
    missing = policy.stake_needed(int(suite.governance.call("proposalThreshold")),
                                  int(suite.staking.call("votingPower", cast.admin)))
    if not missing:
        return []
    fund(suite, cast.admin, suite.staking.address, missing)
    suite.staking.transact(cast.admin, "stake", missing)
    return [f"the council elder staked {missing / TOKEN:g} SAHARA"]


def ensure_proposal(suite: Suite, cast: Cast, policy: CouncilPolicy | None = None) -> list[str]:
    """A proposal open for votes: when none is, the council elder tables the next motion."""
    policy = policy or CouncilPolicy()
    if not policy.wants_motion(open_proposal(suite)):
        return []
    return table_motion(suite, cast, policy)


def table_motion(suite: Suite, cast: Cast, policy: CouncilPolicy | None = None) -> list[str]:
    """The council elder tables the next motion (staking first if its voice is too weak)."""
    policy = policy or CouncilPolicy()
    done = ensure_voice(suite, cast, policy)
    motion = policy.motion(int(suite.governance.call("proposalCount")) + 1)
    receipt = suite.governance.transact(cast.admin, "propose", motion, ZERO, b"")
    proposal = suite.governance.events(receipt, "ProposalCreated")[0][1]["proposalId"]
    return [*done, f"the council debates proposal {proposal}: {motion}"]


def seed_world(suite: Suite, cast: Cast, stock: Stock | None = None, since: int = 0) -> list[str]:
    """Everything a player needs from someone else; idempotent (see the module doc)."""
    stock = stock or Stock()
    found = census(suite, cast, since)
    return [*ensure_caravan(suite, cast, stock, found), *ensure_stall(suite, cast, stock, found),
            *ensure_proposal(suite, cast)]

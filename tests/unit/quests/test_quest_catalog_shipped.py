"""The shipped catalog loads against the contract suite and covers every contract."""

import json
from pathlib import Path

import pytest
from quest_fakes import ALICE, PLAYER, FrozenClock, chain_event

from quests.definitions import Recurrence
from quests.engine import advance, refresh
from quests.loader import catalog_dir, load_catalog
from quests.objectives import (
    AnswerObjective,
    CheckInObjective,
    EventObjective,
    ReferralObjective,
    StateObjective,
)
from quests.progress import Status
from quests.world import REGIONS, SHARDS_PER_GUARDIAN, region

ARTIFACTS = Path(__file__).resolve().parents[3] / "chain" / "artifacts"

# docs/contracts.md by hand: the fallback while chain/artifacts/*.json do not exist yet.
DOCUMENTED_EVENTS: dict[str, dict[str, list[str]]] = {
    "SaharaToken": {
        "FaucetClaimed": ["account", "amount", "nextClaimAt"],
        "FaucetConfigured": ["amount", "cooldown", "dailyCap"],
        "RewardBatchMinted": ["batchId", "count", "total"],
        "Transfer": ["from", "to", "value"],
        "Approval": ["owner", "spender", "value"],
    },
    "SaharaID": {
        "IdentityMinted": ["owner", "tokenId", "profileURI"],
        "ProfileUpdated": ["owner", "tokenId", "profileURI"],
    },
    "DataServices": {
        "TaskPosted": ["taskId", "poster", "rewardPerLabel", "budget", "specURI"],
        "LabelSubmitted": ["labelId", "taskId", "labeler", "contentHash"],
        "LabelAccepted": ["labelId", "taskId", "labeler", "reward"],
        "LabelRejected": ["labelId", "taskId", "labeler"],
        "TaskFinished": ["taskId", "refund"],
        "DatasetCreated": ["datasetId", "taskId", "owner", "contributorCount", "uri"],
    },
    "AgentRegistry": {
        "AgentRegistered": ["agentId", "developer", "licenseFee", "metadataURI"],
        "AgentLicensed": ["agentId", "licensee", "developer", "fee"],
        "AgentInvoked": ["agentId", "caller", "inputHash", "outputHash", "attester"],
    },
    "AIMarketplace": {
        "Listed": ["listingId", "seller", "kind", "assetRef", "price"],
        "Sale": ["listingId", "buyer", "seller", "price"],
        "RevenueCredited": ["account", "listingId", "amount", "role"],
        "Delisted": ["listingId", "seller"],
        "RevenueWithdrawn": ["account", "amount"],
    },
    "Staking": {
        "Staked": ["account", "amount", "totalStaked"],
        "UnstakeRequested": ["account", "amount", "availableAt"],
        "Unstaked": ["account", "amount"],
        "RewardsFunded": ["amount"],
        "RewardsClaimed": ["account", "amount"],
    },
    "Governance": {
        "ProposalCreated": ["proposalId", "proposer", "snapshotBlock", "voteEnd", "description"],
        "VoteCast": ["proposalId", "voter", "support", "weight"],
        "ProposalQueued": ["proposalId", "eta"],
        "ProposalExecuted": ["proposalId"],
    },
    "LegendShards": {
        "RecipeSet": ["guardianId", "shardId", "amount", "version"],
        "GuardianCrafted": ["player", "guardianId", "shardId", "shardsBurned"],
        "RewardBatchMinted": ["batchId", "count"],
    },
    "LegendRelic": {"LegendForged": ["player", "legendId"]},
}


def artifact_events() -> dict[str, dict[str, list[str]]]:
    """contract -> event -> arg names, read from the compiled ABIs."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(ARTIFACTS.glob("*.json")):
        artifact = json.loads(path.read_text())
        found[artifact["contractName"]] = {
            entry["name"]: [arg["name"] for arg in entry["inputs"]]
            for entry in artifact["abi"]
            if entry.get("type") == "event"
        }
    return found


def suite_events() -> dict[str, dict[str, list[str]]]:
    """The ABIs where they exist; the documented surface for contracts not compiled yet."""
    return {**DOCUMENTED_EVENTS, **artifact_events()}


@pytest.fixture(scope="module")
def catalog():
    events = suite_events()
    known_events = {contract: set(by_event) for contract, by_event in events.items()}
    known_args = {
        (contract, event): set(args)
        for contract, by_event in events.items()
        for event, args in by_event.items()
    }
    return load_catalog(catalog_dir(), known_events, known_args=known_args)


def event_objectives(catalog):
    return [(q, o) for q in catalog for o in q.all_objectives() if isinstance(o, EventObjective)]


def test_the_documented_surface_matches_the_artifacts_where_they_exist():
    for contract, by_event in artifact_events().items():
        for event, args in DOCUMENTED_EVENTS.get(contract, {}).items():
            assert by_event.get(event) == args, f"{contract}.{event} differs from the docs"


def test_the_shipped_catalog_loads_with_enough_quests(catalog):
    assert len(catalog) >= 22
    assert {q.region for q in catalog} == {r.key for r in REGIONS}


def test_every_contract_of_the_suite_is_exercised(catalog):
    used = {contract for contract, _ in catalog.events()}
    assert used == set(DOCUMENTED_EVENTS)


@pytest.mark.parametrize(
    ("contract", "event", "rule"),
    [
        ("SaharaToken", "FaucetClaimed", {}),
        ("SaharaID", "IdentityMinted", {}),
        ("DataServices", "LabelSubmitted", {"min_count": 3}),
        ("DataServices", "LabelAccepted", {}),
        ("AgentRegistry", "AgentRegistered", {}),
        ("AgentRegistry", "AgentInvoked", {}),
        ("AgentRegistry", "AgentLicensed", {"not_player": ("developer",)}),
        ("AIMarketplace", "Listed", {}),
        ("AIMarketplace", "Sale", {"not_player": ("seller",)}),
        ("AIMarketplace", "RevenueWithdrawn", {}),
        ("Staking", "Staked", {"amount_arg": "amount"}),
        ("Staking", "Unstaked", {}),
        ("Governance", "VoteCast", {}),
        ("LegendShards", "GuardianCrafted", {}),
        ("LegendRelic", "LegendForged", {}),
    ],
)
def test_the_catalog_verifies(catalog, contract, event, rule):
    matches = [
        o
        for _, o in event_objectives(catalog)
        if (o.contract, o.event) == (contract, event)
        and all(getattr(o, name) == value for name, value in rule.items())
    ]
    assert matches, f"no quest verifies {contract}.{event} with {rule}"


def test_the_other_objective_kinds_are_shipped(catalog):
    objectives = [(q, o) for q in catalog for o in q.all_objectives()]
    assert any(q.recurrence is Recurrence.DAILY and isinstance(o, CheckInObjective) for q, o in objectives)
    assert any(isinstance(o, ReferralObjective) for _, o in objectives)
    assert {o.check for _, o in objectives if isinstance(o, StateObjective)} >= {"sahara_balance", "staked"}
    assert sum(isinstance(o, AnswerObjective) for _, o in objectives) >= 2
    assert {o.type_name for _, o in objectives} >= {"all", "any"}
    assert any(o.min_amount_each for _, o in event_objectives(catalog))
    assert any(o.distinct for _, o in event_objectives(catalog))


def test_each_region_pays_enough_of_its_own_shards_for_its_guardian(catalog):
    for r in REGIONS:
        once = [q for q in catalog.in_region(r.key) if q.recurrence is Recurrence.ONCE]
        assert sum(q.rewards.shards.get(r.key, 0) for q in once) >= SHARDS_PER_GUARDIAN, r.key
        for q in catalog.in_region(r.key):
            assert set(q.rewards.shards) <= {r.key}, f"{q.id} pays another region's shards"


def test_each_guardian_has_a_crafting_quest(catalog):
    crafted = {
        dict(o.filters).get("guardianId")
        for _, o in event_objectives(catalog)
        if o.event == "GuardianCrafted"
    }
    assert crafted >= {r.guardian_id for r in REGIONS}


def test_one_shot_actions_have_no_prerequisites(catalog):
    """Evidence arriving while a quest is locked does not count: a Guardian can be crafted
    and the Legend forged only when the player chooses, so those quests must never be locked
    behind other quests."""
    for quest, o in event_objectives(catalog):
        if o.event in {"GuardianCrafted", "LegendForged"}:
            assert not quest.prerequisites, quest.id


def test_region_unlocks_point_at_earlier_regions(catalog):
    assert (
        region("oasis").unlock_after
        == catalog.activation_ids
        == {q.id for q in catalog.in_region("gate") if q.activation}
    )
    for r in REGIONS:
        for quest_id in r.unlock_after:
            assert quest_id in catalog, f"{r.key} waits for a quest that does not exist"
            assert region(catalog.get(quest_id).region).number < r.number
            assert catalog.get(quest_id).recurrence is Recurrence.ONCE


def test_a_newcomer_walks_through_the_gate_into_the_oasis(catalog):
    clock = FrozenClock("2026-11-22T09:00:00")
    completed: set[str] = set()
    for quest_id, event in [
        (
            "gate.faucet",
            chain_event(
                "SaharaToken",
                "FaucetClaimed",
                tx=1,
                at=clock.now(),
                account=ALICE,
                amount=10**20,
                nextClaimAt=0,
            ),
        ),
        (
            "gate.sahara-id",
            chain_event(
                "SaharaID",
                "IdentityMinted",
                tx=2,
                at=clock.now(),
                owner=ALICE,
                tokenId=1,
                profileURI="ipfs://me",
            ),
        ),
    ]:
        quest = catalog.get(quest_id)
        progress = refresh(quest, None, completed=completed, now=clock.now())
        step = advance(quest, progress, event, PLAYER, clock.now())
        assert step.completed, quest_id
        completed.add(quest_id)
    oasis = catalog.get("oasis.first-labels")
    assert refresh(oasis, None, completed=completed, now=clock.now()).status is Status.AVAILABLE

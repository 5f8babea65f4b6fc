"""Every on-chain state check (``quests.objectives.state.CHECKS``) read by the app's own
``ChainReader`` from the devnet: a player who did nothing reads below the threshold, the
same player after real transactions reads at it, and a ``state`` objective on that reading
is unmet, then met. No fake: the readings come from the deployed suite."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from quests.evidence import Player as EvidencePlayer
from quests.objectives.state import CHECKS, StateType
from quests.world import LEGEND_ID

TOKEN = 10**18
GUARDIANS = [101, 102, 103, 104, 105]


@pytest.fixture
def reader(vapp):
    """The app's ChainReader (the one the quest views use)."""
    from legends.wiring.state_readings import ChainReader

    found = vapp.extensions["legends.chain_reader"]
    assert isinstance(found, ChainReader)
    return found


def read(reader, address: str, check: str, token_id: int | None = None) -> int:
    [reading] = reader.readings(address, [(check, token_id)])
    assert reading.check == check and reading.token_id == token_id
    assert reading.block_number == reader.head_block()
    return reading.value


def met(reader, address: str, spec: dict) -> bool:
    """Whether a ``state`` objective of ``spec`` is met by the reading the app takes now."""
    objective = StateType.parse({"type": "state", **spec}, "test")
    [reading] = reader.readings(address, [(objective.check, objective.token_id)])
    player = EvidencePlayer(address=address)
    return StateType.evaluate(objective, {}, reading, player).met


def fund_admin(suite, admin: str, amount: int, spender: str) -> None:
    suite.token.transact(admin, "mint", admin, amount)
    suite.token.transact(admin, "approve", spender, amount)


def test_every_check_of_the_registry_is_read_on_chain_here():
    assert set(CHECKS) == set(CHECKED) | {"owns_token"}


def test_sahara_balance_reads_the_wallet(reader, funded, suite):
    player = funded[0]
    assert read(reader, player, "sahara_balance") == 0
    assert not met(reader, player, {"check": "sahara_balance", "at_least": 1})
    suite.token.transact(player, "claim")
    balance = suite.token.balance_of(player)
    assert balance > 0 and read(reader, player, "sahara_balance") == balance
    assert met(reader, player, {"check": "sahara_balance", "at_least": balance // TOKEN})
    assert not met(reader, player, {"check": "sahara_balance", "at_least": balance // TOKEN + 1})


def test_staked_and_voting_power_read_the_stake(reader, funded, suite):
    player = funded[0]
    assert read(reader, player, "staked") == 0 and read(reader, player, "voting_power") == 0
    assert not met(reader, player, {"check": "staked", "at_least": 40})
    suite.token.transact(player, "claim")
    suite.token.transact(player, "approve", suite.staking.address, 40 * TOKEN)
    suite.staking.transact(player, "stake", 40 * TOKEN)
    assert read(reader, player, "staked") == 40 * TOKEN
    assert read(reader, player, "voting_power") == int(suite.staking.call("votingPower", player)) > 0
    assert met(reader, player, {"check": "staked", "at_least": 40})
    assert not met(reader, player, {"check": "staked", "at_least": 100})
    assert met(reader, player, {"check": "voting_power", "at_least": 1})


def test_pending_revenue_reads_a_sale_waiting_to_be_withdrawn(reader, funded, suite):
    seller, buyer = funded[0], funded[1]
    assert read(reader, seller, "pending_revenue") == 0
    assert not met(reader, seller, {"check": "pending_revenue", "at_least": 1})
    suite.market.transact(seller, "list", 1, 7, 5 * TOKEN, "ipfs://model")
    suite.token.transact(buyer, "claim")
    suite.token.transact(buyer, "approve", suite.market.address, 5 * TOKEN)
    suite.market.transact(buyer, "buy", 1)
    pending = suite.market.pending_revenue(seller)
    assert pending > 0 and read(reader, seller, "pending_revenue") == pending
    assert met(reader, seller, {"check": "pending_revenue", "at_least": 1})
    suite.market.transact(seller, "withdraw")
    assert read(reader, seller, "pending_revenue") == 0


def test_accepted_labels_count_only_what_a_reviewer_accepted(reader, funded, suite, signers):
    player, admin = funded[0], signers.deployer.address
    fund_admin(suite, admin, 100 * TOKEN, suite.data.address)
    suite.data.transact(admin, "postTask", "ipfs://dunes", 5 * TOKEN, 50 * TOKEN)
    suite.data.transact(player, "submitLabel", 1, keccak(text="dune-1"))
    suite.data.transact(player, "submitLabel", 1, keccak(text="dune-2"))
    suite.data.transact(admin, "reviewLabel", 1, False)
    assert read(reader, player, "accepted_labels") == 0
    assert not met(reader, player, {"check": "accepted_labels", "at_least": 1})
    suite.data.transact(admin, "reviewLabel", 2, True)
    assert read(reader, player, "accepted_labels") == 1
    assert met(reader, player, {"check": "accepted_labels", "at_least": 1})
    assert not met(reader, player, {"check": "accepted_labels", "at_least": 2})


def test_has_identity_reads_the_sahara_id(reader, funded, suite):
    player, other = funded[0], funded[1]
    assert read(reader, player, "has_identity") == 0
    assert not met(reader, player, {"check": "has_identity", "at_least": 1})
    suite.identity.transact(player, "mint", "ipfs://me")
    assert read(reader, player, "has_identity") == 1 and read(reader, other, "has_identity") == 0
    assert met(reader, player, {"check": "has_identity", "at_least": 1})


def test_listings_made_count_the_players_listed_logs(reader, funded, suite):
    seller, other = funded[0], funded[1]
    assert read(reader, seller, "listings_made") == 0
    assert not met(reader, seller, {"check": "listings_made", "at_least": 1})
    suite.market.transact(seller, "list", 1, 7, 5 * TOKEN, "ipfs://model")
    suite.market.transact(seller, "list", 1, 8, 6 * TOKEN, "ipfs://model-2")
    suite.market.transact(other, "list", 1, 9, 6 * TOKEN, "ipfs://model-3")
    assert read(reader, seller, "listings_made") == 2
    assert met(reader, seller, {"check": "listings_made", "at_least": 2})
    assert not met(reader, seller, {"check": "listings_made", "at_least": 3})


def test_owns_token_reads_shards_guardians_and_the_legend(reader, funded, suite, signers):
    player = funded[0]
    for token_id in (1, 101, LEGEND_ID):
        assert read(reader, player, "owns_token", token_id) == 0
        assert not met(reader, player, {"check": "owns_token", "at_least": 1, "token_id": token_id})
    suite.shards.transact(signers.minter.address, "mintBatch", [player] * 5, [1, 2, 3, 4, 5], [5] * 5,
                          b"\x07" * 32)
    assert read(reader, player, "owns_token", 1) == 5
    assert met(reader, player, {"check": "owns_token", "at_least": 5, "token_id": 1})
    for guardian in GUARDIANS:
        suite.shards.transact(player, "craft", guardian)
    assert read(reader, player, "owns_token", 1) == 0 and read(reader, player, "owns_token", 101) == 1
    assert read(reader, player, "owns_token", LEGEND_ID) == 0
    suite.relic.transact(player, "forge")
    assert read(reader, player, "owns_token", LEGEND_ID) == 1
    assert met(reader, player, {"check": "owns_token", "at_least": 1, "token_id": LEGEND_ID})
    assert read(reader, player, "owns_token", 101) == 0  # burnt into the Legend


def test_several_checks_are_read_at_once_in_a_stable_order(reader, funded, suite):
    player = funded[0]
    suite.token.transact(player, "claim")
    suite.identity.transact(player, "mint", "ipfs://me")
    readings = reader.readings(player, [("staked", None), ("has_identity", None), ("owns_token", 1),
                                        ("sahara_balance", None)])
    assert [(r.check, r.value > 0) for r in readings] == [
        ("has_identity", True), ("owns_token", False), ("sahara_balance", True), ("staked", False)]
    assert len({r.block_number for r in readings}) == 1


def test_indexer_lag_counts_the_blocks_behind_the_head(reader, vapp, funded, suite, make_loop, settle):
    assert reader.indexer_lag() is None  # no cursor yet: unknown
    settle(make_loop())
    assert reader.indexer_lag() == 0
    suite.token.transact(funded[0], "claim")
    suite.token.transact(funded[1], "claim")
    assert reader.indexer_lag() == 2


def test_an_unknown_check_is_refused(reader, funded):
    with pytest.raises(ValueError, match="no state check"):
        reader.readings(funded[0], [("moon_phase", None)])


CHECKED = ("sahara_balance", "staked", "voting_power", "pending_revenue", "accepted_labels",
           "has_identity", "listings_made")

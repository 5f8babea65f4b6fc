"""AIMarketplace: licence sales of datasets, models and agents with a pull-payment revenue split."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from chain.errors import ContractRevert

TOKEN = 10**18
DATASET, MODEL, AGENT = 0, 1, 2
DEVELOPER, CONTRIBUTOR, VALIDATOR = 0, 1, 2
PRICE = 900 * TOKEN


@pytest.fixture
def pool(signers):
    return signers.validator_pool


@pytest.fixture
def dataset(suite, signers, players):
    """Dataset 1 owned by players[0]; contributors players[1] (2 accepted labels) and players[2] (1)."""
    admin, owner = signers.deployer.address, players[0]
    suite.token.transact(admin, "mint", owner, 10 * TOKEN)
    suite.token.transact(owner, "approve", suite.data.address, 10 * TOKEN)
    suite.data.transact(owner, "postTask", "ipfs://spec", TOKEN, 10 * TOKEN)
    labels = [(players[1], "a"), (players[2], "b"), (players[1], "c")]
    for label_id, (labeler, content) in enumerate(labels, 1):
        suite.data.transact(labeler, "submitLabel", 1, keccak(text=content))
        suite.data.transact(admin, "reviewLabel", label_id, True)
    suite.data.transact(owner, "createDataset", 1, "ipfs://dataset")
    return 1


@pytest.fixture
def buyer(suite, signers, players):
    """players[3], holding 10 000 SAHARA approved to the marketplace."""
    suite.token.transact(signers.deployer.address, "mint", players[3], 10_000 * TOKEN)
    suite.token.transact(players[3], "approve", suite.market.address, 10_000 * TOKEN)
    return players[3]


def list_asset(suite, seller, kind, ref, price=PRICE) -> int:
    receipt = suite.market.transact(seller, "list", kind, ref, price, "ipfs://listing")
    [(_, args)] = suite.market.events(receipt, "Listed")
    return args["listingId"]


def credited(suite, receipt) -> list[tuple[str, int, int]]:
    events = suite.market.events(receipt, "RevenueCredited")
    return [(a["account"], a["amount"], a["role"]) for _, a in events]


# -- list and buy ------------------------------------------------------------------------
def test_listing_a_dataset_its_owner_holds(suite, players, dataset):
    receipt = suite.market.transact(players[0], "list", DATASET, dataset, PRICE, "ipfs://listing")
    assert suite.market.events(receipt) == [("Listed", {
        "listingId": 1, "seller": players[0], "kind": DATASET, "assetRef": dataset, "price": PRICE})]
    assert suite.market.call("listings", 1) == (players[0], DATASET, True, dataset, PRICE, "ipfs://listing")
    assert suite.market.call("listingCount") == 1


def test_buying_a_dataset_splits_70_20_10_with_contributors_pro_rata(suite, players, pool, dataset, buyer):
    seller = players[0]
    listing = list_asset(suite, seller, DATASET, dataset)
    receipt = suite.market.transact(buyer, "buy", listing)

    assert suite.market.events(receipt, "Sale") == [
        ("Sale", {"listingId": listing, "buyer": buyer, "seller": seller, "price": PRICE})]
    # 20 % = 180 to the contributors, 2:1 by accepted labels; 70 % = 630 to the seller; 10 % = 90 to the pool.
    assert credited(suite, receipt) == [
        (players[1], 120 * TOKEN, CONTRIBUTOR),
        (players[2], 60 * TOKEN, CONTRIBUTOR),
        (seller, 630 * TOKEN, DEVELOPER),
        (pool, 90 * TOKEN, VALIDATOR),
    ]
    assert all(a["listingId"] == listing for _, a in suite.market.events(receipt, "RevenueCredited"))
    assert [suite.market.pending_revenue(a) for a in (players[1], players[2], seller, pool)] == [
        120 * TOKEN, 60 * TOKEN, 630 * TOKEN, 90 * TOKEN]
    assert suite.token.balance_of(suite.market.address) == PRICE
    assert suite.token.balance_of(buyer) == 10_000 * TOKEN - PRICE
    assert suite.market.call("listings", listing)[2] is True, "a licence sale leaves the listing active"


def test_rounding_dust_of_the_split_goes_to_the_seller(suite, players, pool, dataset, buyer):
    listing = list_asset(suite, players[0], DATASET, dataset, price=100)  # 100 wei
    receipt = suite.market.transact(buyer, "buy", listing)
    # contributors 20 wei: 20*2//3 = 13 and 20*1//3 = 6; the 1 wei left joins the seller's 70.
    assert credited(suite, receipt) == [
        (players[1], 13, CONTRIBUTOR), (players[2], 6, CONTRIBUTOR), (players[0], 71, DEVELOPER),
        (pool, 10, VALIDATOR)]


def test_zero_parts_are_not_credited(suite, players, dataset, buyer):
    listing = list_asset(suite, players[0], DATASET, dataset, price=4)  # 4 wei: every other part rounds to 0
    receipt = suite.market.transact(buyer, "buy", listing)
    assert credited(suite, receipt) == [(players[0], 4, DEVELOPER)]


def test_a_model_sale_gives_the_contributors_part_to_the_seller(suite, players, pool, buyer):
    listing = list_asset(suite, players[0], MODEL, 777)
    receipt = suite.market.transact(buyer, "buy", listing)
    assert credited(suite, receipt) == [(players[0], 810 * TOKEN, DEVELOPER), (pool, 90 * TOKEN, VALIDATOR)]


def test_an_agent_is_listed_by_its_developer_and_sold(suite, players, pool, buyer):
    suite.agents.transact(players[1], "registerAgent", "ipfs://agent", 0, b"\x00" * 32, [])
    listing = list_asset(suite, players[1], AGENT, 1)
    receipt = suite.market.transact(buyer, "buy", listing)
    assert credited(suite, receipt) == [(players[1], 810 * TOKEN, DEVELOPER), (pool, 90 * TOKEN, VALIDATOR)]


def test_a_listing_sells_many_licences(suite, signers, players, dataset, buyer):
    listing = list_asset(suite, players[0], DATASET, dataset)
    suite.token.transact(signers.deployer.address, "mint", players[2], PRICE)
    suite.token.transact(players[2], "approve", suite.market.address, PRICE)
    suite.market.transact(buyer, "buy", listing)
    suite.market.transact(players[2], "buy", listing)
    assert suite.market.pending_revenue(players[0]) == 2 * 630 * TOKEN
    assert suite.market.pending_revenue(players[2]) == 2 * 60 * TOKEN, "a contributor may buy too"


def test_a_custom_split_is_applied(suite, signers, players, dataset, buyer):
    new_pool = players[2]
    receipt = suite.market.transact(signers.deployer.address, "setSplit", new_pool, 5000, 3000, 2000)
    assert suite.market.events(receipt) == [("SplitConfigured", {
        "validatorPool": new_pool, "developerBps": 5000, "contributorsBps": 3000, "validatorsBps": 2000})]
    assert suite.market.call("validatorPool") == new_pool
    listing = list_asset(suite, players[0], DATASET, dataset)
    receipt = suite.market.transact(buyer, "buy", listing)
    assert credited(suite, receipt) == [
        (players[1], 180 * TOKEN, CONTRIBUTOR), (players[2], 90 * TOKEN, CONTRIBUTOR),
        (players[0], 450 * TOKEN, DEVELOPER), (new_pool, 180 * TOKEN, VALIDATOR)]


def test_the_default_split_is_70_20_10(suite, pool):
    assert (suite.market.call("developerBps"), suite.market.call("contributorsBps"),
            suite.market.call("validatorsBps")) == (7000, 2000, 1000)
    assert suite.market.call("validatorPool") == pool


# -- withdraw ----------------------------------------------------------------------------
def test_withdrawing_pays_the_credited_revenue_once(suite, players, dataset, buyer):
    suite.market.transact(buyer, "buy", list_asset(suite, players[0], DATASET, dataset))
    contributor = players[1]
    receipt = suite.market.transact(contributor, "withdraw")
    assert suite.market.events(receipt) == [
        ("RevenueWithdrawn", {"account": contributor, "amount": 120 * TOKEN})]
    assert suite.token.events(receipt) == [
        ("Transfer", {"from": suite.market.address, "to": contributor, "value": 120 * TOKEN})]
    assert suite.market.pending_revenue(contributor) == 0
    assert suite.token.balance_of(suite.market.address) == PRICE - 120 * TOKEN

    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(contributor, "withdraw")
    assert exc.value.error == "NothingToWithdraw"
    assert exc.value.args_by_name == {"account": contributor}


def test_withdrawing_with_nothing_credited_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[2], "withdraw")
    assert exc.value.error == "NothingToWithdraw"
    assert exc.value.contract == "AIMarketplace"
    assert exc.value.args_by_name == {"account": players[2]}


# -- guarded listing ---------------------------------------------------------------------
@pytest.mark.parametrize("asset", [1, 99], ids=["someone-elses", "unknown"])
def test_listing_a_dataset_you_do_not_own_is_refused(suite, players, dataset, asset):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[1], "list", DATASET, asset, PRICE, "ipfs://x")
    assert exc.value.error == "NotAssetOwner"
    assert exc.value.args_by_name == {"kind": DATASET, "assetRef": asset}


def test_listing_an_agent_you_did_not_develop_is_refused(suite, players):
    suite.agents.transact(players[1], "registerAgent", "ipfs://agent", 0, b"\x00" * 32, [])
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "list", AGENT, 1, PRICE, "ipfs://x")
    assert exc.value.error == "NotAssetOwner"
    assert exc.value.args_by_name == {"kind": AGENT, "assetRef": 1}


def test_listing_for_free_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "list", MODEL, 1, 0, "ipfs://x")
    assert exc.value.error == "InvalidPrice"


def test_listing_an_unknown_kind_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "list", 3, 1, PRICE, "ipfs://x")
    assert exc.value.error == "InvalidKind"
    assert exc.value.args_by_name == {"kind": 3}


# -- guarded buying ----------------------------------------------------------------------
def test_buying_your_own_listing_is_refused(suite, signers, players, dataset):
    listing = list_asset(suite, players[0], DATASET, dataset)
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "buy", listing)
    assert exc.value.error == "CannotBuyOwnListing"
    assert exc.value.args_by_name == {"listingId": listing}


def test_buying_an_unknown_listing_is_refused(suite, buyer):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(buyer, "buy", 12)
    assert exc.value.error == "ListingNotActive"
    assert exc.value.args_by_name == {"listingId": 12}


def test_buying_without_approving_the_price_is_refused(suite, signers, players):
    listing = list_asset(suite, players[0], MODEL, 1)
    suite.token.transact(signers.deployer.address, "mint", players[1], PRICE)
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[1], "buy", listing)
    assert exc.value.error == "ERC20InsufficientAllowance"
    assert exc.value.args_by_name == {"spender": suite.market.address, "allowance": 0, "needed": PRICE}


# -- delist ------------------------------------------------------------------------------
def test_a_delisted_listing_can_no_longer_be_bought(suite, players, buyer):
    listing = list_asset(suite, players[0], MODEL, 1)
    receipt = suite.market.transact(players[0], "delist", listing)
    assert suite.market.events(receipt) == [("Delisted", {"listingId": listing, "seller": players[0]})]
    assert suite.market.call("listings", listing)[2] is False
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(buyer, "buy", listing)
    assert exc.value.error == "ListingNotActive"
    assert exc.value.args_by_name == {"listingId": listing}


def test_only_the_seller_delists(suite, players):
    listing = list_asset(suite, players[0], MODEL, 1)
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[1], "delist", listing)
    assert exc.value.error == "NotSeller"
    assert exc.value.args_by_name == {"listingId": listing}


def test_delisting_twice_is_refused(suite, players):
    listing = list_asset(suite, players[0], MODEL, 1)
    suite.market.transact(players[0], "delist", listing)
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "delist", listing)
    assert exc.value.error == "ListingNotActive"
    assert exc.value.args_by_name == {"listingId": listing}


# -- setSplit ----------------------------------------------------------------------------
def test_a_player_cannot_change_the_split(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(players[0], "setSplit", players[0], 10_000, 0, 0)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.contract == "AIMarketplace"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": b"\x00" * 32}


def test_a_split_not_summing_to_100_percent_is_refused(suite, signers, pool):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(signers.deployer.address, "setSplit", pool, 7000, 2000, 999)
    assert exc.value.error == "InvalidSplit"


def test_a_zero_validator_pool_is_refused(suite, signers):
    with pytest.raises(ContractRevert) as exc:
        suite.market.transact(signers.deployer.address, "setSplit", "0x" + "00" * 20, 7000, 2000, 1000)
    assert exc.value.error == "ZeroAddress"

"""LegendShards: soulbound shards minted in idempotent batches, Guardians crafted from recipes."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
ZERO = "0x" + "00" * 20
ADMIN_ROLE = b"\x00" * 32
BATCH = b"\xb1" * 32
URI = "http://127.0.0.1:5000/metadata/{id}.json"  # SuiteParams default


@pytest.fixture
def minter(signers):
    return signers.minter.address


def give(suite, minter, player, token_id, amount, batch=BATCH):
    suite.shards.transact(minter, "mintBatch", [player], [token_id], [amount], batch)


# -- mintBatch ---------------------------------------------------------------------------
def test_a_reward_batch_mints_to_many_players_in_one_transaction(suite, minter, players):
    to, ids, amounts = [players[0], players[0], players[1]], [1, 2, 1], [3, 4, 5]
    receipt = suite.shards.transact(minter, "mintBatch", to, ids, amounts, BATCH)
    assert suite.shards.events(receipt) == [
        *(("TransferSingle", {"operator": minter, "from": ZERO, "to": a, "id": i, "value": v})
          for a, i, v in zip(to, ids, amounts)),
        ("RewardBatchMinted", {"batchId": BATCH, "count": 3}),
    ]
    assert suite.shards.balances(players[0], [1, 2]) == {1: 3, 2: 4}
    assert suite.shards.balance_of(players[1], 1) == 5
    assert suite.shards.batch_minted(BATCH) is True
    assert suite.shards.batch_minted(b"\x00" * 32) is False


def test_replaying_a_reward_batch_is_refused_and_mints_nothing(suite, minter, players):
    give(suite, minter, players[0], 1, 3)
    with pytest.raises(ContractRevert) as exc:
        give(suite, minter, players[0], 1, 3)
    assert exc.value.error == "BatchAlreadyMinted"
    assert exc.value.contract == "LegendShards"
    assert exc.value.args_by_name == {"batchId": BATCH}
    assert suite.shards.balance_of(players[0], 1) == 3


def test_a_player_cannot_mint_shards(suite, players):
    with pytest.raises(ContractRevert) as exc:
        give(suite, players[0], players[0], 1, 100)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": suite.shards.call("MINTER_ROLE")}
    assert suite.shards.balance_of(players[0], 1) == 0


def test_a_reward_batch_with_mismatched_lengths_is_refused(suite, minter, players):
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(minter, "mintBatch", players[:2], [1, 2], [1], BATCH)
    assert exc.value.error == "LengthMismatch"
    assert suite.shards.batch_minted(BATCH) is False


def test_a_reward_batch_to_the_zero_address_is_refused(suite, minter, players):
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(minter, "mintBatch", [players[0], ZERO], [1, 1], [1, 1], BATCH)
    assert exc.value.error == "ERC1155InvalidReceiver"
    assert exc.value.args_by_name == {"receiver": ZERO}


# -- craft -------------------------------------------------------------------------------
def test_crafting_burns_the_recipe_and_mints_one_guardian(suite, minter, players):
    player = players[0]
    give(suite, minter, player, 3, 7)
    receipt = suite.shards.transact(player, "craft", 103)
    assert suite.shards.events(receipt) == [
        ("TransferSingle", {"operator": player, "from": player, "to": ZERO, "id": 3, "value": 5}),
        ("GuardianCrafted", {"player": player, "guardianId": 103, "shardId": 3, "shardsBurned": 5}),
        ("TransferSingle", {"operator": player, "from": ZERO, "to": player, "id": 103, "value": 1}),
    ]
    assert suite.shards.balances(player, [3, 103]) == {3: 2, 103: 1}


def test_crafting_with_too_few_shards_is_refused(suite, minter, players):
    give(suite, minter, players[0], 1, 3)
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(players[0], "craft", 101)
    assert exc.value.error == "InsufficientShards"
    assert exc.value.args_by_name == {"shardId": 1, "required": 5, "balance": 3}
    assert suite.shards.balances(players[0], [1, 101]) == {1: 3, 101: 0}


def test_crafting_without_a_recipe_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(players[0], "craft", 999)
    assert exc.value.error == "UnknownRecipe"
    assert exc.value.args_by_name == {"guardianId": 999}


# -- recipes -----------------------------------------------------------------------------
def test_the_admin_changes_and_removes_a_recipe(suite, signers, minter, players):
    admin = signers.deployer.address
    version = suite.shards.call("recipeVersion")
    receipt = suite.shards.transact(admin, "setRecipe", 101, 2, 3)
    assert suite.shards.events(receipt) == [
        ("RecipeSet", {"guardianId": 101, "shardId": 2, "amount": 3, "version": version + 1})]
    assert suite.shards.call("recipes", 101) == (2, 3)
    give(suite, minter, players[0], 2, 3)
    suite.shards.transact(players[0], "craft", 101)
    assert suite.shards.balance_of(players[0], 101) == 1

    suite.shards.transact(admin, "setRecipe", 101, 2, 0)
    assert suite.shards.call("recipeVersion") == version + 2
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(players[0], "craft", 101)
    assert exc.value.error == "UnknownRecipe"
    assert exc.value.args_by_name == {"guardianId": 101}


def test_a_player_cannot_change_a_recipe(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(players[0], "setRecipe", 101, 1, 1)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": ADMIN_ROLE}
    assert suite.shards.call("recipes", 101) == (1, 5)


# -- burnFrom ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["player", "admin"])
def test_only_the_forge_role_burns_shards(suite, signers, minter, players, who):
    give(suite, minter, players[0], 1, 5)
    sender = players[0] if who == "player" else signers.deployer.address
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(sender, "burnFrom", players[0], [1], [5])
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": sender, "neededRole": suite.shards.call("FORGE_ROLE")}
    assert suite.shards.balance_of(players[0], 1) == 5


# -- soulbound ---------------------------------------------------------------------------
@pytest.mark.parametrize("token_id", [1, 101], ids=["shard", "guardian"])
def test_shards_and_guardians_cannot_be_transferred(suite, minter, players, token_id):
    owner, other = players[0], players[1]
    give(suite, minter, owner, token_id, 5)
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(owner, "safeTransferFrom", owner, other, token_id, 1, b"")
    assert exc.value.error == "Soulbound"
    assert exc.value.contract == "LegendShards"
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(owner, "safeBatchTransferFrom", owner, other, [token_id], [1], b"")
    assert exc.value.error == "Soulbound"
    assert suite.shards.balance_of(owner, token_id) == 5
    assert suite.shards.balance_of(other, token_id) == 0


def test_an_approved_operator_cannot_move_shards_either(suite, minter, players):
    owner, operator = players[0], players[1]
    give(suite, minter, owner, 1, 5)
    suite.shards.transact(owner, "setApprovalForAll", operator, True)
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(operator, "safeTransferFrom", owner, operator, 1, 5, b"")
    assert exc.value.error == "Soulbound"


# -- metadata ----------------------------------------------------------------------------
def test_the_admin_sets_the_metadata_uri(suite, signers):
    assert suite.shards.call("uri", 1) == URI
    receipt = suite.shards.transact(signers.deployer.address, "setURI", "https://x.test/metadata/{id}.json")
    assert suite.shards.events(receipt) == [("BaseURISet", {"uri": "https://x.test/metadata/{id}.json"})]
    assert suite.shards.call("uri", 101) == "https://x.test/metadata/{id}.json"


def test_a_player_cannot_set_the_metadata_uri(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.shards.transact(players[0], "setURI", "https://evil.test/{id}")
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": ADMIN_ROLE}

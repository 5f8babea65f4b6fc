"""Staking: stake, unstake with a cooldown, rewards from a funded reserve, checkpointed voting power."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
COOLDOWN, RATE = 600, 10**15  # SuiteParams defaults
ADMIN_ROLE = b"\x00" * 32


@pytest.fixture
def players(players, suite, signers, chain_tx):
    """The conftest's players with ETH for gas (the devnet funds dev indices 0..9 only),
    each holding 1000 SAHARA approved to Staking."""
    for player in players:
        suite.token.transact(signers.deployer.address, "mint", player, 1000 * TOKEN)
        suite.token.transact(player, "approve", suite.staking.address, 1000 * TOKEN)
    return players


def advance(chain_tx, seconds: int) -> None:
    chain_tx.chain.request("evm_increaseTime", [seconds])
    chain_tx.chain.request("evm_mine", [])


def block_time(chain_tx, receipt) -> int:
    return chain_tx.chain.block(receipt.block_number).timestamp


def test_staking_moves_tokens_and_checkpoints_voting_power(suite, players):
    player = players[0]
    receipt = suite.staking.transact(player, "stake", 100 * TOKEN)
    assert suite.staking.events(receipt) == [
        ("VotingPowerChanged", {"account": player, "previousPower": 0, "newPower": 100 * TOKEN}),
        ("Staked", {"account": player, "amount": 100 * TOKEN, "totalStaked": 100 * TOKEN}),
    ]
    assert suite.token.events(receipt, "Transfer") == [
        ("Transfer", {"from": player, "to": suite.staking.address, "value": 100 * TOKEN})]
    block = receipt.block_number
    assert suite.staking.staked_of(player) == 100 * TOKEN
    assert suite.staking.call("votingPower", player) == 100 * TOKEN
    assert suite.staking.call("votingPowerAt", player, block - 1) == 0
    assert suite.staking.call("votingPowerAt", player, block) == 100 * TOKEN

    again = suite.staking.transact(players[1], "stake", 50 * TOKEN)
    assert suite.staking.events(again, "Staked")[0][1]["totalStaked"] == 150 * TOKEN
    assert suite.staking.call("totalStaked") == 150 * TOKEN


def test_unstaking_drops_power_at_once_and_pays_after_the_cooldown(suite, chain_tx, players):
    player = players[0]
    suite.staking.transact(player, "stake", 100 * TOKEN)
    receipt = suite.staking.transact(player, "requestUnstake", 40 * TOKEN)
    available_at = block_time(chain_tx, receipt) + COOLDOWN
    assert suite.staking.events(receipt) == [
        ("VotingPowerChanged", {"account": player, "previousPower": 100 * TOKEN, "newPower": 60 * TOKEN}),
        ("UnstakeRequested", {"account": player, "amount": 40 * TOKEN, "availableAt": available_at}),
    ]
    assert suite.staking.call("votingPower", player) == 60 * TOKEN
    assert suite.staking.call("totalStaked") == 60 * TOKEN
    assert suite.staking.call("pendingUnstake", player) == (40 * TOKEN, available_at)

    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(player, "withdraw")
    assert exc.value.error == "UnstakeNotReady"
    assert exc.value.args_by_name == {"availableAt": available_at}

    advance(chain_tx, COOLDOWN)
    receipt = suite.staking.transact(player, "withdraw")
    assert suite.staking.events(receipt) == [("Unstaked", {"account": player, "amount": 40 * TOKEN})]
    assert suite.token.balance_of(player) == 940 * TOKEN
    assert suite.staking.call("pendingUnstake", player) == (0, 0)


def test_a_new_unstake_request_adds_up_and_restarts_the_cooldown(suite, chain_tx, players):
    player = players[0]
    suite.staking.transact(player, "stake", 100 * TOKEN)
    suite.staking.transact(player, "requestUnstake", 10 * TOKEN)
    advance(chain_tx, COOLDOWN - 100)
    receipt = suite.staking.transact(player, "requestUnstake", 20 * TOKEN)
    available_at = block_time(chain_tx, receipt) + COOLDOWN
    assert suite.staking.call("pendingUnstake", player) == (30 * TOKEN, available_at)
    advance(chain_tx, 200)
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(player, "withdraw")
    assert exc.value.error == "UnstakeNotReady"
    assert exc.value.args_by_name == {"availableAt": available_at}


def test_withdrawing_without_a_pending_unstake_is_refused(suite, players):
    suite.staking.transact(players[0], "stake", 100 * TOKEN)
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], "withdraw")
    assert exc.value.error == "NoPendingUnstake"
    assert exc.value.args_by_name == {"account": players[0]}


def test_unstaking_more_than_staked_is_refused(suite, players):
    suite.staking.transact(players[0], "stake", 100 * TOKEN)
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], "requestUnstake", 101 * TOKEN)
    assert exc.value.error == "InsufficientStake"
    assert exc.value.args_by_name == {"requested": 101 * TOKEN, "staked": 100 * TOKEN}


@pytest.mark.parametrize("fn", ["stake", "requestUnstake", "fundRewards"])
def test_zero_amounts_are_refused(suite, players, fn):
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], fn, 0)
    assert exc.value.error == "ZeroAmount"
    assert exc.value.args_by_name == {}


def test_staking_more_than_the_balance_is_refused(suite, players):
    suite.token.transact(players[0], "approve", suite.staking.address, 2000 * TOKEN)
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], "stake", 1001 * TOKEN)
    assert exc.value.error == "ERC20InsufficientBalance"
    assert exc.value.args_by_name == {"sender": players[0], "balance": 1000 * TOKEN, "needed": 1001 * TOKEN}


# -- rewards -----------------------------------------------------------------------------
def test_a_lone_staker_earns_the_whole_emission(suite, chain_tx, players):
    player = players[0]
    staked_at = block_time(chain_tx, suite.staking.transact(player, "stake", 100 * TOKEN))
    reserve = suite.staking.call("rewardReserve")
    advance(chain_tx, 1000)
    receipt = suite.staking.transact(player, "claimRewards")
    expected = (block_time(chain_tx, receipt) - staked_at) * RATE
    assert suite.staking.events(receipt) == [("RewardsClaimed", {"account": player, "amount": expected})]
    assert suite.token.balance_of(player) == 900 * TOKEN + expected
    assert suite.staking.call("rewardReserve") == reserve - expected
    assert suite.staking.call("earned", player) == 0


def test_claiming_with_no_rewards_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], "claimRewards")
    assert exc.value.error == "NoRewards"
    assert exc.value.args_by_name == {"account": players[0]}


def test_anyone_funds_the_reward_reserve(suite, players):
    reserve = suite.staking.call("rewardReserve")
    receipt = suite.staking.transact(players[0], "fundRewards", 5 * TOKEN)
    assert suite.staking.events(receipt) == [("RewardsFunded", {"amount": 5 * TOKEN})]
    assert suite.staking.call("rewardReserve") == reserve + 5 * TOKEN


# -- admin -------------------------------------------------------------------------------
def test_the_admin_sets_the_reward_rate_and_the_cooldown(suite, signers):
    admin = signers.deployer.address
    receipt = suite.staking.transact(admin, "setRewardRate", 7)
    assert suite.staking.events(receipt) == [("RewardRateSet", {"rewardRatePerSecond": 7})]
    receipt = suite.staking.transact(admin, "setUnstakeCooldown", 60)
    assert suite.staking.events(receipt) == [("UnstakeCooldownSet", {"unstakeCooldown": 60})]
    assert (suite.staking.call("rewardRatePerSecond"), suite.staking.call("unstakeCooldown")) == (7, 60)


@pytest.mark.parametrize("fn", ["setRewardRate", "setUnstakeCooldown"])
def test_a_player_cannot_change_staking_parameters(suite, players, fn):
    with pytest.raises(ContractRevert) as exc:
        suite.staking.transact(players[0], fn, 0)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.contract == "Staking"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": ADMIN_ROLE}

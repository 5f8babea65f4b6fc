"""SaharaToken: the rate-limited faucet, the gasless relayer path, minting and idempotent reward batches."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
DAY = 86_400
ZERO = "0x" + "00" * 20
ADMIN_ROLE = b"\x00" * 32
FAUCET_AMOUNT, COOLDOWN, DAILY_CAP = 100 * TOKEN, 3600, 500 * TOKEN  # SuiteParams defaults


def advance(chain_tx, seconds: int) -> None:
    chain_tx.chain.request("evm_increaseTime", [seconds])
    chain_tx.chain.request("evm_mine", [])


def block_time(chain_tx, receipt) -> int:
    return chain_tx.chain.block(receipt.block_number).timestamp


def start_of_next_day(chain_tx) -> int:
    """Move the chain to one minute past the next UTC midnight, so a test owns a whole faucet day."""
    now = chain_tx.chain.block().timestamp
    start = (now // DAY + 1) * DAY + 60
    chain_tx.chain.request("evm_setNextBlockTimestamp", [start])
    chain_tx.chain.request("evm_mine", [])
    return start


# -- faucet ------------------------------------------------------------------------------
def test_claim_pays_the_faucet_amount_and_announces_the_next_claim_time(suite, chain_tx, players):
    player = players[0]
    receipt = suite.token.transact(player, "claim")
    at = block_time(chain_tx, receipt)

    assert suite.token.events(receipt, "FaucetClaimed") == [
        ("FaucetClaimed", {"account": player, "amount": FAUCET_AMOUNT, "nextClaimAt": at + COOLDOWN})]
    assert suite.token.events(receipt, "Transfer") == [
        ("Transfer", {"from": ZERO, "to": player, "value": FAUCET_AMOUNT})]
    assert suite.token.balance_of(player) == FAUCET_AMOUNT
    assert suite.token.next_claim_at(player) == at + COOLDOWN
    assert suite.token.next_claim_at(players[1]) == 0, "0 before the first claim"


def test_claiming_again_within_the_cooldown_reverts_with_the_next_claim_time(suite, chain_tx, players):
    player = players[0]
    at = block_time(chain_tx, suite.token.transact(player, "claim"))

    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(player, "claim")
    assert exc.value.error == "FaucetCooldown"
    assert exc.value.contract == "SaharaToken"
    assert exc.value.args_by_name == {"account": player, "nextClaimAt": at + COOLDOWN}
    assert suite.token.balance_of(player) == FAUCET_AMOUNT


def test_claiming_after_the_cooldown_works(suite, chain_tx, players):
    player = players[0]
    suite.token.transact(player, "claim")
    advance(chain_tx, COOLDOWN)
    suite.token.transact(player, "claim")
    assert suite.token.balance_of(player) == 2 * FAUCET_AMOUNT


def test_the_daily_cap_stops_claims_until_the_next_utc_day(suite, chain_tx, players):
    player = players[0]
    day_start = start_of_next_day(chain_tx) - 60
    for _ in range(DAILY_CAP // FAUCET_AMOUNT):
        receipt = suite.token.transact(player, "claim")
        advance(chain_tx, COOLDOWN)
    assert suite.token.call("claimedToday", player) == DAILY_CAP
    # The claim that fills the cap already points at the next UTC midnight, not the cooldown end.
    [(_, last)] = suite.token.events(receipt, "FaucetClaimed")
    assert last["nextClaimAt"] == day_start + DAY
    assert suite.token.next_claim_at(player) == day_start + DAY

    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(player, "claim")
    assert exc.value.error == "FaucetDailyCapReached"
    assert exc.value.args_by_name == {"account": player, "cap": DAILY_CAP}

    chain_tx.chain.request("evm_setNextBlockTimestamp", [day_start + DAY])
    chain_tx.chain.request("evm_mine", [])
    suite.token.transact(player, "claim")
    assert suite.token.balance_of(player) == DAILY_CAP + FAUCET_AMOUNT
    assert suite.token.call("claimedToday", player) == FAUCET_AMOUNT


def test_the_cooldown_is_checked_before_the_daily_cap(suite, signers, chain_tx, players):
    player = players[0]
    suite.token.transact(signers.deployer.address, "setFaucet", FAUCET_AMOUNT, COOLDOWN, FAUCET_AMOUNT)
    at = block_time(chain_tx, suite.token.transact(player, "claim"))
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(player, "claim")
    assert exc.value.error == "FaucetCooldown"
    assert exc.value.args_by_name["nextClaimAt"] == at + COOLDOWN


def test_a_zero_daily_cap_means_no_cap(suite, signers, players):
    player = players[0]
    suite.token.transact(signers.deployer.address, "setFaucet", FAUCET_AMOUNT, 0, 0)
    for _ in range(DAILY_CAP // FAUCET_AMOUNT + 1):
        suite.token.transact(player, "claim")
    assert suite.token.balance_of(player) == DAILY_CAP + FAUCET_AMOUNT


def test_the_relayer_claims_for_a_player_under_the_players_own_cooldown(suite, signers, chain_tx, players):
    player, relayer = players[0], signers.faucet.address
    receipt = suite.token.transact(relayer, "claimFor", player)
    at = block_time(chain_tx, receipt)
    assert suite.token.events(receipt, "FaucetClaimed") == [
        ("FaucetClaimed", {"account": player, "amount": FAUCET_AMOUNT, "nextClaimAt": at + COOLDOWN})]
    assert suite.token.balance_of(player) == FAUCET_AMOUNT
    assert suite.token.balance_of(relayer) == 0

    # The rules are keyed on the player: neither the player nor the relayer can claim again yet.
    with pytest.raises(ContractRevert) as by_player:
        suite.token.transact(player, "claim")
    with pytest.raises(ContractRevert) as by_relayer:
        suite.token.transact(relayer, "claimFor", player)
    for exc in (by_player, by_relayer):
        assert exc.value.error == "FaucetCooldown"
        assert exc.value.args_by_name == {"account": player, "nextClaimAt": at + COOLDOWN}
    # ...while the relayer's own faucet slot is untouched.
    suite.token.transact(relayer, "claim")


def test_claim_for_by_someone_without_the_faucet_role_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(players[0], "claimFor", players[1])
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": suite.token.call("FAUCET_ROLE")}
    assert suite.token.balance_of(players[1]) == 0


def test_the_admin_reconfigures_the_faucet(suite, signers):
    receipt = suite.token.transact(signers.deployer.address, "setFaucet", 5 * TOKEN, 60, 20 * TOKEN)
    assert suite.token.events(receipt, "FaucetConfigured") == [
        ("FaucetConfigured", {"amount": 5 * TOKEN, "cooldown": 60, "dailyCap": 20 * TOKEN})]
    assert (suite.token.call("faucetAmount"), suite.token.call("faucetCooldown"),
            suite.token.call("faucetDailyCap")) == (5 * TOKEN, 60, 20 * TOKEN)


def test_a_player_cannot_reconfigure_the_faucet(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(players[0], "setFaucet", 10**30, 0, 0)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": ADMIN_ROLE}


# -- minting -----------------------------------------------------------------------------
def test_the_minter_mints(suite, signers, players):
    receipt = suite.token.transact(signers.minter.address, "mint", players[0], 7 * TOKEN)
    assert suite.token.events(receipt) == [("Transfer", {"from": ZERO, "to": players[0], "value": 7 * TOKEN})]
    assert suite.token.balance_of(players[0]) == 7 * TOKEN


def test_a_player_cannot_mint(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(players[0], "mint", players[0], TOKEN)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": suite.token.call("MINTER_ROLE")}


def test_a_reward_batch_mints_to_every_recipient_once(suite, signers, players):
    batch = b"\x42" * 32
    to, amounts = players[:3], [1 * TOKEN, 2 * TOKEN, 3 * TOKEN]
    receipt = suite.token.transact(signers.minter.address, "mintBatch", to, amounts, batch)

    assert suite.token.events(receipt, "RewardBatchMinted") == [
        ("RewardBatchMinted", {"batchId": batch, "count": 3, "total": 6 * TOKEN})]
    assert [args for _, args in suite.token.events(receipt, "Transfer")] == [
        {"from": ZERO, "to": a, "value": v} for a, v in zip(to, amounts)]
    assert [suite.token.balance_of(a) for a in to] == amounts
    assert suite.token.call("batchMinted", batch) is True
    assert suite.token.call("batchMinted", b"\x43" * 32) is False


def test_replaying_a_reward_batch_is_refused_and_mints_nothing(suite, signers, players):
    batch = b"\x42" * 32
    minter = signers.minter.address
    suite.token.transact(minter, "mintBatch", [players[0]], [TOKEN], batch)
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(minter, "mintBatch", [players[0]], [TOKEN], batch)
    assert exc.value.error == "BatchAlreadyMinted"
    assert exc.value.args_by_name == {"batchId": batch}
    assert suite.token.balance_of(players[0]) == TOKEN


def test_a_reward_batch_with_mismatched_lengths_is_refused(suite, signers, players):
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(signers.minter.address, "mintBatch", players[:2], [TOKEN], b"\x01" * 32)
    assert exc.value.error == "LengthMismatch"
    assert exc.value.args_by_name == {}


def test_a_player_cannot_mint_a_reward_batch(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(players[0], "mintBatch", [players[0]], [TOKEN], b"\x01" * 32)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": suite.token.call("MINTER_ROLE")}
    assert suite.token.call("batchMinted", b"\x01" * 32) is False


def test_token_metadata(suite):
    assert (suite.token.call("name"), suite.token.call("symbol"), suite.token.call("decimals")) == (
        "Sahara", "SAHARA", 18)

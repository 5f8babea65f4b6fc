"""Governance: stake-weighted proposals, voting at a snapshot block, queue, timelock and execution."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
VOTING_PERIOD, DELAY, THRESHOLD, QUORUM = 600, 300, 100 * TOKEN, 100 * TOKEN  # SuiteParams defaults
AGAINST, FOR, ABSTAIN = 0, 1, 2
ACTIVE, DEFEATED, SUCCEEDED, QUEUED, EXECUTED = range(5)
ZERO = "0x" + "00" * 20


@pytest.fixture
def players(players, suite, signers, chain_tx):
    """The conftest's players with ETH for gas (the devnet funds dev indices 0..9 only); players[0..2]
    stake 300, 200 and 100 SAHARA; players[3] holds 1000 SAHARA approved to Staking but stakes nothing."""
    admin = signers.deployer.address
    for player, stake in zip(players, (300, 200, 100, 0)):
        suite.token.transact(admin, "mint", player, 1000 * TOKEN)
        suite.token.transact(player, "approve", suite.staking.address, 1000 * TOKEN)
        if stake:
            suite.staking.transact(player, "stake", stake * TOKEN)
    return players


def advance(chain_tx, seconds: int) -> None:
    chain_tx.chain.request("evm_increaseTime", [seconds])
    chain_tx.chain.request("evm_mine", [])


def block_time(chain_tx, receipt) -> int:
    return chain_tx.chain.block(receipt.block_number).timestamp


def propose(suite, proposer, target=ZERO, call_data=b"", description="signal") -> int:
    receipt = suite.governance.transact(proposer, "propose", description, target, call_data)
    [(_, args)] = suite.governance.events(receipt, "ProposalCreated")
    return args["proposalId"]


def passed(suite, chain_tx, players, **kwargs) -> int:
    """A proposal by players[0] that players[0] voted for and whose voting period is over."""
    proposal = propose(suite, players[0], **kwargs)
    suite.governance.transact(players[0], "castVote", proposal, FOR)
    advance(chain_tx, VOTING_PERIOD)
    return proposal


def test_a_passed_proposal_changes_staking_through_the_timelock(suite, signers, chain_tx, players):
    # Governance may act on Staking once it holds Staking's admin role.
    suite.staking.transact(signers.deployer.address, "grantRole", b"\x00" * 32, suite.governance.address)
    call_data = suite.staking.encode("setUnstakeCooldown", 1234)

    created = suite.governance.transact(players[0], "propose", "shorter cooldown", suite.staking.address,
                                        call_data)
    snapshot, vote_end = created.block_number - 1, block_time(chain_tx, created) + VOTING_PERIOD
    assert suite.governance.events(created) == [("ProposalCreated", {
        "proposalId": 1, "proposer": players[0], "snapshotBlock": snapshot, "voteEnd": vote_end,
        "description": "shorter cooldown"})]
    assert suite.governance.call("state", 1) == ACTIVE

    votes = [(players[0], FOR, 300), (players[1], AGAINST, 200), (players[2], ABSTAIN, 100)]
    for voter, support, weight in votes:
        receipt = suite.governance.transact(voter, "castVote", 1, support)
        assert suite.governance.events(receipt) == [("VoteCast", {
            "proposalId": 1, "voter": voter, "support": support, "weight": weight * TOKEN})]
        assert suite.governance.call("hasVoted", 1, voter) is True
    assert suite.governance.call("proposals", 1) == (
        players[0], snapshot, False, False, vote_end, 0, suite.staking.address,
        300 * TOKEN, 200 * TOKEN, 100 * TOKEN, call_data)

    advance(chain_tx, VOTING_PERIOD)
    assert suite.governance.call("state", 1) == SUCCEEDED
    queued = suite.governance.transact(players[3], "queue", 1)  # anyone may queue
    eta = block_time(chain_tx, queued) + DELAY
    assert suite.governance.events(queued) == [("ProposalQueued", {"proposalId": 1, "eta": eta})]
    assert suite.governance.call("state", 1) == QUEUED

    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[3], "execute", 1)
    assert exc.value.error == "TimelockNotElapsed"
    assert exc.value.args_by_name == {"eta": eta}

    advance(chain_tx, DELAY)
    executed = suite.governance.transact(players[3], "execute", 1)
    assert suite.governance.events(executed) == [("ProposalExecuted", {"proposalId": 1})]
    assert suite.staking.events(executed) == [("UnstakeCooldownSet", {"unstakeCooldown": 1234})]
    assert suite.staking.call("unstakeCooldown") == 1234
    assert suite.governance.call("state", 1) == EXECUTED
    assert suite.governance.call("proposalCount") == 1


def test_a_signal_proposal_executes_without_calling_anything(suite, chain_tx, players):
    proposal = passed(suite, chain_tx, players)
    suite.governance.transact(players[0], "queue", proposal)
    advance(chain_tx, DELAY)
    receipt = suite.governance.transact(players[0], "execute", proposal)
    assert [log.address for log in receipt.logs] == [suite.governance.address]
    assert suite.governance.call("state", proposal) == EXECUTED


# -- propose -----------------------------------------------------------------------------
def test_proposing_below_the_threshold_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[3], "propose", "hi", ZERO, b"")
    assert exc.value.error == "BelowProposalThreshold"
    assert exc.value.args_by_name == {"power": 0, "threshold": THRESHOLD}

    suite.staking.transact(players[3], "stake", 50 * TOKEN)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[3], "propose", "hi", ZERO, b"")
    assert exc.value.args_by_name == {"power": 50 * TOKEN, "threshold": THRESHOLD}


# -- castVote ----------------------------------------------------------------------------
def test_voting_twice_is_refused(suite, players):
    proposal = propose(suite, players[0])
    suite.governance.transact(players[1], "castVote", proposal, FOR)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[1], "castVote", proposal, AGAINST)
    assert exc.value.error == "AlreadyVoted"
    assert exc.value.args_by_name == {"proposalId": proposal, "voter": players[1]}
    assert suite.governance.call("proposals", proposal)[7:10] == (200 * TOKEN, 0, 0)


def test_voting_without_stake_at_the_snapshot_is_refused(suite, players):
    proposal = propose(suite, players[0])
    suite.staking.transact(players[3], "stake", 500 * TOKEN)  # too late: after the snapshot block
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[3], "castVote", proposal, FOR)
    assert exc.value.error == "NoVotingPower"
    assert exc.value.args_by_name == {"voter": players[3]}


def test_unstaking_after_the_snapshot_keeps_the_vote(suite, players):
    proposal = propose(suite, players[0])
    suite.staking.transact(players[1], "requestUnstake", 200 * TOKEN)
    receipt = suite.governance.transact(players[1], "castVote", proposal, FOR)
    assert suite.governance.events(receipt)[0][1]["weight"] == 200 * TOKEN


def test_voting_on_an_unknown_proposal_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "castVote", 99, FOR)
    assert exc.value.error == "ProposalNotFound"
    assert exc.value.args_by_name == {"proposalId": 99}


def test_voting_after_the_voting_period_is_refused(suite, chain_tx, players):
    proposal = propose(suite, players[0])
    advance(chain_tx, VOTING_PERIOD)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[1], "castVote", proposal, FOR)
    assert exc.value.error == "VotingClosed"
    assert exc.value.args_by_name == {"proposalId": proposal}


def test_an_unknown_vote_option_is_refused(suite, players):
    proposal = propose(suite, players[0])
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[1], "castVote", proposal, 3)
    assert exc.value.error == "InvalidSupport"
    assert exc.value.args_by_name == {"support": 3}


# -- queue -------------------------------------------------------------------------------
def test_queueing_before_the_vote_ends_is_refused(suite, players):
    proposal = propose(suite, players[0])
    suite.governance.transact(players[0], "castVote", proposal, FOR)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "queue", proposal)
    assert exc.value.error == "VotingOpen"
    assert exc.value.args_by_name == {"proposalId": proposal}


def test_queueing_a_defeated_proposal_is_refused(suite, chain_tx, players):
    proposal = propose(suite, players[0])
    suite.governance.transact(players[1], "castVote", proposal, FOR)  # 200 for
    suite.governance.transact(players[0], "castVote", proposal, AGAINST)  # 300 against
    advance(chain_tx, VOTING_PERIOD)
    assert suite.governance.call("state", proposal) == DEFEATED
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "queue", proposal)
    assert exc.value.error == "ProposalNotPassed"
    assert exc.value.args_by_name == {"proposalId": proposal}


def test_a_proposal_below_quorum_is_defeated(suite, signers, chain_tx, players):
    suite.governance.transact(signers.deployer.address, "setParams", VOTING_PERIOD, DELAY, THRESHOLD,
                              1000 * TOKEN)
    proposal = passed(suite, chain_tx, players)  # 300 for, quorum 1000
    assert suite.governance.call("state", proposal) == DEFEATED
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "queue", proposal)
    assert exc.value.error == "ProposalNotPassed"


def test_queueing_twice_is_refused(suite, chain_tx, players):
    proposal = passed(suite, chain_tx, players)
    suite.governance.transact(players[0], "queue", proposal)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "queue", proposal)
    assert exc.value.error == "AlreadyQueued"
    assert exc.value.args_by_name == {"proposalId": proposal}


# -- execute -----------------------------------------------------------------------------
def test_executing_a_proposal_that_was_not_queued_is_refused(suite, chain_tx, players):
    proposal = passed(suite, chain_tx, players)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "execute", proposal)
    assert exc.value.error == "NotQueued"
    assert exc.value.args_by_name == {"proposalId": proposal}


def test_executing_twice_is_refused(suite, chain_tx, players):
    proposal = passed(suite, chain_tx, players)
    suite.governance.transact(players[0], "queue", proposal)
    advance(chain_tx, DELAY)
    suite.governance.transact(players[0], "execute", proposal)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "execute", proposal)
    assert exc.value.error == "NotQueued"


def test_a_failing_call_makes_execution_fail(suite, chain_tx, players):
    # Governance holds no role on Staking here, so the call reverts.
    proposal = passed(suite, chain_tx, players, target=suite.staking.address,
                      call_data=suite.staking.encode("setRewardRate", 0))
    suite.governance.transact(players[0], "queue", proposal)
    advance(chain_tx, DELAY)
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "execute", proposal)
    assert exc.value.error == "ExecutionFailed"
    assert exc.value.args_by_name == {"proposalId": proposal}
    assert suite.governance.call("state", proposal) == QUEUED


def test_the_state_of_an_unknown_proposal_is_an_error(suite):
    for fn in ("state", "proposals"):
        with pytest.raises(ContractRevert) as exc:
            suite.governance.call(fn, 4)
        assert exc.value.error == "ProposalNotFound"
        assert exc.value.args_by_name == {"proposalId": 4}


# -- setParams ---------------------------------------------------------------------------
def test_the_admin_reconfigures_governance(suite, signers):
    receipt = suite.governance.transact(signers.deployer.address, "setParams", 60, 30, TOKEN, 2 * TOKEN)
    assert suite.governance.events(receipt) == [("GovernanceConfigured", {
        "votingPeriod": 60, "executionDelay": 30, "proposalThreshold": TOKEN, "quorum": 2 * TOKEN})]
    assert suite.governance.call("quorum") == 2 * TOKEN


def test_a_player_cannot_reconfigure_governance(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.governance.transact(players[0], "setParams", 1, 0, 0, 0)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.contract == "Governance"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": b"\x00" * 32}

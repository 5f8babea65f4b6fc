// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IStakingVotes} from "./interfaces/IStakingVotes.sol";

/// @title Governance
/// @notice Stake-weighted proposals (one call each) with a timelock. Voting power is read from Staking at
///         the snapshot block `block.number - 1` of the proposal. Proposal ids start at 1.
/// @dev `votingPeriod` and `executionDelay` are in seconds (`voteEnd` and `eta` are timestamps); voting is
///      open while `block.timestamp < voteEnd`. A proposal passes if for > against and
///      for + abstain >= quorum. A proposal with target address(0) is a pure signal (nothing is called).
///      States: 0 Active, 1 Defeated, 2 Succeeded, 3 Queued, 4 Executed.
contract Governance is AccessControl, ReentrancyGuard {
    uint8 public constant STATE_ACTIVE = 0;
    uint8 public constant STATE_DEFEATED = 1;
    uint8 public constant STATE_SUCCEEDED = 2;
    uint8 public constant STATE_QUEUED = 3;
    uint8 public constant STATE_EXECUTED = 4;

    uint8 public constant VOTE_AGAINST = 0;
    uint8 public constant VOTE_FOR = 1;
    uint8 public constant VOTE_ABSTAIN = 2;

    struct Proposal {
        address proposer;
        uint64 snapshotBlock;
        bool queued;
        bool executed;
        uint64 voteEnd;
        uint64 eta;
        address target;
        uint256 forVotes;
        uint256 againstVotes;
        uint256 abstainVotes;
        bytes callData;
    }

    /// @notice Staking contract providing checkpointed voting power.
    IStakingVotes public immutable staking;
    /// @notice Voting duration in seconds.
    uint256 public votingPeriod;
    /// @notice Timelock between queue and execute, in seconds.
    uint256 public executionDelay;
    /// @notice Minimum voting power (at block.number - 1) needed to propose.
    uint256 public proposalThreshold;
    /// @notice Minimum for + abstain weight for a proposal to pass.
    uint256 public quorum;
    /// @notice Number of proposals created so far (= last proposal id).
    uint256 public proposalCount;
    /// @notice Whether `voter` voted on `proposalId`.
    mapping(uint256 proposalId => mapping(address voter => bool)) public hasVoted;

    mapping(uint256 proposalId => Proposal) private _proposals;

    error BelowProposalThreshold(uint256 power, uint256 threshold);
    error ProposalNotFound(uint256 proposalId);
    error VotingClosed(uint256 proposalId);
    error AlreadyVoted(uint256 proposalId, address voter);
    error NoVotingPower(address voter);
    error InvalidSupport(uint8 support);
    error VotingOpen(uint256 proposalId);
    error ProposalNotPassed(uint256 proposalId);
    error AlreadyQueued(uint256 proposalId);
    error NotQueued(uint256 proposalId);
    error TimelockNotElapsed(uint256 eta);
    error ExecutionFailed(uint256 proposalId);

    event ProposalCreated(
        uint256 indexed proposalId, address indexed proposer, uint256 snapshotBlock, uint256 voteEnd, string description
    );
    event VoteCast(uint256 indexed proposalId, address indexed voter, uint8 support, uint256 weight);
    event ProposalQueued(uint256 indexed proposalId, uint256 eta);
    event ProposalExecuted(uint256 indexed proposalId);
    event GovernanceConfigured(uint256 votingPeriod, uint256 executionDelay, uint256 proposalThreshold, uint256 quorum);

    /// @param admin receives DEFAULT_ADMIN_ROLE
    /// @param staking_ Staking contract
    /// @param votingPeriod_ voting duration (seconds)
    /// @param executionDelay_ timelock after queue (seconds)
    /// @param proposalThreshold_ minimum voting power to propose
    /// @param quorum_ minimum for + abstain weight
    constructor(
        address admin,
        address staking_,
        uint256 votingPeriod_,
        uint256 executionDelay_,
        uint256 proposalThreshold_,
        uint256 quorum_
    ) {
        staking = IStakingVotes(staking_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setParams(votingPeriod_, executionDelay_, proposalThreshold_, quorum_);
    }

    /// @notice Creates a proposal to call `target` with `callData` once passed and timelocked.
    /// @param description human-readable description (emitted only)
    /// @param target contract to call (address(0) for a signal-only proposal)
    /// @param callData calldata of the call
    /// @return proposalId the new proposal id
    function propose(string calldata description, address target, bytes calldata callData)
        external
        returns (uint256 proposalId)
    {
        address proposer = _msgSender();
        uint256 snapshot = block.number - 1;
        uint256 power = staking.votingPowerAt(proposer, snapshot);
        if (power < proposalThreshold) revert BelowProposalThreshold(power, proposalThreshold);
        proposalId = ++proposalCount;
        uint256 voteEnd = block.timestamp + votingPeriod;
        Proposal storage p = _proposals[proposalId];
        p.proposer = proposer;
        p.snapshotBlock = SafeCast.toUint64(snapshot);
        p.voteEnd = SafeCast.toUint64(voteEnd);
        p.target = target;
        p.callData = callData;
        emit ProposalCreated(proposalId, proposer, snapshot, voteEnd, description);
    }

    /// @notice Votes on an active proposal with the caller's voting power at the snapshot block.
    /// @param proposalId the proposal
    /// @param support 0 against, 1 for, 2 abstain
    function castVote(uint256 proposalId, uint8 support) external {
        Proposal storage p = _proposals[proposalId];
        if (p.proposer == address(0)) revert ProposalNotFound(proposalId);
        if (block.timestamp >= p.voteEnd) revert VotingClosed(proposalId);
        if (support > VOTE_ABSTAIN) revert InvalidSupport(support);
        address voter = _msgSender();
        if (hasVoted[proposalId][voter]) revert AlreadyVoted(proposalId, voter);
        uint256 weight = staking.votingPowerAt(voter, p.snapshotBlock);
        if (weight == 0) revert NoVotingPower(voter);
        hasVoted[proposalId][voter] = true;
        if (support == VOTE_FOR) p.forVotes += weight;
        else if (support == VOTE_AGAINST) p.againstVotes += weight;
        else p.abstainVotes += weight;
        emit VoteCast(proposalId, voter, support, weight);
    }

    /// @notice Queues a succeeded proposal; it becomes executable `executionDelay` seconds later.
    /// @param proposalId the proposal
    function queue(uint256 proposalId) external {
        uint8 s = state(proposalId);
        if (s == STATE_ACTIVE) revert VotingOpen(proposalId);
        if (s == STATE_DEFEATED) revert ProposalNotPassed(proposalId);
        if (s != STATE_SUCCEEDED) revert AlreadyQueued(proposalId);
        Proposal storage p = _proposals[proposalId];
        uint256 eta = block.timestamp + executionDelay;
        p.queued = true;
        p.eta = SafeCast.toUint64(eta);
        emit ProposalQueued(proposalId, eta);
    }

    /// @notice Executes a queued proposal after its timelock (anyone).
    /// @param proposalId the proposal
    function execute(uint256 proposalId) external nonReentrant {
        if (state(proposalId) != STATE_QUEUED) revert NotQueued(proposalId);
        Proposal storage p = _proposals[proposalId];
        if (block.timestamp < p.eta) revert TimelockNotElapsed(p.eta);
        p.executed = true;
        address target = p.target;
        if (target != address(0)) {
            (bool ok,) = target.call(p.callData);
            if (!ok) revert ExecutionFailed(proposalId);
        }
        emit ProposalExecuted(proposalId);
    }

    /// @notice Changes the governance parameters (admin only).
    function setParams(uint256 votingPeriod_, uint256 executionDelay_, uint256 proposalThreshold_, uint256 quorum_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setParams(votingPeriod_, executionDelay_, proposalThreshold_, quorum_);
    }

    /// @notice State of a proposal: 0 Active, 1 Defeated, 2 Succeeded, 3 Queued, 4 Executed.
    function state(uint256 proposalId) public view returns (uint8) {
        Proposal storage p = _proposals[proposalId];
        if (p.proposer == address(0)) revert ProposalNotFound(proposalId);
        if (p.executed) return STATE_EXECUTED;
        if (p.queued) return STATE_QUEUED;
        if (block.timestamp < p.voteEnd) return STATE_ACTIVE;
        if (p.forVotes > p.againstVotes && p.forVotes + p.abstainVotes >= quorum) return STATE_SUCCEEDED;
        return STATE_DEFEATED;
    }

    /// @notice Full record of a proposal.
    function proposals(uint256 proposalId) external view returns (Proposal memory) {
        Proposal storage p = _proposals[proposalId];
        if (p.proposer == address(0)) revert ProposalNotFound(proposalId);
        return p;
    }

    function _setParams(uint256 votingPeriod_, uint256 executionDelay_, uint256 proposalThreshold_, uint256 quorum_)
        private
    {
        votingPeriod = votingPeriod_;
        executionDelay = executionDelay_;
        proposalThreshold = proposalThreshold_;
        quorum = quorum_;
        emit GovernanceConfigured(votingPeriod_, executionDelay_, proposalThreshold_, quorum_);
    }
}

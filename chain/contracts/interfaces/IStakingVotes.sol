// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IStakingVotes
/// @notice The part of Staking that Governance reads: block-number checkpointed voting power.
interface IStakingVotes {
    /// @notice Current voting power (= staked amount) of `account`.
    function votingPower(address account) external view returns (uint256);

    /// @notice Voting power of `account` at the end of block `blockNumber`.
    function votingPowerAt(address account, uint256 blockNumber) external view returns (uint256);
}

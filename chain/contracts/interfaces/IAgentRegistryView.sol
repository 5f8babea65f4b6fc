// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAgentRegistryView
/// @notice The part of AgentRegistry that AIMarketplace reads.
interface IAgentRegistryView {
    /// @notice Developer of agent `agentId` (address(0) if it does not exist).
    function developerOf(uint256 agentId) external view returns (address);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ILegendShardsForge
/// @notice The part of LegendShards that LegendRelic uses (requires FORGE_ROLE for burnFrom).
interface ILegendShardsForge {
    /// @notice ERC-1155 balance of `account` for token `id`.
    function balanceOf(address account, uint256 id) external view returns (uint256);

    /// @notice Burns `amounts` of `ids` from `account` (FORGE_ROLE only).
    function burnFrom(address account, uint256[] calldata ids, uint256[] calldata amounts) external;
}

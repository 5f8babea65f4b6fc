// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDataServicesView
/// @notice The part of DataServices that AIMarketplace reads: dataset ownership and contributor shares.
interface IDataServicesView {
    /// @notice Owner of dataset `datasetId` (address(0) if it does not exist).
    function datasetOwner(uint256 datasetId) external view returns (address);

    /// @notice Contributors of dataset `datasetId` and their shares (accepted label counts).
    function datasetContributors(uint256 datasetId)
        external
        view
        returns (address[] memory accounts, uint256[] memory shares);
}

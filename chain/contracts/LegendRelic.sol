// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ILegendShardsForge} from "./interfaces/ILegendShardsForge.sol";

/// @title LegendRelic
/// @notice The soulbound Legend (ERC-1155 id 1000): forged once per address by burning one of each Guardian
///         on LegendShards.
/// @dev Needs FORGE_ROLE on LegendShards (granted by the deployer). The constructor grants `admin`
///      DEFAULT_ADMIN_ROLE. Metadata URI template: `<base>/metadata/{id}.json`.
contract LegendRelic is ERC1155, AccessControl {
    /// @notice Token id of the Legend.
    uint256 public constant LEGEND_ID = 1000;

    /// @notice The LegendShards contract holding the Guardians.
    ILegendShardsForge public immutable shards;
    /// @notice Whether an address already forged its Legend.
    mapping(address account => bool) public hasForged;
    /// @notice Number of Legends forged so far.
    uint256 public totalForged;

    uint256[] private _guardianIds;

    error Soulbound();
    error MissingGuardian(uint256 guardianId);
    error AlreadyForged(address account);

    event LegendForged(address indexed player, uint256 indexed legendId);
    event BaseURISet(string uri);

    /// @param admin receives DEFAULT_ADMIN_ROLE
    /// @param shards_ LegendShards address
    /// @param uri_ ERC-1155 metadata URI template (`<base>/metadata/{id}.json`)
    /// @param guardianIds_ Guardian ids required to forge (one of each)
    constructor(address admin, address shards_, string memory uri_, uint256[] memory guardianIds_) ERC1155(uri_) {
        shards = ILegendShardsForge(shards_);
        _guardianIds = guardianIds_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit BaseURISet(uri_);
    }

    /// @notice Burns one of each Guardian from the caller and mints the Legend (once per address).
    function forge() external {
        address player = _msgSender();
        if (hasForged[player]) revert AlreadyForged(player);
        uint256 n = _guardianIds.length;
        uint256[] memory ids = new uint256[](n);
        uint256[] memory ones = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 g = _guardianIds[i];
            if (shards.balanceOf(player, g) == 0) revert MissingGuardian(g);
            ids[i] = g;
            ones[i] = 1;
        }
        hasForged[player] = true;
        ++totalForged;
        shards.burnFrom(player, ids, ones);
        emit LegendForged(player, LEGEND_ID);
        _mint(player, LEGEND_ID, 1, "");
    }

    /// @notice Guardian ids required to forge.
    function guardianIds() external view returns (uint256[] memory) {
        return _guardianIds;
    }

    /// @notice Sets the metadata URI template (admin only).
    function setURI(string calldata newUri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setURI(newUri);
        emit BaseURISet(newUri);
    }

    /// @inheritdoc ERC1155
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Soulbound: only mints (from = 0) and burns (to = 0) are allowed.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (from != address(0) && to != address(0)) revert Soulbound();
        super._update(from, to, ids, values);
    }
}

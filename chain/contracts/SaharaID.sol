// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title SaharaID
/// @notice Soulbound ERC-721 identity ("Sahara ID" / "SID"): one per address, ids start at 1.
contract SaharaID is ERC721 {
    /// @notice Identity token id of an address (0 = none).
    mapping(address account => uint256) public idOf;

    mapping(uint256 tokenId => string) private _profileURIs;
    uint256 private _lastId;

    error AlreadyHasIdentity(address account);
    error NoIdentity(address account);
    error Soulbound();

    event IdentityMinted(address indexed owner, uint256 indexed tokenId, string profileURI);
    event ProfileUpdated(address indexed owner, uint256 indexed tokenId, string profileURI);

    constructor() ERC721("Sahara ID", "SID") {}

    /// @notice Mints the caller's identity token.
    /// @param profileURI profile metadata URI (returned by `tokenURI`)
    /// @return tokenId the new token id
    function mint(string calldata profileURI) external returns (uint256 tokenId) {
        address account = _msgSender();
        if (idOf[account] != 0) revert AlreadyHasIdentity(account);
        tokenId = ++_lastId;
        idOf[account] = tokenId;
        _profileURIs[tokenId] = profileURI;
        _mint(account, tokenId);
        emit IdentityMinted(account, tokenId, profileURI);
    }

    /// @notice Updates the caller's profile URI.
    /// @param profileURI new profile metadata URI
    function setProfileURI(string calldata profileURI) external {
        address account = _msgSender();
        uint256 tokenId = idOf[account];
        if (tokenId == 0) revert NoIdentity(account);
        _profileURIs[tokenId] = profileURI;
        emit ProfileUpdated(account, tokenId, profileURI);
    }

    /// @notice Profile URI of `tokenId` (reverts for a non-existent token).
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _profileURIs[tokenId];
    }

    /// @notice Number of identities minted so far.
    function totalSupply() external view returns (uint256) {
        return _lastId;
    }

    /// @dev Soulbound: only mints (from = 0) and burns (to = 0) are allowed.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) revert Soulbound();
        return super._update(to, tokenId, auth);
    }
}

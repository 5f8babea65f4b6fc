// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title OwnerWallet
/// @notice The smallest smart-contract wallet a traveller may sign in with (EIP-1271): a
/// signature is the wallet's when its owner key made it over the hash. Not part of the
/// deployed suite; the sign-in tests deploy one per wallet on the devnet.
contract OwnerWallet is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable owner;

    bytes4 private constant MAGIC_VALUE = IERC1271.isValidSignature.selector; // 0x1626ba7e
    bytes4 private constant REFUSED = 0xffffffff;

    error NoOwner();

    /// @param owner_ the key whose signatures the wallet accepts
    constructor(address owner_) {
        if (owner_ == address(0)) revert NoOwner();
        owner = owner_;
    }

    /// @notice EIP-1271: the magic value when `owner` signed `hash`, 0xffffffff otherwise.
    /// @param hash the digest that was signed (for sign-in: the EIP-191 hash of the message)
    /// @param signature the owner's 65-byte ECDSA signature over `hash`
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(hash, signature);
        return error == ECDSA.RecoverError.NoError && signer == owner ? MAGIC_VALUE : REFUSED;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SaharaToken
/// @notice The "Sahara" (SAHARA) ERC-20 test token with a rate-limited faucet, a minter role and
///         idempotent reward batches.
/// @dev Faucet rules (per address): a claim needs `faucetCooldown` seconds since the previous claim and the
///      amount claimed during the current UTC day (`block.timestamp / 1 days`) may not exceed
///      `faucetDailyCap` (0 = no daily cap). The constructor grants `admin` DEFAULT_ADMIN_ROLE,
///      MINTER_ROLE and FAUCET_ROLE.
contract SaharaToken is ERC20, ERC20Permit, AccessControl {
    /// @notice Role allowed to `mint` and `mintBatch`.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role allowed to `claimFor` (a gasless relayer).
    bytes32 public constant FAUCET_ROLE = keccak256("FAUCET_ROLE");

    struct FaucetState {
        uint64 lastClaimAt; // timestamp of the last claim (0 = never)
        uint64 day; // UTC day index of `claimedOnDay`
        uint128 claimedOnDay; // amount claimed during `day`
    }

    /// @notice Amount minted per faucet claim.
    uint256 public faucetAmount;
    /// @notice Minimum seconds between two claims of one address.
    uint256 public faucetCooldown;
    /// @notice Maximum amount one address may claim per UTC day (0 = unlimited).
    uint256 public faucetDailyCap;

    /// @notice Whether reward batch `batchId` was already minted.
    mapping(bytes32 batchId => bool) public batchMinted;

    mapping(address account => FaucetState) private _faucet;

    error FaucetCooldown(address account, uint256 nextClaimAt);
    error FaucetDailyCapReached(address account, uint256 cap);
    error BatchAlreadyMinted(bytes32 batchId);
    error LengthMismatch();

    event FaucetClaimed(address indexed account, uint256 amount, uint256 nextClaimAt);
    event FaucetConfigured(uint256 amount, uint256 cooldown, uint256 dailyCap);
    event RewardBatchMinted(bytes32 indexed batchId, uint256 count, uint256 total);

    /// @param admin receives DEFAULT_ADMIN_ROLE, MINTER_ROLE and FAUCET_ROLE
    /// @param faucetAmount_ amount per claim
    /// @param faucetCooldown_ seconds between claims of one address
    /// @param faucetDailyCap_ max amount per address per UTC day (0 = unlimited)
    constructor(address admin, uint256 faucetAmount_, uint256 faucetCooldown_, uint256 faucetDailyCap_)
        ERC20("Sahara", "SAHARA")
        ERC20Permit("Sahara")
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(FAUCET_ROLE, admin);
        _setFaucet(faucetAmount_, faucetCooldown_, faucetDailyCap_);
    }

    // ------------------------------------------------------------------ faucet

    /// @notice Claims `faucetAmount` SAHARA for the caller.
    function claim() external {
        _claim(_msgSender());
    }

    /// @notice Claims `faucetAmount` SAHARA for `account` (gasless relayer path, same rules keyed on `account`).
    /// @param account the player receiving the tokens
    function claimFor(address account) external onlyRole(FAUCET_ROLE) {
        _claim(account);
    }

    /// @notice Earliest timestamp at which `account` can claim again (0 if it never claimed).
    /// @dev Takes both the cooldown and the daily cap into account.
    function nextClaimAt(address account) public view returns (uint256) {
        FaucetState memory s = _faucet[account];
        if (s.lastClaimAt == 0) return 0;
        uint256 next = uint256(s.lastClaimAt) + faucetCooldown;
        uint256 today = block.timestamp / 1 days;
        uint256 cap = faucetDailyCap;
        if (cap != 0 && s.day == today && uint256(s.claimedOnDay) + faucetAmount > cap) {
            uint256 tomorrow = (today + 1) * 1 days;
            if (tomorrow > next) next = tomorrow;
        }
        return next;
    }

    /// @notice Amount `account` claimed from the faucet during the current UTC day.
    function claimedToday(address account) public view returns (uint256) {
        FaucetState memory s = _faucet[account];
        return s.day == block.timestamp / 1 days ? s.claimedOnDay : 0;
    }

    /// @notice Reconfigures the faucet (admin only).
    /// @param amount amount per claim
    /// @param cooldown seconds between claims of one address
    /// @param dailyCap max amount per address per UTC day (0 = unlimited)
    function setFaucet(uint256 amount, uint256 cooldown, uint256 dailyCap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFaucet(amount, cooldown, dailyCap);
    }

    // ------------------------------------------------------------------ minting

    /// @notice Mints `amount` to `to` (MINTER_ROLE).
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Mints `amounts[i]` to `to[i]` for every i, at most once per `batchId` (MINTER_ROLE).
    /// @dev A re-sent batch reverts `BatchAlreadyMinted`, which gives exactly-once reward minting.
    /// @param to recipients
    /// @param amounts amounts, same length as `to`
    /// @param batchId unique id of this reward batch
    function mintBatch(address[] calldata to, uint256[] calldata amounts, bytes32 batchId)
        external
        onlyRole(MINTER_ROLE)
    {
        uint256 n = to.length;
        if (n != amounts.length) revert LengthMismatch();
        if (batchMinted[batchId]) revert BatchAlreadyMinted(batchId);
        batchMinted[batchId] = true;
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 amount = amounts[i];
            _mint(to[i], amount);
            total += amount;
        }
        emit RewardBatchMinted(batchId, n, total);
    }

    // ------------------------------------------------------------------ internals

    function _claim(address account) private {
        FaucetState memory s = _faucet[account];
        uint256 amount = faucetAmount;
        uint256 cooldown = faucetCooldown;
        if (s.lastClaimAt != 0 && block.timestamp < uint256(s.lastClaimAt) + cooldown) {
            revert FaucetCooldown(account, uint256(s.lastClaimAt) + cooldown);
        }
        uint256 today = block.timestamp / 1 days;
        uint256 claimed = s.day == today ? uint256(s.claimedOnDay) + amount : amount;
        uint256 cap = faucetDailyCap;
        if (cap != 0 && claimed > cap) revert FaucetDailyCapReached(account, cap);

        _faucet[account] = FaucetState({
            lastClaimAt: uint64(block.timestamp),
            day: uint64(today),
            claimedOnDay: SafeCast.toUint128(claimed)
        });
        _mint(account, amount);
        emit FaucetClaimed(account, amount, nextClaimAt(account));
    }

    function _setFaucet(uint256 amount, uint256 cooldown, uint256 dailyCap) private {
        faucetAmount = amount;
        faucetCooldown = cooldown;
        faucetDailyCap = dailyCap;
        emit FaucetConfigured(amount, cooldown, dailyCap);
    }
}

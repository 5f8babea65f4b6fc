// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IStakingVotes} from "./interfaces/IStakingVotes.sol";

/// @title Staking
/// @notice Stake SAHARA for rewards and voting power. Unstaking removes the stake (and its voting power)
///         at once and releases the tokens after `unstakeCooldown` seconds.
/// @dev Rewards: `rewardRatePerSecond` SAHARA per second in total, split pro rata among stakers
///      (Synthetix-style accumulator), paid only out of funded rewards (`rewardReserve`); nothing accrues while
///      nothing is staked. Voting power = staked amount, checkpointed by block number (OZ Checkpoints.Trace208).
contract Staking is IStakingVotes, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    uint256 private constant PRECISION = 1e18;

    struct PendingUnstake {
        uint128 amount;
        uint64 availableAt;
    }

    /// @notice The SAHARA token.
    IERC20 public immutable token;
    /// @notice Seconds between `requestUnstake` and `withdraw`.
    uint256 public unstakeCooldown;
    /// @notice Total rewards emitted per second (split pro rata among stakers).
    uint256 public rewardRatePerSecond;
    /// @notice Funded rewards not yet allocated to stakers.
    uint256 public rewardReserve;
    /// @notice Accumulated rewards per staked token (scaled by 1e18).
    uint256 public rewardPerTokenStored;
    /// @notice Timestamp of the last accumulator update.
    uint256 public lastUpdateTime;

    uint256 private _totalStaked;
    mapping(address account => uint256) private _staked;
    mapping(address account => Checkpoints.Trace208) private _votes;
    mapping(address account => uint256) private _rewardPerTokenPaid;
    mapping(address account => uint256) private _rewards;
    mapping(address account => PendingUnstake) private _pending;

    error ZeroAmount();
    error InsufficientStake(uint256 requested, uint256 staked);
    error NoPendingUnstake(address account);
    error UnstakeNotReady(uint256 availableAt);
    error NoRewards(address account);

    event Staked(address indexed account, uint256 amount, uint256 totalStaked);
    event UnstakeRequested(address indexed account, uint256 amount, uint256 availableAt);
    event Unstaked(address indexed account, uint256 amount);
    event RewardsFunded(uint256 amount);
    event RewardsClaimed(address indexed account, uint256 amount);
    event RewardRateSet(uint256 rewardRatePerSecond);
    event UnstakeCooldownSet(uint256 unstakeCooldown);
    event VotingPowerChanged(address indexed account, uint256 previousPower, uint256 newPower);

    /// @param admin receives DEFAULT_ADMIN_ROLE
    /// @param token_ the SAHARA token
    /// @param unstakeCooldown_ seconds between `requestUnstake` and `withdraw`
    /// @param rewardRatePerSecond_ total rewards emitted per second
    constructor(address admin, address token_, uint256 unstakeCooldown_, uint256 rewardRatePerSecond_) {
        token = IERC20(token_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        unstakeCooldown = unstakeCooldown_;
        rewardRatePerSecond = rewardRatePerSecond_;
        lastUpdateTime = block.timestamp;
        emit UnstakeCooldownSet(unstakeCooldown_);
        emit RewardRateSet(rewardRatePerSecond_);
    }

    /// @notice Stakes `amount` SAHARA from the caller (approve first).
    /// @param amount amount to stake (> 0)
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        address account = _msgSender();
        _updateReward(account);
        uint256 before = _staked[account];
        _setStake(account, before, before + amount);
        _totalStaked += amount;
        emit Staked(account, amount, _totalStaked);
        token.safeTransferFrom(account, address(this), amount);
    }

    /// @notice Removes `amount` from the caller's stake (voting power drops now); the tokens become
    ///         withdrawable `unstakeCooldown` seconds later. A new request restarts the cooldown of the whole
    ///         pending amount.
    /// @param amount amount to unstake (> 0)
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        address account = _msgSender();
        uint256 staked = _staked[account];
        if (amount > staked) revert InsufficientStake(amount, staked);
        _updateReward(account);
        _setStake(account, staked, staked - amount);
        _totalStaked -= amount;
        PendingUnstake storage p = _pending[account];
        uint256 availableAt = block.timestamp + unstakeCooldown;
        p.amount = SafeCast.toUint128(uint256(p.amount) + amount);
        p.availableAt = SafeCast.toUint64(availableAt);
        emit UnstakeRequested(account, amount, availableAt);
    }

    /// @notice Withdraws the caller's pending unstake once its cooldown elapsed.
    function withdraw() external nonReentrant {
        address account = _msgSender();
        PendingUnstake memory p = _pending[account];
        if (p.amount == 0) revert NoPendingUnstake(account);
        if (block.timestamp < p.availableAt) revert UnstakeNotReady(p.availableAt);
        delete _pending[account];
        emit Unstaked(account, p.amount);
        token.safeTransfer(account, p.amount);
    }

    /// @notice Adds `amount` SAHARA to the reward reserve (anyone; approve first).
    /// @param amount amount to fund (> 0)
    function fundRewards(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _updateReward(address(0));
        rewardReserve += amount;
        emit RewardsFunded(amount);
        token.safeTransferFrom(_msgSender(), address(this), amount);
    }

    /// @notice Pays the caller's accrued rewards.
    function claimRewards() external nonReentrant {
        address account = _msgSender();
        _updateReward(account);
        uint256 reward = _rewards[account];
        if (reward == 0) revert NoRewards(account);
        _rewards[account] = 0;
        emit RewardsClaimed(account, reward);
        token.safeTransfer(account, reward);
    }

    /// @notice Sets the total reward emission per second (admin only).
    function setRewardRate(uint256 rewardRatePerSecond_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _updateReward(address(0));
        rewardRatePerSecond = rewardRatePerSecond_;
        emit RewardRateSet(rewardRatePerSecond_);
    }

    /// @notice Sets the unstake cooldown in seconds for future requests (admin only).
    function setUnstakeCooldown(uint256 unstakeCooldown_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        unstakeCooldown = unstakeCooldown_;
        emit UnstakeCooldownSet(unstakeCooldown_);
    }

    // ------------------------------------------------------------------ views

    /// @notice Rewards accrued by `account` and not yet claimed.
    function earned(address account) public view returns (uint256) {
        (uint256 rpt,) = _accrue();
        return _earned(account, rpt);
    }

    /// @notice Current voting power (= staked amount) of `account`.
    function votingPower(address account) external view returns (uint256) {
        return _votes[account].latest();
    }

    /// @notice Voting power of `account` at the end of block `blockNumber` (the current block's value may still change).
    function votingPowerAt(address account, uint256 blockNumber) external view returns (uint256) {
        return _votes[account].upperLookupRecent(SafeCast.toUint48(blockNumber));
    }

    /// @notice Currently staked amount of `account`.
    function stakedOf(address account) external view returns (uint256) {
        return _staked[account];
    }

    /// @notice Total currently staked amount.
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    /// @notice Pending unstake of `account`: amount and the timestamp it becomes withdrawable.
    function pendingUnstake(address account) external view returns (uint256 amount, uint256 availableAt) {
        PendingUnstake memory p = _pending[account];
        return (p.amount, p.availableAt);
    }

    // ------------------------------------------------------------------ internals

    function _accrue() private view returns (uint256 rpt, uint256 allocated) {
        rpt = rewardPerTokenStored;
        uint256 total = _totalStaked;
        if (total == 0) return (rpt, 0);
        allocated = (block.timestamp - lastUpdateTime) * rewardRatePerSecond;
        uint256 reserve = rewardReserve;
        if (allocated > reserve) allocated = reserve;
        rpt += (allocated * PRECISION) / total;
    }

    function _earned(address account, uint256 rpt) private view returns (uint256) {
        return _rewards[account] + (_staked[account] * (rpt - _rewardPerTokenPaid[account])) / PRECISION;
    }

    function _updateReward(address account) private {
        (uint256 rpt, uint256 allocated) = _accrue();
        rewardPerTokenStored = rpt;
        if (allocated != 0) rewardReserve -= allocated;
        lastUpdateTime = block.timestamp;
        if (account != address(0)) {
            _rewards[account] = _earned(account, rpt);
            _rewardPerTokenPaid[account] = rpt;
        }
    }

    function _setStake(address account, uint256 previous, uint256 next) private {
        _staked[account] = next;
        _votes[account].push(SafeCast.toUint48(block.number), SafeCast.toUint208(next));
        emit VotingPowerChanged(account, previous, next);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IDataServicesView} from "./interfaces/IDataServicesView.sol";
import {IAgentRegistryView} from "./interfaces/IAgentRegistryView.sol";

/// @title AIMarketplace
/// @notice Licence sales of datasets, models and agents for SAHARA with a developer / contributors /
///         validators revenue split credited as pull payments. Listing ids start at 1.
/// @dev Kinds: 0 Dataset, 1 Model, 2 Agent. Revenue roles: 0 developer, 1 contributor, 2 validator.
///      Rounding dust of the split goes to the seller.
contract AIMarketplace is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint8 public constant KIND_DATASET = 0;
    uint8 public constant KIND_MODEL = 1;
    uint8 public constant KIND_AGENT = 2;

    uint8 public constant ROLE_DEVELOPER = 0;
    uint8 public constant ROLE_CONTRIBUTOR = 1;
    uint8 public constant ROLE_VALIDATOR = 2;

    uint16 private constant BPS = 10_000;

    struct Listing {
        address seller;
        uint8 kind;
        bool active;
        uint256 assetRef;
        uint256 price;
        string uri;
    }

    /// @notice The SAHARA token.
    IERC20 public immutable token;
    /// @notice DataServices (dataset owners and contributors).
    IDataServicesView public immutable dataServices;
    /// @notice AgentRegistry (agent developers).
    IAgentRegistryView public immutable agentRegistry;
    /// @notice Account credited with the validators' share.
    address public validatorPool;
    /// @notice Seller share in basis points.
    uint16 public developerBps;
    /// @notice Dataset contributors share in basis points (goes to the seller for non-datasets).
    uint16 public contributorsBps;
    /// @notice Validator pool share in basis points.
    uint16 public validatorsBps;

    /// @notice Listing `listingId`: (seller, kind, active, assetRef, price, uri).
    mapping(uint256 listingId => Listing) public listings;
    /// @notice Withdrawable revenue of an account.
    mapping(address account => uint256) public pendingRevenue;
    /// @notice Number of listings created so far (= last listing id).
    uint256 public listingCount;

    error InvalidSplit();
    error InvalidKind(uint8 kind);
    error InvalidPrice();
    error ZeroAddress();
    error NotAssetOwner(uint8 kind, uint256 assetRef);
    error ListingNotActive(uint256 listingId);
    error CannotBuyOwnListing(uint256 listingId);
    error NotSeller(uint256 listingId);
    error NothingToWithdraw(address account);

    event Listed(uint256 indexed listingId, address indexed seller, uint8 indexed kind, uint256 assetRef, uint256 price);
    event Sale(uint256 indexed listingId, address indexed buyer, address indexed seller, uint256 price);
    event RevenueCredited(address indexed account, uint256 indexed listingId, uint256 amount, uint8 role);
    event Delisted(uint256 indexed listingId, address indexed seller);
    event RevenueWithdrawn(address indexed account, uint256 amount);
    event SplitConfigured(address validatorPool, uint16 developerBps, uint16 contributorsBps, uint16 validatorsBps);

    /// @param admin receives DEFAULT_ADMIN_ROLE
    /// @param token_ the SAHARA token
    /// @param dataServices_ DataServices address
    /// @param agentRegistry_ AgentRegistry address
    /// @param validatorPool_ account credited with the validators' share
    /// @param developerBps_ seller share (bps)
    /// @param contributorsBps_ dataset contributors share (bps)
    /// @param validatorsBps_ validator pool share (bps); the three must sum to 10000
    constructor(
        address admin,
        address token_,
        address dataServices_,
        address agentRegistry_,
        address validatorPool_,
        uint16 developerBps_,
        uint16 contributorsBps_,
        uint16 validatorsBps_
    ) {
        token = IERC20(token_);
        dataServices = IDataServicesView(dataServices_);
        agentRegistry = IAgentRegistryView(agentRegistry_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setSplit(validatorPool_, developerBps_, contributorsBps_, validatorsBps_);
    }

    /// @notice Lists an asset for sale (licence sale: the listing stays active after purchases).
    /// @param kind 0 Dataset (caller must own dataset `assetRef`), 1 Model (free-form), 2 Agent (caller must be its developer)
    /// @param assetRef dataset id / model reference / agent id
    /// @param price price in SAHARA (> 0)
    /// @param uri listing metadata URI
    /// @return listingId the new listing id
    function list(uint8 kind, uint256 assetRef, uint256 price, string calldata uri)
        external
        returns (uint256 listingId)
    {
        if (kind > KIND_AGENT) revert InvalidKind(kind);
        if (price == 0) revert InvalidPrice();
        address seller = _msgSender();
        if (kind == KIND_DATASET) {
            if (dataServices.datasetOwner(assetRef) != seller) revert NotAssetOwner(kind, assetRef);
        } else if (kind == KIND_AGENT) {
            if (agentRegistry.developerOf(assetRef) != seller) revert NotAssetOwner(kind, assetRef);
        }
        listingId = ++listingCount;
        listings[listingId] =
            Listing({seller: seller, kind: kind, active: true, assetRef: assetRef, price: price, uri: uri});
        emit Listed(listingId, seller, kind, assetRef, price);
    }

    /// @notice Buys a licence: pulls `price` SAHARA from the caller (approve first) and credits the split.
    /// @param listingId the listing
    function buy(uint256 listingId) external nonReentrant {
        Listing storage l = listings[listingId];
        if (!l.active) revert ListingNotActive(listingId);
        address buyer = _msgSender();
        address seller = l.seller;
        if (buyer == seller) revert CannotBuyOwnListing(listingId);
        uint256 price = l.price;

        token.safeTransferFrom(buyer, address(this), price);
        emit Sale(listingId, buyer, seller, price);

        uint256 validatorsPart = (price * validatorsBps) / BPS;
        uint256 contributorsPart = (price * contributorsBps) / BPS;
        uint256 sellerPart = price - validatorsPart - contributorsPart;

        if (l.kind == KIND_DATASET && contributorsPart != 0) {
            sellerPart += _creditContributors(l.assetRef, listingId, contributorsPart);
        } else {
            sellerPart += contributorsPart;
        }
        if (sellerPart != 0) _credit(seller, listingId, sellerPart, ROLE_DEVELOPER);
        if (validatorsPart != 0) _credit(validatorPool, listingId, validatorsPart, ROLE_VALIDATOR);
    }

    /// @notice Deactivates a listing (seller only).
    /// @param listingId the listing
    function delist(uint256 listingId) external {
        Listing storage l = listings[listingId];
        address seller = _msgSender();
        if (l.seller != seller) revert NotSeller(listingId);
        if (!l.active) revert ListingNotActive(listingId);
        l.active = false;
        emit Delisted(listingId, seller);
    }

    /// @notice Withdraws the caller's credited revenue.
    function withdraw() external nonReentrant {
        address account = _msgSender();
        uint256 amount = pendingRevenue[account];
        if (amount == 0) revert NothingToWithdraw(account);
        pendingRevenue[account] = 0;
        emit RevenueWithdrawn(account, amount);
        token.safeTransfer(account, amount);
    }

    /// @notice Changes the validator pool and the split (admin only; bps must sum to 10000).
    function setSplit(address validatorPool_, uint16 developerBps_, uint16 contributorsBps_, uint16 validatorsBps_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setSplit(validatorPool_, developerBps_, contributorsBps_, validatorsBps_);
    }

    function _setSplit(address pool, uint16 dev, uint16 contrib, uint16 val) private {
        if (pool == address(0)) revert ZeroAddress();
        if (uint256(dev) + contrib + val != BPS) revert InvalidSplit();
        validatorPool = pool;
        developerBps = dev;
        contributorsBps = contrib;
        validatorsBps = val;
        emit SplitConfigured(pool, dev, contrib, val);
    }

    /// @dev Credits `amount` pro rata to the contributors of `datasetId`; returns the undistributed rest.
    function _creditContributors(uint256 datasetId, uint256 listingId, uint256 amount)
        private
        returns (uint256 rest)
    {
        (address[] memory accounts, uint256[] memory shares) = dataServices.datasetContributors(datasetId);
        uint256 n = accounts.length;
        uint256 totalShares;
        for (uint256 i; i < n; ++i) {
            totalShares += shares[i];
        }
        if (totalShares == 0) return amount;
        rest = amount;
        for (uint256 i; i < n; ++i) {
            uint256 part = (amount * shares[i]) / totalShares;
            if (part == 0) continue;
            rest -= part;
            _credit(accounts[i], listingId, part, ROLE_CONTRIBUTOR);
        }
    }

    function _credit(address account, uint256 listingId, uint256 amount, uint8 role) private {
        pendingRevenue[account] += amount;
        emit RevenueCredited(account, listingId, amount, role);
    }
}

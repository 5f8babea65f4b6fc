// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title LegendShards
/// @notice Soulbound ERC-1155 region shards (ids 1..5) and Guardians (ids 101..105). Shards are minted in
///         idempotent reward batches; Guardians are crafted by burning shards according to a recipe.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE and MINTER_ROLE; FORGE_ROLE (for LegendRelic) is
///      granted separately by the deployer. Metadata URI template: `<base>/metadata/{id}.json`.
contract LegendShards is ERC1155, AccessControl {
    /// @notice Role allowed to `mintBatch`.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role allowed to `burnFrom` (LegendRelic).
    bytes32 public constant FORGE_ROLE = keccak256("FORGE_ROLE");

    struct Recipe {
        uint256 shardId;
        uint256 amount;
    }

    /// @notice Crafting recipe of a Guardian: `amount` of shard `shardId` (amount 0 = no recipe).
    mapping(uint256 guardianId => Recipe) public recipes;
    /// @notice Incremented on every `setRecipe`.
    uint256 public recipeVersion;
    /// @notice Whether reward batch `batchId` was already minted.
    mapping(bytes32 batchId => bool) public batchMinted;

    error Soulbound();
    error BatchAlreadyMinted(bytes32 batchId);
    error LengthMismatch();
    error UnknownRecipe(uint256 guardianId);
    error InsufficientShards(uint256 shardId, uint256 required, uint256 balance);

    event RewardBatchMinted(bytes32 indexed batchId, uint256 count);
    event RecipeSet(uint256 indexed guardianId, uint256 shardId, uint256 amount, uint256 version);
    event GuardianCrafted(address indexed player, uint256 indexed guardianId, uint256 shardId, uint256 shardsBurned);
    event BaseURISet(string uri);

    /// @param admin receives DEFAULT_ADMIN_ROLE and MINTER_ROLE
    /// @param uri_ ERC-1155 metadata URI template (`<base>/metadata/{id}.json`)
    constructor(address admin, string memory uri_) ERC1155(uri_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        emit BaseURISet(uri_);
    }

    /// @notice Mints `amounts[i]` of token `ids[i]` to `to[i]` for every i, at most once per `batchId` (MINTER_ROLE).
    /// @dev Emits one TransferSingle per entry. A re-sent batch reverts `BatchAlreadyMinted`, which gives
    ///      exactly-once reward minting. For gas, no ERC-1155 receiver acceptance check is done (the tokens are
    ///      soulbound rewards for players).
    /// @param to recipients
    /// @param ids token ids, same length as `to`
    /// @param amounts amounts, same length as `to`
    /// @param batchId unique id of this reward batch
    function mintBatch(address[] calldata to, uint256[] calldata ids, uint256[] calldata amounts, bytes32 batchId)
        external
        onlyRole(MINTER_ROLE)
    {
        uint256 n = to.length;
        if (n != ids.length || n != amounts.length) revert LengthMismatch();
        if (batchMinted[batchId]) revert BatchAlreadyMinted(batchId);
        batchMinted[batchId] = true;
        uint256[] memory idArr = new uint256[](1);
        uint256[] memory amountArr = new uint256[](1);
        for (uint256 i; i < n; ++i) {
            address account = to[i];
            if (account == address(0)) revert ERC1155InvalidReceiver(address(0));
            idArr[0] = ids[i];
            amountArr[0] = amounts[i];
            _update(address(0), account, idArr, amountArr);
        }
        emit RewardBatchMinted(batchId, n);
    }

    /// @notice Sets the recipe of a Guardian (admin only; amount 0 removes it).
    /// @param guardianId Guardian token id (100 + region)
    /// @param shardId shard token id burned
    /// @param amount shards burned per Guardian
    function setRecipe(uint256 guardianId, uint256 shardId, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        recipes[guardianId] = Recipe({shardId: shardId, amount: amount});
        uint256 version = ++recipeVersion;
        emit RecipeSet(guardianId, shardId, amount, version);
    }

    /// @notice Burns the recipe's shards from the caller and mints one Guardian `guardianId`.
    /// @param guardianId Guardian token id
    function craft(uint256 guardianId) external {
        Recipe memory r = recipes[guardianId];
        if (r.amount == 0) revert UnknownRecipe(guardianId);
        address player = _msgSender();
        uint256 balance = balanceOf(player, r.shardId);
        if (balance < r.amount) revert InsufficientShards(r.shardId, r.amount, balance);
        _burn(player, r.shardId, r.amount);
        emit GuardianCrafted(player, guardianId, r.shardId, r.amount);
        _mint(player, guardianId, 1, "");
    }

    /// @notice Burns `amounts` of `ids` from `account` (FORGE_ROLE, used by LegendRelic).
    function burnFrom(address account, uint256[] calldata ids, uint256[] calldata amounts)
        external
        onlyRole(FORGE_ROLE)
    {
        _burnBatch(account, ids, amounts);
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

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IAgentRegistryView} from "./interfaces/IAgentRegistryView.sol";

/// @title AgentRegistry
/// @notice AI agents, SAHARA-paid licences and attested invocations (EIP-712 domain "AgentRegistry" / "1").
///         Agent ids start at 1.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE and `attester` ATTESTER_ROLE.
contract AgentRegistry is IAgentRegistryView, AccessControl, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice Role whose EIP-712 signatures attest invocations.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");
    /// @notice EIP-712 type hash of `Invocation(uint256 agentId,address caller,bytes32 inputHash,bytes32 outputHash,uint256 nonce)`.
    bytes32 public constant INVOCATION_TYPEHASH = keccak256(
        "Invocation(uint256 agentId,address caller,bytes32 inputHash,bytes32 outputHash,uint256 nonce)"
    );

    struct Agent {
        address developer;
        uint256 licenseFee;
        bytes32 modelRef;
        uint256 invocations;
        string metadataURI;
        uint256[] datasetIds;
    }

    /// @notice The SAHARA token used for licence fees.
    IERC20 public immutable token;
    /// @notice Number of agents registered so far (= last agent id).
    uint256 public agentCount;
    /// @notice Whether an attestation digest was already recorded.
    mapping(bytes32 digest => bool) public attestationUsed;

    mapping(uint256 agentId => Agent) private _agents;
    mapping(uint256 agentId => mapping(address account => bool)) private _licensed;

    error AgentNotFound(uint256 agentId);
    error AlreadyLicensed(uint256 agentId, address licensee);
    error SelfLicense(uint256 agentId);
    error InvalidAttestation(address signer);
    error NotLicensed(uint256 agentId, address caller);
    error AttestationReplayed(bytes32 digest);

    event AgentRegistered(uint256 indexed agentId, address indexed developer, uint256 licenseFee, string metadataURI);
    event AgentLicensed(uint256 indexed agentId, address indexed licensee, address indexed developer, uint256 fee);
    event AgentInvoked(
        uint256 indexed agentId, address indexed caller, bytes32 inputHash, bytes32 outputHash, address attester
    );

    /// @param admin receives DEFAULT_ADMIN_ROLE
    /// @param token_ the SAHARA token
    /// @param attester receives ATTESTER_ROLE
    constructor(address admin, address token_, address attester) EIP712("AgentRegistry", "1") {
        token = IERC20(token_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ATTESTER_ROLE, attester);
    }

    /// @notice Registers an agent developed by the caller.
    /// @param metadataURI agent metadata URI
    /// @param licenseFee SAHARA fee paid by each licensee to the developer
    /// @param modelRef reference (hash) of the underlying model
    /// @param datasetIds DataServices datasets the agent was trained on (informational)
    /// @return agentId the new agent id
    function registerAgent(
        string calldata metadataURI,
        uint256 licenseFee,
        bytes32 modelRef,
        uint256[] calldata datasetIds
    ) external returns (uint256 agentId) {
        address developer = _msgSender();
        agentId = ++agentCount;
        Agent storage a = _agents[agentId];
        a.developer = developer;
        a.licenseFee = licenseFee;
        a.modelRef = modelRef;
        a.metadataURI = metadataURI;
        a.datasetIds = datasetIds;
        emit AgentRegistered(agentId, developer, licenseFee, metadataURI);
    }

    /// @notice Buys a licence for `agentId`: the caller pays `licenseFee` SAHARA to the developer (approve first).
    /// @param agentId the agent
    function licenseAgent(uint256 agentId) external nonReentrant {
        Agent storage a = _agents[agentId];
        address developer = a.developer;
        if (developer == address(0)) revert AgentNotFound(agentId);
        address licensee = _msgSender();
        if (licensee == developer) revert SelfLicense(agentId);
        if (_licensed[agentId][licensee]) revert AlreadyLicensed(agentId, licensee);
        _licensed[agentId][licensee] = true;
        uint256 fee = a.licenseFee;
        emit AgentLicensed(agentId, licensee, developer, fee);
        if (fee != 0) token.safeTransferFrom(licensee, developer, fee);
    }

    /// @notice Records an invocation attested by an ATTESTER_ROLE key (anyone may submit).
    /// @param agentId the agent
    /// @param caller who invoked the agent (must be its developer or a licensee)
    /// @param inputHash hash of the input
    /// @param outputHash hash of the output
    /// @param nonce attester-chosen nonce (makes the digest unique)
    /// @param signature EIP-712 signature over `Invocation(agentId, caller, inputHash, outputHash, nonce)`
    function recordInvocation(
        uint256 agentId,
        address caller,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 nonce,
        bytes calldata signature
    ) external {
        Agent storage a = _agents[agentId];
        address developer = a.developer;
        if (developer == address(0)) revert AgentNotFound(agentId);
        bytes32 digest = invocationDigest(agentId, caller, inputHash, outputHash, nonce);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err != ECDSA.RecoverError.NoError || !hasRole(ATTESTER_ROLE, signer)) revert InvalidAttestation(signer);
        if (attestationUsed[digest]) revert AttestationReplayed(digest);
        if (caller != developer && !_licensed[agentId][caller]) revert NotLicensed(agentId, caller);
        attestationUsed[digest] = true;
        ++a.invocations;
        emit AgentInvoked(agentId, caller, inputHash, outputHash, signer);
    }

    /// @notice EIP-712 digest an attester signs for an invocation.
    function invocationDigest(uint256 agentId, address caller, bytes32 inputHash, bytes32 outputHash, uint256 nonce)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(INVOCATION_TYPEHASH, agentId, caller, inputHash, outputHash, nonce)));
    }

    /// @notice The EIP-712 domain separator.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Developer of `agentId` (address(0) if it does not exist).
    function developerOf(uint256 agentId) external view returns (address) {
        return _agents[agentId].developer;
    }

    /// @notice Whether `account` bought a licence for `agentId` (the developer itself is not a licensee).
    function isLicensed(uint256 agentId, address account) external view returns (bool) {
        return _licensed[agentId][account];
    }

    /// @notice Number of recorded invocations of `agentId`.
    function invocationCount(uint256 agentId) external view returns (uint256) {
        return _agents[agentId].invocations;
    }

    /// @notice Full record of `agentId` (reverts if it does not exist).
    function agentInfo(uint256 agentId)
        external
        view
        returns (
            address developer,
            uint256 licenseFee,
            bytes32 modelRef,
            uint256 invocations,
            string memory metadataURI,
            uint256[] memory datasetIds
        )
    {
        Agent storage a = _agents[agentId];
        if (a.developer == address(0)) revert AgentNotFound(agentId);
        return (a.developer, a.licenseFee, a.modelRef, a.invocations, a.metadataURI, a.datasetIds);
    }
}

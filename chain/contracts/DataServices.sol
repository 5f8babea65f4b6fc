// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IDataServicesView} from "./interfaces/IDataServicesView.sol";

/// @title DataServices
/// @notice Labeling tasks with an escrowed SAHARA budget, reviewed labels and datasets built from the
///         accepted labels of a task. Ids (tasks, labels, datasets) start at 1.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE and REVIEWER_ROLE. A label's content hash must be
///      unique within its task. As on a data-services platform, a task's poster reviews the labels of
///      their own task; REVIEWER_ROLE reviews any.
contract DataServices is IDataServicesView, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Role allowed to `reviewLabel`.
    bytes32 public constant REVIEWER_ROLE = keccak256("REVIEWER_ROLE");

    /// @notice Label review status.
    uint8 public constant STATUS_PENDING = 0;
    uint8 public constant STATUS_ACCEPTED = 1;
    uint8 public constant STATUS_REJECTED = 2;

    struct Task {
        address poster;
        bool open;
        uint256 rewardPerLabel;
        uint256 remainingBudget;
        uint256 labelCount;
        uint256 acceptedLabels;
    }

    struct Label {
        uint256 taskId;
        address labeler;
        uint8 status;
        bytes32 contentHash;
    }

    struct Dataset {
        address owner;
        uint256 taskId;
        string uri;
        address[] contributors;
        uint256[] shares;
    }

    /// @notice The SAHARA token used for budgets and rewards.
    IERC20 public immutable token;

    /// @notice Task `taskId`: (poster, open, rewardPerLabel, remainingBudget, labelCount, acceptedLabels).
    mapping(uint256 taskId => Task) public tasks;
    /// @notice Label `labelId`: (taskId, labeler, status 0 pending / 1 accepted / 2 rejected, contentHash).
    mapping(uint256 labelId => Label) public labels;
    /// @notice Total number of accepted labels of `labeler` across all tasks.
    mapping(address labeler => uint256) public acceptedCount;
    /// @notice Number of accepted labels of `labeler` in task `taskId`.
    mapping(uint256 taskId => mapping(address labeler => uint256)) public taskAcceptedCount;

    mapping(uint256 datasetId => Dataset) private _datasets;
    mapping(uint256 taskId => address[]) private _taskContributors;
    mapping(uint256 taskId => mapping(bytes32 contentHash => bool)) private _usedHash;

    /// @notice Number of tasks posted so far (= last task id).
    uint256 public taskCount;
    /// @notice Number of labels submitted so far (= last label id).
    uint256 public labelCount;
    /// @notice Number of datasets created so far (= last dataset id).
    uint256 public datasetCount;

    error InvalidReward();
    error TaskNotFound(uint256 taskId);
    error TaskClosed(uint256 taskId);
    error DuplicateLabel(bytes32 contentHash);
    error LabelNotFound(uint256 labelId);
    error AlreadyReviewed(uint256 labelId);
    error CannotReviewOwnLabel(uint256 labelId);
    error BudgetExhausted(uint256 taskId);
    error NotTaskPoster(uint256 taskId);
    error NotReviewer(uint256 labelId, address account);
    error NoAcceptedLabels(uint256 taskId);
    error DatasetNotFound(uint256 datasetId);

    event TaskPosted(
        uint256 indexed taskId, address indexed poster, uint256 rewardPerLabel, uint256 budget, string specURI
    );
    event LabelSubmitted(uint256 indexed labelId, uint256 indexed taskId, address indexed labeler, bytes32 contentHash);
    event LabelAccepted(uint256 indexed labelId, uint256 indexed taskId, address indexed labeler, uint256 reward);
    event LabelRejected(uint256 indexed labelId, uint256 indexed taskId, address indexed labeler);
    event TaskFinished(uint256 indexed taskId, uint256 refund);
    event DatasetCreated(
        uint256 indexed datasetId, uint256 indexed taskId, address indexed owner, uint256 contributorCount, string uri
    );

    /// @param admin receives DEFAULT_ADMIN_ROLE and REVIEWER_ROLE
    /// @param token_ the SAHARA token
    constructor(address admin, address token_) {
        token = IERC20(token_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REVIEWER_ROLE, admin);
    }

    /// @notice Posts a labeling task and escrows `budget` SAHARA from the caller (approve first).
    /// @param specURI task specification URI
    /// @param rewardPerLabel reward paid per accepted label (> 0)
    /// @param budget escrowed budget (>= rewardPerLabel)
    /// @return taskId the new task id
    function postTask(string calldata specURI, uint256 rewardPerLabel, uint256 budget)
        external
        nonReentrant
        returns (uint256 taskId)
    {
        if (rewardPerLabel == 0 || budget < rewardPerLabel) revert InvalidReward();
        address poster = _msgSender();
        taskId = ++taskCount;
        Task storage t = tasks[taskId];
        t.poster = poster;
        t.open = true;
        t.rewardPerLabel = rewardPerLabel;
        t.remainingBudget = budget;
        emit TaskPosted(taskId, poster, rewardPerLabel, budget, specURI);
        token.safeTransferFrom(poster, address(this), budget);
    }

    /// @notice Submits a label for an open task.
    /// @param taskId the task
    /// @param contentHash hash of the label content (unique within the task)
    /// @return labelId the new label id
    function submitLabel(uint256 taskId, bytes32 contentHash) external returns (uint256 labelId) {
        Task storage t = tasks[taskId];
        if (t.poster == address(0)) revert TaskNotFound(taskId);
        if (!t.open) revert TaskClosed(taskId);
        if (_usedHash[taskId][contentHash]) revert DuplicateLabel(contentHash);
        _usedHash[taskId][contentHash] = true;
        address labeler = _msgSender();
        labelId = ++labelCount;
        labels[labelId] = Label({taskId: taskId, labeler: labeler, status: STATUS_PENDING, contentHash: contentHash});
        ++t.labelCount;
        emit LabelSubmitted(labelId, taskId, labeler, contentHash);
    }

    /// @notice Accepts (paying `rewardPerLabel` to the labeler) or rejects a pending label (the poster of
    ///         the label's task, or REVIEWER_ROLE).
    /// @param labelId the label
    /// @param accept true to accept, false to reject
    function reviewLabel(uint256 labelId, bool accept) external nonReentrant {
        Label storage l = labels[labelId];
        address labeler = l.labeler;
        if (labeler == address(0)) revert LabelNotFound(labelId);
        address reviewer = _msgSender();
        uint256 taskId = l.taskId;
        if (tasks[taskId].poster != reviewer && !hasRole(REVIEWER_ROLE, reviewer)) {
            revert NotReviewer(labelId, reviewer);
        }
        if (l.status != STATUS_PENDING) revert AlreadyReviewed(labelId);
        if (labeler == reviewer) revert CannotReviewOwnLabel(labelId);
        if (!accept) {
            l.status = STATUS_REJECTED;
            emit LabelRejected(labelId, taskId, labeler);
            return;
        }
        Task storage t = tasks[taskId];
        uint256 reward = t.rewardPerLabel;
        uint256 remaining = t.remainingBudget;
        if (remaining < reward) revert BudgetExhausted(taskId);
        unchecked {
            t.remainingBudget = remaining - reward;
        }
        l.status = STATUS_ACCEPTED;
        ++t.acceptedLabels;
        ++acceptedCount[labeler];
        if (taskAcceptedCount[taskId][labeler]++ == 0) _taskContributors[taskId].push(labeler);
        emit LabelAccepted(labelId, taskId, labeler, reward);
        token.safeTransfer(labeler, reward);
    }

    /// @notice Closes a task and refunds the remaining budget to its poster (poster only).
    /// @param taskId the task
    function closeTask(uint256 taskId) external nonReentrant {
        Task storage t = tasks[taskId];
        if (t.poster == address(0)) revert TaskNotFound(taskId);
        if (t.poster != _msgSender()) revert NotTaskPoster(taskId);
        if (!t.open) revert TaskClosed(taskId);
        uint256 refund = t.remainingBudget;
        t.open = false;
        t.remainingBudget = 0;
        emit TaskFinished(taskId, refund);
        if (refund != 0) token.safeTransfer(t.poster, refund);
    }

    /// @notice Creates a dataset from the accepted labels of a task (poster only). Contributors are the
    ///         labelers of accepted labels, each with share = their accepted label count (snapshot).
    /// @param taskId the task
    /// @param uri dataset URI
    /// @return datasetId the new dataset id
    function createDataset(uint256 taskId, string calldata uri) external returns (uint256 datasetId) {
        Task storage t = tasks[taskId];
        if (t.poster == address(0)) revert TaskNotFound(taskId);
        address owner = _msgSender();
        if (t.poster != owner) revert NotTaskPoster(taskId);
        address[] storage contributors = _taskContributors[taskId];
        uint256 n = contributors.length;
        if (n == 0) revert NoAcceptedLabels(taskId);

        datasetId = ++datasetCount;
        Dataset storage d = _datasets[datasetId];
        d.owner = owner;
        d.taskId = taskId;
        d.uri = uri;
        mapping(address => uint256) storage counts = taskAcceptedCount[taskId];
        for (uint256 i; i < n; ++i) {
            address c = contributors[i];
            d.contributors.push(c);
            d.shares.push(counts[c]);
        }
        emit DatasetCreated(datasetId, taskId, owner, n, uri);
    }

    /// @notice Owner of dataset `datasetId` (address(0) if it does not exist).
    function datasetOwner(uint256 datasetId) external view returns (address) {
        return _datasets[datasetId].owner;
    }

    /// @notice Contributors of dataset `datasetId` and their shares (accepted label counts at creation).
    function datasetContributors(uint256 datasetId)
        external
        view
        returns (address[] memory accounts, uint256[] memory shares)
    {
        Dataset storage d = _datasets[datasetId];
        return (d.contributors, d.shares);
    }

    /// @notice Dataset `datasetId`: owner, source task and URI (reverts if it does not exist).
    function datasetInfo(uint256 datasetId) external view returns (address owner, uint256 taskId, string memory uri) {
        Dataset storage d = _datasets[datasetId];
        if (d.owner == address(0)) revert DatasetNotFound(datasetId);
        return (d.owner, d.taskId, d.uri);
    }

    /// @notice Distinct labelers with at least one accepted label in task `taskId`.
    function taskContributors(uint256 taskId) external view returns (address[] memory) {
        return _taskContributors[taskId];
    }
}

"""DataServices: escrowed labeling tasks, reviewed labels, datasets built from accepted labels."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from chain.errors import ContractRevert

TOKEN = 10**18
REWARD, BUDGET = 10 * TOKEN, 30 * TOKEN
PENDING, ACCEPTED, REJECTED = 0, 1, 2


@pytest.fixture
def reviewer(signers):
    return signers.deployer.address


@pytest.fixture
def poster(suite, signers, players):
    """players[0], holding 100 SAHARA and having approved DataServices for all of it."""
    suite.token.transact(signers.deployer.address, "mint", players[0], 100 * TOKEN)
    suite.token.transact(players[0], "approve", suite.data.address, 100 * TOKEN)
    return players[0]


def h(text: str) -> bytes:
    return keccak(text=text)


def post_task(suite, poster, reward=REWARD, budget=BUDGET) -> int:
    receipt = suite.data.transact(poster, "postTask", "ipfs://spec", reward, budget)
    [(_, args)] = suite.data.events(receipt, "TaskPosted")
    return args["taskId"]


def submit(suite, labeler, task_id, content: str) -> int:
    receipt = suite.data.transact(labeler, "submitLabel", task_id, h(content))
    [(_, args)] = suite.data.events(receipt, "LabelSubmitted")
    return args["labelId"]


def test_a_task_from_posting_to_dataset_and_refund(suite, poster, reviewer, players):
    labeler, other = players[1], players[2]

    posted = suite.data.transact(poster, "postTask", "ipfs://spec", REWARD, BUDGET)
    assert suite.data.events(posted) == [("TaskPosted", {
        "taskId": 1, "poster": poster, "rewardPerLabel": REWARD, "budget": BUDGET, "specURI": "ipfs://spec"})]
    assert suite.token.balance_of(suite.data.address) == BUDGET
    assert suite.token.balance_of(poster) == 100 * TOKEN - BUDGET

    submitted = suite.data.transact(labeler, "submitLabel", 1, h("cat"))
    assert suite.data.events(submitted) == [("LabelSubmitted", {
        "labelId": 1, "taskId": 1, "labeler": labeler, "contentHash": h("cat")})]
    suite.data.transact(other, "submitLabel", 1, h("dog"))
    assert suite.data.call("labels", 1) == (1, labeler, PENDING, h("cat"))

    accepted = suite.data.transact(reviewer, "reviewLabel", 1, True)
    assert suite.data.events(accepted) == [("LabelAccepted", {
        "labelId": 1, "taskId": 1, "labeler": labeler, "reward": REWARD})]
    assert suite.token.events(accepted, "Transfer") == [("Transfer", {
        "from": suite.data.address, "to": labeler, "value": REWARD})]
    rejected = suite.data.transact(reviewer, "reviewLabel", 2, False)
    assert suite.data.events(rejected) == [("LabelRejected", {"labelId": 2, "taskId": 1, "labeler": other})]

    assert suite.token.balance_of(labeler) == REWARD and suite.token.balance_of(other) == 0
    assert suite.data.call("tasks", 1) == (poster, True, REWARD, BUDGET - REWARD, 2, 1)
    assert suite.data.call("labels", 2)[2] == REJECTED
    assert suite.data.call("acceptedCount", labeler) == 1
    assert suite.data.call("acceptedCount", other) == 0
    assert suite.data.call("taskContributors", 1) == [labeler]

    created = suite.data.transact(poster, "createDataset", 1, "ipfs://dataset")
    assert suite.data.events(created) == [("DatasetCreated", {
        "datasetId": 1, "taskId": 1, "owner": poster, "contributorCount": 1, "uri": "ipfs://dataset"})]
    assert suite.data.call("datasetOwner", 1) == poster
    assert suite.data.call("datasetContributors", 1) == ([labeler], (1,))
    assert suite.data.call("datasetInfo", 1) == (poster, 1, "ipfs://dataset")

    closed = suite.data.transact(poster, "closeTask", 1)
    assert suite.data.events(closed) == [("TaskFinished", {"taskId": 1, "refund": BUDGET - REWARD})]
    assert suite.token.balance_of(poster) == 100 * TOKEN - REWARD
    assert suite.token.balance_of(suite.data.address) == 0
    assert suite.data.call("tasks", 1)[1:4] == (False, REWARD, 0)
    assert (suite.data.call("taskCount"), suite.data.call("labelCount"), suite.data.call("datasetCount")) == (
        1, 2, 1)


def test_dataset_shares_are_the_accepted_label_counts(suite, poster, reviewer, players):
    task = post_task(suite, poster)
    for labeler, content in [(players[1], "a"), (players[2], "b"), (players[1], "c")]:
        suite.data.transact(reviewer, "reviewLabel", submit(suite, labeler, task, content), True)
    suite.data.transact(poster, "createDataset", task, "ipfs://ds")
    assert suite.data.call("datasetContributors", 1) == ([players[1], players[2]], (2, 1))
    assert suite.data.call("taskAcceptedCount", task, players[1]) == 2


# -- postTask ----------------------------------------------------------------------------
@pytest.mark.parametrize("reward, budget", [(0, BUDGET), (REWARD, REWARD - 1)])
def test_posting_a_task_with_a_zero_reward_or_a_budget_below_one_reward_is_refused(
        suite, poster, reward, budget):
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(poster, "postTask", "ipfs://spec", reward, budget)
    assert exc.value.error == "InvalidReward"
    assert suite.data.call("taskCount") == 0


def test_posting_a_task_without_approving_the_budget_is_refused(suite, signers, players):
    suite.token.transact(signers.deployer.address, "mint", players[0], BUDGET)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[0], "postTask", "ipfs://spec", REWARD, BUDGET)
    assert exc.value.error == "ERC20InsufficientAllowance"
    assert exc.value.args_by_name == {"spender": suite.data.address, "allowance": 0, "needed": BUDGET}


# -- submitLabel -------------------------------------------------------------------------
def test_labeling_an_unknown_task_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[1], "submitLabel", 99, h("x"))
    assert exc.value.error == "TaskNotFound"
    assert exc.value.args_by_name == {"taskId": 99}


def test_labeling_a_closed_task_is_refused(suite, poster, players):
    task = post_task(suite, poster)
    suite.data.transact(poster, "closeTask", task)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[1], "submitLabel", task, h("late"))
    assert exc.value.error == "TaskClosed"
    assert exc.value.args_by_name == {"taskId": task}


def test_submitting_the_same_content_twice_in_a_task_is_refused(suite, poster, players):
    task = post_task(suite, poster)
    submit(suite, players[1], task, "cat")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[2], "submitLabel", task, h("cat"))
    assert exc.value.error == "DuplicateLabel"
    assert exc.value.args_by_name == {"contentHash": h("cat")}
    # The same content is fine in another task.
    other = post_task(suite, poster)
    submit(suite, players[2], other, "cat")


# -- reviewLabel -------------------------------------------------------------------------
def test_a_player_who_neither_posted_the_task_nor_holds_the_reviewer_role_cannot_review(
        suite, poster, players):
    task = post_task(suite, poster)
    label = submit(suite, players[1], task, "cat")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[2], "reviewLabel", label, True)
    assert exc.value.error == "NotReviewer"
    assert exc.value.contract == "DataServices"
    assert exc.value.args_by_name == {"labelId": label, "account": players[2]}


def test_the_poster_reviews_the_labels_of_their_own_task_and_makes_a_dataset(suite, poster, players):
    task = post_task(suite, poster)
    label = submit(suite, players[1], task, "cat")
    before = suite.token.balance_of(players[1])
    receipt = suite.data.transact(poster, "reviewLabel", label, True)
    [(_, accepted)] = suite.data.events(receipt, "LabelAccepted")
    assert accepted["labeler"] == players[1] and accepted["reward"] == REWARD
    assert suite.token.balance_of(players[1]) == before + REWARD
    made = suite.data.transact(poster, "createDataset", task, "ipfs://cats")
    [(_, dataset)] = suite.data.events(made, "DatasetCreated")
    assert dataset["owner"] == poster and dataset["contributorCount"] == 1


def test_a_poster_cannot_review_labels_of_someone_elses_task(suite, poster, signers, players):
    admin = signers.deployer.address
    suite.token.transact(admin, "mint", admin, 100 * TOKEN)
    suite.token.transact(admin, "approve", suite.data.address, 100 * TOKEN)
    theirs = post_task(suite, admin)
    post_task(suite, poster)
    label = submit(suite, players[1], theirs, "dog")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(poster, "reviewLabel", label, True)
    assert exc.value.error == "NotReviewer"


def test_a_poster_cannot_review_their_own_label(suite, poster):
    task = post_task(suite, poster)
    label = submit(suite, poster, task, "me")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(poster, "reviewLabel", label, True)
    assert exc.value.error == "CannotReviewOwnLabel"


def test_reviewing_an_unknown_label_is_refused(suite, reviewer):
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(reviewer, "reviewLabel", 42, True)
    assert exc.value.error == "LabelNotFound"
    assert exc.value.args_by_name == {"labelId": 42}


@pytest.mark.parametrize("first", [True, False])
def test_a_label_is_reviewed_only_once(suite, poster, reviewer, players, first):
    label = submit(suite, players[1], post_task(suite, poster), "cat")
    suite.data.transact(reviewer, "reviewLabel", label, first)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(reviewer, "reviewLabel", label, True)
    assert exc.value.error == "AlreadyReviewed"
    assert exc.value.args_by_name == {"labelId": label}
    assert suite.token.balance_of(players[1]) == (REWARD if first else 0)


def test_a_reviewer_cannot_review_their_own_label(suite, poster, reviewer):
    label = submit(suite, reviewer, post_task(suite, poster), "mine")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(reviewer, "reviewLabel", label, True)
    assert exc.value.error == "CannotReviewOwnLabel"
    assert exc.value.args_by_name == {"labelId": label}


def test_accepting_beyond_the_budget_is_refused_but_rejecting_still_works(suite, poster, reviewer, players):
    task = post_task(suite, poster, REWARD, REWARD)
    first, second, third = (submit(suite, players[1], task, c) for c in "abc")
    suite.data.transact(reviewer, "reviewLabel", first, True)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(reviewer, "reviewLabel", second, True)
    assert exc.value.error == "BudgetExhausted"
    assert exc.value.args_by_name == {"taskId": task}
    suite.data.transact(reviewer, "reviewLabel", third, False)
    assert suite.data.call("labels", second)[2] == PENDING


# -- closeTask ---------------------------------------------------------------------------
def test_only_the_poster_closes_a_task(suite, poster, players):
    task = post_task(suite, poster)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[1], "closeTask", task)
    assert exc.value.error == "NotTaskPoster"
    assert exc.value.args_by_name == {"taskId": task}
    assert suite.data.call("tasks", task)[1] is True


def test_closing_a_task_twice_is_refused(suite, poster):
    task = post_task(suite, poster)
    suite.data.transact(poster, "closeTask", task)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(poster, "closeTask", task)
    assert exc.value.error == "TaskClosed"
    assert exc.value.args_by_name == {"taskId": task}


def test_closing_an_unknown_task_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[0], "closeTask", 7)
    assert exc.value.error == "TaskNotFound"
    assert exc.value.args_by_name == {"taskId": 7}


# -- createDataset -----------------------------------------------------------------------
def test_a_dataset_needs_at_least_one_accepted_label(suite, poster, reviewer, players):
    task = post_task(suite, poster)
    suite.data.transact(reviewer, "reviewLabel", submit(suite, players[1], task, "bad"), False)
    submit(suite, players[2], task, "pending")
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(poster, "createDataset", task, "ipfs://ds")
    assert exc.value.error == "NoAcceptedLabels"
    assert exc.value.args_by_name == {"taskId": task}
    assert suite.data.call("datasetCount") == 0


def test_only_the_poster_creates_a_dataset_from_a_task(suite, poster, reviewer, players):
    task = post_task(suite, poster)
    suite.data.transact(reviewer, "reviewLabel", submit(suite, players[1], task, "cat"), True)
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[1], "createDataset", task, "ipfs://stolen")
    assert exc.value.error == "NotTaskPoster"
    assert exc.value.args_by_name == {"taskId": task}


def test_a_dataset_from_an_unknown_task_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.data.transact(players[0], "createDataset", 5, "ipfs://ds")
    assert exc.value.error == "TaskNotFound"
    assert exc.value.args_by_name == {"taskId": 5}


def test_an_unknown_dataset_has_no_owner_and_no_info(suite):
    assert suite.data.call("datasetOwner", 3) == "0x" + "00" * 20
    assert suite.data.call("datasetContributors", 3) == ([], ())
    with pytest.raises(ContractRevert) as exc:
        suite.data.call("datasetInfo", 3)
    assert exc.value.error == "DatasetNotFound"
    assert exc.value.args_by_name == {"datasetId": 3}

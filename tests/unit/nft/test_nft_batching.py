"""The minting outbox: states, batch planning, crash reconciliation, retry backoff."""

import pytest

from nft.batching import (
    Decision,
    InvalidTransition,
    MintTarget,
    OutboxState,
    ReceiptStatus,
    after_revert,
    batch_id_for,
    check_transition,
    make_batch,
    next_retry_delay,
    paid_in_full,
    plan_batches,
    reconcile,
)
from nft.ledger import Grant, GrantKind, grants_for_completion


def player(n: int) -> str:
    return f"0x{n:040x}"


def shards(n: int, period: str = "once") -> Grant:
    return Grant(player(n), "gate-id", period, GrantKind.SHARDS, 1, token_id=1 + n % 5)


def sahara(n: int) -> Grant:
    return Grant(player(n), "gate-id", "once", GrantKind.SAHARA, 10**18)


# --- states ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [("pending", "sending"), ("sending", "confirmed"), ("sending", "pending"),
     ("sending", "failed"), ("failed", "pending"), ("confirmed", "sending")],
)
def test_allowed_outbox_transitions(old, new):
    assert check_transition(old, new) == OutboxState(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [("confirmed", "pending"), ("confirmed", "failed"), ("pending", "confirmed"),
     ("failed", "confirmed"), ("pending", "failed")],
)
def test_forbidden_outbox_transitions(old, new):
    with pytest.raises(InvalidTransition):
        check_transition(old, new)


def test_a_reverted_batch_goes_back_to_pending_until_attempts_run_out():
    assert after_revert(attempts=1, max_attempts=5) is OutboxState.PENDING
    assert after_revert(attempts=5, max_attempts=5) is OutboxState.FAILED


# --- planning -------------------------------------------------------------------------------


def test_shards_and_sahara_go_to_separate_batches_shards_first():
    batches = plan_batches([sahara(1), shards(1), sahara(2), shards(2)], max_entries=10)
    assert [b.target for b in batches] == [MintTarget.SHARDS, MintTarget.SAHARA]
    assert all(len(b.grants) == 2 for b in batches)


def test_batches_respect_max_entries():
    batches = plan_batches([shards(n) for n in range(7)] + [sahara(1)], max_entries=3)
    assert [(b.target, len(b.grants)) for b in batches] == [
        (MintTarget.SHARDS, 3), (MintTarget.SHARDS, 3), (MintTarget.SHARDS, 1),
        (MintTarget.SAHARA, 1),
    ]


def test_nothing_pending_plans_nothing():
    assert plan_batches([], max_entries=10) == []


def test_batch_ids_are_deterministic_whatever_the_input_order():
    grants = [shards(n) for n in range(6)] + [sahara(n) for n in range(3)]
    first = plan_batches(grants, max_entries=4)
    again = plan_batches(list(reversed(grants)), max_entries=4)
    assert [b.batch_id for b in first] == [b.batch_id for b in again]
    assert first == again
    assert len({b.batch_id for b in first}) == len(first)


def test_a_batch_id_is_32_bytes_of_hex_and_changes_with_its_grants():
    batch = make_batch([shards(1), shards(2)])
    assert batch.batch_id.startswith("0x") and len(batch.batch_id) == 66
    assert len(batch.batch_id_bytes) == 32
    assert make_batch([shards(1)]).batch_id != batch.batch_id
    assert make_batch([shards(2), shards(1)]).batch_id == batch.batch_id
    assert batch_id_for("shards", batch.grant_keys) == batch.batch_id
    assert batch_id_for("sahara", batch.grant_keys) != batch.batch_id


def test_a_recorded_batch_rebuilt_from_its_grants_is_the_same_batch():
    (planned,) = plan_batches([shards(3), shards(4)], max_entries=10)
    assert make_batch(list(planned.grants)) == planned


def test_shard_batch_call_arguments():
    a = Grant(player(1), "q", "once", GrantKind.SHARDS, 2, token_id=4)
    b = Grant(player(2), "q", "once", GrantKind.SHARDS, 1, token_id=5)
    batch = make_batch([b, a])
    assert batch.to == (player(1), player(2))
    assert batch.ids == (4, 5)
    assert batch.amounts == (2, 1)
    assert batch.call_args() == ([player(1), player(2)], [4, 5], [2, 1], batch.batch_id_bytes)


def test_sahara_batch_call_arguments_have_no_ids():
    batch = make_batch([sahara(1)])
    assert batch.ids == ()
    assert batch.call_args() == ([player(1)], [10**18], batch.batch_id_bytes)


def test_xp_never_reaches_the_outbox():
    xp = grants_for_completion(player(1), "q", "once", {"xp": 5})
    with pytest.raises(ValueError, match="off-chain"):
        plan_batches(xp, max_entries=10)


def test_the_same_grant_twice_is_refused_rather_than_minted_twice():
    with pytest.raises(ValueError, match="twice"):
        plan_batches([shards(1), shards(1)], max_entries=10)
    with pytest.raises(ValueError, match="twice"):
        make_batch([shards(1), shards(1)])


def test_a_batch_cannot_mix_shards_and_sahara():
    with pytest.raises(ValueError, match="mixes"):
        make_batch([shards(1), sahara(1)])


@pytest.mark.parametrize("max_entries", [0, -1, True, 2.0])
def test_max_entries_must_be_a_positive_integer(max_entries):
    with pytest.raises(ValueError, match="max_entries"):
        plan_batches([shards(1)], max_entries=max_entries)


# --- reconciliation -------------------------------------------------------------------------

TX = "0x" + "ab" * 32


@pytest.mark.parametrize(
    ("scenario", "tx_hash", "receipt", "minted", "decision"),
    [
        ("crashed before send", None, None, False, Decision.RESEND),
        ("crashed after send, before the hash was committed", None, None, False,
         Decision.RESEND),
        ("crashed after send, before the receipt (tx pending)", TX, ReceiptStatus.NOT_FOUND,
         False, Decision.RESEND),
        ("tx dropped from the mempool", TX, "not_found", False, Decision.RESEND),
        ("crashed after the receipt, before commit", TX, ReceiptStatus.OK, True,
         Decision.CONFIRM),
        ("hash not committed but the first send was mined", None, None, True, Decision.CONFIRM),
        ("re-send reverted because already minted", TX, ReceiptStatus.REVERTED, True,
         Decision.CONFIRM),
        ("first tx mined but receipt not yet visible", TX, ReceiptStatus.NOT_FOUND, True,
         Decision.CONFIRM),
        ("receipt ok but batch not minted (lagging node, reorg)", TX, ReceiptStatus.OK, False,
         Decision.RESEND),
        ("reverted for another reason", TX, ReceiptStatus.REVERTED, False, Decision.REPLAN),
    ],
)
def test_reconciliation_decision_table(scenario, tx_hash, receipt, minted, decision):
    outcome = reconcile(tx_hash, receipt, minted)
    assert outcome.decision is decision, scenario
    assert outcome.reason


def test_only_a_reverted_unminted_batch_is_replanned():
    """Re-planning is the one step that changes batch ids, so it must be the rare one."""
    outcomes = {
        (tx, receipt, minted): reconcile(tx, receipt, minted).decision
        for tx in (None, TX)
        for receipt in ([None] if tx is None else list(ReceiptStatus))
        for minted in (False, True)
    }
    replans = [case for case, decision in outcomes.items() if decision is Decision.REPLAN]
    assert replans == [(TX, ReceiptStatus.REVERTED, False)]


@pytest.mark.parametrize(
    ("scenario", "receipt", "minted", "deep", "above", "decision"),
    [
        ("mined above the depth", ReceiptStatus.OK, False, False, False, Decision.WAIT),
        ("reverted above the depth (maybe already minted by a copy)", ReceiptStatus.REVERTED,
         False, False, False, Decision.WAIT),
        ("an earlier attempt minted it above the depth", ReceiptStatus.NOT_FOUND, False, True,
         True, Decision.WAIT),
        ("minted at the depth", ReceiptStatus.OK, True, True, False, Decision.CONFIRM),
        ("the mint was orphaned by a reorg", ReceiptStatus.NOT_FOUND, False, True, False,
         Decision.RESEND),
        ("reverted at the depth, nothing minted", ReceiptStatus.REVERTED, False, True, False,
         Decision.REPLAN),
    ],
)
def test_nothing_above_the_confirmation_depth_is_confirmed_replanned_or_sent_again(
        scenario, receipt, minted, deep, above, decision):
    assert reconcile(TX, receipt, minted, deep=deep, minted_above=above).decision is decision, scenario


def test_a_receipt_without_a_tx_hash_is_a_bug():
    with pytest.raises(ValueError, match="without a recorded tx hash"):
        reconcile(None, ReceiptStatus.OK, False)


# --- backoff --------------------------------------------------------------------------------


def test_backoff_grows_exponentially_then_caps():
    delays = [next_retry_delay(n, seed="b", base=2, cap=60) for n in range(1, 12)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(60, 2 * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 60
    assert next_retry_delay(10_000, seed="b", cap=60) <= 60


def test_backoff_jitter_is_deterministic_per_seed():
    assert next_retry_delay(3, seed="0xabc") == next_retry_delay(3, seed="0xabc")
    spread = {next_retry_delay(3, seed=f"batch-{n}") for n in range(20)}
    assert len(spread) > 10


@pytest.mark.parametrize("attempt", [0, -1, True])
def test_backoff_attempts_start_at_one(attempt):
    with pytest.raises(ValueError, match="attempt"):
        next_retry_delay(attempt)


def test_a_completion_is_paid_once_every_grant_recorded_for_it_is_confirmed():
    assert paid_in_full([]), "nothing recorded: nothing owed"
    assert paid_in_full(["confirmed", OutboxState.CONFIRMED])
    for unsettled in ("pending", "sending", "failed", "withdrawn"):
        assert not paid_in_full(["confirmed", unsettled]), unsettled

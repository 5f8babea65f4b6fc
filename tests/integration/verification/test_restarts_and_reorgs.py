"""Verification survives restarts and reorgs: nothing missed, nothing counted twice, and no
quest stays completed on a transaction the chain no longer has."""

from __future__ import annotations

from datetime import UTC, datetime

from eth_utils import keccak
from sqlalchemy import select

from quests import service
from quests.store import QuestCompletion, QuestWithdrawal

TOKEN = 10**18


def post_task(suite, admin) -> int:
    suite.token.transact(admin, "mint", admin, 100 * TOKEN)
    suite.token.transact(admin, "approve", suite.data.address, 100 * TOKEN)
    suite.data.transact(admin, "postTask", "ipfs://dunes", 5 * TOKEN, 50 * TOKEN)
    return 1


def test_a_restarted_indexer_misses_nothing_and_counts_nothing_twice(funded, suite, signers, sign_in, unlock,
                                                                     accept, make_loop, settle, verified,
                                                                     evidence_count, sessions, sink, heard):
    player = funded[0]
    sign_in(player)
    unlock(player, "oasis")
    task = post_task(suite, signers.deployer.address)
    first = make_loop()
    settle(first)
    accept(player, "oasis.first-labels")
    for i in range(2):
        suite.data.transact(player, "submitLabel", task, keccak(text=f"a-{i}"))
    settle(first)
    assert evidence_count(player) == 2 and verified(player) == set()

    # The third label is applied, then the process dies before the cursor moves (as if the
    # two were not one transaction): the next indexer delivers the label again.
    suite.data.transact(player, "submitLabel", task, keccak(text="a-2"))
    batch = first.indexer.poll()
    with sessions.begin() as session:
        from legends.workers.verification import chain_event

        service.apply_chain_events(session, [chain_event(e) for e in batch.events], datetime.now(UTC),
                                   sink=sink)
    assert verified(player) == {"oasis.first-labels"}

    # Meanwhile more blocks arrive while no indexer runs; a new one (same database) resumes.
    suite.data.transact(player, "submitLabel", task, keccak(text="a-3"))
    second = make_loop()
    reports = settle(second)
    assert reports and reports[0].batch.from_block == batch.from_block, "the lost batch is re-delivered"
    assert evidence_count(player, "oasis.first-labels") == 3
    with sessions() as session:
        assert len(session.scalars(select(QuestCompletion).where(
            QuestCompletion.quest_id == "oasis.first-labels")).all()) == 1
    assert heard().count(("completed", player, "oasis.first-labels")) == 1


def claim_raw(suite, chain_tx, player):
    """Sign the player's faucet claim and broadcast it; returns (signed tx, receipt)."""
    data = suite.token.encode("claim")
    signed = chain_tx.sign(player, suite.token.address, data, gas=200_000)
    chain_tx.broadcast(signed)
    return signed, chain_tx.wait(signed.tx_hash)


def test_a_reorg_deeper_than_the_confirmations_withdraws_the_orphaned_completion(
        funded, suite, chain_tx, sign_in, accept, make_loop, settle, verified, evidence_count, sessions,
        heard, grant_states):
    player = funded[0]
    sign_in(player)
    chain_tx.chain.request("anvil_mine", ["0x3"])  # keep the test's snapshot below the fork
    loop = make_loop(confirmations=1)
    accept(player, "gate.faucet")
    _, receipt = claim_raw(suite, chain_tx, player)
    settle(loop)
    assert verified(player) == set(), "one confirmation is still missing"
    chain_tx.chain.request("anvil_mine", ["0x1"])
    settle(loop)
    assert verified(player) == {"gate.faucet"}
    owed = grant_states(player, "gate.faucet")
    assert owed and set(owed.values()) <= {"pending", "confirmed"}  # pending on chain, XP at once

    # Two blocks (deeper than one confirmation) replaced by empty ones: the claim is gone.
    chain_tx.chain.request("anvil_reorg", [2, []])
    chain_tx.forget_nonces()
    assert chain_tx.chain.receipt(receipt.tx_hash) is None
    chain_tx.chain.request("anvil_mine", ["0x1"])
    reports = settle(loop)
    assert reports[0].batch.rewind_to == receipt.block_number
    assert [c.quest_id for r in reports for c in r.withdrawn] == ["gate.faucet"]
    assert verified(player) == set() and evidence_count(player) == 0
    assert heard()[-1] == ("withdrawn", player, "gate.faucet")
    # Nothing was sent yet, so the ledger takes every grant back (XP subtracted again).
    assert set(grant_states(player, "gate.faucet").values()) == {"withdrawn"}
    with sessions() as session:
        assert session.scalars(select(QuestWithdrawal.quest_id)).all() == ["gate.faucet"]

    # The claim never happened on this chain, so the player can claim (and complete) again.
    _, again = claim_raw(suite, chain_tx, player)
    chain_tx.chain.request("anvil_mine", ["0x1"])
    settle(loop)
    assert verified(player) == {"gate.faucet"}
    with sessions() as session:
        assert session.scalar(select(QuestCompletion.tx_hash)) == again.tx_hash
    # Owed again under the same keys: still one grant of each, paid once.
    assert grant_states(player, "gate.faucet") == owed


def test_a_reorg_within_the_confirmation_depth_is_never_seen(funded, suite, chain_tx, sign_in, accept,
                                                             make_loop, settle, verified, heard):
    player = funded[0]
    sign_in(player)
    chain_tx.chain.request("anvil_mine", ["0x3"])
    loop = make_loop(confirmations=2)
    accept(player, "gate.faucet")
    claim_raw(suite, chain_tx, player)
    settle(loop)
    chain_tx.chain.request("anvil_reorg", [1, []])
    chain_tx.forget_nonces()
    chain_tx.chain.request("anvil_mine", ["0x3"])
    reports = settle(loop)
    assert all(r.batch.rewind_to is None for r in reports)
    assert verified(player) == set() and heard() == []


def test_a_transaction_mined_again_on_the_new_branch_still_counts_once(
        funded, suite, chain_tx, sign_in, accept, make_loop, settle, verified, evidence_count, sessions,
        heard, grant_states):
    player = funded[0]
    sign_in(player)
    chain_tx.chain.request("anvil_mine", ["0x3"])
    loop = make_loop()
    accept(player, "gate.faucet")
    signed, receipt = claim_raw(suite, chain_tx, player)
    settle(loop)
    assert verified(player) == {"gate.faucet"}

    # The claim's block is replaced by one that mines the very same transaction again. Another
    # player's transfer goes first: an otherwise identical block (same parent, transaction and
    # second) would get the very same hash, and that would be no reorg at all.
    other = chain_tx.sign(funded[1], funded[1], b"", value=1, gas=21_000)
    chain_tx.chain.request("anvil_reorg", [1, [["0x" + other.raw.hex(), 0],
                                               ["0x" + signed.raw.hex(), 0]]])
    chain_tx.forget_nonces()
    moved = chain_tx.chain.receipt(signed.tx_hash)
    assert moved is not None and moved.block_hash != receipt.block_hash
    settle(loop)
    assert verified(player) == {"gate.faucet"} and evidence_count(player) == 1
    with sessions() as session:
        row = session.scalar(select(QuestCompletion))
        assert (row.tx_hash, row.block_number) == (signed.tx_hash, moved.block_number)
    # Withdrawn on the orphaned block, completed again on the new one: the player heard both,
    # and the ledger still holds one grant of each kind, owed once.
    assert set(grant_states(player, "gate.faucet").values()) <= {"pending", "confirmed"}
    assert heard() == [("completed", player, "gate.faucet"), ("withdrawn", player, "gate.faucet"),
                            ("completed", player, "gate.faucet")]


def test_a_backlog_is_read_in_batches_that_fetch_and_decode_only_their_own_blocks(
        funded, suite, sign_in, accept, make_loop, settle, verified):
    claimers = funded[:4]
    for player in claimers:
        sign_in(player)
        accept(player, "gate.faucet")
    loop = make_loop()
    settle(loop)
    for player in claimers:  # four claims, four blocks, while the loop waits
        suite.token.transact(player, "claim")
    loop.indexer.max_events = 2
    fetched: list = []
    block = loop.indexer.rpc.block

    def counting(number="latest"):  # type: ignore[no-untyped-def]
        fetched.append(number)
        return block(number)

    loop.indexer.rpc.block = counting
    decoded: list = []
    decode = loop.indexer._decoded

    def decoding(logs):  # type: ignore[no-untyped-def]
        decoded.extend(logs)
        return decode(logs)

    loop.indexer._decoded = decoding
    report = loop.step()
    assert report is not None and len(report.batch.events) == 2
    head = report.batch.head
    assert [n for n in fetched if n != "latest" and n > report.batch.to_block and n != head] == [], fetched
    # Nor does it decode the logs of the blocks after its cut (the whole range's, every poll).
    assert decoded and all(lg.block_number <= report.batch.to_block for lg in decoded), decoded
    settle(loop)
    assert all("gate.faucet" in verified(p) for p in claimers)

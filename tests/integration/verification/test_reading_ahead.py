"""While a batch is applied the loop reads the next one (``step(read_ahead=True)``, what
``run`` does): the batch read ahead starts where the applied one ends, every claim is
verified exactly once, and a batch that fails to commit throws away what was read after it."""

from __future__ import annotations

import pytest

from quests.store import QuestCompletion


def claim(suite, chain_tx, player) -> None:
    signed = chain_tx.sign(player, suite.token.address, suite.token.encode("claim"), gas=200_000)
    chain_tx.broadcast(signed)
    chain_tx.wait(signed.tx_hash)


def test_batches_read_ahead_follow_each_other_and_count_each_claim_once(
        funded, suite, chain_tx, sign_in, accept, make_loop, verified, evidence_count, sessions):
    for player in funded[:3]:
        sign_in(player)
        accept(player, "gate.faucet")
    loop = make_loop()
    while loop.step() is not None:  # up to the head first
        pass
    for player in funded[:3]:
        claim(suite, chain_tx, player)
    loop.indexer.max_events = 1  # a batch per claim's block, so there is a next one to read
    asked = []
    poll = loop.indexer.poll

    def watched(after=None):  # type: ignore[no-untyped-def]
        asked.append(after)
        return poll(after)

    loop.indexer.poll = watched  # type: ignore[method-assign]
    reports = []
    while (report := loop.step(read_ahead=True)) is not None:
        reports.append(report)

    assert len(reports) >= 3
    for before, after in zip(reports, reports[1:]):
        assert after.batch.from_block == before.batch.to_block + 1
        assert after.batch.cursor_block == before.batch.to_block  # planned as if committed
    assert asked[0] is None and all(a is not None for a in asked[1:])  # one cursor read, then ahead
    for player in funded[:3]:
        assert "gate.faucet" in verified(player) and evidence_count(player, "gate.faucet") == 1
    with sessions() as session:
        assert session.query(QuestCompletion).filter_by(quest_id="gate.faucet").count() == 3


def test_a_batch_that_fails_drops_the_batch_read_after_it(
        funded, suite, chain_tx, sign_in, accept, make_loop, verified):
    player = funded[0]
    sign_in(player)
    accept(player, "gate.faucet")
    loop = make_loop()
    while loop.step() is not None:
        pass
    claim(suite, chain_tx, player)
    claim_block = chain_tx.chain.block_number()
    chain_tx.chain.request("evm_mine", [])
    loop.indexer.max_events = 1
    service = loop.service

    class Failing:
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(service, name)

        def apply_chain_events(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("the database went away")

    loop.service = Failing()
    with pytest.raises(RuntimeError):
        loop.step(read_ahead=True)
    assert loop._ahead is None  # what was read after the failed batch is gone
    loop.service = service
    report = loop.step(read_ahead=True)  # read afresh from the stored cursor
    assert report is not None and report.batch.from_block <= claim_block <= report.batch.to_block
    assert "gate.faucet" in verified(player)

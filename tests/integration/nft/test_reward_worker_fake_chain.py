"""The worker's decisions against a fake minter, for what a real devnet rarely does: a
transaction that never gets mined, a node that answers late, a broadcast that fails."""

from __future__ import annotations

from dataclasses import dataclass

from reward_support import batches, fresh_address, grant_states, later, record, shard_grants
from reward_support import sqlite_sessions as ledger

from nft.worker import RewardWorker


@dataclass(frozen=True)
class FakeSigned:
    tx_hash: str
    nonce: int
    sender: str
    batch_id: bytes


class FakeMinter:
    """Mints on broadcast unless told to drop the tx (it stays unmined forever)."""

    sender = "0x" + "4" * 40

    def __init__(self) -> None:
        self.next_nonce = 0
        self.signed: list[FakeSigned] = []
        self.mined: dict[str, str] = {}
        self.minted: set[bytes] = set()
        self.drop = False
        self.broadcast_fails = False
        self.resyncs = 0

    def sign_batch(self, target, to, ids, amounts, batch_id, nonce=None):
        if nonce is None:
            nonce, self.next_nonce = self.next_nonce, self.next_nonce + 1
        tx = FakeSigned(f"0x{len(self.signed):064x}", nonce, self.sender, batch_id)
        self.signed.append(tx)
        return tx

    def broadcast(self, signed):
        if self.broadcast_fails:
            raise ConnectionError("node refused the tx")
        if not self.drop:
            self.mined[signed.tx_hash] = "reverted" if signed.batch_id in self.minted else "ok"
            self.minted.add(signed.batch_id)
        return signed.tx_hash

    def receipt(self, tx_hash):
        return self.mined.get(tx_hash)

    def wait(self, tx_hash, timeout):
        return self.receipt(tx_hash)

    def batch_minted(self, target, batch_id):
        return batch_id in self.minted

    def resync(self):
        self.resyncs += 1


def setup(tmp_path, n=3):
    sessions = ledger(tmp_path)
    record(sessions, shard_grants([fresh_address() for _ in range(n)]))
    return sessions


def test_a_tx_that_is_never_mined_is_resent_with_the_same_nonce(tmp_path):
    sessions, minter = setup(tmp_path), FakeMinter()
    minter.drop = True
    worker = RewardWorker(sessions, minter, receipt_timeout=0.01)
    cycle = worker.run_once()
    assert cycle.deferred == 1 and "no receipt" in cycle.errors[0]
    assert grant_states(sessions) == {"sending": 3}
    assert not worker.run_once().busy  # backing off

    minter.drop = False
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3
    first, resent = minter.signed
    assert resent.nonce == first.nonce and resent.batch_id == first.batch_id
    assert len(minter.minted) == 1


def test_a_dropped_tx_that_lands_late_is_confirmed_without_a_resend(tmp_path):
    sessions, minter = setup(tmp_path), FakeMinter()
    minter.drop = True
    worker = RewardWorker(sessions, minter, receipt_timeout=0.01)
    worker.run_once()
    (late,) = minter.signed
    minter.mined[late.tx_hash] = "ok"  # mined after all
    minter.minted.add(late.batch_id)
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3
    assert len(minter.signed) == 1


def test_a_failed_broadcast_defers_and_resyncs_nonces(tmp_path):
    sessions, minter = setup(tmp_path), FakeMinter()
    minter.broadcast_fails = True
    worker = RewardWorker(sessions, minter)
    cycle = worker.run_once()
    assert cycle.deferred == 1 and minter.resyncs == 1
    (batch,) = batches(sessions)
    assert batch.state == "sending" and batch.failures == 1 and "refused" in batch.last_error
    minter.broadcast_fails = False
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3


def test_backoff_grows_with_each_failure(tmp_path):
    sessions, minter = setup(tmp_path), FakeMinter()
    minter.broadcast_fails = True
    delays = []
    for hours in range(1, 5):
        worker = RewardWorker(sessions, minter, clock=later(hours * 3600))
        worker._started = True  # only what is due
        worker.run_once()
        (batch,) = batches(sessions)
        now = later(hours * 3600)().replace(tzinfo=None)
        delays.append((batch.next_attempt_at.replace(tzinfo=None) - now).total_seconds())
    assert delays[0] < 4 and delays[-1] > delays[0] and all(d <= 300 for d in delays)

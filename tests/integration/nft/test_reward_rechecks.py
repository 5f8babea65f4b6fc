"""The re-check of confirmed batches pages through the whole reorg window, however many
batches it holds, and never reads a batch older than the window or above the depth."""

from __future__ import annotations

from reward_support import batches, fresh_address, record, shard_grants, sqlite_sessions

from nft import outbox_batches
from nft.batching import make_batch
from nft.rechecks import Recheck
from quests.orm import utcnow


class ReadingMinter:
    """A chain at block ``head`` on which every batch is minted; it notes what was read."""

    def __init__(self, head: int) -> None:
        self.at, self.reads = head, []

    def head(self) -> int:
        return self.at

    def batch_minted(self, target, batch_id, block="latest"):  # type: ignore[no-untyped-def]
        self.reads.append(("0x" + batch_id.hex(), block))
        return True


def confirmed_batches(sessions, blocks: list[int]) -> list[str]:
    ids = []
    for block in blocks:
        grants = shard_grants([fresh_address()])
        record(sessions, grants)
        batch = make_batch(grants)
        with sessions.begin() as session:
            row_id = outbox_batches.open_batch(session, batch, utcnow())
            outbox_batches.record_signed(session, row_id, "0x" + "ab" * 32, "0x" + "1" * 40, 0, utcnow())
            outbox_batches.confirm_batch(session, row_id, utcnow(), block)
        ids.append(batch.batch_id)
    return ids


def test_every_batch_of_the_window_is_read_a_page_at_a_time(tmp_path):
    sessions = sqlite_sessions(tmp_path)
    old, *recent = confirmed_batches(sessions, [10, 95, 96, 96, 97, 99])
    minter = ReadingMinter(head=100)
    recheck = Recheck(sessions, minter, window=10, confirmations=2, every=0.0, page=2)
    for _ in range(3):
        assert recheck.run() == 0
    read = [batch_id for batch_id, _ in minter.reads]
    # 99 is above the depth (98): not judged yet; 10 is older than the window: never read.
    assert read == recent[:4] and {block for _, block in minter.reads} == {98}
    assert old not in read
    minter.reads.clear()
    recheck.run()  # the cursor wrapped round to the oldest of the window
    assert [batch_id for batch_id, _ in minter.reads] == recent[:2]
    assert all(b.state == "confirmed" for b in batches(sessions))

"""The rewards pipeline end to end: quest completions record grants in the ledger (SQLite),
the reward worker batches them into ``mintBatch`` transactions on a private devnet, and every
grant ends confirmed. Measured next to the devnet's raw single-mint rate, in the same run,
through the same tx manager, so the ratio is what batching buys.

Rewards are spread like real play: each player completes several quests; every completion
grants shards of the quest's region and, every third one, SAHARA.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from bench import chain as chain_bench
from bench.common import devnet_suite, latency_note, rate
from chain.bindings import Suite
from chain.minter import ChainMinter
from legends import migrate
from legends.db import make_engine
from nft import outbox, outbox_reads
from nft.ledger import WEI_PER_SAHARA, Grant, GrantKind
from nft.tokens import SHARD_IDS
from nft.worker import RewardWorker

TITLE = "Rewards pipeline (ledger on SQLite -> reward worker -> anvil -> confirmed)"
TARGET_RATIO = 10.0


@dataclass(frozen=True)
class Sizes:
    rewards: int  # grants to mint
    players: int
    batch_size: int  # grants per mintBatch
    baseline: int  # single mints for the baseline rows


FULL = Sizes(rewards=10_000, players=1_000, batch_size=200, baseline=300)
QUICK = Sizes(rewards=1_000, players=100, batch_size=200, baseline=60)
TINY = Sizes(rewards=60, players=10, batch_size=20, baseline=5)


def completions(players: list[str], rewards: int) -> list[list[Grant]]:
    """``rewards`` grants as completions (1 or 2 grants each), players taking turns."""
    found: list[list[Grant]] = []
    count, quest = 0, 0
    while count < rewards:
        player = players[quest % len(players)]
        source = f"quest-{quest // len(players)}"
        grants = [Grant(player, source, "once", GrantKind.SHARDS, 1 + quest % 3,
                        token_id=SHARD_IDS[quest % len(SHARD_IDS)])]
        if quest % 3 == 0 and count + 1 < rewards:
            grants.append(Grant(player, source, "once", GrantKind.SAHARA, 5 * WEI_PER_SAHARA))
        found.append(grants)
        count += len(grants)
        quest += 1
    return found


def record_all(sessions: sessionmaker, work: list[list[Grant]]) -> list[float]:
    """One database transaction per completion, as the quest engine does it."""
    latencies = []
    for grants in work:
        started = time.perf_counter()
        with sessions.begin() as session:
            outbox.record_grants(session, grants)
        latencies.append(time.perf_counter() - started)
    return latencies


def mint_all(worker: RewardWorker, expected: int) -> tuple[int, int]:
    """Run worker cycles until every grant is confirmed; returns (cycles, transactions)."""
    cycles = sent = confirmed = 0
    while confirmed < expected:
        cycle = worker.run_once()
        if cycle.errors:
            raise RuntimeError(f"reward worker failed: {cycle.errors}")
        if not cycle.busy:
            raise RuntimeError(f"worker idle with {expected - confirmed} grants unconfirmed")
        cycles, sent, confirmed = cycles + 1, sent + cycle.sent, confirmed + cycle.confirmed
    return cycles, sent


def check_exactly_once(sessions: sessionmaker, suite: Suite, players: list[str]) -> None:
    """Every player's on-chain balances equal the ledger's confirmed sums."""
    with sessions() as session:
        totals = outbox_reads.ledger_totals(session)
        left = {k: v for k, v in outbox_reads.state_counts(session).items() if k != "confirmed"}
    if left:
        raise AssertionError(f"grants not confirmed: {left}")
    for player in players:
        key = player.lower()
        held = suite.shards.balances(player, list(SHARD_IDS))
        if held != {t: totals.get((key, "shards", t), 0) for t in SHARD_IDS} or \
                suite.token.balance_of(player) != totals.get((key, "sahara", None), 0):
            raise AssertionError(f"chain and ledger disagree for {player}")


def run(quick: bool = False, *, port: int | None = None, sizes: Sizes | None = None
        ) -> list[dict[str, Any]]:
    """Measure the baseline, then the pipeline; one dict per table row (see bench.chain.row).

    The pipeline row carries ``ratio``: its confirmed rewards per second over the baseline's
    single mints per second.
    """
    sizes = sizes or (QUICK if quick else FULL)
    fresh = chain_bench.Fresh("rewards")
    baseline_sizes = dataclasses.replace(chain_bench.TINY, single=sizes.baseline,
                                         estimated=max(sizes.baseline // 2, 1))
    with devnet_suite(port) as (tx, suite, signers), \
            tempfile.TemporaryDirectory(prefix="legends-bench-ledger-") as folder:
        baseline_rows = chain_bench.bench_single_mints(tx, suite, signers, baseline_sizes, fresh)
        baseline = chain_bench.find(baseline_rows, chain_bench.SINGLE_MINT)

        url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        migrate.upgrade(url)
        sessions = sessionmaker(make_engine(url), expire_on_commit=False)
        players = [fresh.address() for _ in range(sizes.players)]
        work = completions(players, sizes.rewards)
        started = time.perf_counter()
        latencies = record_all(sessions, work)
        recorded = time.perf_counter() - started

        worker = RewardWorker(sessions, ChainMinter(tx, suite, signers.minter.address),
                              max_entries=sizes.batch_size, max_batches=10)
        started = time.perf_counter()
        cycles, sent = mint_all(worker, sizes.rewards)
        minted = time.perf_counter() - started
        check_exactly_once(sessions, suite, players)

    per_second = rate(sizes.rewards, minted)
    ratio = per_second / baseline["mints_per_second"]
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    rows = [r for r in baseline_rows if r["key"].endswith("_explicit")]
    rows.append(chain_bench.row(
        "ledger_record", "record_grants, one tx per completion", len(work), recorded,
        note=f"{sizes.rewards:,} grants; {latency_note(latencies)}"))
    rows.append(chain_bench.row(
        "rewards_confirmed", f"worker: grants confirmed ({sizes.batch_size}/batch)",
        sizes.rewards, minted, mints=sizes.rewards,
        note=(f"{ratio:.1f}x single-mint tx/s ({verdict} the {TARGET_RATIO:.0f}x target); "
              f"{sent} txs, {cycles} cycles, {sizes.players:,} players, exactly once"),
        ratio=ratio))
    rows.append(chain_bench.row(
        "rewards_end_to_end", "record + mint + confirm", sizes.rewards, recorded + minted,
        mints=sizes.rewards, note="from quest completion to confirmed on chain"))
    return rows

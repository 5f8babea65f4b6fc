"""The synthetic world of ``bench.scale``: N players in a private PostgreSQL database,
loaded with ``COPY`` (players) and set-based SQL (everything else), in realistic shapes:

- a long tail of progress: each player went ``depth`` quests down the catalog's funnel
  (a topological order of the one-off quests, so prerequisites always come first), with
  depth = K * u^3.5 (u uniform): most stop after the Gate, a few finish almost everything;
- every completion has its record, its completion row and its ledger grants (XP and shards
  confirmed; the newest ~3% of completions still ``completed``, their on-chain grants a
  pending backlog), XP totals on the player and the all-time boards;
- a weekly board for ~20% of the players;
- referrals: player 1 is a heavy referrer (0.85% of all players), a quarter of the others
  were invited by someone among the first tenth.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from eth_utils import keccak, to_checksum_address

from legends.auth.players import new_referral_code
from legends.migrate import upgrade
from legends.wiring.catalog import shipped_catalog
from legends.wiring.completions import rewards_mapping
from nft.ledger import grants_for_completion
from quests.catalog_store import load_catalog_into
from quests.definitions import Catalog, Recurrence
from quests.objectives import ReferralObjective
from quests.orm import utcnow

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test")
WEEK_SHARE, BACKLOG_SHARE, HEAVY_SHARE = 0.2, 0.03, 0.0085


@dataclass(frozen=True)
class World:
    url: str
    players: int
    heavy_referrer: int
    load_seconds: float
    counts: dict[str, int]


def bench_address(i: int) -> str:
    return to_checksum_address(keccak(f"bench-scale-{i}".encode())[12:])


def funnel(catalog: Catalog) -> list[str]:
    """One-off quests in catalog order, each after its prerequisites (referral quests,
    which need other players, left out)."""
    pending = [q for q in catalog if q.recurrence is Recurrence.ONCE
               and not any(isinstance(o, ReferralObjective) for o in q.all_objectives())]
    known, order = {q.id for q in pending}, []
    while pending:
        ready = [q for q in pending if all(p in order or p not in known for p in q.prerequisites)]
        order += [q.id for q in ready[:1]]
        pending = [q for q in pending if q.id not in order]
    return order


@contextmanager
def private_database(say: Callable[[str], None], prefix: str = "bench_scale") -> Iterator[str]:
    """CREATE DATABASE <prefix>_<pid>, migrated; dropped afterwards."""
    name = f"{prefix}_{os.getpid()}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        say(f"dropped database {name}")


def load(url: str, players: int, say: Callable[[str], None]) -> World:
    started = time.perf_counter()
    engine = sa.create_engine(url)
    catalog = shipped_catalog()
    order = funnel(catalog)
    heavy = max(20, int(players * HEAVY_SHARE))
    with engine.begin() as conn:
        from sqlalchemy.orm import Session

        load_catalog_into(Session(bind=conn), catalog)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for setting in _LOADING:  # a private database: no fsync wait, no FK triggers
            cur.execute(setting)
        rebuild = _drop_indexes(cur)
        _copy_players(cur, players, heavy)
        say(f"players copied ({time.perf_counter() - started:.0f}s)")
        cur.execute("CREATE TEMP TABLE quest_order (pos int, quest_id text, xp int, shards int, "
                    "rule_version int)")
        cur.execute("CREATE TEMP TABLE grant_template (quest_id text, kind text, token_id int, "
                    "amount text)")
        for pos, quest_id in enumerate(order, 1):
            quest = catalog.get(quest_id)
            cur.execute("INSERT INTO quest_order VALUES (%s, %s, %s, %s, %s)",
                        (pos, quest_id, quest.rewards.xp, sum(quest.rewards.shards.values()),
                         quest.rule_version))
            for g in grants_for_completion("0x" + "0" * 40, quest_id, "once",
                                           rewards_mapping(quest.rewards)):
                cur.execute("INSERT INTO grant_template VALUES (%s, %s, %s, %s)",
                            (quest_id, str(g.kind), g.token_id, str(g.amount)))
        for label, statement in _SET_BASED:
            cur.execute(statement, {"k": len(order), "week": WEEK_SHARE, "backlog": BACKLOG_SHARE})
            raw.commit()
            say(f"{label} ({time.perf_counter() - started:.0f}s)")
        for statement in rebuild:  # built once over the loaded rows, not row by row
            cur.execute(statement)
        raw.commit()
        say(f"indexes built ({time.perf_counter() - started:.0f}s)")
        cur.execute("SET session_replication_role = origin")
        raw.commit()
        raw.driver_connection.autocommit = True
        cur.execute("VACUUM ANALYZE")
        counts = {}
        for table in ("player", "quest_progress", "quest_completion", "reward_grant",
                      "leaderboard_score"):
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    finally:
        raw.close()
        engine.dispose()
    return World(url, players, 1, time.perf_counter() - started, counts)


_LOADING = ("SET synchronous_commit = off", "SET session_replication_role = replica",
            "SET maintenance_work_mem = '512MB'", "SET work_mem = '64MB'")
LOADED = ("player", "quest_progress", "quest_completion", "reward_grant", "leaderboard_score")


def _drop_indexes(cur) -> list[str]:  # type: ignore[no-untyped-def]
    """Drop the loaded tables' secondary indexes and unique constraints (primary keys stay);
    returns the statements that create them again."""
    cur.execute("SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY(%s)",
                (list(LOADED),))
    constraints = cur.fetchall()
    cur.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", (list(LOADED),))
    indexes = cur.fetchall()
    for table, name, _ in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    return ([definition for _, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
               for table, name, definition in constraints])


def _copy_players(cur, players: int, heavy: int) -> None:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(13)
    now = utcnow().isoformat()
    with cur.copy("COPY player (id, address, referral_code, referred_by_id, xp, created_at, "
                  "last_seen_at) FROM STDIN") as copy:
        buffer = io.StringIO()
        for i in range(1, players + 1):
            if 2 <= i <= heavy + 1:
                referrer = "1"
            elif i > heavy + 1 and rng.random() < 0.25:
                referrer = str(rng.randint(2, max(2, players // 10)))
            else:
                referrer = r"\N"
            buffer.write(f"{i}\t{bench_address(i)}\t{new_referral_code()}\t{referrer}\t0\t"
                         f"{now}\t{now}\n")
            if i % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    cur.execute("SELECT setval('player_id_seq', (SELECT max(id) FROM player))")


PROGRESS_JSON = """'{"objectives": [], "evidence": [], "rule_version": 1}'::json"""
_SET_BASED: list[tuple[str, str]] = [
    ("funnel", "CREATE TEMP TABLE funnel AS SELECT id AS player_id, lower(address) AS address, "
               "least(%(k)s, floor(%(k)s * power(random(), 3.5)))::int AS depth FROM player"),
    ("completions", "INSERT INTO quest_completion (player_id, quest_id, period, completed_at, "
                    "rule_version, evidence) SELECT f.player_id, q.quest_id, 'once', "
                    "now() - (q.pos || ' hours')::interval, q.rule_version, '[]'::json "
                    "FROM funnel f JOIN quest_order q ON q.pos <= f.depth"),
    ("quest records", "INSERT INTO quest_progress (player_id, quest_id, period, status, progress, "
                      "accepted_at, accepted_block, completed_at, rewarded_at, updated_at) "
                      "SELECT f.player_id, q.quest_id, 'once', CASE WHEN q.pos = f.depth AND "
                      "random() < %(backlog)s * 4 THEN 'completed' ELSE 'rewarded' END, "
                      f"{PROGRESS_JSON}, now(), 0, now(), now(), now() "
                      "FROM funnel f JOIN quest_order q ON q.pos <= f.depth"),
    ("open quests", "INSERT INTO quest_progress (player_id, quest_id, period, status, progress, "
                    "accepted_at, accepted_block, updated_at) SELECT f.player_id, q.quest_id, "
                    f"'once', 'in_progress', {PROGRESS_JSON}, now(), 0, now() FROM funnel f "
                    "JOIN quest_order q ON q.pos = f.depth + 1 WHERE random() < 0.5"),
    ("ledger", "INSERT INTO reward_grant (grant_key, player, source, period, kind, token_id, "
               "amount, state, attempts, created_at, confirmed_at) SELECT "
               "'grant:v1|' || f.address || '|' || r.quest_id || '|once|' || t.kind || "
               "coalesce('|' || t.token_id, ''), f.address, r.quest_id, 'once', t.kind, t.token_id, "
               "t.amount, CASE WHEN r.status = 'completed' AND t.kind <> 'xp' THEN 'pending' "
               "ELSE 'confirmed' END, 0, now(), now() FROM quest_progress r "
               "JOIN funnel f ON f.player_id = r.player_id "
               "JOIN grant_template t ON t.quest_id = r.quest_id WHERE r.status <> 'in_progress'"),
    ("xp totals", "UPDATE player p SET xp = s.xp FROM (SELECT f.player_id, sum(q.xp) AS xp "
                  "FROM funnel f JOIN quest_order q ON q.pos <= f.depth GROUP BY f.player_id) s "
                  "WHERE p.id = s.player_id"),
    ("all-time boards", "INSERT INTO leaderboard_score (board, period, player_id, score, updated_at) "
                        "SELECT b.board, 'all', f.player_id, sum(CASE WHEN b.board = 'xp' "
                        "THEN q.xp ELSE q.shards END), now() FROM funnel f "
                        "JOIN quest_order q ON q.pos <= f.depth "
                        "CROSS JOIN (VALUES ('xp'), ('shards')) AS b(board) GROUP BY b.board, f.player_id"),
    ("weekly board", "INSERT INTO leaderboard_score (board, period, player_id, score, updated_at) "
                     "SELECT 'xp', to_char(now(), 'IYYY-\"W\"IW'), player_id, "
                     "10 + floor(400 * power(random(), 3))::int, now() FROM funnel "
                     "WHERE random() < %(week)s"),
]

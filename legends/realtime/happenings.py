"""What the game's changes mean to a player, as events: quests that opened or moved, shards
minted, Guardians crafted, leaderboard ranks. Each function runs inside the transaction of
the change it reports (so the event commits with it) and reads what it needs there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from legends.realtime import events
from legends.realtime.store import PUBLIC
from nft.store import RewardBatch, RewardGrant
from quests.batch import journeys_of
from quests.catalog_store import catalog_of
from quests.definitions import Quest
from quests.journey import Journey
from quests.leaderboard import ALL_TIME, Board, SqlLeaderboard, score_deltas
from quests.orm import Player
from quests.ports import Completion
from quests.progress import QuestProgress, Status
from quests.store import LeaderboardScore

TOP = 10
CRAFTS = {"GuardianCrafted": "guardian", "LegendForged": "legend"}
_QUIET = {"evidence", "ignored"}  # long lists the client does not need with every step


def progressed(session: Session, player: Player, quest: Quest, progress: QuestProgress) -> None:
    """quest.progress for a quest taken or advanced (its completion says quest.completed)."""
    if progress.status not in (Status.IN_PROGRESS,):
        return
    events.for_player(session, player.address, events.QUEST_PROGRESS, {
        "quest_id": quest.id, "period": progress.period, "status": str(progress.status),
        "objectives": [_brief(o) for o in progress.objectives]})


def _brief(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _brief(v) for k, v in value.items() if k not in _QUIET}
    if isinstance(value, list):
        return [_brief(v) for v in value]
    return value


def journeys_for(session: Session, completions: Sequence[Completion], now: datetime) -> dict[int, Journey]:
    """The journeys of a batch's players who may have opened quests, read together (two
    statements for all of them); none for a single completion (its own reads are as cheap)."""
    catalog = catalog_of(session)
    opening = [c for c in completions if any(c.quest_id in q.prerequisites for q in catalog)]
    if len({c.player_id for c in opening}) < 2:
        return {}
    players = session.scalars(_PLAYERS, {"ids": sorted({c.player_id for c in opening})}).all()
    return journeys_of(session, catalog, players, now)


def unlocked_by(session: Session, completion: Completion, now: datetime,
                journey: Journey | None = None) -> list[str]:
    """quest.available for each quest this completion opened; returns their ids (``journey``:
    the player's, read with the batch's)."""
    catalog = catalog_of(session)
    waiting = [q for q in catalog if completion.quest_id in q.prerequisites]
    if not waiting:
        return []
    if journey is None or journey.now != now:
        player = session.get(Player, completion.player_id)
        if player is None:
            return []
        journey = Journey(session, catalog, player, now)
    player = journey.player
    opened = []
    for quest in waiting:
        _, progress = journey.current(quest)
        if progress.status is Status.AVAILABLE:
            opened.append(quest.id)
            events.for_player(session, player.address, events.QUEST_AVAILABLE, {
                "quest_id": quest.id, "title": quest.title, "region": quest.region,
                "unlocked_by": completion.quest_id})
    return opened


def ranks_moved(session: Session, completions: Sequence[Completion], mirror: Any = None) -> None:
    """leaderboard.changed for a batch of completions (one, or a verification batch's):
    to each player whose all-time rank moved, and to everybody once per board when the top
    ten changed (a player entered it or moved within it). Set-based: one read of the
    players' scores, and from SQL one statement per board counting the players ahead of
    every score in question (each count an index range; its cost grows with the players
    ahead); with the Redis ``mirror`` a player's ranks are two ``ZCOUNT``s (O(log N))."""
    deltas: dict[str, dict[int, int]] = {}  # board -> player id -> what the batch added
    addresses: dict[int, str] = {}
    for completion in completions:
        addresses[completion.player_id] = completion.player
        for board, delta in score_deltas(completion.rewards).items():
            if delta:
                mine = deltas.setdefault(str(board), {})
                mine[completion.player_id] = mine.get(completion.player_id, 0) + delta
    if not deltas:
        return
    scores = {(name, player): score for name, player, score in session.execute(
        _SCORES, {"boards": sorted(deltas), "players": sorted(addresses)})}
    for name, added in deltas.items():
        board = Board(name)
        moved = {player: (score, score - added[player]) for player in sorted(added)
                 if (score := scores.get((name, player)) or 0) > 0}
        if not moved:
            continue
        ahead: dict[int, int] | None = None  # from SQL, read once for the board
        top_changed = False
        for player, (score, old) in moved.items():
            ranks = _redis_ranks(session, mirror, board, score, old) if mirror else None
            if ranks is None:
                if ahead is None:
                    ahead = _ahead_of(session, name, {v for pair in moved.values() for v in pair if v > 0})
                ranks = ahead[score] + 1, (ahead[old] if old > 0 else None)
            rank, before = ranks
            if before != rank:
                events.for_player(session, addresses[player], events.LEADERBOARD_CHANGED, {
                    "board": name, "period": ALL_TIME, "rank": rank, "previous_rank": before,
                    "score": score})
            top_changed = top_changed or rank <= TOP
        if top_changed:
            top = SqlLeaderboard().top(session, board, ALL_TIME, TOP)
            events.record(session, PUBLIC, events.LEADERBOARD_CHANGED, {
                "board": name, "period": ALL_TIME,
                "top": [{"rank": e.rank, "address": e.address, "score": e.score} for e in top]})


def _ahead_of(session: Session, board: str, scores: set[int]) -> dict[int, int]:
    """For each score, how many all-time entries of ``board`` are above it, in ONE statement
    (one index range count per distinct score). A player's rank is 1 + the entries above
    their score; the rank they had before is the count above their old score (they are
    among those now)."""
    wanted = sorted(scores)
    counts = [select(func.count()).select_from(LeaderboardScore).where(
        LeaderboardScore.board == board, LeaderboardScore.period == ALL_TIME,
        LeaderboardScore.score > value).scalar_subquery() for value in wanted]
    row = session.execute(select(*counts)).one()
    return {value: int(count or 0) for value, count in zip(wanted, row)}


def _redis_ranks(session: Session, mirror: Any, board: Board, score: int,
                 old: int) -> tuple[int, int | None] | None:
    """(rank now, rank before) from the mirror, which still holds the old total (it is
    written after the commit); None when the board is not in Redis yet."""
    key = mirror.ready_key(session, board, ALL_TIME)
    if key is None:
        return None
    pipe = mirror.client.pipeline(transaction=False)
    pipe.zcount(key, f"({score}", "+inf")
    pipe.zcount(key, f"({old}", "+inf")
    ahead, ahead_before = pipe.execute()
    return int(ahead) + 1, (int(ahead_before) + 1 if old > 0 else None)


# Built once (see quests.queries): some players by id; the all-time scores of some players
# on some boards.
_PLAYERS = select(Player).where(Player.id.in_(bindparam("ids", expanding=True)))
_SCORES = select(LeaderboardScore.board, LeaderboardScore.player_id, LeaderboardScore.score).where(
    LeaderboardScore.board.in_(bindparam("boards", expanding=True)),
    LeaderboardScore.period == ALL_TIME,
    LeaderboardScore.player_id.in_(bindparam("players", expanding=True)))


def minted(session: Session, batch_rows: Sequence[int]) -> int:
    """reward.minted for the confirmed batches (with their mint tx), one event per player."""
    sent = 0
    for batch in session.scalars(select(RewardBatch).where(RewardBatch.id.in_(list(batch_rows)))):
        per_player: dict[str, list[dict[str, Any]]] = {}
        for grant in session.scalars(select(RewardGrant).where(RewardGrant.batch_ref == batch.id)
                                     .order_by(RewardGrant.id)):
            per_player.setdefault(grant.player, []).append({
                "quest_id": grant.source, "period": grant.period, "kind": grant.kind,
                "token_id": grant.token_id, "amount": str(grant.amount)})
        for address, grants in per_player.items():
            events.for_player(session, address, events.REWARD_MINTED,
                              {"tx_hash": batch.tx_hash, "batch_id": batch.batch_id, "grants": grants})
            sent += 1
    return sent


def crafted(session: Session, chain_events: Iterable[Any]) -> int:
    """craft.done for each GuardianCrafted / LegendForged log of a signed-in player."""
    found = [e for e in chain_events if e.event in CRAFTS and "player" in e.args]
    if not found:
        return 0
    addresses = {str(e.args["player"]).lower() for e in found}
    known = set(session.scalars(select(func.lower(Player.address)).where(
        func.lower(Player.address).in_(sorted(addresses)))))
    sent = 0
    for e in found:
        address = str(e.args["player"]).lower()
        if address not in known:
            continue
        kind = CRAFTS[e.event]
        events.for_player(session, address, events.CRAFT_DONE, {
            "kind": kind, "token_id": int(e.args.get("guardianId", e.args.get("legendId", 0))),
            "shard_id": _int_or_none(e.args.get("shardId")),
            "shards_burned": _int_or_none(e.args.get("shardsBurned")),
            "tx_hash": e.tx_hash, "block_number": e.block_number})
        sent += 1
    return sent


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)

"""The referrer's tally of activated invitees, kept as invitees activate (constant cost).

An invited player (one with ``referred_by_id``) who has completed every activation quest of
the catalog carries ``activated_at``; their referrer's ``activated_invitees`` counts the
invitees who carry it. So the referral report reads one column instead of joining every
invitee's completions (its cost grew with the invitees: 27 ms for 8,500 at 1M players).

The marker is what makes the count exact: it is set under the invitee's row lock, after a
fresh read of their activation completions, and only when it was not set, so a replayed
log, a repeated activation quest or two activation quests completed at once by two
transactions count the invitee once. A reorg that withdraws an activation completion takes
the marker back (and the count) if the invitee is no longer activated; a catalog whose
activation quests change recounts every tally (:func:`recount`, set-based).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import datetime

from sqlalchemy import DateTime, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from quests.orm import Player
from quests.store import QuestCompletion

# player: the invitee's referrer and marker, under the invitee's row lock (FOR NO KEY
# UPDATE: what the marker's UPDATE takes; a completion's foreign key to the player only
# shares the key, so a transaction that inserted one does not block this).
INVITEE_LOCKED = (select(Player.referred_by_id, Player.activated_at)
                  .where(Player.id == bindparam("player")).with_for_update(key_share=True))

# player, quests (a list): how many of those quests the player completed (any period).
ACTIVATION_DONE = (select(func.count(func.distinct(QuestCompletion.quest_id)))
                   .where(QuestCompletion.player_id == bindparam("player"),
                          QuestCompletion.quest_id.in_(bindparam("quests", expanding=True))))

# player, at: set the marker (only where it is not set).
MARK = (update(Player).where(Player.id == bindparam("player"), Player.activated_at.is_(None))
        .values(activated_at=bindparam("at")).execution_options(synchronize_session=False))

# player: take the marker back (only where it is set).
UNMARK = (update(Player).where(Player.id == bindparam("player"), Player.activated_at.is_not(None))
          .values(activated_at=None).execution_options(synchronize_session=False))

# referrer, by: move the referrer's tally by +1 or -1.
MOVE = (update(Player).where(Player.id == bindparam("referrer"))
        .values(activated_invitees=Player.activated_invitees + bindparam("by"))
        .execution_options(synchronize_session=False))


# referrer: the addresses of their activated invitees, by the marker (not their completions).
ACTIVATED = (select(Player.address).where(Player.referred_by_id == bindparam("referrer"),
                                          Player.activated_at.is_not(None)).order_by(Player.address))


def activated_invitees(session: Session, player_id: int, activation: Set[str]) -> list[str]:
    """Addresses of the players ``player_id`` invited who are activated (sorted)."""
    return list(session.scalars(ACTIVATED, {"referrer": player_id})) if activation else []


def note_activation(session: Session, player_id: int, activation: Set[str], now: datetime) -> bool:
    """The invitee ``player_id`` completed an activation quest (flushed): whether they are
    activated now. The first time they are, they are marked and their referrer's tally
    goes up by one. False for a player nobody invited."""
    if not activation:
        return False
    session.flush()
    referrer, marked = session.execute(INVITEE_LOCKED, {"player": player_id}).one()
    if referrer is None:
        return False
    if marked is not None:
        return True
    done = session.scalar(ACTIVATION_DONE, {"player": player_id, "quests": sorted(activation)})
    if done != len(activation):
        return False
    if session.execute(MARK, {"player": player_id, "at": now}).rowcount == 1:
        session.execute(MOVE, {"referrer": referrer, "by": 1})
    return True


def note_withdrawal(session: Session, player_id: int, activation: Set[str]) -> None:
    """An activation completion of ``player_id`` was withdrawn (flushed): an invitee no
    longer activated loses the marker and their referrer's tally goes down by one."""
    if not activation:
        return
    session.flush()
    referrer, marked = session.execute(INVITEE_LOCKED, {"player": player_id}).one()
    if referrer is None or marked is None:
        return
    done = session.scalar(ACTIVATION_DONE, {"player": player_id, "quests": sorted(activation)})
    if done == len(activation):
        return
    if session.execute(UNMARK, {"player": player_id}).rowcount == 1:
        session.execute(MOVE, {"referrer": referrer, "by": -1})


def recount(session: Session, activation: Set[str], now: datetime) -> None:
    """Every marker and tally recomputed from the completions (set-based): after the
    activation quests changed, in the migration's backfill and after a bulk load. Its cost
    grows with the players; it is never on a request's path."""
    conn = session.connection()
    recount_on(conn, activation, now)


def recount_on(conn: object, activation: Set[str], now: datetime) -> None:
    """:func:`recount` on a Connection (the migration and the bench loader have no Session)."""
    execute = conn.execute  # type: ignore[attr-defined]
    ids = sorted(activation)
    if ids:
        names = ", ".join(f":q{i}" for i in range(len(ids)))
        params: dict[str, object] = {f"q{i}": q for i, q in enumerate(ids)}
        activated = (f"SELECT player_id FROM quest_completion WHERE quest_id IN ({names}) "
                     f"GROUP BY player_id HAVING count(DISTINCT quest_id) = {len(ids)}")
        execute(text(f"UPDATE player SET activated_at = NULL WHERE activated_at IS NOT NULL "
                     f"AND id NOT IN ({activated})"), params)
        execute(text(f"UPDATE player SET activated_at = :now WHERE activated_at IS NULL "
                     f"AND referred_by_id IS NOT NULL AND id IN ({activated})")
                .bindparams(bindparam("now", type_=DateTime(timezone=True))), {**params, "now": now})
    else:
        execute(text("UPDATE player SET activated_at = NULL WHERE activated_at IS NOT NULL"))
    execute(text("UPDATE player SET activated_invitees = 0 WHERE activated_invitees <> 0"))
    execute(text("UPDATE player SET activated_invitees = (SELECT count(*) FROM player i "
                 "WHERE i.referred_by_id = player.id AND i.activated_at IS NOT NULL) "
                 "WHERE id IN (SELECT referred_by_id FROM player WHERE activated_at IS NOT NULL)"))

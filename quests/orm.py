"""The game's ORM base (players, quests, rewards share it) and the Player row.

SQLAlchemy stays in persistence modules like this one; the rules never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, MetaData, String, event, func
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
address = Annotated[str, mapped_column(String(42))]
timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Player(Base):
    """A wallet that signed in at least once."""

    __tablename__ = "player"

    id: Mapped[intpk]
    address: Mapped[address] = mapped_column(unique=True)
    referral_code: Mapped[str] = mapped_column(String(16), unique=True)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("player.id"), index=True)
    xp: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[timestamp]
    last_seen_at: Mapped[timestamp]


# The ledger speaks lowercase addresses; the XP grant finds its player through this index
# (``Player.address`` keeps the checksummed form the player signed in with).
Index("ix_player_address_lower", func.lower(Player.address))


MEMO = "quests.memo"


def per_transaction(session: Session, key: str, compute: Callable[[], T], watch: tuple[type, ...]) -> T:
    """``compute()`` once per transaction of ``session`` (a cached catalog or calendar's
    fingerprint read once, not by every function of a completion); forgotten as soon as a
    flush of this session writes a row of a ``watch`` class."""
    session.connection()  # begins the transaction the value belongs to
    transaction = session.get_transaction()
    found = session.info.get(MEMO)
    if found is None or found[0] is not transaction:
        found = session.info[MEMO] = (transaction, {})
        if not session.info.get(MEMO + ".hooked"):
            event.listen(session, "before_flush", _forget_written)
            session.info[MEMO + ".hooked"] = True
    memo = found[1]
    if key not in memo:
        memo[key] = (compute(), watch)
    return memo[key][0]  # type: ignore[no-any-return]


def _forget_written(session: Session, _context: object, _instances: object) -> None:
    found = session.info.get(MEMO)
    if not found:
        return
    changed = [*session.new, *session.dirty, *session.deleted]
    for key, (_value, watch) in list(found[1].items()):
        if any(isinstance(row, watch) for row in changed):
            del found[1][key]

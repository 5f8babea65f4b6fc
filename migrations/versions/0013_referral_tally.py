"""referral tally: an invitee's activation marker and a referrer's count of activated
invitees, so the referral report reads one column instead of every invitee's completions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite has ADD/DROP COLUMN): a batch copy of the table on SQLite
    # would lose the expression index on lower(address), which it cannot reflect.
    op.add_column("player", sa.Column("activated_at", TZ, nullable=True))
    op.add_column("player", sa.Column("activated_invitees", sa.Integer(), nullable=False,
                                      server_default="0"))
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Mark every invitee who completed every activation quest of the stored catalog, and
    count them per referrer (set-based, as ``quests.referral_tally.recount`` does)."""
    definitions = sa.table("quest_definition", sa.column("spec", sa.JSON()),
                           sa.column("retired_at", TZ))
    ids = sorted(str(spec["id"]) for (spec,) in conn.execute(
        sa.select(definitions.c.spec).where(definitions.c.retired_at.is_(None)))
        if isinstance(spec, dict) and spec.get("activation") is True and "id" in spec)
    if not ids:
        return
    names = ", ".join(f":q{i}" for i in range(len(ids)))
    params: dict[str, object] = {f"q{i}": q for i, q in enumerate(ids)}
    conn.execute(sa.text(
        f"UPDATE player SET activated_at = :now WHERE referred_by_id IS NOT NULL AND id IN ("
        f"SELECT player_id FROM quest_completion WHERE quest_id IN ({names}) "
        f"GROUP BY player_id HAVING count(DISTINCT quest_id) = {len(ids)})")
        .bindparams(sa.bindparam("now", type_=TZ)), {**params, "now": datetime.now(UTC)})
    conn.execute(sa.text(
        "UPDATE player SET activated_invitees = (SELECT count(*) FROM player i "
        "WHERE i.referred_by_id = player.id AND i.activated_at IS NOT NULL) "
        "WHERE id IN (SELECT referred_by_id FROM player WHERE activated_at IS NOT NULL)"))


def downgrade() -> None:
    op.drop_column("player", "activated_invitees")
    op.drop_column("player", "activated_at")

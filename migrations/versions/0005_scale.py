"""scale: indexes that keep the hot path constant-cost with a million players

- ``player (lower(address))``: the ledger speaks lowercase addresses and the XP grant
  matches ``lower(player.address)``; without it every completion scanned the player table.
- ``quest_progress (status, id)``: the upkeep walks completed records from a cursor in id
  order instead of sorting every completed record (replaces the index on ``status``).
- ``reward_grant (id) WHERE state = 'pending' AND batch_ref IS NULL``: the reward worker's
  planning reads the oldest unplanned grants straight off the index, whatever the backlog.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_player_address_lower", "player", [sa.text("lower(address)")])
    with op.batch_alter_table("quest_progress") as batch:
        batch.create_index("ix_quest_progress_status_id", ["status", "id"], unique=False)
        batch.drop_index("ix_quest_progress_status")
    unplanned = sa.text("state = 'pending' AND batch_ref IS NULL")
    op.create_index("ix_reward_grant_unplanned", "reward_grant", ["id"],
                    postgresql_where=unplanned, sqlite_where=unplanned)


def downgrade() -> None:
    op.drop_index("ix_reward_grant_unplanned", table_name="reward_grant")
    with op.batch_alter_table("quest_progress") as batch:
        batch.create_index("ix_quest_progress_status", ["status"], unique=False)
        batch.drop_index("ix_quest_progress_status_id")
    op.drop_index("ix_player_address_lower", table_name="player")

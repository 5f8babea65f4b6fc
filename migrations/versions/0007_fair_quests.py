"""fair quests: every suite log of a signed-in player is kept (so a quest that opens later can
still count it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quest_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_time", TZ, nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_inbox_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_inbox")),
        sa.UniqueConstraint("player_id", "tx_hash", "log_index", name=op.f("uq_quest_inbox_player_id")),
    )
    with op.batch_alter_table("quest_inbox") as batch:
        batch.create_index(batch.f("ix_quest_inbox_block_number"), ["block_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quest_inbox") as batch:
        batch.drop_index(batch.f("ix_quest_inbox_block_number"))
    op.drop_table("quest_inbox")

"""early travellers: the suite logs of a wallet that has not signed in yet are kept on the
wayside, and become the player's at their first sign-in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quest_wayside",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("contract", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_time", TZ, nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_wayside")),
        sa.UniqueConstraint("address", "tx_hash", "log_index", name=op.f("uq_quest_wayside_address")),
    )
    with op.batch_alter_table("quest_wayside") as batch:
        batch.create_index(batch.f("ix_quest_wayside_block_number"), ["block_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quest_wayside") as batch:
        batch.drop_index(batch.f("ix_quest_wayside_block_number"))
    op.drop_table("quest_wayside")

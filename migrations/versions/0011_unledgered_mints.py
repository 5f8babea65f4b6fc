"""unledgered mints: shards found on chain that no ledger batch (nor a craft) accounts for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "unledgered_mint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("player", sa.String(length=42), nullable=False),
        sa.Column("token_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.String(length=78), nullable=False),
        sa.Column("operator", sa.String(length=42), nullable=False),
        sa.Column("found_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unledgered_mint")),
        sa.UniqueConstraint("chain_id", "tx_hash", "log_index", "token_id",
                            name=op.f("uq_unledgered_mint_chain_id")),
    )
    with op.batch_alter_table("unledgered_mint") as batch:
        batch.create_index(batch.f("ix_unledgered_mint_block"), ["block"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unledgered_mint") as batch:
        batch.drop_index(batch.f("ix_unledgered_mint_block"))
    op.drop_table("unledgered_mint")

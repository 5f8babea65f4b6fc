"""rewards: grant ledger and minting outbox batches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reward_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=66), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=True),
        sa.Column("sender", sa.String(length=42), nullable=True),
        sa.Column("nonce", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_batch")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_reward_batch_batch_id")),
    )
    with op.batch_alter_table("reward_batch") as batch:
        batch.create_index(batch.f("ix_reward_batch_state"), ["state"], unique=False)
    op.create_table(
        "reward_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_key", sa.String(length=200), nullable=False),
        sa.Column("player", sa.String(length=42), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        # wei amounts exceed BIGINT; stored as decimal text (nft.store.Amount)
        sa.Column("amount", sa.String(length=78), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("batch_ref", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_ref"], ["reward_batch.id"],
                                name=op.f("fk_reward_grant_batch_ref_reward_batch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_grant")),
        sa.UniqueConstraint("grant_key", name=op.f("uq_reward_grant_grant_key")),
    )
    with op.batch_alter_table("reward_grant") as batch:
        batch.create_index(batch.f("ix_reward_grant_batch_ref"), ["batch_ref"], unique=False)
        batch.create_index(batch.f("ix_reward_grant_player"), ["player"], unique=False)
        batch.create_index(batch.f("ix_reward_grant_state"), ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("reward_grant")
    op.drop_table("reward_batch")

"""players and sign-in nonces

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("referral_code", sa.String(length=16), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("xp", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referred_by_id"], ["player.id"],
                                name=op.f("fk_player_referred_by_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_player")),
        sa.UniqueConstraint("address", name=op.f("uq_player_address")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_player_referral_code")),
    )
    with op.batch_alter_table("player") as batch:
        batch.create_index(batch.f("ix_player_referred_by_id"), ["referred_by_id"], unique=False)
    op.create_table(
        "auth_nonce",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_nonce")),
        sa.UniqueConstraint("nonce", name=op.f("uq_auth_nonce_nonce")),
    )
    with op.batch_alter_table("auth_nonce") as batch:
        batch.create_index(batch.f("ix_auth_nonce_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("auth_nonce")
    op.drop_table("player")

"""chain: deployment manifest, indexer cursor and recently indexed block hashes

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("code_hash", sa.String(length=66), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_deployment")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_chain_deployment_chain_id")),
    )
    op.create_table(
        "chain_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", sa.String(length=66), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_cursor")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_chain_cursor_chain_id")),
    )
    op.create_table(
        "chain_indexed_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=66), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_indexed_block")),
        sa.UniqueConstraint("chain_id", "number", name=op.f("uq_chain_indexed_block_chain_id")),
    )


def downgrade() -> None:
    op.drop_table("chain_indexed_block")
    op.drop_table("chain_cursor")
    op.drop_table("chain_deployment")

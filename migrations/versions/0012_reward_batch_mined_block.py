"""reward batch mined block: the block a confirmed batch was mined in, to re-check it after a reorg

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reward_batch") as batch:
        batch.add_column(sa.Column("mined_block", sa.BigInteger(), nullable=True))
        batch.create_index("ix_reward_batch_mined_block", ["mined_block", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reward_batch") as batch:
        batch.drop_index("ix_reward_batch_mined_block")
        batch.drop_column("mined_block")

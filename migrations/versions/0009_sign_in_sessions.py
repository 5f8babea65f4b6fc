"""sign-in sessions: one row per signed-in session, ended by logout or by time

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("ended_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_auth_session_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    with op.batch_alter_table("auth_session") as batch:
        batch.create_index(batch.f("ix_auth_session_player_id"), ["player_id"], unique=False)
        batch.create_index(batch.f("ix_auth_session_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auth_session") as batch:
        batch.drop_index(batch.f("ix_auth_session_expires_at"))
        batch.drop_index(batch.f("ix_auth_session_player_id"))
    op.drop_table("auth_session")

"""realtime: event streams (epoch, last offset) and the event log

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "realtime_stream",
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("epoch", sa.String(length=16), nullable=False),
        sa.Column("last_offset", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_realtime_stream")),
    )
    op.create_table(
        "realtime_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realtime_event")),
    )
    op.create_index("uq_realtime_event_stream_offset", "realtime_event", ["stream", "offset"],
                    unique=True)
    op.create_index("ix_realtime_event_created_at", "realtime_event", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_realtime_event_created_at", table_name="realtime_event")
    op.drop_index("uq_realtime_event_stream_offset", table_name="realtime_event")
    op.drop_table("realtime_event")
    op.drop_table("realtime_stream")

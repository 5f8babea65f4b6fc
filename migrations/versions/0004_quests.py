"""quests: definitions, progress, evidence, completions, withdrawals, check-ins, leaderboards

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quest_definition",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("loaded_at", TZ, nullable=False),
        sa.Column("retired_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_definition")),
    )
    op.create_table(
        "quest_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("accepted_at", TZ, nullable=True),
        sa.Column("accepted_block", sa.BigInteger(), nullable=True),
        sa.Column("completed_at", TZ, nullable=True),
        sa.Column("rewarded_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_progress_player_id_player")),
        sa.ForeignKeyConstraint(["quest_id"], ["quest_definition.id"],
                                name=op.f("fk_quest_progress_quest_id_quest_definition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_progress")),
        sa.UniqueConstraint("player_id", "quest_id", "period",
                            name=op.f("uq_quest_progress_player_id")),
    )
    with op.batch_alter_table("quest_progress") as batch:
        batch.create_index(batch.f("ix_quest_progress_status"), ["status"], unique=False)
    op.create_table(
        "quest_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("contract", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_time", TZ, nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_evidence_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_evidence")),
        sa.UniqueConstraint("player_id", "quest_id", "period", "tx_hash", "log_index",
                            name=op.f("uq_quest_evidence_player_id")),
    )
    with op.batch_alter_table("quest_evidence") as batch:
        batch.create_index(batch.f("ix_quest_evidence_block_number"), ["block_number"], unique=False)
    op.create_table(
        "quest_completion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("completed_at", TZ, nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("log_index", sa.Integer(), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_completion_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_completion")),
        sa.UniqueConstraint("player_id", "quest_id", "period",
                            name=op.f("uq_quest_completion_player_id")),
    )
    with op.batch_alter_table("quest_completion") as batch:
        batch.create_index(batch.f("ix_quest_completion_quest_id"), ["quest_id"], unique=False)
    op.create_table(
        "quest_withdrawal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("completed_at", TZ, nullable=False),
        sa.Column("withdrawn_at", TZ, nullable=False),
        sa.Column("from_block", sa.BigInteger(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_withdrawal_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_withdrawal")),
    )
    with op.batch_alter_table("quest_withdrawal") as batch:
        batch.create_index(batch.f("ix_quest_withdrawal_player_id"), ["player_id"], unique=False)
    op.create_table(
        "quest_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_quest_checkin_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_checkin")),
        sa.UniqueConstraint("player_id", "day", name=op.f("uq_quest_checkin_player_id")),
    )
    op.create_table(
        "leaderboard_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board", sa.String(length=8), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_leaderboard_score_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaderboard_score")),
        sa.UniqueConstraint("board", "period", "player_id",
                            name=op.f("uq_leaderboard_score_board")),
    )
    with op.batch_alter_table("leaderboard_score") as batch:
        batch.create_index(batch.f("ix_leaderboard_score_player_id"), ["player_id"], unique=False)
        batch.create_index(batch.f("ix_leaderboard_score_rank"),
                           ["board", "period", "score", "player_id"], unique=False)


def downgrade() -> None:
    op.drop_table("leaderboard_score")
    op.drop_table("quest_checkin")
    op.drop_table("quest_withdrawal")
    op.drop_table("quest_completion")
    op.drop_table("quest_evidence")
    op.drop_table("quest_progress")
    op.drop_table("quest_definition")

"""campaigns, admin roles and audit, the scheduler's job store and run log

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _campaign_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_campaign_id_campaign"))


def upgrade() -> None:
    op.create_table(
        "admin_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("granted_by", sa.String(length=42), nullable=False),
        sa.Column("granted_at", TZ, nullable=False),
        sa.Column("revoked_by", sa.String(length=42), nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_role")),
        sa.UniqueConstraint("address", name=op.f("uq_admin_role_address")),
    )
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit")),
    )
    with op.batch_alter_table("admin_audit") as batch:
        for column in ("at", "actor", "action", "target"):
            batch.create_index(batch.f(f"ix_admin_audit_{column}"), [column], unique=False)
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("opened_at", TZ, nullable=True),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("created_by", sa.String(length=42), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    with op.batch_alter_table("campaign") as batch:
        batch.create_index(batch.f("ix_campaign_status"), ["status"], unique=False)
    op.create_table(
        "campaign_quest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _campaign_fk("campaign_quest"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_quest")),
        sa.UniqueConstraint("campaign_id", "quest_id", name=op.f("uq_campaign_quest_campaign_id")),
    )
    with op.batch_alter_table("campaign_quest") as batch:
        batch.create_index(batch.f("ix_campaign_quest_quest_id"), ["quest_id"], unique=False)
    op.create_table(
        "campaign_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("granted", sa.BigInteger(), nullable=False),
        _campaign_fk("campaign_budget"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_budget")),
        sa.UniqueConstraint("campaign_id", "kind", name=op.f("uq_campaign_budget_campaign_id")),
    )
    op.create_table(
        "campaign_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("board", sa.String(length=8), nullable=False),
        sa.Column("prizes", sa.JSON(), nullable=False),
        sa.Column("paid_at", TZ, nullable=True),
        sa.Column("winners", sa.JSON(), nullable=True),
        _campaign_fk("campaign_window"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_window")),
        sa.UniqueConstraint("campaign_id", "position", name=op.f("uq_campaign_window_campaign_id")),
    )
    op.create_table(
        "campaign_announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("send_at", TZ, nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("sent_at", TZ, nullable=True),
        _campaign_fk("campaign_announcement"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_announcement")),
    )
    with op.batch_alter_table("campaign_announcement") as batch:
        batch.create_index(batch.f("ix_campaign_announcement_campaign_id"), ["campaign_id"], unique=False)
    op.create_table(
        "campaign_withheld",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("quest_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("at", TZ, nullable=False),
        _campaign_fk("campaign_withheld"),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"],
                                name=op.f("fk_campaign_withheld_player_id_player")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_withheld")),
        sa.UniqueConstraint("player_id", "quest_id", "period", name=op.f("uq_campaign_withheld_player_id")),
    )
    with op.batch_alter_table("campaign_withheld") as batch:
        batch.create_index(batch.f("ix_campaign_withheld_campaign_id"), ["campaign_id"], unique=False)
    op.create_table(
        "scheduler_job",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_job")),
    )
    with op.batch_alter_table("scheduler_job") as batch:
        batch.create_index(batch.f("ix_scheduler_job_next_run_time"), ["next_run_time"], unique=False)
    op.create_table(
        "scheduler_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=191), nullable=False),
        sa.Column("ran_at", TZ, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_run")),
    )
    with op.batch_alter_table("scheduler_run") as batch:
        batch.create_index(batch.f("ix_scheduler_run_job_id"), ["job_id"], unique=False)
        batch.create_index(batch.f("ix_scheduler_run_ran_at"), ["ran_at"], unique=False)


def downgrade() -> None:
    for table in ("scheduler_run", "scheduler_job", "campaign_withheld", "campaign_announcement",
                  "campaign_window", "campaign_budget", "campaign_quest", "campaign",
                  "admin_audit", "admin_role"):
        op.drop_table(table)

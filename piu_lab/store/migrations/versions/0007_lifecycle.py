"""Sealed storage of masked values, retention decisions, lifecycle runs and scope decisions
(R-RET-01..04, R-SCOPE-02).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lifecycle_run",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.Column("profile", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_lifecycle_run")),
    )
    op.create_index(op.f("ix_lifecycle_run_as_of"), "lifecycle_run", ["as_of"], unique=False)
    op.create_table(
        "scope_decision",
        sa.Column("decision_id", sa.String(), nullable=False),
        sa.Column("legal_basis", sa.String(), nullable=False),
        sa.Column("threat_assessment", sa.String(), nullable=False),
        sa.Column("ocam_level", sa.Integer(), nullable=False),
        sa.Column("ocam_date", sa.Date(), nullable=False),
        sa.Column("ocam_source", sa.String(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("sectors", sa.Text(), nullable=False),
        sa.Column("routes", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_scope_decision")),
    )
    op.create_table(
        "scope_refusal",
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("sector", sa.String(), nullable=False),
        sa.Column("pnrs", sa.Integer(), nullable=False),
        sa.Column("journeys", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", "reason", name=op.f("pk_scope_refusal")),
    )
    op.create_index(
        op.f("ix_scope_refusal_received_at"), "scope_refusal", ["received_at"], unique=False
    )
    op.create_table(
        "sealing_key",
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("ephemeral_public", sa.LargeBinary(), nullable=False),
        sa.Column("wrap_nonce", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_sealing_key")),
    )
    op.create_table(
        "retention_decision",
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("pax_ref", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_retention_decision_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(
            "pnr_id", "pax_ref", "reference", name=op.f("pk_retention_decision")
        ),
    )
    op.create_table(
        "sealed_api",
        sa.Column("manifest_id", sa.String(), nullable=False),
        sa.Column("part", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("values_sealed", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["sealing_key.key_id"], name=op.f("fk_sealed_api_sealing_key")
        ),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["api_manifest.manifest_id"],
            name=op.f("fk_sealed_api_api_manifest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("manifest_id", "part", name=op.f("pk_sealed_api")),
    )
    op.create_table(
        "sealed_pnr",
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("part", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("values_sealed", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["sealing_key.key_id"], name=op.f("fk_sealed_pnr_sealing_key")
        ),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_sealed_pnr_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pnr_id", "part", name=op.f("pk_sealed_pnr")),
    )
    op.add_column("api_manifest", sa.Column("masked_at", sa.DateTime(), nullable=True))
    op.create_index(
        op.f("ix_api_manifest_received_at"), "api_manifest", ["received_at"], unique=False
    )
    op.add_column("pnr", sa.Column("masked_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_pnr_first_received_at"), "pnr", ["first_received_at"], unique=False)

    op.create_index(op.f("ix_hit_pnr_id"), "hit", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_notification_pnr_id"), "notification", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_outbox_pnr_id"), "outbox", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_ocam_task_pnr_id"), "ocam_task", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_fp_memory_pnr_id"), "fp_memory", ["pnr_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_hit_pnr_id"), table_name="hit")
    op.drop_index(op.f("ix_notification_pnr_id"), table_name="notification")
    op.drop_index(op.f("ix_outbox_pnr_id"), table_name="outbox")
    op.drop_index(op.f("ix_ocam_task_pnr_id"), table_name="ocam_task")
    op.drop_index(op.f("ix_fp_memory_pnr_id"), table_name="fp_memory")
    op.drop_index(op.f("ix_pnr_first_received_at"), table_name="pnr")
    op.drop_column("pnr", "masked_at")
    op.drop_index(op.f("ix_api_manifest_received_at"), table_name="api_manifest")
    op.drop_column("api_manifest", "masked_at")
    op.drop_table("sealed_pnr")
    op.drop_table("sealed_api")
    op.drop_table("retention_decision")
    op.drop_table("sealing_key")
    op.drop_index(op.f("ix_scope_refusal_received_at"), table_name="scope_refusal")
    op.drop_table("scope_refusal")
    op.drop_table("scope_decision")
    op.drop_index(op.f("ix_lifecycle_run_as_of"), table_name="lifecycle_run")
    op.drop_table("lifecycle_run")

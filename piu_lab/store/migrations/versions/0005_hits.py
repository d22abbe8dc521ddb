"""Pre-assessment (R-PRE-01..09, R-CRIT-01..05): registered watchlists and criteria, screening
runs and assessed PNR versions, hits with their review history, notifications, the outbox, OCAM
tasks, follow-ups and the false-positive memory. Every passenger-related row cascades with its
PNR (R-PRE-08, R-RET-01).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "ocam_task",
    "hit_event",
    "follow_up",
    "outbox",
    "notification",
    "hit",
    "fp_memory",
    "assessment",
    "watchlist_entry",
    "watchlist",
    "screening_run",
    "criterion_version",
)


def upgrade() -> None:
    op.create_table(
        "criterion_version",
        sa.Column("criterion_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(), nullable=False),
        sa.Column("approved_by", sa.String(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status = 'DRAFT' OR status = 'APPROVED' OR status = 'RETIRED'",
            name=op.f("ck_criterion_version_status"),
        ),
        sa.PrimaryKeyConstraint("criterion_id", "version", name=op.f("pk_criterion_version")),
    )
    op.create_table(
        "screening_run",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("hits_new", sa.Integer(), nullable=False),
        sa.Column("suppressed", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_screening_run")),
    )
    op.create_table(
        "watchlist",
        sa.Column("list_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("owner_service", sa.String(), nullable=False),
        sa.Column("services", sa.String(), nullable=False),
        sa.Column("legal_basis", sa.String(), nullable=False),
        sa.Column("listing", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("common_db", sa.String(), nullable=True),
        sa.Column("offence_category", sa.String(), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "listing = 'SOUGHT' OR listing = 'ALERT'", name=op.f("ck_watchlist_listing")
        ),
        sa.CheckConstraint(
            "scope = 'COMMON' OR scope = 'SERVICE'", name=op.f("ck_watchlist_scope")
        ),
        sa.PrimaryKeyConstraint("list_id", "version", name=op.f("pk_watchlist")),
    )
    op.create_table(
        "watchlist_entry",
        sa.Column("list_id", sa.String(), nullable=False),
        sa.Column("entry_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=False),
        sa.Column("aliases", sa.String(), nullable=True),
        sa.Column("date_of_birth", sa.String(), nullable=True),
        sa.Column("nationality", sa.String(), nullable=True),
        sa.Column("document_number", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("list_id", "entry_id", name=op.f("pk_watchlist_entry")),
    )
    op.create_table(
        "assessment",
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_assessment_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pnr_id", "version", name=op.f("pk_assessment")),
    )
    op.create_table(
        "fp_memory",
        sa.Column("source_key", sa.String(), nullable=False),
        sa.Column("person_key", sa.String(), nullable=False),
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("hit_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_fp_memory_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("source_key", "person_key", name=op.f("pk_fp_memory")),
    )
    op.create_table(
        "hit",
        sa.Column("hit_id", sa.String(), nullable=False),
        sa.Column("group_key", sa.String(), nullable=False),
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("pax_ref", sa.String(), nullable=False),
        sa.Column("pnr_version", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("source_key", sa.String(), nullable=False),
        sa.Column("list_id", sa.String(), nullable=True),
        sa.Column("entry_id", sa.String(), nullable=True),
        sa.Column("criterion_id", sa.String(), nullable=True),
        sa.Column("criterion_version", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(), nullable=False),
        sa.Column("common", sa.Boolean(), nullable=False),
        sa.Column("ftf", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.String(), nullable=False),
        sa.Column("person_key", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deadline_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source_kind = 'WATCHLIST' OR source_kind = 'CRITERION'",
            name=op.f("ck_hit_source_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_hit_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hit_id", name=op.f("pk_hit")),
    )
    op.create_index(op.f("ix_hit_group_key"), "hit", ["group_key"], unique=False)
    op.create_index(op.f("ix_hit_service"), "hit", ["service"], unique=False)
    op.create_index(
        op.f("ix_hit_source_key_person_key"), "hit", ["source_key", "person_key"], unique=False
    )
    op.create_table(
        "notification",
        sa.Column("notification_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("hit_id", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_notification_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("notification_id", name=op.f("pk_notification")),
    )
    op.create_index(op.f("ix_notification_recipient"), "notification", ["recipient"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_outbox_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_outbox")),
    )
    op.create_table(
        "follow_up",
        sa.Column("hit_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hit.hit_id"], name=op.f("fk_follow_up_hit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hit_id", "seq", name=op.f("pk_follow_up")),
    )
    op.create_table(
        "hit_event",
        sa.Column("hit_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("checklist", sa.Text(), nullable=False),
        sa.Column("via_hit", sa.String(), nullable=True),
        sa.CheckConstraint(
            "status = 'NEW' OR status = 'IN_REVIEW' OR status = 'VALIDATED' "
            "OR status = 'REJECTED_FALSE_POSITIVE' OR status = 'REJECTED_DISCRIMINATORY'",
            name=op.f("ck_hit_event_status"),
        ),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hit.hit_id"], name=op.f("fk_hit_event_hit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hit_id", "seq", name=op.f("pk_hit_event")),
    )
    op.create_table(
        "ocam_task",
        sa.Column("hit_id", sa.String(), nullable=False),
        sa.Column("pnr_id", sa.String(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("transmission_ref", sa.String(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hit.hit_id"], name=op.f("fk_ocam_task_hit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pnr_id"], ["pnr.pnr_id"], name=op.f("fk_ocam_task_pnr"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hit_id", name=op.f("pk_ocam_task")),
    )


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)

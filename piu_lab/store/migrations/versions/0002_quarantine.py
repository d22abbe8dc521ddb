"""Quarantine of unparseable messages, and UNKNOWN as a message kind.

A message that cannot be parsed is kept with its reason and its scrubbed canonical form until
a purge date (R-SENS-02: nothing received is lost without a trace; the raw message is never
kept). The message's kind may be UNKNOWN when its type could not be read.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = ("PNRGOV", "PAXLST")
_KINDS_AFTER = ("PNRGOV", "PAXLST", "UNKNOWN")


def _kind_check(kinds: tuple[str, ...]) -> str:
    return " OR ".join(f"kind = '{k}'" for k in kinds)


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("ck_message_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_message_kind"), _kind_check(_KINDS_AFTER))
    op.create_table(
        "quarantine",
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("scrubbed", sa.Text(), nullable=True),
        sa.Column("quarantined_at", sa.DateTime(), nullable=False),
        sa.Column("purge_after", sa.DateTime(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.message_id"],
            name=op.f("fk_quarantine_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_quarantine")),
    )
    op.create_index(op.f("ix_quarantine_purge_after"), "quarantine", ["purge_after"])


def downgrade() -> None:
    op.drop_index(op.f("ix_quarantine_purge_after"), table_name="quarantine")
    op.drop_table("quarantine")
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("ck_message_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_message_kind"), _kind_check(_KINDS_BEFORE))

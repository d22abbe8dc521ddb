"""Targeted-search requests and the authorisations of a court or an independent body
(R-SRCH-01/02, R-RET-04).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_request",
        sa.Column("request_id", sa.String(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_by", sa.String(), nullable=False),
        sa.Column("requesting_service", sa.String(), nullable=False),
        sa.Column("case_reference", sa.String(), nullable=False),
        sa.Column("offence_category", sa.String(), nullable=False),
        sa.Column("selectors", sa.Text(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("urgent_opened_at", sa.DateTime(), nullable=True),
        sa.Column("urgent_opened_by", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_search_request")),
    )
    op.create_table(
        "search_authorisation",
        sa.Column("authorisation_id", sa.String(), nullable=False),
        sa.Column("request_id", sa.String(), nullable=False),
        sa.Column("authority", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("unmask", sa.Boolean(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("dpo_notified_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["search_request.request_id"],
            name=op.f("fk_search_authorisation_search_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authorisation_id", name=op.f("pk_search_authorisation")),
    )


def downgrade() -> None:
    op.drop_table("search_authorisation")
    op.drop_table("search_request")

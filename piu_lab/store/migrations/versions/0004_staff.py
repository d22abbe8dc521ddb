"""The staff register's change history (R-ACC-01..03, R-HR-01): ``staff_change``, append-only.

One row per change of the register (add, extend or end a secondment, grant or revoke access,
notify a supervisor, a service's code list updated); the register is rebuilt by replaying the
rows in ``sequence`` order (``piu_lab.access.persist``), so its state is always derived from
its history. On PostgreSQL a trigger refuses UPDATE and DELETE of a row and TRUNCATE of the
table. Staff data only: no passenger data.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_FUNCTION = """
CREATE FUNCTION staff_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'staff_change is append-only (R-ACC-01): % refused', TG_OP;
END;
$$
"""
_PG_TRIGGERS = (
    "CREATE TRIGGER staff_change_no_change BEFORE UPDATE OR DELETE ON staff_change "
    "FOR EACH ROW EXECUTE FUNCTION staff_change_append_only()",
    "CREATE TRIGGER staff_change_no_truncate BEFORE TRUNCATE ON staff_change "
    "FOR EACH STATEMENT EXECUTE FUNCTION staff_change_append_only()",
)


def _is_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "staff_change",
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_staff_change")),
    )
    if _is_postgresql():
        op.execute(_PG_FUNCTION)
        for statement in _PG_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if _is_postgresql():
        op.execute("DROP TRIGGER IF EXISTS staff_change_no_truncate ON staff_change")
        op.execute("DROP TRIGGER IF EXISTS staff_change_no_change ON staff_change")
        op.execute("DROP FUNCTION IF EXISTS staff_change_append_only()")
    op.drop_table("staff_change")

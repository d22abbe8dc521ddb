"""Migrations (store/migrate.py, store/migrations/) and the schema as a whitelist (R-DATA-01)."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from piu_lab.store import TABLES, head_revision, metadata, open_store
from piu_lab.store.migrate import alembic_config, current_revision, known_revisions, upgrade
from piu_lab.store.schema import AUDIT_TABLES, HIT_TABLES, LIFECYCLE_TABLES, STAFF_TABLES


def test_migration_up_from_empty_creates_every_table(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.schema_revision() == head_revision()
        with store.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
    extra = {t.name for t in (*AUDIT_TABLES, *STAFF_TABLES, *HIT_TABLES, *LIFECYCLE_TABLES)}
    assert set(TABLES) | extra | {"alembic_version"} == names


def test_migration_matches_the_table_definitions(db_url: str) -> None:
    """The frozen revision and schema.py describe the same columns, keys and indexes."""
    with open_store(db_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        inspector = inspect(conn)
        tables = [*TABLES, *(t.name for t in HIT_TABLES)]
        stored = {c["name"] for t in tables for c in inspector.get_check_constraints(t)}
    declared = {c.name for t in metadata.tables.values() for c in t.constraints if c.name}
    assert stored == {name for name in declared if str(name).startswith("ck_")}
    assert len(stored) == 23 + 5  # five on the pre-assessment tables (revision 0005)


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert store.schema_revision() is None
        assert store.init() == head_revision()
        assert store.counts()["pnr"] == 0


def test_offline_mode_prints_the_ddl() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        command.upgrade(alembic_config(url="postgresql+psycopg://u@h/db"), "head", sql=True)
    ddl = out.getvalue()
    assert "CREATE TABLE pnr_version" in ddl
    assert "ck_segment_sector" in ddl


def test_env_can_open_its_own_engine_from_the_url(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/own.sqlite3"
    command.upgrade(alembic_config(url=url), "head")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            upgrade(conn)  # already at head: nothing to do
    finally:
        engine.dispose()


def test_known_revisions_include_head() -> None:
    assert head_revision() in known_revisions()


FORBIDDEN = ("remark", "osi", "ssr", "meal", "health", "religion", "free_text", "mileage")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_column_outside_annex_one(table: str) -> None:
    """R-DATA-01/02, R-SENS-02: the schema has no place for remarks, SSR text or mileage."""
    for column in TABLES[table].columns:
        assert not any(word in column.name for word in FORBIDDEN), column.name

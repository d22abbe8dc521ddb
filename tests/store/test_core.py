"""Opening a store and what goes wrong on bad input (store/core.py, store/engine.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from piu_lab.errors import (
    DatabaseUnreachable,
    PiuLabError,
    ReadOnlyDatabase,
    SchemaNotInitialised,
    SchemaTooNew,
    StoreError,
    UnknownDatabaseURL,
)
from piu_lab.store import Store, head_revision, migrate, open_store
from tests import factories, pgserver


def _one_line(error: PiuLabError) -> str:
    line = error.one_line()
    assert "\n" not in line
    assert error.hint
    return line


def test_open_creates_the_schema_and_reports_itself(db_url: str) -> None:
    with open_store(db_url) as store:
        assert isinstance(store, Store)
        assert store.dialect == ("sqlite" if db_url.startswith("sqlite") else "postgresql")
        assert store.schema_revision() == head_revision()
        assert store.init() == head_revision()
        assert repr(store) == f"Store({store.url!r})"
        assert set(store.counts().values()) == {0}


def test_open_without_create_on_an_empty_database_refuses(db_url: str) -> None:
    with pytest.raises(SchemaNotInitialised) as info:
        open_store(db_url, create=False)
    assert "piu-lab init" in _one_line(info.value)


def test_open_without_create_does_not_make_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "lab.sqlite3"
    with pytest.raises(SchemaNotInitialised):
        open_store(str(path), create=False)
    assert not path.parent.exists()


def test_open_without_create_works_once_initialised(db_url: str) -> None:
    open_store(db_url).close()
    with open_store(db_url, create=False) as store:
        assert store.schema_revision() == head_revision()


def test_plain_path_creates_folders_and_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "lab.sqlite3"
    with open_store(str(path)) as store:
        assert store.url == f"sqlite:///{path}"
    assert path.exists()


def test_env_var_is_used_when_no_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PIU_LAB_DB", str(tmp_path / "env.sqlite3"))
    with open_store() as store:
        assert str(tmp_path / "env.sqlite3") in store.url


def test_memory_database_works() -> None:
    with open_store("sqlite://") as store:
        assert store.write_pnrs([factories.simple_pnr()]).new_versions == 1
        assert store.counts()["passenger"] == 1


def test_schema_too_new_is_refused(db_url: str) -> None:
    open_store(db_url).close()
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(SchemaTooNew) as info:
        open_store(db_url)
    line = _one_line(info.value)
    assert "9999_from_the_future" in line
    assert info.value.exit_code == 4


def test_older_schema_is_migrated_or_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A known revision that is not head: create=True migrates, create=False says so."""
    open_store(db_url).close()
    current = head_revision()
    monkeypatch.setattr(migrate, "head_revision", lambda: "0002_next")
    monkeypatch.setattr(migrate, "known_revisions", lambda: frozenset({current, "0002_next"}))
    with pytest.raises(SchemaNotInitialised) as info:
        open_store(db_url, create=False)
    assert f"has schema {current}" in _one_line(info.value)
    with open_store(db_url) as store:  # migrates (to the real head: nothing more to do)
        assert store.schema_revision() == current


def test_unknown_scheme() -> None:
    with pytest.raises(UnknownDatabaseURL):
        open_store("mysql://u@h/db")


def test_unreachable_server_masks_the_password() -> None:
    with pytest.raises(DatabaseUnreachable) as info:
        open_store("postgresql://nobody:hunter2@127.0.0.1:1/x")
    line = _one_line(info.value)
    assert "hunter2" not in line
    assert "***" in line
    assert "127.0.0.1" in line
    assert info.value.exit_code == 3


@pytest.mark.postgres
def test_unknown_database_on_a_live_server(pg_server_url: str) -> None:
    url = make_url(pg_server_url).set(database="no_such_database_here").render_as_string(False)
    with pytest.raises(DatabaseUnreachable) as info:
        open_store(url)
    assert "no_such_database_here" in _one_line(info.value)


def test_folder_that_cannot_exist_is_read_only(tmp_path: Path) -> None:
    """As root chmod does not stop writes: a path under a regular file fails for everyone."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ReadOnlyDatabase) as info:
        open_store(str(blocker / "lab.sqlite3"))
    assert "a-file" in _one_line(info.value)


def test_read_only_sqlite_file_without_schema(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    path.touch()
    with pytest.raises(ReadOnlyDatabase):
        open_store(f"sqlite:///file:{path}?mode=ro&uri=true")


def test_read_only_sqlite_file_reads_but_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "lab.sqlite3"
    with open_store(str(path)) as store:
        store.write_pnrs([factories.simple_pnr()])
    with open_store(f"sqlite:///file:{path}?mode=ro&uri=true") as store:
        assert store.counts()["pnr"] == 1
        with pytest.raises(ReadOnlyDatabase) as info:
            store.write_pnrs([factories.simple_pnr("TSTBBB")])
    assert "ReadOnly" not in _one_line(info.value)


def test_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadOnlyDatabase):
        open_store(str(tmp_path))


@pytest.mark.postgres
def test_read_only_postgres_session(pg_server_url: str) -> None:
    pgserver.reset_database(pg_server_url)
    base = make_url(pg_server_url)
    read_only = base.update_query_dict({"options": "-c default_transaction_read_only=on"})
    url = read_only.render_as_string(hide_password=False)
    with pytest.raises(ReadOnlyDatabase) as info:
        open_store(url)
    assert "read-only" in _one_line(info.value)


def test_other_driver_errors_are_store_errors(store: Store) -> None:
    with pytest.raises(StoreError) as info, store._begin("run a bad query") as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert type(info.value) is StoreError
    assert "run a bad query failed" in info.value.one_line()


def test_store_context_manager_closes(db_url: str) -> None:
    with open_store(db_url) as store:
        pass
    assert store.engine.pool.checkedout() == 0

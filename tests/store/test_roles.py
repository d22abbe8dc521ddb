"""The application's PostgreSQL role cannot UPDATE, DELETE or TRUNCATE the append-only
histories (issue 5; R-LOG-02), while it reads and writes everything else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from piu_lab.audit import AuditLog
from piu_lab.clock import FrozenClock
from piu_lab.errors import ConfigurationError
from piu_lab.store import open_store
from piu_lab.store.roles import APPEND_ONLY_TABLES, grant_application_role, grant_statements

ROLE = "piu_app_test"
PASSWORD = "synthetic-test-password"  # a throwaway cluster's throwaway role


def test_role_names_are_checked() -> None:
    with pytest.raises(ConfigurationError):
        grant_statements('x"; DROP TABLE audit_event; --')
    assert all(ROLE in s for s in grant_statements(ROLE))


def test_sqlite_has_no_roles(tmp_path: object) -> None:
    with (
        open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as store,
        pytest.raises(ConfigurationError, match="PostgreSQL"),
    ):
        grant_application_role(store, ROLE)


@pytest.mark.postgres
def test_the_application_role_cannot_rewrite_history(pg_server_url: str) -> None:
    from tests import pgserver

    pgserver.reset_database(pg_server_url)
    owner = create_engine(pg_server_url)
    with owner.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE})
        if exists.first() is None:
            conn.execute(text(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"))
    owner.dispose()
    with open_store(pg_server_url) as store:
        grant_application_role(store, ROLE)
    app_url = make_url(pg_server_url).set(username=ROLE, password=PASSWORD)
    clock = FrozenClock(datetime(2026, 6, 1, tzinfo=UTC))
    with open_store(app_url.render_as_string(hide_password=False), create=False) as app:
        log = AuditLog(app, clock)
        log.append(actor="PIU-H01", action="grant", detail={"step": "one"})
        log.append(actor="PIU-H01", action="grant", detail={"step": "two"})
        assert log.verify().ok
        assert app.counts()["pnr"] == 0  # and it reads the passenger tables
        for table in APPEND_ONLY_TABLES:
            for statement in (
                f"UPDATE {table} SET actor = 'X' WHERE sequence = 1",
                f"DELETE FROM {table} WHERE sequence = 1",
                f"TRUNCATE {table}",
            ):
                with pytest.raises(DBAPIError, match="permission denied"), app.engine.begin() as c:
                    c.execute(text(statement))
        with app.engine.begin() as conn:  # the passenger tables stay writable
            conn.execute(text("DELETE FROM quarantine WHERE message_id = 'none'"))
        assert log.count() == 2
        assert log.verify().ok

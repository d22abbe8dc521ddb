"""Engines for the two backends, and the translation of driver errors into PIU Lab errors.

SQLite connections get ``journal_mode=WAL``, ``synchronous=NORMAL``, ``foreign_keys=ON`` and a
busy timeout on connect; the driver's own implicit transactions are turned off and SQLAlchemy
emits ``BEGIN`` itself, so a bulk write is one real transaction (the SQLAlchemy pysqlite
recipe). PostgreSQL goes through psycopg 3 with a 10 s connect timeout unless the URL sets one.

:func:`translating` turns driver errors into :class:`DatabaseUnreachable`,
:class:`ReadOnlyDatabase` or :class:`StoreError`, each one line with the masked URL and a hint.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from piu_lab.errors import DatabaseUnreachable, ReadOnlyDatabase, StoreError
from piu_lab.store.url import backend_of, mask_url, scrub, sqlite_path

__all__ = [
    "driver_cursor",
    "make_engine",
    "prepare_sqlite_folder",
    "sqlite_file_exists",
    "translating",
]

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",  # deleted content overwritten at once (R-RET-01)
    "PRAGMA busy_timeout=10000",
    "PRAGMA cache_size=-65536",  # 64 MiB of page cache: index upkeep in large batches
)
#: SQLSTATEs meaning "you may not write here" (read-only transaction, insufficient privilege).
_PG_READ_ONLY = {"25006", "42501"}
#: SQLSTATE classes meaning "cannot get a usable session" (connection, authorisation, no db).
_PG_UNREACHABLE = ("08", "28", "3D", "57P")
_SQLITE_READ_ONLY = ("readonly", "read-only", "unable to open", "read only")


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            with contextlib.suppress(sqlite3.OperationalError):  # read-only file: keep its mode
                cur.execute(pragma)
    finally:
        cur.close()


#: ``connection.execution_options(sqlite_begin="IMMEDIATE")`` takes the write lock at BEGIN
#: (the audit log's appends: one writer at a time, without a lock upgrade that could fail).
_SQLITE_BEGIN = {"": "BEGIN", "DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _on_sqlite_begin(conn: Any) -> None:
    mode = str(conn.get_execution_options().get("sqlite_begin", "")).upper()
    conn.exec_driver_sql(_SQLITE_BEGIN[mode])


def prepare_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file; ReadOnlyDatabase when that is impossible."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadOnlyDatabase(
            f"cannot create the folder {path.parent} for the database ({exc.strerror})",
            path=str(path),
        ) from exc


def make_engine(url: str) -> Engine:
    """An engine for a URL from :func:`~piu_lab.store.url.resolve_url` (no connection yet)."""
    if backend_of(url) == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in make_url(url).query:
        connect_args["connect_timeout"] = 10
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _first_line(exc: BaseException, url: str) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), type(exc).__name__)
    return scrub(line, url)


def classify(exc: DBAPIError, url: str, action: str) -> StoreError:
    """The PIU Lab error for a driver error raised while doing ``action`` on ``url``."""
    where = mask_url(url)
    detail = _first_line(exc, url)
    if backend_of(url) == "sqlite":
        if any(token in detail.lower() for token in _SQLITE_READ_ONLY):
            return ReadOnlyDatabase(f"cannot write the database {where}: {detail}", action=action)
        return StoreError(f"{action} failed on {where}: {detail}", action=action)
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    if sqlstate in _PG_READ_ONLY:
        return ReadOnlyDatabase(
            f"cannot write the database {where}: {detail}",
            hint="use a role that may create and write tables there, or a writable server",
            action=action,
            sqlstate=sqlstate,
        )
    if not sqlstate or sqlstate.startswith(_PG_UNREACHABLE):
        return DatabaseUnreachable(
            f"database server unreachable at {where}: {detail}", sqlstate=sqlstate
        )
    return StoreError(f"{action} failed on {where}: {detail}", action=action, sqlstate=sqlstate)


@contextlib.contextmanager
def driver_cursor(conn: Connection, statement: str) -> Iterator[Any]:
    """A cursor of the driver under ``conn`` for ``statement``; its errors come out as
    SQLAlchemy's ``DBAPIError`` family, as if SQLAlchemy had run the statement."""
    dbapi_error = conn.dialect.loaded_dbapi.Error
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    except dbapi_error as exc:
        raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc
    finally:
        cursor.close()


@contextlib.contextmanager
def translating(url: str, action: str) -> Iterator[None]:
    """Run a block, raising driver errors as PIU Lab errors (the cause stays chained)."""
    try:
        yield
    except DBAPIError as exc:
        raise classify(exc, url, action) from exc


def sqlite_file_exists(url: str) -> bool:
    """False only for a SQLite file URL whose file is missing."""
    path: Path | None = sqlite_path(url)
    return path is None or path.exists()

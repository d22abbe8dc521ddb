"""Set-based writes of a frame into a table, one code path per backend.

* SQLite: one ``executemany`` of plain tuples on the driver cursor, inside the caller's
  transaction (the engine runs ``BEGIN`` itself and sets ``journal_mode=WAL``,
  ``synchronous=NORMAL``, ``foreign_keys=ON`` on every connection: see :mod:`.engine`);
* PostgreSQL: ``COPY ... FROM STDIN (FORMAT csv)`` through psycopg 3's ``cursor.copy()`` on
  the driver connection, the CSV written by Arrow's C++ writer (strings always quoted, so
  ``""`` stays an empty string and an unquoted empty field is NULL); an upsert copies into a
  temporary staging table, then runs one ``INSERT ... SELECT ... ON CONFLICT``.

Frames follow the dtype contract of :mod:`piu_lab.store.frames`; values are converted column by
column (vectorised), never row by row through SQLAlchemy. UTC timestamps go in naive (see
:mod:`piu_lab.store.schema`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Column, Connection, Date, DateTime, Integer, Table

from piu_lab.store.engine import driver_cursor

__all__ = ["insert_frame", "postgres_csv", "sqlite_values", "upsert_frame"]

Row = tuple[Any, ...]


def _datetimes(series: pd.Series, unit: str) -> np.ndarray[Any, Any]:
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = pd.to_datetime(series, utc=True, format="ISO8601")
    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.to_numpy(dtype=f"datetime64[{unit}]")


def _sqlite_strings(values: np.ndarray[Any, Any], unit: str) -> list[Any]:
    """ISO text in SQLAlchemy's SQLite storage format (what its ``DateTime``/``Date`` read).

    Formats each distinct value once (departure times and dates repeat a lot).
    """
    codes, uniques = pd.factorize(values)  # NaT -> code -1
    distinct = np.asarray(uniques, dtype=values.dtype)
    text: list[Any] = np.datetime_as_string(distinct, unit=unit).tolist()  # type: ignore[call-overload]
    if unit == "us":
        text = [t.replace("T", " ", 1) for t in text]
    table = np.array([*text, None], dtype=object)  # code -1 takes the trailing None
    return list(table[codes].tolist())


def sqlite_values(series: pd.Series, column: Column[Any]) -> list[Any]:
    """The values of ``series`` as Python's sqlite3 binds them for ``column``."""
    kind = column.type
    if isinstance(kind, DateTime | Date):
        unit = "us" if isinstance(kind, DateTime) else "D"
        return _sqlite_strings(_datetimes(series, unit), unit)
    untyped: Any = series  # pandas-stubs do not allow na_value=None, pandas does
    return list(untyped.to_numpy(dtype=object, na_value=None).tolist())


def _arrow(series: pd.Series, column: Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, DateTime):
        return pa.array(_datetimes(series, "us"))
    if isinstance(kind, Date):
        return pa.array(_datetimes(series, "D"))
    if isinstance(kind, Integer) and not pd.api.types.is_integer_dtype(series.dtype):
        series = series.astype("Int64")
    return pa.array(series, from_pandas=True)


def postgres_csv(frame: pd.DataFrame, table: Table) -> bytes:
    """``frame`` as the CSV that ``COPY table FROM STDIN (FORMAT csv)`` reads."""
    columns = {c.name: _arrow(frame[c.name], c) for c in table.columns}
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    pacsv.write_csv(pa.table(columns), buffer, options)
    return buffer.getvalue()


def _check_columns(table: Table, frame: pd.DataFrame) -> list[str]:
    names = [c.name for c in table.columns]
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValueError(f"frame for table {table.name} lacks columns {missing}")
    return names


def _sqlite_rows(table: Table, frame: pd.DataFrame) -> list[Row]:
    columns = [sqlite_values(frame[c.name], c) for c in table.columns]
    return list(zip(*columns, strict=True))


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _copy(conn: Connection, target: str, cols: str, data: bytes) -> None:
    sql = f"COPY {target} ({cols}) FROM STDIN WITH (FORMAT csv)"
    with driver_cursor(conn, sql) as cur, cur.copy(sql) as copy:
        copy.write(data)


def _executemany(conn: Connection, sql: str, rows: Sequence[Row]) -> None:
    with driver_cursor(conn, sql) as cur:
        cur.executemany(sql, rows)


def insert_frame(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of ``frame`` into ``table`` inside the open transaction of ``conn``.

    Returns the number of rows written. Constraint violations raise the driver's error
    (wrapped by SQLAlchemy as ``IntegrityError``): callers pre-filter duplicates.
    """
    _check_columns(table, frame)
    if frame.empty:
        return 0
    _write(conn, table, frame, conflict=None)
    return len(frame)


def upsert_frame(
    conn: Connection,
    table: Table,
    frame: pd.DataFrame,
    *,
    key: Sequence[str],
    assignments: Mapping[str, str] | None = None,
) -> int:
    """Insert the rows of ``frame``; a row whose ``key`` exists updates it instead.

    ``assignments`` maps a column to the SQL expression of its new value, where ``excluded.x``
    is the incoming value and ``<table>.x`` the stored one; None replaces every non-key column
    with the incoming value. ``frame`` must hold each key once.
    """
    names = _check_columns(table, frame)
    if frame.empty:
        return 0
    if assignments is None:
        assignments = {n: f"excluded.{_quote(conn, n)}" for n in names if n not in key}
    sets = ", ".join(f"{_quote(conn, c)} = {expr}" for c, expr in assignments.items())
    conflict = f"ON CONFLICT ({', '.join(_quote(conn, k) for k in key)}) DO UPDATE SET {sets}"
    _write(conn, table, frame, conflict=conflict)
    return len(frame)


def _write(conn: Connection, table: Table, frame: pd.DataFrame, *, conflict: str | None) -> None:
    target = _quote(conn, table.name)
    cols = ", ".join(_quote(conn, c.name) for c in table.columns)
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in table.columns)
        sql = f"INSERT INTO {target} ({cols}) VALUES ({marks})"
        _executemany(conn, f"{sql} {conflict}" if conflict else sql, _sqlite_rows(table, frame))
        return
    data = postgres_csv(frame, table)
    if conflict is None:
        _copy(conn, target, cols, data)
        return
    stage = _quote(conn, f"_stage_{table.name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {stage}")
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {stage} (LIKE {target}) ON COMMIT DROP")
    _copy(conn, stage, cols, data)
    conn.exec_driver_sql(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {stage} {conflict}")

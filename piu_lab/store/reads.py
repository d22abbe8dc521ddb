"""Reading frames out of the store: journeys of a day, whole tables, counts, version history.

Large reads run one SQL statement on the driver cursor and build the frame from plain tuples;
dtypes are then set per column, vectorised (:func:`piu_lab.store.frames.coerce_series`), instead
of SQLAlchemy converting every value of ~10^5 rows one by one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Column, Connection, Integer, Table, func, select

from piu_lab.store import frames, schema
from piu_lab.store.engine import driver_cursor

__all__ = [
    "JOURNEY_COLUMNS",
    "counts",
    "pnr_tables",
    "pnr_tables_departing",
    "pnr_versions",
    "read_journeys",
    "read_table",
]

# (output name, SQL expression, the schema column giving its dtype)
_s, _x, _d, _p = schema.segment.c, schema.passenger.c, schema.travel_document.c, schema.pnr.c
_JOURNEY: tuple[tuple[str, str, Column[Any]], ...] = (
    ("pnr_id", "s.pnr_id", _s.pnr_id),
    ("version", "s.version", _s.version),
    ("record_locator", "p.record_locator", _p.record_locator),
    ("registered_at", "p.first_received_at", _p.first_received_at),
    ("pax_ref", "x.pax_ref", _x.pax_ref),
    ("surname", "x.surname", _x.surname),
    ("given_names", "x.given_names", _x.given_names),
    ("passenger_type", "x.passenger_type", _x.passenger_type),
    ("travel_status", "x.travel_status", _x.travel_status),
    ("seg_no", "s.seg_no", _s.seg_no),
    ("sector", "s.sector", _s.sector),
    ("carrier", "s.carrier", _s.carrier),
    ("transport_number", "s.transport_number", _s.transport_number),
    ("origin", "s.origin", _s.origin),
    ("destination", "s.destination", _s.destination),
    ("origin_country", "s.origin_country", _s.origin_country),
    ("destination_country", "s.destination_country", _s.destination_country),
    ("departure_utc", "s.departure_utc", _s.departure_utc),
    ("arrival_utc", "s.arrival_utc", _s.arrival_utc),
    ("operating_carrier", "s.operating_carrier", _s.operating_carrier),
    ("doc_type", "d.doc_type", _d.doc_type),
    ("doc_number", "d.number", _d.number),
    ("doc_issuing_country", "d.issuing_country", _d.issuing_country),
    ("nationality", "d.nationality", _d.nationality),
    ("date_of_birth", "d.date_of_birth", _d.date_of_birth),
    ("gender", "d.gender", _d.gender),
)
#: The columns of :func:`read_journeys`, in order.
JOURNEY_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _JOURNEY)

_JOURNEY_SQL = """
SELECT {columns}
FROM segment s
JOIN pnr p ON p.pnr_id = s.pnr_id AND p.latest_version = s.version
JOIN passenger x ON x.pnr_id = s.pnr_id AND x.version = s.version
LEFT JOIN travel_document d
  ON d.pnr_id = x.pnr_id AND d.version = x.version AND d.pax_ref = x.pax_ref AND d.doc_no = 1
WHERE s.departure_utc >= {start} AND s.departure_utc < {end}{belgium}
ORDER BY s.departure_utc, s.pnr_id, x.pax_no, s.seg_no
"""
_BELGIUM = " AND (s.origin_country = 'BE' OR s.destination_country = 'BE')"


def _fetch(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[Any]:
    with driver_cursor(conn, sql) as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def _placeholder(conn: Connection, name: str) -> str:
    return f":{name}" if conn.dialect.name == "sqlite" else f"%({name})s"


def _bound(conn: Connection, moment: datetime) -> Any:
    """A naive-UTC timestamp as the driver compares it with stored values."""
    if conn.dialect.name == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def _typed(rows: list[Any], spec: Sequence[tuple[str, Column[Any]]]) -> pd.DataFrame:
    names = [name for name, _ in spec]
    frame = pd.DataFrame.from_records(rows, columns=names)
    for name, column in spec:
        frame[name] = frames.coerce_series(frame[name], column)
    return frame


def read_journeys(conn: Connection, day: date, *, belgium_only: bool = True) -> pd.DataFrame:
    """One row per passenger x segment of the latest version of each PNR whose segment departs
    on ``day`` (UTC date); ``belgium_only`` keeps legs from or to Belgium (R-SCOPE-01).

    The first travel document (``doc_no`` 1) gives the document columns (NaN when none).
    Columns: :data:`JOURNEY_COLUMNS`.
    """
    start = datetime.combine(day, time.min)
    sql = _JOURNEY_SQL.format(
        columns=", ".join(f"{expr} AS {name}" for name, expr, _ in _JOURNEY),
        start=_placeholder(conn, "start"),
        end=_placeholder(conn, "end"),
        belgium=_BELGIUM if belgium_only else "",
    )
    params = {"start": _bound(conn, start), "end": _bound(conn, start + timedelta(days=1))}
    rows = _fetch(conn, sql, params)
    return _typed(rows, [(name, column) for name, _, column in _JOURNEY])


def read_table(
    conn: Connection, table: Table, *, limit: int | None = None, pnr_id: str | None = None
) -> pd.DataFrame:
    """Every column of ``table`` ordered by its primary key (the first ``limit`` rows); with
    ``pnr_id``, only that PNR's rows (``table`` must have a ``pnr_id`` column)."""
    prep = conn.dialect.identifier_preparer
    cols = ", ".join(prep.quote(c.name) for c in table.columns)
    order = ", ".join(prep.quote(c.name) for c in table.primary_key.columns)
    where = f" WHERE pnr_id = {_placeholder(conn, 'pnr_id')}" if pnr_id is not None else ""
    sql = f"SELECT {cols} FROM {prep.quote(table.name)}{where} ORDER BY {order}"
    params: dict[str, Any] = {} if pnr_id is None else {"pnr_id": pnr_id}
    if limit is not None:
        sql += f" LIMIT {_placeholder(conn, 'limit')}"
        params["limit"] = max(int(limit), 0)
    rows = _fetch(conn, sql, params)
    return _typed(rows, [(c.name, c) for c in table.columns])


def pnr_tables(conn: Connection, pnr_id: str) -> dict[str, pd.DataFrame]:
    """Every stored row of one PNR, all versions, one frame per PNR table (parent first);
    empty frames (with their columns) for a PNR that is not stored."""
    return {t.name: read_table(conn, t, pnr_id=pnr_id) for t in schema.PNR_TABLES}


def pnr_tables_departing(conn: Connection, day: date) -> dict[str, pd.DataFrame]:
    """Every stored row (all versions) of the PNRs with a segment departing on ``day`` (UTC),
    one frame per PNR table: what criteria features are computed from."""
    start = datetime.combine(day, time.min)
    params = {"start": _bound(conn, start), "end": _bound(conn, start + timedelta(days=1))}
    inner = (
        "SELECT DISTINCT pnr_id FROM segment WHERE departure_utc >= {s} AND departure_utc < {e}"
    ).format(s=_placeholder(conn, "start"), e=_placeholder(conn, "end"))
    prep = conn.dialect.identifier_preparer
    out: dict[str, pd.DataFrame] = {}
    for table in schema.PNR_TABLES:
        cols = ", ".join(prep.quote(c.name) for c in table.columns)
        order = ", ".join(prep.quote(c.name) for c in table.primary_key.columns)
        sql = (
            f"SELECT {cols} FROM {prep.quote(table.name)} WHERE pnr_id IN ({inner}) "
            f"ORDER BY {order}"
        )
        out[table.name] = _typed(_fetch(conn, sql, params), [(c.name, c) for c in table.columns])
    return out


def counts(conn: Connection) -> dict[str, int]:
    """Rows per table, every table of the schema (no personal data)."""
    return {
        name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in schema.TABLES.items()
    }


def pnr_versions(conn: Connection, pnr_id: str) -> pd.DataFrame:
    """The versions of one PNR (oldest first) with their passenger and segment counts."""
    v, x, s = schema.pnr_version, schema.passenger, schema.segment
    passengers = (
        select(func.count())
        .where(x.c.pnr_id == v.c.pnr_id, x.c.version == v.c.version)
        .scalar_subquery()
    )
    segments = (
        select(func.count())
        .where(s.c.pnr_id == v.c.pnr_id, s.c.version == v.c.version)
        .scalar_subquery()
    )
    query = (
        select(*v.columns, passengers.label("passengers"), segments.label("segments"))
        .where(v.c.pnr_id == pnr_id)
        .order_by(v.c.version)
    )
    rows = [tuple(r) for r in conn.execute(query)]
    count_col: Column[Any] = Column("n", Integer, nullable=False)
    spec = [(c.name, c) for c in v.columns] + [("passengers", count_col), ("segments", count_col)]
    return _typed(rows, spec)

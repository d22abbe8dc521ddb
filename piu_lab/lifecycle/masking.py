"""Masking in the tables at six months (R-RET-02): values sealed, keyed pseudonyms left behind.

Six months after a PNR's registration (LAW art. 19: counted from its registration in the
passenger database, here its first receipt) the values of the six groups (a)-(f) of the masking
table (:func:`piu_lab.access.masking.masked_columns`) leave the normal tables:

- text becomes its **keyed pseudonym** (the same phone, the same token: criteria analysis still
  links masked journeys, R-SRCH-03); dates and optional numbers become NULL; the two counts of
  group (a) that cannot be NULL (``party_size``, ``passenger_count``) become 0, a value no real
  PNR has. Enumerated codes (document type, gender) cannot identify anyone and stay, hidden by
  the views as before;
- the clear values go to sealed storage (:mod:`.sealing`), one ciphertext per passenger and one
  for the PNR's own rows, so that deleting a passenger later deletes exactly his values;
- a hit's explanation and evidence (which quote the traveller's name and date of birth) are
  sealed with the passenger, and its person key becomes a pseudonym.

The same is done per person of an API manifest (group (f): all API data). :func:`unseal_pnr`
is the way back, used only by the session facade under an authorisation that allows it
(R-RET-04); it reports which fields it opened, for the audit log (field by field).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Column, Connection, Date, DateTime, Integer, Table, select

from piu_lab.access.masking import MASKED, masked_columns, pseudonym_domain, pseudonyms
from piu_lab.lifecycle.sealing import DataKey, Unsealer, seal_payload
from piu_lab.store import schema
from piu_lab.store.frames import coerce_series, naive_utc
from piu_lab.store.schema_hits import hit
from piu_lab.store.schema_lifecycle import sealed_api, sealed_pnr, sealing_key

__all__ = [
    "Masked",
    "mask_manifests",
    "mask_pnrs",
    "sealed_frames",
    "sealed_specs",
    "unseal_journeys",
    "unseal_pnr",
]

PNR_PART = "*"


class _Kind:
    PSEUDONYM = "pseudonym"
    NULL = "null"
    ZERO = "zero"
    TEXT = "text"


def _kind(column: Column[Any]) -> str | None:
    if "enum" in column.info:
        return None
    if isinstance(column.type, Date | DateTime):
        return _Kind.NULL
    if isinstance(column.type, Integer) and not column.nullable:
        return _Kind.ZERO
    if column.nullable and not hasattr(column.type, "length"):
        return _Kind.NULL
    return _Kind.PSEUDONYM


def sealed_specs(tables: Iterable[Table]) -> dict[str, dict[str, str]]:
    """``table -> column -> what masking leaves`` for the masked columns of ``tables``."""
    masked = masked_columns()
    out: dict[str, dict[str, str]] = {}
    for table in tables:
        spec = {
            name: kind
            for name in masked.get(table.name, {})
            if (kind := _kind(table.c[name])) is not None
        }
        if spec:
            out[table.name] = spec
    return out


_PNR_SPECS = sealed_specs(schema.PNR_TABLES)
_PNR_SPECS["hit"] = {"explanation": _Kind.TEXT, "evidence": _Kind.TEXT, "person_key": "pseudonym"}
_API_SPECS = sealed_specs(schema.API_TABLES)
_TABLES: dict[str, Table] = {**schema.TABLES, "hit": hit}


@dataclass(frozen=True, slots=True)
class Masked:
    """What one masking call did (counts only)."""

    subjects: int = 0
    rows: int = 0
    values: int = 0
    sealed_parts: int = 0


def _keys(table: Table, subject: str) -> list[str]:
    return [c.name for c in table.primary_key.columns if c.name != subject]


def _mask_table(
    conn: Connection,
    table: Table,
    spec: Mapping[str, str],
    subject: str,
    ids: Sequence[str],
    part_of: str | None,
    bundles: dict[tuple[str, str], dict[str, Any]],
    key: bytes,
) -> tuple[int, int]:
    """Seal one table's rows of ``ids`` into ``bundles`` and overwrite them; (rows, values)."""
    keys = _keys(table, subject)
    columns = list(spec)
    extra = [part_of] if part_of is not None and part_of not in [*keys, *columns] else []
    names = [subject, *keys, *columns, *extra]
    rows = conn.execute(select(*(table.c[n] for n in names)).where(table.c[subject].in_(ids)))
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
    if frame.empty:
        return 0, 0
    parts = (
        frame[part_of].fillna("").astype(str).replace("", PNR_PART)
        if part_of is not None
        else pd.Series(PNR_PART, index=frame.index)
    )
    head = [*keys, *columns]
    records = frame[head].astype(object).where(frame[head].notna(), None).to_numpy().tolist()
    for owner, part, record in zip(frame[subject], parts, records, strict=True):
        tables = bundles.setdefault((owner, part), {})
        entry = tables.setdefault(table.name, {"columns": head, "rows": []})
        entry["rows"].append(record)
    values = int(frame[columns].notna().to_numpy().sum())
    _overwrite(conn, table, spec, subject, keys, ids, frame, key)
    return len(frame), values


def _overwrite(
    conn: Connection,
    table: Table,
    spec: Mapping[str, str],
    subject: str,
    keys: Sequence[str],
    ids: Sequence[str],
    frame: pd.DataFrame,
    key: bytes,
) -> None:
    """Write what masking leaves: the constant columns in one set-based statement, the
    pseudonyms row by row (driver-level ``executemany``, only rows that hold a value)."""
    constant = {c: k for c, k in spec.items() if k != _Kind.PSEUDONYM}
    if constant:
        fill = {c: (MASKED if k == _Kind.TEXT else 0 if k == _Kind.ZERO else None)
                for c, k in constant.items()}  # fmt: skip
        conn.execute(table.update().where(table.c[subject].in_(ids)).values(fill))
    varying = [c for c, k in spec.items() if k == _Kind.PSEUDONYM]
    if not varying:
        return
    held = frame[varying].notna().any(axis=1).to_numpy()
    if not held.any():
        return
    rows = frame[held].copy()
    for column in varying:
        rows[column] = pseudonyms(rows[column], key, pseudonym_domain(table.name, column))
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(c)} = {mark}" for c in varying)
        + " WHERE "
        + " AND ".join(f"{quote(k)} = {mark}" for k in [subject, *keys])
    )
    ordered = rows[[*varying, subject, *keys]].astype(object)
    params = ordered.where(ordered.notna(), None).to_numpy().tolist()
    conn.exec_driver_sql(sql, [tuple(p) for p in params])


def _seal(
    conn: Connection,
    target: Table,
    subject: str,
    bundles: Mapping[tuple[str, str], Mapping[str, Any]],
    data_key: DataKey,
    now: datetime,
) -> int:
    rows = []
    for (owner, part), payload in bundles.items():
        nonce, data = seal_payload(data_key, f"{owner}/{part}", payload)
        count = sum(len(t["rows"]) for t in payload.values())
        rows.append(
            {
                subject: owner,
                "part": part,
                "key_id": data_key.key_id,
                "nonce": nonce,
                "ciphertext": data,
                "values_sealed": count,
                "sealed_at": now,
            }
        )
    if rows:
        conn.execute(target.insert(), rows)
    return len(rows)


def _ensure_key(conn: Connection, data_key: DataKey) -> None:
    found = conn.execute(
        select(sealing_key.c.key_id).where(sealing_key.c.key_id == data_key.key_id)
    ).first()
    if found is None:
        conn.execute(sealing_key.insert(), [dict(data_key.row)])


def _mask(
    conn: Connection,
    ids: Sequence[str],
    specs: Mapping[str, Mapping[str, str]],
    subject: str,
    parent: Table,
    target: Table,
    data_key: DataKey,
    key: bytes,
    now: datetime,
) -> Masked:
    if not ids:
        return Masked()
    moment = naive_utc(now)
    _ensure_key(conn, data_key)
    bundles: dict[tuple[str, str], dict[str, Any]] = {}
    rows = values = 0
    for name, spec in specs.items():
        table = _TABLES[name]
        part_of = "person_no" if subject == "manifest_id" else None
        if part_of is None and "pax_ref" in table.c:
            part_of = "pax_ref"
        r, v = _mask_table(conn, table, spec, subject, ids, part_of, bundles, key)
        rows, values = rows + r, values + v
    parts = _seal(conn, target, subject, bundles, data_key, moment)
    conn.execute(parent.update().where(parent.c[subject].in_(ids)).values(masked_at=moment))
    return Masked(len(ids), rows, values, parts)


def mask_pnrs(
    conn: Connection, pnr_ids: Sequence[str], data_key: DataKey, key: bytes, now: datetime
) -> Masked:
    """Mask the PNRs ``pnr_ids`` (not masked yet) in one transaction: seal, overwrite, stamp."""
    return _mask(conn, pnr_ids, _PNR_SPECS, "pnr_id", schema.pnr, sealed_pnr, data_key, key, now)


def mask_manifests(
    conn: Connection, manifest_ids: Sequence[str], data_key: DataKey, key: bytes, now: datetime
) -> Masked:
    """Mask API manifests (group (f)): one sealed part per person."""
    api = schema.api_manifest
    return _mask(conn, manifest_ids, _API_SPECS, "manifest_id", api, sealed_api, data_key, key, now)


def sealed_frames(
    conn: Connection, pnr_ids: Sequence[str], unsealer: Unsealer
) -> dict[str, pd.DataFrame]:
    """The sealed rows of ``pnr_ids`` opened: ``table -> frame`` (``pnr_id``, the table's key
    columns and its sealed columns, typed as the table's). For re-personalisation only."""
    if not pnr_ids:
        return {}
    rows = (
        conn.execute(
            select(sealed_pnr, sealing_key)
            .join(sealing_key, sealing_key.c.key_id == sealed_pnr.c.key_id)
            .where(sealed_pnr.c.pnr_id.in_(list(pnr_ids)))
        )
        .mappings()
        .all()
    )
    heads: dict[str, list[str]] = {}
    records: dict[str, list[list[Any]]] = {}
    for row in rows:
        owner = str(row["pnr_id"])
        subject = f"{owner}/{row['part']}"
        payload = unsealer.open(dict(row), subject, row["nonce"], row["ciphertext"])
        for name, entry in payload.items():
            heads[name] = entry["columns"]
            records.setdefault(name, []).extend([owner, *r] for r in entry["rows"])
    out = {}
    for name, head in heads.items():
        table = _TABLES[name]
        frame = pd.DataFrame(records[name], columns=["pnr_id", *head], dtype=object)
        for column in head:
            frame[column] = coerce_series(frame[column], table.c[column])
        out[name] = frame
    return out


def _overlay(
    frame: pd.DataFrame, sealed: pd.DataFrame, keys: Sequence[str], columns: Mapping[str, str]
) -> tuple[pd.DataFrame, int]:
    """``frame`` with ``columns`` (sealed name -> frame name) taken from ``sealed`` where the
    ``keys`` match; and how many rows were opened."""
    merged = frame[list(keys)].merge(
        sealed[[*keys, *columns]], on=list(keys), how="left", indicator=True
    )
    found = (merged["_merge"] == "both").to_numpy()
    out = frame.copy()
    for source, target in columns.items():
        values = out[target].to_numpy(dtype=object, copy=True)
        values[found] = merged[source].to_numpy(dtype=object)[found]
        out[target] = pd.Series(values, index=out.index).astype(sealed[source].dtype)
    return out, int(found.sum())


def unseal_pnr(
    conn: Connection, pnr_id: str, tables: Mapping[str, pd.DataFrame], unsealer: Unsealer
) -> tuple[dict[str, pd.DataFrame], Counter[str]]:
    """``tables`` (as read) with the sealed values of ``pnr_id`` put back, and how many values
    of each ``table.column`` were opened (for the audit log: R-RET-04, field by field)."""
    out = dict(tables)
    opened: Counter[str] = Counter()
    for name, sealed in sealed_frames(conn, [pnr_id], unsealer).items():
        if name not in out or out[name].empty:
            continue
        keys = ["pnr_id", *_keys(_TABLES[name], "pnr_id")]
        columns = {c: c for c in sealed.columns if c not in keys}
        out[name], count = _overlay(out[name], sealed, keys, columns)
        for column in columns:
            opened[f"{name}.{column}"] += count
    return out, opened


#: Where the journeys view's identifying columns come from (its first travel document).
_JOURNEY_SOURCES: Mapping[str, Mapping[str, str]] = {
    "passenger": {"surname": "surname", "given_names": "given_names"},
    "travel_document": {
        "number": "doc_number",
        "issuing_country": "doc_issuing_country",
        "nationality": "nationality",
        "date_of_birth": "date_of_birth",
    },
}


def unseal_journeys(
    journeys: pd.DataFrame, sealed: Mapping[str, pd.DataFrame]
) -> tuple[pd.DataFrame, Counter[str]]:
    """The journeys view with the sealed names and first document put back (see
    :func:`sealed_frames`), and the count of values opened per field."""
    out = journeys
    opened: Counter[str] = Counter()
    keys = ["pnr_id", "version", "pax_ref"]
    for name, columns in _JOURNEY_SOURCES.items():
        frame = sealed.get(name)
        if frame is None or frame.empty or out.empty:
            continue
        if "doc_no" in frame.columns:
            frame = frame[frame["doc_no"] == 1]
        out, count = _overlay(out, frame, keys, columns)
        for column in columns:
            opened[f"{name}.{column}"] += count
    return out, opened

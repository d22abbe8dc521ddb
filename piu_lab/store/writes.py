"""Writing records: PNR versions, API manifests, carriers (each call one transaction).

A PNR push is a new version of its record locator (R-DATA-04): the version's rows are inserted
and ``pnr`` is upserted (``latest_version`` is the highest version seen, whatever the order of
arrival; ``first_received_at`` the earliest). A ``(pnr_id, version)`` that is already stored, or
that appears twice in one batch, is skipped and reported, never duplicated: the batch's keys
are looked up first (a few set queries), so the rest stays a bulk insert.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, select

from piu_lab.model import ApiManifest, Carrier, Pnr, check_pnr
from piu_lab.store import bulk, frames, schema

__all__ = ["WriteResult", "write_carriers", "write_manifests", "write_pnrs"]

_CHUNK = 2_000
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one write stored.

    ``rows`` counts the rows inserted per table; ``new_versions`` the PNR versions (or
    manifests) stored; ``duplicates`` those skipped because they were already stored or came
    twice in the batch, named in ``duplicate_keys`` (``CARRIER:LOCATOR/version`` or the
    manifest id: keys only, no passenger data).
    """

    rows: dict[str, int] = field(default_factory=dict)
    new_versions: int = 0
    duplicates: int = 0
    duplicate_keys: tuple[str, ...] = ()

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _split_new(
    items: Sequence[T], key: Callable[[T], K], stored: set[K]
) -> tuple[list[T], list[K]]:
    """Items whose key is neither stored nor seen earlier in ``items``, and the other keys."""
    seen = set(stored)
    new: list[T] = []
    dups: list[K] = []
    for item in items:
        k = key(item)
        if k in seen:
            dups.append(k)
        else:
            seen.add(k)
            new.append(item)
    return new, dups


def _stored_versions(conn: Connection, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    table = schema.pnr_version
    ids = sorted({pid for pid, _ in keys})
    found: set[tuple[str, int]] = set()
    for chunk in _chunks(ids):
        query = select(table.c.pnr_id, table.c.version).where(table.c.pnr_id.in_(chunk))
        found.update((str(pid), int(v)) for pid, v in conn.execute(query))
    return found & keys


def _pnr_assignments(dialect: str) -> dict[str, str]:
    """How a stored ``pnr`` row merges with an incoming one (the newer version wins)."""
    high, low = ("max", "min") if dialect == "sqlite" else ("GREATEST", "LEAST")
    newer = "excluded.latest_version > pnr.latest_version"
    out = {
        col: f"CASE WHEN {newer} THEN excluded.{col} ELSE pnr.{col} END"
        for col in ("sector", "carrier_type", "created_at", "latest_received_at")
    }
    out["first_received_at"] = f"{low}(pnr.first_received_at, excluded.first_received_at)"
    out["latest_version"] = f"{high}(pnr.latest_version, excluded.latest_version)"
    return out


def write_pnrs(conn: Connection, pnrs: Sequence[Pnr]) -> WriteResult:
    """Validate (R-DATA-01 edge checks), skip stored versions, bulk-insert the rest."""
    for p in pnrs:
        check_pnr(p)
    keys = {(p.pnr_id, p.version) for p in pnrs}
    stored = _stored_versions(conn, keys) if keys else set()
    new, dups = _split_new(pnrs, lambda p: (p.pnr_id, p.version), stored)
    tables = frames.pnrs_to_frames(new)
    rows = {
        "pnr": bulk.upsert_frame(
            conn,
            schema.pnr,
            tables["pnr"],
            key=["pnr_id"],
            assignments=_pnr_assignments(conn.dialect.name),
        )
    }
    for table in schema.PNR_TABLES[1:]:
        rows[table.name] = bulk.insert_frame(conn, table, tables[table.name])
    return WriteResult(
        rows=rows,
        new_versions=len(new),
        duplicates=len(dups),
        duplicate_keys=tuple(f"{pid}/{version}" for pid, version in dups),
    )


def _stored_ids(conn: Connection, table: Table, column: str, ids: Sequence[str]) -> set[str]:
    col: Any = table.c[column]
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        found.update(str(v) for (v,) in conn.execute(select(col).where(col.in_(chunk))))
    return found


def write_manifests(conn: Connection, manifests: Sequence[ApiManifest]) -> WriteResult:
    """Store PAXLST manifests (R-DATA-03, kept in the ``api_*`` tables: R-API-01)."""
    ids = [frames.manifest_id(m) for m in manifests]
    stored = _stored_ids(conn, schema.api_manifest, "manifest_id", ids)
    pairs = list(zip(ids, manifests, strict=True))
    new, dups = _split_new(pairs, lambda pair: pair[0], stored)
    tables = frames.manifests_to_frames([m for _, m in new])
    rows = {t.name: bulk.insert_frame(conn, t, tables[t.name]) for t in schema.API_TABLES}
    return WriteResult(
        rows=rows, new_versions=len(new), duplicates=len(dups), duplicate_keys=tuple(dups)
    )


def write_carriers(conn: Connection, carriers: Sequence[Carrier]) -> int:
    """Insert or update carriers (reference data); returns how many rows were written."""
    unique = {c.code: c for c in carriers}
    frame = frames.carriers_to_frame(unique.values())
    return bulk.upsert_frame(conn, schema.carrier, frame, key=["code"])

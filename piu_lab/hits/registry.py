"""The watchlist registry (R-PRE-01): the databases the PIU screens against, and nothing else.

Each list is registered with its owner service, the services its hits go to, its legal basis,
whether it names persons sought or under an alert, whether it is a common database (the police
common database, the common database of foreign terrorist fighters) or one service's own list,
its offence category and a version. Registering a new version replaces the entries screened
against and keeps the earlier versions' metadata (who registered what, when, with which
fingerprint). Screening refuses lists that are not registered.

Entries come as a frame, a CSV file or a JSON file (a list of entries, or
``{"entries": [...]}``): ``entry_id``; ``full_name`` or ``surname`` + ``given_names``; optional
``aliases`` (a list, or names separated by ``|``), ``date_of_birth``, ``nationality``,
``document_number``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, func, select, update

from piu_lab.access.register import COMPETENT_SERVICES, Service
from piu_lab.errors import InvalidRecord
from piu_lab.matching.frames import full_names
from piu_lab.model.hits import Listing, ListScope
from piu_lab.store import Store
from piu_lab.store.bulk import insert_frame
from piu_lab.store.schema_hits import watchlist, watchlist_entry

__all__ = [
    "COMMON_DATABASES",
    "WatchlistInfo",
    "active_lists",
    "list_entries",
    "read_entries_file",
    "register_watchlist",
]

#: The common databases (AR art. 1 4°-5°; LAW art. 24): a hit on one concerns every service
#: it is shared with, and one validation counts for all (R-PRE-06).
COMMON_DATABASES = ("police_common", "ftf_common")
_ENTRY_COLUMNS = ("entry_id", "full_name", "aliases", "date_of_birth", "nationality",
                  "document_number")  # fmt: skip


@dataclass(frozen=True, slots=True)
class WatchlistInfo:
    """A registered list version. ``services`` receive its hits (the owner included)."""

    list_id: str
    name: str
    owner_service: Service
    services: tuple[Service, ...]
    legal_basis: str
    listing: Listing
    scope: ListScope
    common_db: str | None = None
    offence_category: str | None = None
    version: int = 0
    entry_count: int = 0
    fingerprint: str = ""

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.list_id.strip() or " " in self.list_id:
            problems.append("list_id: a code without spaces")
        if not self.name.strip():
            problems.append("name: empty")
        if self.owner_service not in COMPETENT_SERVICES:
            problems.append(f"owner_service: {self.owner_service.value} is not a competent service")
        if not self.services or any(s not in COMPETENT_SERVICES for s in self.services):
            problems.append("services: one or more competent services")
        elif self.owner_service not in self.services:
            problems.append("services: must include the owner service")
        if len(self.legal_basis.strip()) < 5:
            problems.append("legal_basis: name the law or decision the list rests on")
        if self.scope is ListScope.COMMON and self.common_db not in COMMON_DATABASES:
            problems.append(f"common_db: one of {', '.join(COMMON_DATABASES)} for a common list")
        if self.scope is ListScope.SERVICE and self.common_db is not None:
            problems.append("common_db: only for a common list")
        if problems:
            raise InvalidRecord(
                f"watchlist {self.list_id!r}: " + "; ".join(problems),
                errors=tuple(problems),
                hint="R-PRE-01: every list is registered with owner, basis, kind and scope",
            )

    @property
    def ftf(self) -> bool:
        """The common database of foreign terrorist fighters: validated hits go to OCAM."""
        return self.common_db == "ftf_common"


def _aliases_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = [str(v).strip() for v in list(value) if str(v).strip()]
        return "|".join(items) or None
    text = str(value).strip()
    return text or None


def _text_or_none(series: pd.Series) -> pd.Series:
    out = series.astype(object).where(series.notna(), None)
    return out.map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())


def normalise_entries(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries as stored: the entry columns as text, a full name for each, checked."""
    problems: list[str] = []
    if "entry_id" not in entries.columns:
        problems.append("entry_id: missing column")
    if "full_name" not in entries.columns and "surname" not in entries.columns:
        problems.append("full_name: missing column (or surname + given_names)")
    if problems:
        raise InvalidRecord("watchlist entries: " + "; ".join(problems), errors=tuple(problems))
    frame = pd.DataFrame(
        {"entry_id": entries["entry_id"].astype(str).str.strip(), "full_name": full_names(entries)}
    )
    for column in ("date_of_birth", "nationality", "document_number"):
        source = entries[column] if column in entries.columns else pd.Series([None] * len(entries))
        frame[column] = _text_or_none(source.reset_index(drop=True)).to_numpy()
    aliases = entries["aliases"] if "aliases" in entries.columns else [None] * len(entries)
    frame["aliases"] = [_aliases_text(v) for v in aliases]
    empty = frame.index[frame["full_name"].str.strip().eq("")].tolist()
    dupes = frame.index[frame["entry_id"].duplicated()].tolist()
    blank = frame.index[frame["entry_id"].eq("")].tolist()
    problems += [f"row {i}: no name" for i in empty[:20]]
    problems += [f"row {i}: entry_id repeated" for i in dupes[:20]]
    problems += [f"row {i}: entry_id empty" for i in blank[:20]]
    if problems:
        raise InvalidRecord(
            f"watchlist entries: {len(problems)} problem(s): " + "; ".join(problems[:5]),
            errors=tuple(problems),
        )
    return frame[list(_ENTRY_COLUMNS)]


def fingerprint(entries: pd.DataFrame) -> str:
    """SHA-256 over the normalised entries in entry order: the same list, the same print."""
    ordered = entries.sort_values("entry_id", kind="stable")
    rows = ordered[list(_ENTRY_COLUMNS)].astype(object).where(ordered.notna(), None)
    payload = json.dumps(rows.to_numpy().tolist(), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_entries_file(path: Path | str) -> pd.DataFrame:
    """Entries from a ``.csv`` or ``.json`` file (see the module docstring)."""
    file = Path(path)
    try:
        if file.suffix.lower() == ".csv":
            return pd.read_csv(file, dtype=str, keep_default_na=False)
        if file.suffix.lower() == ".json":
            data = json.loads(file.read_text(encoding="utf-8"))
            rows = data.get("entries") if isinstance(data, dict) else data
            if not isinstance(rows, list):
                raise ValueError("expected a list of entries or {'entries': [...]}")
            return pd.DataFrame(rows)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidRecord(
            f"cannot read watchlist entries from {file}: {exc}", path=str(file)
        ) from exc
    raise InvalidRecord(
        f"{file}: not a .csv or .json file", hint="export the list as CSV or JSON", path=str(file)
    )


def register_watchlist(
    store: Store, info: WatchlistInfo, entries: pd.DataFrame, *, actor: str, at: datetime
) -> WatchlistInfo:
    """Register a new version of a list with its entries; returns it with version, count and
    fingerprint. Registering the same entries again (same fingerprint) returns the active
    version unchanged: nothing new is written."""
    frame = normalise_entries(entries)
    printed = fingerprint(frame)
    w = watchlist.c
    with store.engine.begin() as conn:
        current = conn.execute(
            select(w.version, w.fingerprint).where(w.list_id == info.list_id, w.active)
        ).first()
        if current is not None and current.fingerprint == printed:
            return _replace(info, int(current.version), len(frame), printed)
        latest = conn.execute(
            select(func.max(w.version)).where(w.list_id == info.list_id)
        ).scalar_one()
        version = int(latest or 0) + 1
        conn.execute(update(watchlist).where(w.list_id == info.list_id).values(active=False))
        conn.execute(
            watchlist.insert().values(**_row(info, version, len(frame), printed, actor, at))
        )
        conn.execute(delete(watchlist_entry).where(watchlist_entry.c.list_id == info.list_id))
        insert_frame(conn, watchlist_entry, frame.assign(list_id=info.list_id, version=version))
    return _replace(info, version, len(frame), printed)


def _replace(info: WatchlistInfo, version: int, count: int, printed: str) -> WatchlistInfo:
    return WatchlistInfo(
        list_id=info.list_id,
        name=info.name,
        owner_service=info.owner_service,
        services=info.services,
        legal_basis=info.legal_basis,
        listing=info.listing,
        scope=info.scope,
        common_db=info.common_db,
        offence_category=info.offence_category,
        version=version,
        entry_count=count,
        fingerprint=printed,
    )


def _row(
    info: WatchlistInfo, version: int, count: int, printed: str, actor: str, at: datetime
) -> dict[str, Any]:
    return {
        "list_id": info.list_id,
        "version": version,
        "name": info.name,
        "owner_service": info.owner_service.value,
        "services": ",".join(s.value for s in info.services),
        "legal_basis": info.legal_basis,
        "listing": info.listing.value,
        "scope": info.scope.value,
        "common_db": info.common_db,
        "offence_category": info.offence_category,
        "registered_at": at.replace(tzinfo=None) if at.tzinfo else at,
        "registered_by": actor,
        "entry_count": count,
        "fingerprint": printed,
        "active": True,
    }


def _info(row: Any) -> WatchlistInfo:
    return WatchlistInfo(
        list_id=row.list_id,
        name=row.name,
        owner_service=Service(row.owner_service),
        services=tuple(Service(s) for s in str(row.services).split(",") if s),
        legal_basis=row.legal_basis,
        listing=Listing(row.listing),
        scope=ListScope(row.scope),
        common_db=row.common_db,
        offence_category=row.offence_category,
        version=int(row.version),
        entry_count=int(row.entry_count),
        fingerprint=row.fingerprint,
    )


def active_lists(conn_or_store: Store | Connection) -> list[WatchlistInfo]:
    """The active version of every registered list, by list id."""
    query = select(watchlist).where(watchlist.c.active).order_by(watchlist.c.list_id)
    if isinstance(conn_or_store, Store):
        with conn_or_store.engine.connect() as conn:
            return [_info(r) for r in conn.execute(query)]
    return [_info(r) for r in conn_or_store.execute(query)]


def list_entries(store: Store, list_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The active entries of the registered lists (all, or ``list_ids``): the watchlist frame
    ``matching.screen`` takes, ``entry_id`` made unique across lists as ``LIST:ENTRY``."""
    e = watchlist_entry.c
    query = select(watchlist_entry).order_by(e.list_id, e.entry_id)
    if list_ids is not None:
        query = query.where(e.list_id.in_(list(list_ids)))
    with store.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query)]
    frame = pd.DataFrame(rows, columns=[c.name for c in watchlist_entry.columns])
    frame["source_entry"] = frame["entry_id"]
    frame["entry_id"] = frame["list_id"] + ":" + frame["entry_id"]
    frame["aliases"] = frame["aliases"].map(lambda v: v.split("|") if isinstance(v, str) else [])
    return frame

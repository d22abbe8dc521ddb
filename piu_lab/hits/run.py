"""The screening run (R-PRE-01..05, R-PRE-08): journeys not yet assessed -> every registered
list (and every approved criterion) -> hits routed to services, notified, waiting for review.

A run reads the latest version of each PNR departing on the given days, keeps the versions no
run has assessed, screens their travellers against the active entries of every registered list
(``matching.screen``) and evaluates the approved criteria on their features; the matches become
routed hits (:mod:`piu_lab.hits.routing`). Hits that exist already (same passenger-journey,
source and service) and hits the false-positive memory holds (same source, same person) are not
raised again. In one transaction the run writes the new hits, their NEW history row, a
notification for each service that must review, a notice to the other services that hits exist
on the same PNR (existence only), outbox messages (references only), the assessed versions and
the run itself. Running again on the same data creates nothing new.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, exists, func, select

from piu_lab.clock import Clock
from piu_lab.errors import ConfigurationError
from piu_lab.hits.registry import active_lists, list_entries
from piu_lab.hits.routing import (
    HIT_COLUMNS,
    HIT_RULE,
    OUTCOME_LABEL,
    HitRule,
    group_kinds,
    route_watchlist_hits,
)
from piu_lab.matching import screen
from piu_lab.matching.frames import travellers_from_journeys
from piu_lab.model.hits import HitStatus
from piu_lab.store import JOURNEY_COLUMNS, Store
from piu_lab.store.bulk import insert_frame
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema import pnr, segment
from piu_lab.store.schema_hits import (
    assessment,
    fp_memory,
    hit,
    hit_event,
    notification,
    outbox,
    screening_run,
)

__all__ = ["CriteriaStep", "RunSummary", "pending_days", "run_screening"]

Progress = Callable[[str, int, int], None]
#: Criteria evaluation plugged into the run: (travellers, PNR ids, now) -> routed hits.
CriteriaStep = Callable[[pd.DataFrame, Sequence[str], datetime], pd.DataFrame]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did (counts only)."""

    run_id: str
    travellers: int
    pnr_versions: int
    lists: int
    matches: int
    #: matches the hit rule did not raise (a contradicted or missing date of birth)
    below_rule: int
    hits_new: int
    already_known: int
    suppressed: int
    notifications: int
    by_service: dict[str, int]
    by_kind: dict[str, int]
    seconds: float


def _existing(conn: Connection, column: Any, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 900):
        chunk = list(values[start : start + 900])
        found.update(
            str(v) for v in conn.execute(select(column).where(column.in_(chunk))).scalars()
        )
    return found


def _assessed(conn: Connection, pnr_ids: Sequence[str]) -> set[tuple[str, int]]:
    a = assessment.c
    pairs: set[tuple[str, int]] = set()
    for start in range(0, len(pnr_ids), 900):
        chunk = list(pnr_ids[start : start + 900])
        rows = conn.execute(select(a.pnr_id, a.version).where(a.pnr_id.in_(chunk)))
        pairs.update((str(p), int(v)) for p, v in rows)
    return pairs


def _suppressed(conn: Connection, hits: pd.DataFrame) -> pd.Series:
    """True for hits the false-positive memory holds (R-PRE-08)."""
    if hits.empty:
        return pd.Series([], dtype=bool)
    keys: set[tuple[str, str]] = set()
    sources = sorted(set(hits["source_key"]))
    m = fp_memory.c
    for start in range(0, len(sources), 900):
        chunk = sources[start : start + 900]
        rows = conn.execute(select(m.source_key, m.person_key).where(m.source_key.in_(chunk)))
        keys.update((str(s), str(p)) for s, p in rows)
    pairs = zip(hits["source_key"], hits["person_key"], strict=True)
    return pd.Series([p in keys for p in pairs], index=hits.index, dtype=bool)


def _group_services(conn: Connection, groups: Sequence[str]) -> pd.DataFrame:
    """(group_key, service) of the stored hits on these passenger-journeys."""
    rows: list[tuple[str, str]] = []
    h = hit.c
    for start in range(0, len(groups), 900):
        chunk = list(groups[start : start + 900])
        query = select(h.group_key, h.service).where(h.group_key.in_(chunk)).distinct()
        rows.extend((str(g), str(s)) for g, s in conn.execute(query))
    return pd.DataFrame(rows, columns=["group_key", "service"])


def _notifications(
    new: pd.DataFrame, kinds: pd.Series, now: datetime, earlier: pd.DataFrame
) -> pd.DataFrame:
    """Each hit's service is told there is a hit to review; every service with a hit on a
    passenger-journey is told which other services have hits there, existence only (R-PRE-05).
    ``earlier`` holds the (group_key, service) of hits stored before this run: a service that
    joins a passenger-journey later is told, and told about, too."""
    review = pd.DataFrame(
        {
            "notification_id": "N" + new["hit_id"],
            "at": now,
            "recipient": new["service"],
            "kind": "hit_to_review",
            "pnr_id": new["pnr_id"],
            "hit_id": new["hit_id"],
            "detail": new["group_key"].map(
                lambda g: json.dumps({"group_key": g, "label": OUTCOME_LABEL, "kind": kinds[g]})
            ),
        }
    )
    both = pd.concat([new[["group_key", "service"]], earlier], ignore_index=True)
    services = both.groupby("group_key")["service"].agg(lambda s: sorted(set(s)))
    several = services[services.map(len) > 1]
    rows = []
    for group, names in several.items():
        pnr_id = str(group).rsplit("/", 1)[0]
        for service in names:
            others = [s for s in names if s != service]
            rows.append(
                {
                    "notification_id": f"O{group}|{service}|{','.join(others)}",
                    "at": now,
                    "recipient": service,
                    "kind": "other_services_hit",
                    "pnr_id": pnr_id,
                    "hit_id": None,
                    "detail": json.dumps({"group_key": group, "other_services": others}),
                }
            )
    return pd.concat([review, pd.DataFrame(rows, columns=review.columns)], ignore_index=True)


def _outbox(new: pd.DataFrame, now: datetime) -> pd.DataFrame:
    fields = ["hit_id", "service", "group_key", "source_kind"]
    payload = [
        json.dumps(
            {
                **dict(zip(fields, row[:4], strict=True)),
                "deadline_at": f"{row[4]:%Y-%m-%dT%H:%M:%S}Z",
                "label": OUTCOME_LABEL,
            },
            sort_keys=True,
        )
        for row in new[[*fields, "deadline_at"]].itertuples(index=False)
    ]
    return pd.DataFrame(
        {
            "message_id": "M" + new["hit_id"],
            "at": now,
            "topic": "hit.created",
            "pnr_id": new["pnr_id"],
            "payload": payload,
            "delivered_at": None,
        }
    )


def pending_days(store: Store) -> list[date]:
    """The departure days (UTC) of legs from or to Belgium (R-SCOPE-01) of the latest PNR
    versions no run has assessed yet."""
    seg, p, a = segment.c, pnr.c, assessment.c
    assessed = select(a.pnr_id).where(a.pnr_id == p.pnr_id, a.version == p.latest_version)
    query = (
        select(func.date(seg.departure_utc).label("day"))
        .join(pnr, (p.pnr_id == seg.pnr_id) & (p.latest_version == seg.version))
        .where(~exists(assessed), (seg.origin_country == "BE") | (seg.destination_country == "BE"))
        .distinct()
    )
    with store.engine.connect() as conn:
        days = {str(v)[:10] for v in conn.execute(query).scalars() if v is not None}
    return sorted(date.fromisoformat(d) for d in days)


def run_screening(
    store: Store,
    clock: Clock,
    days: Sequence[date],
    *,
    actor: str = "system",
    threshold: float | None = None,
    rule: HitRule = HIT_RULE,
    criteria_step: CriteriaStep | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Screen the journeys of ``days`` not yet assessed; see the module docstring."""
    started = time.perf_counter()
    now = naive_utc(clock.now())
    run_id = "R" + now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    lists = active_lists(store)
    if not lists:
        raise ConfigurationError(
            "no registered watchlist: screening refuses unregistered sources (R-PRE-01)",
            hint="register the lists first (piu-lab watchlist import)",
        )
    if progress:
        progress("screening: reading journeys", 0, 4)
    read = [store.read_journeys(d) for d in days]
    journeys = (
        pd.concat(read, ignore_index=True) if read else pd.DataFrame(columns=list(JOURNEY_COLUMNS))
    )
    first = journeys.drop_duplicates("pnr_id")
    latest = dict(zip(first["pnr_id"].astype(str), first["version"].astype(int), strict=True))
    with store.engine.connect() as conn:
        done = _assessed(conn, list(latest))
    todo_ids = [p for p, v in latest.items() if (p, v) not in done]
    todo = journeys[journeys["pnr_id"].isin(todo_ids)]
    travellers = travellers_from_journeys(todo)
    versions = {p: latest[p] for p in todo_ids}
    if progress:
        progress("screening: matching", 1, 4)
    matches = (
        screen(travellers, list_entries(store), threshold=threshold) if len(travellers) else None
    )
    kept = matches[rule.keep(matches)] if matches is not None else pd.DataFrame()
    routed = [
        route_watchlist_hits(
            kept,
            travellers,
            lists,
            run_id=run_id,
            now=now,
            pnr_versions=versions,
        )
    ]
    if criteria_step is not None and len(travellers):
        routed.append(criteria_step(travellers, todo_ids, now).assign(run_id=run_id))
    hits = (
        pd.concat([r for r in routed if len(r)], ignore_index=True)
        if any(len(r) for r in routed)
        else pd.DataFrame(columns=list(HIT_COLUMNS))
    )
    if progress:
        progress("screening: storing hits", 2, 4)
    summary = _store_run(store, hits, travellers, todo_ids, versions, run_id, now, actor)
    if progress:
        progress("screening: done", 4, 4)
    return RunSummary(
        run_id=run_id,
        travellers=len(travellers),
        pnr_versions=len(todo_ids),
        lists=len(lists),
        matches=0 if matches is None else len(matches),
        below_rule=0 if matches is None else len(matches) - len(kept),
        seconds=round(time.perf_counter() - started, 2),
        **summary,
    )


def _store_run(
    store: Store,
    hits: pd.DataFrame,
    travellers: pd.DataFrame,
    todo_ids: Sequence[str],
    versions: dict[str, int],
    run_id: str,
    now: datetime,
    actor: str,
) -> dict[str, Any]:
    with store.engine.begin() as conn:
        known = _existing(conn, hit.c.hit_id, list(hits["hit_id"]))
        fresh = hits[~hits["hit_id"].isin(known)]
        held = _suppressed(conn, fresh)
        new = fresh[~held.to_numpy()].reset_index(drop=True)
        kinds = group_kinds(new)
        earlier = _group_services(conn, sorted(set(new["group_key"])))
        notes = _notifications(new, kinds, now, earlier) if len(new) else pd.DataFrame()
        if len(new):
            insert_frame(conn, hit, new)
            insert_frame(
                conn,
                hit_event,
                pd.DataFrame(
                    {
                        "hit_id": new["hit_id"],
                        "seq": 1,
                        "at": now,
                        "actor": actor,
                        "status": HitStatus.NEW.value,
                        "reason": "raised by screening run " + run_id,
                        "checklist": "{}",
                        "via_hit": None,
                    }
                ),
            )
            notes = notes[~notes["notification_id"].isin(
                _existing(conn, notification.c.notification_id, list(notes["notification_id"]))
            )]  # fmt: skip
            insert_frame(conn, notification, notes)
            insert_frame(conn, outbox, _outbox(new, now))
        if todo_ids:
            insert_frame(
                conn,
                assessment,
                pd.DataFrame(
                    {
                        "pnr_id": list(todo_ids),
                        "version": [versions[p] for p in todo_ids],
                        "run_id": run_id,
                        "assessed_at": now,
                    }
                ),
            )
        by_service = {str(k): int(v) for k, v in new["service"].value_counts().items()}
        by_kind = {str(k): int(v) for k, v in kinds.value_counts().items()}
        conn.execute(
            screening_run.insert().values(
                run_id=run_id,
                started_at=now,
                finished_at=now,
                actor=actor,
                travellers=len(travellers),
                hits_new=len(new),
                suppressed=int(held.sum()),
                detail=json.dumps({"by_service": by_service, "by_kind": by_kind}),
            )
        )
    return {
        "hits_new": len(new),
        "already_known": len(known),
        "suppressed": int(held.sum()),
        "notifications": len(notes),
        "by_service": by_service,
        "by_kind": by_kind,
    }

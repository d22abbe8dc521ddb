"""Reading hits with their current state, the 24-hour deadline, escalations and metrics.

:func:`hit_frame` gives one row per hit with its current status (the last row of its history),
the services with hits on the same passenger-journey, the group's kind, the hours left before
the deadline and whether it was breached (R-PRE-03: a decision within 24 hours of the
notification). :func:`escalate` tells the head of unit, once per hit, about every hit whose
deadline passed without a decision. :func:`source_metrics` counts per list and per criterion
(R-CRIT-04) and flags a false-positive rate above the alert threshold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from piu_lab.hits.routing import group_kinds
from piu_lab.model.hits import FINAL_STATUSES, HitStatus
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema import passenger, pnr, travel_document
from piu_lab.store.schema_hits import (
    assessment,
    follow_up,
    hit,
    hit_event,
    notification,
    ocam_task,
)

__all__ = [
    "FP_ALERT_RATE",
    "MIN_CELL",
    "disparity",
    "escalate",
    "hit_frame",
    "hit_history",
    "source_metrics",
]

#: Alert when more than this share of a source's decided hits are false positives (R-CRIT-04;
#: the EU-wide figure was at least 5 of 6: a source doing worse than that needs review).
FP_ALERT_RATE = 0.9
_FINAL = {s.value for s in FINAL_STATUSES}


def _frame(conn: Connection, query: object, columns: Sequence[str]) -> pd.DataFrame:
    rows = [tuple(r) for r in conn.execute(query)]  # type: ignore[call-overload]
    return pd.DataFrame(rows, columns=list(columns))


def _latest_events(conn: Connection, hit_ids: Sequence[str] | None = None) -> pd.DataFrame:
    e = hit_event.c
    inner = select(e.hit_id, func.max(e.seq).label("seq"))
    if hit_ids is not None:
        inner = inner.where(e.hit_id.in_(list(hit_ids)))
    last = inner.group_by(e.hit_id).subquery()
    query = select(e.hit_id, e.status, e.at, e.actor, e.via_hit).join(
        last, (last.c.hit_id == e.hit_id) & (last.c.seq == e.seq)
    )
    return _frame(conn, query, ["hit_id", "status", "status_at", "status_by", "via_hit"])


def hit_frame(
    store: Store,
    now: datetime,
    *,
    service: str | None = None,
    status: Sequence[str] | None = None,
    hit_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hits with their current state (see the module docstring), oldest deadline first, with
    ``registered_at`` (when their PNR was registered: the start of its six months)."""
    query = select(hit, pnr.c.first_received_at).join(pnr, pnr.c.pnr_id == hit.c.pnr_id)
    if hit_ids is not None:
        query = query.where(hit.c.hit_id.in_(list(hit_ids)))
    with store.engine.connect() as conn:
        hits = _frame(conn, query, [*(c.name for c in hit.columns), "registered_at"])
        latest = _latest_events(conn, hit_ids)
        followed_q = select(follow_up.c.hit_id).distinct()
        tasks_q = select(ocam_task.c.hit_id, ocam_task.c.closed_at)
        if hit_ids is not None:
            followed_q = followed_q.where(follow_up.c.hit_id.in_(list(hit_ids)))
            tasks_q = tasks_q.where(ocam_task.c.hit_id.in_(list(hit_ids)))
        followed = set(conn.execute(followed_q).scalars())
        tasks = _frame(conn, tasks_q, ["hit_id", "ocam_closed_at"])
        journeys = hits[["group_key", "service", "common"]]
        if hit_ids is not None and len(hits):  # the other hits of these passenger-journeys
            h = hit.c
            groups = sorted(set(hits["group_key"]))
            journeys = _frame(
                conn,
                select(h.group_key, h.service, h.common).where(h.group_key.in_(groups)),
                ["group_key", "service", "common"],
            )
    frame = hits.merge(latest, on="hit_id", how="left")
    if frame.empty:
        return frame.assign(
            services_on_journey="", kind="", hours_left=0.0, breached=False, open=False,
            follow_up=False, ocam_task="",
        )  # fmt: skip
    services = journeys.groupby("group_key")["service"].agg(lambda s: ",".join(sorted(set(s))))
    frame["services_on_journey"] = frame["group_key"].map(services)
    frame["kind"] = frame["group_key"].map(group_kinds(journeys))
    open_ = ~frame["status"].isin(_FINAL)
    deadline = pd.to_datetime(frame["deadline_at"])
    left = (deadline - pd.Timestamp(naive_utc(now))).dt.total_seconds() / 3600
    decided_at = pd.to_datetime(frame["status_at"])
    frame["open"] = open_
    frame["hours_left"] = np.where(open_, left.round(1), np.nan)
    frame["breached"] = np.where(open_, left < 0, decided_at > deadline)
    frame["follow_up"] = frame["hit_id"].isin(followed)
    ocam = dict(zip(tasks["hit_id"], tasks["ocam_closed_at"], strict=True))
    frame["ocam_task"] = frame["hit_id"].map(
        lambda h: "" if h not in ocam else ("closed" if ocam[h] is not None else "open")
    )
    if service is not None:
        frame = frame[frame["service"] == service]
    if status is not None:
        frame = frame[frame["status"].isin(list(status))]
    return frame.sort_values(["deadline_at", "hit_id"], kind="stable").reset_index(drop=True)


def hit_history(store: Store, hit_id: str) -> pd.DataFrame:
    """Every row of one hit's review history, oldest first."""
    e = hit_event.c
    with store.engine.connect() as conn:
        query = select(hit_event).where(e.hit_id == hit_id).order_by(e.seq)
        frame = _frame(conn, query, [c.name for c in hit_event.columns])
    frame["checklist"] = frame["checklist"].map(json.loads)
    return frame


def escalate(store: Store, now: datetime) -> int:
    """Notify the head of unit of every open hit past its deadline (once per hit)."""
    moment = naive_utc(now)
    frame = hit_frame(store, moment)
    late = frame[frame["open"] & frame["breached"].astype(bool)]
    if late.empty:
        return 0
    made = 0
    with store.engine.begin() as conn:
        for row in late.itertuples(index=False):
            nid = f"deadline_breach|{row.hit_id}"
            exists = conn.execute(
                select(func.count()).where(notification.c.notification_id == nid)
            ).scalar_one()
            if exists:
                continue
            deadline = pd.Timestamp(str(row.deadline_at))
            detail = {
                "group_key": row.group_key,
                "service": row.service,
                "deadline_at": f"{deadline:%Y-%m-%dT%H:%M:%S}Z",
            }
            conn.execute(
                notification.insert().values(
                    notification_id=nid,
                    at=moment,
                    recipient="head_of_unit",
                    kind="deadline_breach",
                    pnr_id=row.pnr_id,
                    hit_id=row.hit_id,
                    detail=json.dumps(detail, sort_keys=True),
                )
            )
            made += 1
    return made


def source_metrics(
    store: Store, now: datetime, *, alert_rate: float = FP_ALERT_RATE
) -> pd.DataFrame:
    """Per list and per criterion: hits, open, validated, rejected as false positive, rejected
    as discriminatory, the false-positive rate of decided hits, the median hours to a decision,
    deadline breaches, and the alert flag (R-CRIT-04). Counts only: no personal data."""
    frame = hit_frame(store, now)
    columns = ["source", "hits", "open", "validated", "rejected_false_positive",
               "rejected_discriminatory", "false_positive_rate", "median_hours_to_decision",
               "breaches", "alert"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["source"] = np.where(
        frame["source_kind"] == "WATCHLIST", "list:" + frame["list_id"].astype(str),
        "criterion:" + frame["criterion_id"].astype(str),
    )  # fmt: skip
    hours = pd.to_datetime(frame["status_at"]) - pd.to_datetime(frame["created_at"])
    frame["hours"] = np.where(frame["open"], np.nan, hours.dt.total_seconds() / 3600)
    g = frame.groupby("source")
    out = pd.DataFrame(
        {
            "hits": g.size(),
            "open": g["open"].sum(),
            "validated": g["status"].agg(lambda s: int((s == HitStatus.VALIDATED).sum())),
            "rejected_false_positive": g["status"].agg(
                lambda s: int((s == HitStatus.REJECTED_FALSE_POSITIVE).sum())
            ),
            "rejected_discriminatory": g["status"].agg(
                lambda s: int((s == HitStatus.REJECTED_DISCRIMINATORY).sum())
            ),
            "median_hours_to_decision": g["hours"].median().round(1),
            "breaches": g["breached"].sum(),
        }
    )
    decided = out["validated"] + out["rejected_false_positive"] + out["rejected_discriminatory"]
    out["false_positive_rate"] = (
        out["rejected_false_positive"] / decided.where(decided > 0)
    ).round(3)
    out["alert"] = out["false_positive_rate"].fillna(0) > alert_rate
    return out.reset_index()[columns]


#: Cells with fewer travellers than this are suppressed (statistical disclosure control).
MIN_CELL = 5


def _age_band(born: pd.Series, today: datetime) -> pd.Series:
    years = (
        pd.Timestamp(naive_utc(today)) - pd.to_datetime(born, errors="coerce")
    ).dt.days / 365.25
    bins = [-1, 18, 30, 45, 60, 200]
    labels = ["0-17", "18-29", "30-44", "45-59", "60+"]
    return pd.cut(years, bins=bins, labels=labels, right=False).astype(object).fillna("unknown")


def disparity(store: Store, now: datetime) -> pd.DataFrame:
    """Hit and validation rates of screened travellers by nationality, gender and age band
    (R-CRIT-03), with each group's hit rate relative to all travellers (``ratio``); groups of
    fewer than :data:`MIN_CELL` travellers are suppressed. Aggregates only, for the DPO."""
    a, x, d = assessment.c, passenger.c, travel_document.c
    query = (
        select(x.pnr_id, x.pax_ref, d.nationality, d.gender, d.date_of_birth)
        .join(assessment, (a.pnr_id == x.pnr_id) & (a.version == x.version))
        .join(
            travel_document,
            (d.pnr_id == x.pnr_id)
            & (d.version == x.version)
            & (d.pax_ref == x.pax_ref)
            & (d.doc_no == 1),
            isouter=True,
        )
    )
    with store.engine.connect() as conn:
        people = _frame(conn, query, ["pnr_id", "pax_ref", "nationality", "gender", "born"])
    columns = ["dimension", "group", "travellers", "hit", "validated", "hit_rate",
               "validation_rate", "ratio"]  # fmt: skip
    if people.empty:
        return pd.DataFrame(columns=columns)
    people["group_key"] = people["pnr_id"] + "/" + people["pax_ref"]
    people = people.drop_duplicates("group_key")
    hits = hit_frame(store, now)
    hit_groups = set(hits["group_key"])
    valid = set(hits.loc[hits["status"] == HitStatus.VALIDATED.value, "group_key"])
    people["hit"] = people["group_key"].isin(hit_groups)
    people["validated"] = people["group_key"].isin(valid)
    people["age_band"] = _age_band(people["born"], now)
    people["nationality"] = people["nationality"].fillna("unknown")
    people["gender"] = people["gender"].fillna("unknown")
    overall = people["hit"].mean()
    parts = []
    for dimension in ("nationality", "gender", "age_band"):
        g = people.groupby(dimension)
        part = pd.DataFrame(
            {"travellers": g.size(), "hit": g["hit"].sum(), "validated": g["validated"].sum()}
        )
        part = part[part["travellers"] >= MIN_CELL]
        part["hit_rate"] = (part["hit"] / part["travellers"]).round(5)
        part["validation_rate"] = (part["validated"] / part["hit"].where(part["hit"] > 0)).round(3)
        part["ratio"] = (part["hit_rate"] / overall).round(2) if overall else np.nan
        parts.append(part.reset_index(names="group").assign(dimension=dimension))
    return pd.concat(parts, ignore_index=True)[columns]

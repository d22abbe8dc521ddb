"""Counts for the views (dashboards, figures): no personal data, no passenger values.

What the situation dashboard, the DPO overview and the figures need beyond the hit metrics,
as frames of counts that :class:`piu_lab.api.Lab` hands out (``Lab.situation``,
``Lab.staff_expiries``, ``Lab.audit_chain``):

* **Volumes**: passenger-journeys (latest PNR versions, legs from or to Belgium) per UTC day
  and sector, and per Belgian airport, station or port and direction.
* **Coverage by carrier**: per carrier, the transports with a PNR, with an early push, with a
  closure push and with an API manifest (R-DATA-04, R-API-01).
* **Push timeliness** (R-DATA-04): each PNRGOV push against its transport's departure: an early
  push is on time between 48 and 24 hours before departure, a closure push up to one hour
  after it.
* **Open hits and deadlines** (R-PRE-03): open hits per service, breached or not, and the hours
  left of each open hit (references only).
* **Staff expiries** (R-ACC-01/02, R-HR-01): clearances, secondments and grants ending within a
  window, by identification code, role and service (no names).
* **Audit chain** (R-LOG-02): whether the chain verifies, how many events, where it broke.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Connection, and_, func, or_, select

from piu_lab.access.persist import load_register
from piu_lab.access.register import Member, is_active
from piu_lab.audit import AuditLog
from piu_lab.clock import Clock
from piu_lab.hits import queries
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema import api_leg, carrier, passenger, pnr, pnr_version, segment

__all__ = [
    "CLOSURE_GRACE_HOURS",
    "EARLY_WINDOW_HOURS",
    "AuditChain",
    "Situation",
    "audit_chain",
    "situation",
    "staff_expiries",
]

#: An early push is on time between these hours before departure (R-DATA-04).
EARLY_WINDOW_HOURS = (24.0, 48.0)
#: A closure push is on time up to this many hours after departure (R-DATA-04).
CLOSURE_GRACE_HOURS = 1.0
_BELGIUM = "BE"


@dataclass(frozen=True, slots=True)
class Situation:
    """Counts of the period ``first``..``last`` (departure days, UTC). Each frame holds counts
    and references only:

    * ``volumes``: day, sector, journeys (passenger x leg), pnrs;
    * ``airports``: place, direction (departure/arrival), sector, journeys;
    * ``carriers``: carrier, carrier_name, sector, transports, with_early, with_closure, with_api,
      api_coverage_pct, closure_coverage_pct;
    * ``timeliness``: carrier, stage, pushes, on_time, too_early, late, on_time_pct,
      median_hours_before (hours before departure; negative after it);
    * ``open_hits``: service, open, breached, min_hours_left;
    * ``deadlines``: hit_id, service, kind, status, deadline_at, hours_left, breached.
    """

    first: date
    last: date
    volumes: pd.DataFrame
    airports: pd.DataFrame
    carriers: pd.DataFrame
    timeliness: pd.DataFrame
    open_hits: pd.DataFrame
    deadlines: pd.DataFrame

    @property
    def journeys(self) -> int:
        return int(self.volumes["journeys"].sum()) if len(self.volumes) else 0


@dataclass(frozen=True, slots=True)
class AuditChain:
    """What verifying the audit log found (R-LOG-02): no event content, only its state."""

    ok: bool
    events: int
    last_sequence: int
    broken_at: int | None
    kind: str | None
    detail: str

    def text(self) -> str:
        if self.ok:
            return f"intact: {self.events:,} events verified up to sequence {self.last_sequence}"
        return f"BROKEN at sequence {self.broken_at}: {self.kind} ({self.detail})"


def _rows(conn: Connection, query: object, columns: list[str]) -> pd.DataFrame:
    rows = [tuple(r) for r in conn.execute(query)]  # type: ignore[call-overload]
    return pd.DataFrame.from_records(rows, columns=columns)


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def _legs(conn: Connection, start: datetime, end: datetime) -> pd.DataFrame:
    """Segments of the latest PNR versions departing in [start, end) from or to Belgium, with
    the number of travellers on the version."""
    party = (
        select(passenger.c.pnr_id, passenger.c.version, func.count().label("travellers"))
        .group_by(passenger.c.pnr_id, passenger.c.version)
        .subquery()
    )
    s = segment.c
    query = (
        select(s.pnr_id, s.sector, s.carrier, s.transport_number, s.origin, s.destination,
               s.origin_country, s.destination_country, s.departure_utc, party.c.travellers)
        .join(pnr, and_(pnr.c.pnr_id == s.pnr_id, pnr.c.latest_version == s.version))
        .join(party, and_(party.c.pnr_id == s.pnr_id, party.c.version == s.version))
        .where(s.departure_utc >= naive_utc(start), s.departure_utc < naive_utc(end))
        .where(or_(s.origin_country == _BELGIUM, s.destination_country == _BELGIUM))
    )  # fmt: skip
    columns = ["pnr_id", "sector", "carrier", "transport_number", "origin", "destination",
               "origin_country", "destination_country", "departure_utc", "travellers"]  # fmt: skip
    legs = _rows(conn, query, columns)
    legs["departure_utc"] = _utc(legs["departure_utc"])
    legs["day"] = legs["departure_utc"].dt.date
    legs["travellers"] = legs["travellers"].astype(int)
    return legs


def _volumes(legs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    if legs.empty:
        return (
            pd.DataFrame(columns=["day", "sector", "journeys", "pnrs"]),
            pd.DataFrame(columns=["place", "direction", "sector", "journeys"]),
        )
    volumes = legs.groupby(["day", "sector"], as_index=False).agg(
        journeys=("travellers", "sum"), pnrs=("pnr_id", "nunique")
    )
    out = legs[legs["origin_country"] == _BELGIUM].assign(place=lambda f: f["origin"])
    into = legs[legs["destination_country"] == _BELGIUM].assign(place=lambda f: f["destination"])
    places = pd.concat(
        [out.assign(direction="departure"), into.assign(direction="arrival")], ignore_index=True
    )
    airports = (
        places.groupby(["place", "direction", "sector"], as_index=False)
        .agg(journeys=("travellers", "sum"))
        .sort_values("journeys", ascending=False, ignore_index=True)
    )
    return volumes, airports


def _pushes(conn: Connection, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per PNRGOV push (message) with its stage, carrier, reception and departure:
    the departure the most of its PNR versions share (the transport it was sent for)."""
    v, s = pnr_version.c, segment.c
    query = (
        select(v.message_id, v.push_stage, v.received_at, pnr.c.carrier, s.carrier,
               s.transport_number, s.departure_utc)
        .join(pnr, pnr.c.pnr_id == v.pnr_id)
        .join(segment, and_(s.pnr_id == v.pnr_id, s.version == v.version))
        .where(v.received_at >= naive_utc(start - timedelta(days=3)))
        .where(v.received_at < naive_utc(end + timedelta(days=1)))
    )  # fmt: skip
    columns = ["message_id", "stage", "received_at", "pnr_carrier", "carrier", "number",
               "departure_utc"]  # fmt: skip
    rows = _rows(conn, query, columns)
    rows = rows[rows["carrier"] == rows["pnr_carrier"]]
    if rows.empty:
        return pd.DataFrame(columns=[*columns, "hours_before", "day"])
    counted = rows.groupby(["message_id", "stage", "received_at", "carrier", "number",
                            "departure_utc"], as_index=False).size()  # fmt: skip
    counted = counted.sort_values(["message_id", "size"], ascending=[True, False])
    pushes = counted.drop_duplicates("message_id").drop(columns="size")
    pushes["received_at"] = _utc(pushes["received_at"])
    pushes["departure_utc"] = _utc(pushes["departure_utc"])
    departure = pushes["departure_utc"]
    pushes = pushes[(departure >= start) & (departure < end)].copy()
    delta = pushes["departure_utc"] - pushes["received_at"]
    pushes["hours_before"] = delta.dt.total_seconds() / 3600
    pushes["day"] = pushes["departure_utc"].dt.date
    return pushes.reset_index(drop=True)


def _pushed(legs: pd.DataFrame, pushes: pd.DataFrame) -> pd.DataFrame:
    """The legs on transports a carrier pushed PNRs for (not the other legs of their PNRs'
    itineraries, which another carrier or another day's push covers)."""
    sent = pushes[["carrier", "number", "day"]].drop_duplicates()
    sent = sent.rename(columns={"number": "transport_number"})
    return legs.merge(sent, on=["carrier", "transport_number", "day"], how="inner")


def _timeliness(pushes: pd.DataFrame) -> pd.DataFrame:
    columns = ["carrier", "stage", "pushes", "on_time", "too_early", "late", "on_time_pct",
               "median_hours_before"]  # fmt: skip
    if pushes.empty:
        return pd.DataFrame(columns=columns)
    hours = pushes["hours_before"]
    early = pushes["stage"] == "EARLY"
    low, high = EARLY_WINDOW_HOURS
    marked = pushes.assign(
        on_time=(early & hours.between(low, high)) | (~early & (hours >= -CLOSURE_GRACE_HOURS)),
        too_early=early & (hours > high),
        late=(early & (hours < low)) | (~early & (hours < -CLOSURE_GRACE_HOURS)),
    )
    out = marked.groupby(["carrier", "stage"], as_index=False).agg(
        pushes=("message_id", "size"),
        on_time=("on_time", "sum"),
        too_early=("too_early", "sum"),
        late=("late", "sum"),
        median_hours_before=("hours_before", "median"),
    )
    out["on_time_pct"] = (100 * out["on_time"] / out["pushes"]).round(1)
    out["median_hours_before"] = out["median_hours_before"].round(2)
    return out[columns]


def _coverage(conn: Connection, legs: pd.DataFrame, pushes: pd.DataFrame) -> pd.DataFrame:
    columns = ["carrier", "carrier_name", "sector", "transports", "with_early", "with_closure",
               "with_api", "api_coverage_pct", "closure_coverage_pct"]  # fmt: skip
    names = _rows(conn, select(carrier.c.code, carrier.c.name), ["carrier", "carrier_name"])
    if legs.empty:
        return pd.DataFrame(columns=columns)
    transports = legs.drop_duplicates(["carrier", "transport_number", "day"])[
        ["carrier", "transport_number", "day", "sector"]
    ].rename(columns={"transport_number": "number"})
    key = ["carrier", "number", "day"]
    for stage in ("EARLY", "CLOSURE"):
        sent = pushes.loc[pushes["stage"] == stage, key].drop_duplicates().assign(**{stage: True})
        transports = transports.merge(sent, on=key, how="left")
    first, last = transports["day"].min(), transports["day"].max()
    manifests = _rows(
        conn,
        select(api_leg.c.carrier, api_leg.c.transport_number, api_leg.c.departure_local).where(
            api_leg.c.leg_no == 1
        ),
        ["carrier", "number", "departure_local"],
    )
    manifests["day"] = pd.to_datetime(manifests["departure_local"]).dt.date
    manifests = manifests[(manifests["day"] >= first) & (manifests["day"] <= last)]
    transports = transports.merge(
        manifests[key].drop_duplicates().assign(API=True), on=key, how="left"
    )
    flags = transports[["EARLY", "CLOSURE", "API"]].astype("boolean").fillna(False).astype(bool)
    transports = transports.assign(with_early=flags["EARLY"], with_closure=flags["CLOSURE"],
                                   with_api=flags["API"])  # fmt: skip
    out = transports.groupby(["carrier", "sector"], as_index=False).agg(
        transports=("number", "size"),
        with_early=("with_early", "sum"),
        with_closure=("with_closure", "sum"),
        with_api=("with_api", "sum"),
    )
    out["api_coverage_pct"] = (100 * out["with_api"] / out["transports"]).round(1)
    out["closure_coverage_pct"] = (100 * out["with_closure"] / out["transports"]).round(1)
    out = out.merge(names, on="carrier", how="left")
    return out[columns].sort_values("transports", ascending=False, ignore_index=True)


def _hits(store: Store, now: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = queries.hit_frame(store, now)
    cols = ["hit_id", "service", "kind", "status", "deadline_at", "hours_left", "breached"]
    if frame.empty:
        return pd.DataFrame(columns=["service", "open", "breached", "min_hours_left"]), (
            pd.DataFrame(columns=cols)
        )
    open_ = frame[frame["open"].astype(bool)]
    deadlines = open_[cols].sort_values("hours_left", ignore_index=True)
    per_service = open_.groupby("service", as_index=False).agg(
        open=("hit_id", "size"),
        breached=("breached", "sum"),
        min_hours_left=("hours_left", "min"),
    )
    per_service["min_hours_left"] = per_service["min_hours_left"].round(1)
    return per_service, deadlines


def situation(
    store: Store, clock: Clock, first: date | None = None, last: date | None = None
) -> Situation:
    """The counts of departures from ``first`` (default: seven days ago) to ``last`` (default:
    two days ahead, the early pushes already in), both inclusive, and the open hits now."""
    now = clock.now()
    today = now.date()
    first = first or today - timedelta(days=7)
    last = last or today + timedelta(days=2)
    start = datetime.combine(first, time.min, tzinfo=now.tzinfo)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    with store.engine.connect() as conn:
        pushes = _pushes(conn, start, end)
        legs = _pushed(_legs(conn, start, end), pushes)
        carriers = _coverage(conn, legs, pushes)
    volumes, airports = _volumes(legs)
    open_hits, deadlines = _hits(store, now)
    return Situation(first, last, volumes, airports, carriers, _timeliness(pushes), open_hits,
                     deadlines)  # fmt: skip


def _expiring(member: Member) -> list[tuple[str, date]]:
    ends: list[tuple[str, date]] = []
    if member.clearance is not None:
        ends.append(("clearance", member.clearance.valid_until))
    if member.secondment is not None and member.secondment.ended_on is None:
        ends.append(("secondment", member.secondment.end_date - timedelta(days=1)))
    if member.grant is not None and member.grant.revoked_on is None:
        ends.append(("grant", member.grant.valid_until))
    return ends


def staff_expiries(store: Store, clock: Clock, within_days: int = 180) -> pd.DataFrame:
    """Clearances, secondments and grants that end within ``within_days`` (or ended in the last
    ``within_days``), soonest first: code, role, service, what, ends_on, days_left, active,
    status (no names)."""
    today = clock.now().date()
    rows = []
    for code, member in sorted(load_register(store).members.items()):
        active, why = is_active(member, today)
        for what, ends_on in _expiring(member):
            days_left = (ends_on - today).days
            if abs(days_left) <= within_days:
                rows.append({
                    "code": code, "role": member.role.value, "service": member.home_service.value,
                    "what": what, "ends_on": ends_on, "days_left": days_left, "active": active,
                    "status": "active" if active else why,
                })  # fmt: skip
    columns = ["code", "role", "service", "what", "ends_on", "days_left", "active", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("days_left", ignore_index=True)


def audit_chain(store: Store, clock: Clock) -> AuditChain:
    """Verify the audit log from genesis (R-LOG-02); counts and the break only."""
    result = AuditLog(store, clock).verify()
    return AuditChain(
        ok=result.ok,
        events=result.checked,
        last_sequence=result.last_sequence,
        broken_at=result.broken_at,
        kind=result.kind.value if result.kind is not None else None,
        detail=result.detail,
    )

"""The itinerary of a PNR around its anchored transport (heading 7, code share heading 15).

Outbound from Belgium: the anchored leg, a connection beyond the carrier's hub, and the way
back after the stay for a return ticket. Inbound: the connection to the hub and the outbound
half of a return ticket before it. Only the anchored leg is a journey of the day; the others
are what the PNR says about the rest of the trip.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from piu_lab.model import Sector, Segment
from piu_lab.synth.booking import DayPlan
from piu_lab.synth.context import Context
from piu_lab.synth.reference import Place
from piu_lab.synth.schedule import Transport, block_minutes

__all__ = ["itinerary"]


def _seg(
    seg_no: int,
    sector: Sector,
    carrier: str,
    number: str,
    origin: Place,
    destination: Place,
    dep_utc: datetime,
    minutes: int,
    booking_class: str,
    equipment: str,
    operating: tuple[str, str] | None = None,
) -> Segment:
    arr_utc = dep_utc + timedelta(minutes=minutes)
    return Segment(
        seg_no=seg_no,
        sector=sector,
        carrier=carrier,
        transport_number=number,
        origin=origin.code,
        destination=destination.code,
        origin_kind=origin.kind,
        destination_kind=destination.kind,
        origin_country=origin.country,
        destination_country=destination.country,
        departure_local=dep_utc.astimezone(origin.tz).replace(tzinfo=None),
        arrival_local=arr_utc.astimezone(destination.tz).replace(tzinfo=None),
        departure_utc=dep_utc,
        arrival_utc=arr_utc,
        booking_class=booking_class,
        status="HK",
        operating_carrier=operating[0] if operating else None,
        operating_number=operating[1] if operating else None,
        equipment=equipment,
    )


def partner_number(partner: str, number: str) -> str:
    """The marketing number a code-share partner sells an operated flight under."""
    return str(6000 + (int(number) * 7 + sum(map(ord, partner))) % 3000)


def _paired(number: str, outbound: bool) -> str:
    n = int(number) + (1 if outbound else -1)
    return f"{n:0{len(number)}d}"


@lru_cache(maxsize=4096)
def _onward_number(carrier: str, far: str) -> str:
    return str(100 + (sum(map(ord, far)) * 31 + sum(map(ord, carrier))) % 800)


def itinerary(
    ctx: Context, plan: DayPlan, i: int, *, retimed: bool
) -> tuple[tuple[Segment, ...], int]:
    """Segments of PNR ``i`` of ``plan`` and the seg_no of its anchored leg.

    With ``retimed`` the anchored leg shows the schedule known at the early push.
    """
    t: Transport = plan.transports[int(plan.transport[i])]
    shift = timedelta(minutes=t.early_shift_min if retimed else 0)
    dep = t.departure_utc - shift
    cls = plan.booking_class[i]
    partner = plan.partner[i]
    if partner:
        anchor_carrier, anchor_number = partner, partner_number(partner, t.number)
        operating: tuple[str, str] | None = (t.carrier, t.number)
    else:
        anchor_carrier, anchor_number, operating = t.carrier, t.number, None
    duration = t.duration_min
    legs: list[tuple[str, str, Place, Place, datetime, int, tuple[str, str] | None, str]] = []
    anchored = (
        anchor_carrier,
        anchor_number,
        t.origin,
        t.destination,
        dep,
        duration,
        operating,
        t.equipment,
    )
    far = plan.onward[i]
    stay = timedelta(days=int(plan.stay_days[i]))
    one_way = bool(plan.one_way[i])
    hub_wait = timedelta(minutes=110)
    if t.outbound:
        legs.append(anchored)
        end = dep + timedelta(minutes=duration)
        home, away = t.origin, t.destination
        if far:
            f = ctx.ref.place(far)
            mins = block_minutes(away, f)
            legs.append(
                (t.carrier, _onward_number(t.carrier, far), away, f, end + hub_wait, mins, None, "")
            )
            end = end + hub_wait + timedelta(minutes=mins)
            if not one_way:
                back = end + stay
                legs.append(
                    (t.carrier, _onward_number(t.carrier, far + "R"), f, away, back, mins, None, "")
                )
                end = back + timedelta(minutes=mins)
        if not one_way:
            back = end + hub_wait if far else dep + stay
            legs.append(
                (t.carrier, _paired(t.number, True), away, home, back, duration, None, t.equipment)
            )
    else:
        home, away = t.destination, t.origin
        start: list[tuple[str, str, Place, Place, datetime, int, tuple[str, str] | None, str]]
        start = []
        begin = dep
        if far:
            f = ctx.ref.place(far)
            mins = block_minutes(f, away)
            first_dep = dep - hub_wait - timedelta(minutes=mins)
            start.append(
                (t.carrier, _onward_number(t.carrier, far), f, away, first_dep, mins, None, "")
            )
            begin = first_dep
            if not one_way:
                out_dep = begin - stay
                start = [
                    (
                        t.carrier,
                        _paired(t.number, False),
                        home,
                        away,
                        out_dep - hub_wait - timedelta(minutes=duration + mins),
                        duration,
                        None,
                        t.equipment,
                    ),
                    (
                        t.carrier,
                        _onward_number(t.carrier, far + "R"),
                        away,
                        f,
                        out_dep - timedelta(minutes=mins),
                        mins,
                        None,
                        "",
                    ),
                    *start,
                ]
        elif not one_way:
            start.append(
                (
                    t.carrier,
                    _paired(t.number, False),
                    home,
                    away,
                    dep - stay,
                    duration,
                    None,
                    t.equipment,
                )
            )
        legs = [*start, anchored]
    segs = []
    anchor_no = 0
    for n, (car, num, o, d, when, mins, op, eq) in enumerate(legs, start=1):
        if (car, num, o.code, d.code) == (*anchored[:2], t.origin.code, t.destination.code):
            anchor_no = n
        segs.append(_seg(n, t.sector, car, num, o, d, when, mins, cls, eq, op))
    return tuple(segs), anchor_no

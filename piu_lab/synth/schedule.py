"""The transports of one day: flights from the reference schedule, trains, coaches and ferries.

Every rotation of a carrier's schedule line becomes two flights that touch Belgium the same day:
carriers based in Belgium fly out and back (short haul), the others (and long haul) fly in and
out again after a turnaround. Which rotations, destinations and times a schedule line flies is
fixed by the seed (the same flight numbers come back every day); fractional daily rotations and
the load of each flight change from day to day. About 4 % of transports are retimed between
the early push and flight closure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from piu_lab.model import Sector
from piu_lab.synth.config import Scale
from piu_lab.synth.reference import (
    Place,
    Reference,
    ScheduleRow,
    brussels,
    distance_km,
    to_utc,
)

__all__ = ["Transport", "block_minutes", "build_day"]

_BE = "BE"
#: carriers with aircraft based in Belgium: their short-haul rotations fly out and back
_BASED = frozenset({"SN", "TB", "FR", "W6", "3O", "KF"})


@dataclass(frozen=True, slots=True)
class Transport:
    """One flight, train, coach or sailing departing from or arriving in Belgium."""

    key: str
    day: date
    sector: Sector
    carrier: str
    kind: str
    numeric: str
    number: str
    origin: Place
    destination: Place
    departure_local: datetime
    arrival_local: datetime
    departure_utc: datetime
    arrival_utc: datetime
    equipment: str
    seats: int
    passengers: int
    partners: tuple[str, ...] = ()
    hub: str = ""
    beyond: tuple[str, ...] = ()
    early_shift_min: int = 0  # scheduled time at the early push = final time - this

    @property
    def outbound(self) -> bool:
        """True when the transport departs from Belgium."""
        return self.origin.country == _BE

    @property
    def foreign(self) -> Place:
        return self.destination if self.outbound else self.origin

    @property
    def label(self) -> str:
        return f"{self.carrier}{self.number}"

    @property
    def duration_min(self) -> int:
        return int((self.arrival_utc - self.departure_utc).total_seconds() // 60)


def block_minutes(a: Place, b: Place) -> int:
    """Scheduled block time of a flight between two airports, rounded to 5 minutes."""
    minutes = 35 + distance_km(a, b) / 780.0 * 60.0
    return int(5 * round(minutes / 5))


def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=int(minute))


def _make(
    ref: Reference,
    day: date,
    carrier: str,
    number: str,
    origin: Place,
    destination: Place,
    be_minute: int,
    duration: int,
    equipment: str,
    seats: int,
    passengers: int,
    row: ScheduleRow | None,
    shift: int,
) -> Transport:
    if origin.country == _BE:
        dep_local = _at(day, be_minute)
        dep_utc = to_utc(dep_local, origin.tz)
        arr_utc = dep_utc + timedelta(minutes=duration)
        arr_local = arr_utc.astimezone(destination.tz).replace(tzinfo=None)
    else:
        arr_local = _at(day, be_minute)
        arr_utc = to_utc(arr_local, destination.tz)
        dep_utc = arr_utc - timedelta(minutes=duration)
        dep_local = dep_utc.astimezone(origin.tz).replace(tzinfo=None)
    carrier_ref = ref.carriers[carrier]
    return Transport(
        key=f"{day:%Y%m%d}-{carrier}{number}-{origin.code}-{destination.code}",
        day=day,
        sector=carrier_ref.sector,
        carrier=carrier,
        kind=ref.kinds[carrier],
        numeric=ref.numerics[carrier],
        number=number,
        origin=origin,
        destination=destination,
        departure_local=dep_local,
        arrival_local=arr_local,
        departure_utc=dep_utc,
        arrival_utc=arr_utc,
        equipment=equipment,
        seats=seats,
        passengers=passengers,
        partners=row.partners if row else (),
        hub=row.hub if row else "",
        beyond=row.beyond if row else (),
        early_shift_min=shift,
    )


def _rotation_times(fixed: np.random.Generator, based: bool, block: int) -> tuple[int, int]:
    """Belgian-side minutes of (first, second) flight of a rotation."""
    if based and block <= 240:
        turn = 50
        latest = 23 * 60 + 30 - 2 * block - turn
        if fixed.random() < 0.45 or latest <= 7 * 60:
            first = int(fixed.integers(6 * 60, 8 * 60 + 30))
        else:
            first = int(fixed.integers(8 * 60 + 30, max(latest, 9 * 60)))
        first = min(first, max(latest, 6 * 60))
        return first, first + 2 * block + turn
    turn = 150 if block > 300 else 60
    if block > 300:
        arrival = int(fixed.integers(5 * 60 + 30, 9 * 60 + 30))
    else:
        arrival = int(fixed.integers(7 * 60, 22 * 60))
    return arrival, arrival + turn


def _quota(names: list[str], weights: list[float], n: int, rng: np.random.Generator) -> list[str]:
    """``n`` picks among ``names`` in proportion to ``weights`` (largest remainders), shuffled."""
    share = np.array(weights, dtype=float) / sum(weights) * n
    counts = np.floor(share).astype(int)
    for i in np.argsort(-(share - counts), kind="stable")[: n - int(counts.sum())]:
        counts[i] += 1
    picks = [name for name, c in zip(names, counts.tolist(), strict=True) for _ in range(c)]
    return [picks[int(i)] for i in rng.permutation(len(picks))]


def _air(
    ref: Reference, day: date, seed: int, rng: np.random.Generator, load: float
) -> list[Transport]:
    out: list[Transport] = []
    for index, row in enumerate(ref.schedule):
        fixed = np.random.default_rng([seed, 11, index])
        stable = math.ceil(row.rotations)
        flown = int(row.rotations) + int(rng.random() < row.rotations - int(row.rotations))
        order = fixed.permutation(len(row.destinations))
        bases = _quota([b for b, _ in row.bases], [w for _, w in row.bases], stable, fixed)
        for k in range(stable):
            base = ref.place(bases[k])
            far = ref.place(row.destinations[int(order[k % len(order)])])
            block = block_minutes(base, far)
            based = row.code in _BASED
            first, second = _rotation_times(fixed, based, block)
            if k >= flown:
                continue
            number = row.first_number + 2 * k
            legs = [(base, far, first, number), (far, base, second, number + 1)]
            if not (based and block <= 240):
                legs = [(far, base, first, number + 1), (base, far, second, number)]
            for origin, destination, minute, num in legs:
                lf = float(np.clip(rng.normal(row.load_factor, 0.07), 0.35, 1.0))
                pax = max(1, round(row.seats * min(lf * load, 1.0)))
                shift = int(rng.choice([-30, -15, 10, 20, 45])) if rng.random() < 0.04 else 0
                out.append(
                    _make(
                        ref,
                        day,
                        row.code,
                        f"{num:04d}" if num < 1000 else str(num),
                        origin,
                        destination,
                        5 * round(minute / 5),
                        block,
                        row.equipment,
                        row.seats,
                        pax,
                        row,
                        shift,
                    )
                )
    return out


def _surface(ref: Reference, day: date, rng: np.random.Generator, load: float) -> list[Transport]:
    out: list[Transport] = []
    for service in ref.services:
        seats, lf = service.seats, ref.load_factors[service.code]
        origin, destination = ref.place(service.origin), ref.place(service.destination)
        for k, at in enumerate(service.times):
            factor = float(np.clip(rng.normal(lf, 0.08), 0.2, 1.0)) * load
            pax = max(1, round(seats * min(factor, 1.0)))
            shift = int(rng.choice([10, 20])) if rng.random() < 0.04 else 0
            out.append(
                _make(
                    ref,
                    day,
                    service.code,
                    f"{service.first_number + 2 * k:04d}",
                    origin,
                    destination,
                    at.hour * 60 + at.minute,
                    service.duration_min,
                    service.equipment,
                    seats,
                    pax,
                    None,
                    shift,
                )
            )
    return out


def _sample(
    ref: Reference, transports: list[Transport], rng: np.random.Generator, scale: Scale
) -> list[Transport]:
    """Keep a few narrow-body rotations (one crossing the Schengen border) and one transport
    of each surface sector: the ``small`` scale."""
    if scale.air_rotations is None:
        return transports
    air = [t for t in transports if t.sector is Sector.AIR and t.outbound and t.seats <= 200]
    outside = [t for t in air if not ref.country(t.destination.country).schengen]
    first = outside[int(rng.integers(len(outside)))]
    others = [t for t in air if t is not first]
    picks = rng.choice(len(others), size=scale.air_rotations - 1, replace=False)
    chosen = {(first.carrier, first.number)} | {
        (others[int(i)].carrier, others[int(i)].number) for i in picks
    }
    keep: list[Transport] = []
    for t in transports:
        if t.sector is Sector.AIR:
            out_number = t.number if t.outbound else f"{int(t.number) - 1:0{len(t.number)}d}"
            if (t.carrier, out_number) in chosen:
                keep.append(t)
    for sector in (Sector.HST, Sector.BUS, Sector.SEA)[: scale.surface_transports]:
        pool = [t for t in transports if t.sector is sector]
        keep.append(pool[int(rng.integers(len(pool)))])
    return keep


def build_day(
    ref: Reference, scale: Scale, day: date, seed: int, rng: np.random.Generator
) -> list[Transport]:
    """Every transport touching Belgium on ``day`` (Belgian local date), sorted by time."""
    transports = _air(ref, day, seed, rng, scale.load)
    transports += _surface(ref, day, rng, scale.surface_load)
    transports = _sample(ref, transports, rng, scale)
    tz = brussels()
    transports.sort(
        key=lambda t: (
            (t.departure_utc if t.outbound else t.arrival_utc).astimezone(tz),
            t.key,
        )
    )
    return transports

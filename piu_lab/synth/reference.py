"""Reference data: carriers and schedules, places (airports, stations, stops, ports), countries.

Airports come from the ``airportsdata`` package (IATA code, country, time zone, position);
stations (UIC), bus stops and ports (UN/LOCODE) from ``data/locations.csv``; carriers and the
air schedule from ``data/carriers.csv``; HST, bus and sea departures from ``data/services.csv``;
countries (ISO codes, dialling code, Schengen membership, the mix of name cultures of their
residents) from ``data/countries.csv``. Local times are converted with :mod:`zoneinfo`.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from piu_lab.errors import SynthError
from piu_lab.model import Carrier, CarrierType, Sector
from piu_lab.places import Place, known_places, locations

__all__ = [
    "BELGIAN_AIRPORTS",
    "Country",
    "Place",
    "Reference",
    "ScheduleRow",
    "Service",
    "brussels",
    "distance_km",
    "load_reference",
    "to_utc",
]

BELGIAN_AIRPORTS = ("BRU", "CRL", "LGG", "OST", "ANR")
_BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True, slots=True)
class Country:
    alpha2: str
    alpha3: str
    dial: str
    schengen: bool
    mix: tuple[tuple[str, float], ...]  # (culture, weight)


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One line of the air schedule: a carrier flying one aircraft type from Belgium."""

    code: str
    kind: str  # fsc, lcc, leisure
    numeric: str
    equipment: str
    seats: int
    load_factor: float
    rotations: float
    bases: tuple[tuple[str, float], ...]
    first_number: int
    hub: str
    partners: tuple[str, ...]
    destinations: tuple[str, ...]
    beyond: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Service:
    """A timetabled HST, bus or sea service in one direction."""

    code: str
    origin: str
    destination: str
    times: tuple[time, ...]  # Belgian-side local times (departure from / arrival in Belgium)
    duration_min: int
    first_number: int
    equipment: str
    seats: int


@dataclass(frozen=True, slots=True)
class Reference:
    carriers: dict[str, Carrier]
    kinds: dict[str, str]  # carrier code -> fsc/lcc/leisure/hst/bus/sea
    numerics: dict[str, str]  # carrier code -> 3-digit ticketing prefix
    load_factors: dict[str, float]  # surface carrier -> mean load factor
    schedule: tuple[ScheduleRow, ...]
    services: tuple[Service, ...]
    places: dict[str, Place]
    countries: dict[str, Country]
    alpha3: dict[str, str]  # alpha-3 -> alpha-2

    def place(self, code: str) -> Place:
        try:
            return self.places[code]
        except KeyError:
            raise SynthError(f"unknown place code {code!r} in the reference data") from None

    def country(self, alpha2: str) -> Country:
        return self.countries.get(alpha2) or self.countries["BE"]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("piu_lab.synth").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _weights(text: str) -> tuple[tuple[str, float], ...]:
    out: list[tuple[str, float]] = []
    for part in text.split():
        key, _, weight = part.partition(":")
        out.append((key, float(weight) if weight else 1.0))
    return tuple(out)


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    """Load (once) every reference table the generator uses."""
    carriers: dict[str, Carrier] = {}
    kinds: dict[str, str] = {}
    numerics: dict[str, str] = {}
    load_factors: dict[str, float] = {}
    schedule: list[ScheduleRow] = []
    needed: set[str] = set(BELGIAN_AIRPORTS)
    for row in _rows("carriers.csv"):
        code = row["code"]
        if code not in carriers:
            carriers[code] = Carrier(
                code=code,
                name=row["name"],
                sector=Sector(row["sector"]),
                carrier_type=CarrierType.CARRIER,
                country=row["country"],
            )
            kinds[code] = row["kind"]
            numerics[code] = row["numeric"] or f"{(sum(map(ord, code)) * 7) % 900 + 100:03d}"
        if row["sector"] != Sector.AIR.value:
            load_factors[code] = float(row["lf"])
            continue
        sched = ScheduleRow(
            code=code,
            kind=row["kind"],
            numeric=numerics[code],
            equipment=row["equipment"],
            seats=int(row["seats"]),
            load_factor=float(row["lf"]),
            rotations=float(row["rotations"]),
            bases=_weights(row["bases"]),
            first_number=int(row["first_number"]),
            hub=row["hub"],
            partners=tuple(row["partners"].split()),
            destinations=tuple(row["destinations"].split()),
            beyond=tuple(row["beyond"].split()),
        )
        schedule.append(sched)
        needed.update(sched.destinations, sched.beyond, [b for b, _ in sched.bases])
        if sched.hub:
            needed.add(sched.hub)
    places: dict[str, Place] = known_places(needed)
    missing = sorted(needed - set(places))
    if missing:
        raise SynthError(f"airport {missing[0]!r} of the schedule is unknown to airportsdata")
    places.update(locations())
    services = tuple(
        Service(
            code=row["code"],
            origin=row["origin"],
            destination=row["destination"],
            times=tuple(_hhmm(t) for t in row["times"].split()),
            duration_min=int(row["duration_min"]),
            first_number=int(row["first_number"]),
            equipment=row["equipment"],
            seats=int(row["seats"]),
        )
        for row in _rows("services.csv")
    )
    countries = {
        row["alpha2"]: Country(
            alpha2=row["alpha2"],
            alpha3=row["alpha3"],
            dial=row["dial"],
            schengen=row["schengen"] == "1",
            mix=_weights(row["mix"]),
        )
        for row in _rows("countries.csv")
    }
    return Reference(
        carriers=carriers,
        kinds=kinds,
        numerics=numerics,
        load_factors=load_factors,
        schedule=tuple(schedule),
        services=services,
        places=places,
        countries=countries,
        alpha3={c.alpha3: c.alpha2 for c in countries.values()},
    )


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance; surface places (no position) count as 300 km."""
    if math.isnan(a.lat) or math.isnan(b.lat):
        return 300.0
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive wall-clock time at a place, as an aware UTC datetime."""
    return local.replace(tzinfo=tz).astimezone(UTC)


def brussels() -> ZoneInfo:
    return _BRUSSELS

"""Places of departure and arrival: airports (IATA, from the ``airportsdata`` package), railway
stations (UIC codes), bus stops and ports (UN/LOCODE, ``data/locations.csv``), each with its
country and time zone, so local times in carrier messages become UTC.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import airportsdata

from piu_lab.model import LocationKind

__all__ = ["Place", "ascii_upper", "find_place", "known_places", "locations"]


@dataclass(frozen=True, slots=True)
class Place:
    """An airport, station, bus stop or port."""

    code: str
    kind: LocationKind
    name: str
    country: str  # ISO alpha-2
    tz: ZoneInfo
    city: str = ""
    lat: float = math.nan
    lon: float = math.nan


def ascii_upper(text: str) -> str:
    """Upper-case ASCII, as carriers write place names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(c if c.isalnum() else " " for c in plain.upper()).split())


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict[str, Any]]:
    return {code: dict(raw) for code, raw in airportsdata.load("IATA").items()}


def _airport(code: str, raw: dict[str, Any]) -> Place:
    return Place(
        code=code,
        kind=LocationKind.AIRPORT,
        name=ascii_upper(str(raw["name"])),
        country=str(raw["country"]),
        tz=ZoneInfo(str(raw["tz"])),
        city=ascii_upper(str(raw["city"])),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
    )


@lru_cache(maxsize=1)
def locations() -> dict[str, Place]:
    """Stations, bus stops and ports of ``data/locations.csv``."""
    text = resources.files("piu_lab").joinpath("data/locations.csv").read_text("utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["code"]] = Place(
            code=row["code"],
            kind=LocationKind(row["kind"]),
            name=row["name"],
            country=row["country"],
            tz=ZoneInfo(row["tz"]),
            city=row["name"].split()[0].split("-")[0],
        )
    return out


@lru_cache(maxsize=8192)
def find_place(code: str) -> Place | None:
    """The place with this code, or None when it is unknown."""
    code = code.strip().upper()
    if code in locations():
        return locations()[code]
    raw = _airports().get(code)
    return _airport(code, raw) if raw is not None and raw.get("tz") else None


def known_places(codes: set[str]) -> dict[str, Place]:
    """The known places among ``codes``."""
    return {c: p for c in sorted(codes) if (p := find_place(c)) is not None}

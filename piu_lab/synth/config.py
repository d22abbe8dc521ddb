"""What the generator is asked for (:class:`SynthConfig`) and the calibration of each scale.

Belgian figures (legal requirements §15): 2023 had 33.5 M journeys on 231 k flights (about
91,700 a day on 633 flights, 145 passengers a flight, 78 carriers); 2024 over 36 M on over 251 k
flights (98,400 a day on 686 flights, 89 carriers). ``belgium`` reproduces one such day from the
reference schedule in ``data/carriers.csv`` and ``data/services.csv``; ``small`` keeps a sample
of the same schedule (about 1,000 journeys on 8 transports) for unit tests and demos.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from piu_lab.errors import SynthError

__all__ = ["MAX_DAYS", "SCALES", "Scale", "SynthConfig", "check_config"]

ScaleName = Literal["small", "belgium"]


@dataclass(frozen=True, slots=True)
class Scale:
    """Calibration of one scale."""

    name: str
    #: air rotations kept from the reference schedule (None: all of them)
    air_rotations: int | None
    #: HST, bus and sea departures kept (None: all of them)
    surface_transports: int | None
    #: load factor multiplier of flights and of surface transports
    load: float
    surface_load: float
    #: watchlist entries per competent service (list_id -> count)
    watchlist_sizes: tuple[tuple[str, int], ...]
    #: planted watchlisted travellers a day
    planted_hits_per_day: int
    #: planted networks a day and planted criteria journeys a day
    networks_per_day: int
    criteria_per_day: int


_LISTS = ("BE-POLICE-COMMON", "BE-VSSE", "BE-SGRS-ADIV", "BE-CUSTOMS", "BE-FTF-COMMON")

SCALES: dict[str, Scale] = {
    "small": Scale(
        name="small",
        air_rotations=4,
        surface_transports=3,
        load=0.85,
        surface_load=0.1,
        watchlist_sizes=tuple(zip(_LISTS, (900, 140, 60, 200, 50), strict=True)),
        planted_hits_per_day=12,
        networks_per_day=2,
        criteria_per_day=4,
    ),
    "belgium": Scale(
        name="belgium",
        air_rotations=None,
        surface_transports=None,
        load=0.93,
        surface_load=1.0,
        watchlist_sizes=tuple(zip(_LISTS, (32_000, 2_600, 1_200, 6_500, 900), strict=True)),
        planted_hits_per_day=90,
        networks_per_day=12,
        criteria_per_day=25,
    ),
}

#: Longest run generated in one call, per scale: a Belgian day holds about a gigabyte of
#: frozen records in memory, so a week is the most a 8 GB workstation can take.
MAX_DAYS: dict[str, int] = {"small": 366, "belgium": 7}


@dataclass(frozen=True, slots=True)
class SynthConfig:
    """What to generate: ``days`` of departures from ``start``, at ``scale``, from ``seed``."""

    days: int = 1
    scale: ScaleName = "small"
    seed: int = 0
    start: date = date(2026, 3, 2)

    def __post_init__(self) -> None:
        check_config(self)

    @property
    def params(self) -> Scale:
        return SCALES[self.scale]


def check_config(config: SynthConfig) -> None:
    """Raise :class:`SynthError` when ``config`` asks for something the generator cannot make."""
    if config.scale not in SCALES:
        raise SynthError(
            f"unknown scale {config.scale!r}",
            hint=f"choose one of {', '.join(sorted(SCALES))}",
            scale=str(config.scale),
        )
    if isinstance(config.days, bool) or not isinstance(config.days, int) or config.days < 1:
        raise SynthError("days must be a whole number of at least 1", hint="use --days 1 or more")
    limit = MAX_DAYS[config.scale]
    if config.days > limit:
        raise SynthError(
            f"{config.days} days at scale {config.scale!r} would not fit in memory",
            hint=f"generate at most {limit} days at a time at this scale",
            days=config.days,
            scale=config.scale,
        )
    if isinstance(config.seed, bool) or not isinstance(config.seed, int) or config.seed < 0:
        raise SynthError("seed must be a non-negative whole number", hint="use --seed 0 or more")
    if not isinstance(config.start, date) or hasattr(config.start, "hour"):
        raise SynthError("start must be a date (the first departure day)")

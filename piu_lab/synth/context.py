"""State shared by the stages of one generation run (reference data, people, agencies, ids)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from piu_lab.model import TravelAgency
from piu_lab.synth.config import SynthConfig
from piu_lab.synth.names import NamePools, load_names
from piu_lab.synth.people import People
from piu_lab.synth.reference import Reference, load_reference

__all__ = ["Context", "Streams", "make_context"]

_LOCATOR_CHARS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
_AGENCY_WORDS = (
    ("VOYAGES", "REIZEN", "TRAVEL", "TOURS", "VIAGGI", "VIAJES", "SEYAHAT", "VOYAGE"),
    ("HORIZON", "SOLEIL", "ZUID", "ATLAS", "GLOBE", "CONTINENTAL", "EXPRESS", "CONNECT",
     "NOMADE", "ORIENT", "SAHARA", "EUROPA", "ZENITH", "CARAVANE", "BLUE SKY", "PANORAMA"),
)  # fmt: skip
_AGENCY_PLACES = (
    ("BRU", "BE", 40), ("ANR", "BE", 12), ("GNE", "BE", 6), ("LGG", "BE", 6), ("CRL", "BE", 4),
    ("PAR", "FR", 6), ("AMS", "NL", 4), ("LON", "GB", 4), ("IST", "TR", 4), ("CAS", "MA", 4),
    ("FIH", "CD", 3), ("DXB", "AE", 2), ("FRA", "DE", 2), ("MAD", "ES", 2), ("DKR", "SN", 1),
)  # fmt: skip


@dataclass
class Streams:
    """Independent random streams per purpose, so a change in one stage moves no other."""

    seed: int

    def rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *key])


@dataclass
class Context:
    config: SynthConfig
    ref: Reference
    pools: NamePools
    people: People
    streams: Streams
    agencies: tuple[TravelAgency, ...]
    agency_p: np.ndarray
    frequent: np.ndarray  # person ids of the frequent travellers' pool
    locators: dict[str, set[str]] = field(default_factory=dict)
    tickets: int = 0

    def new_locators(self, rng: np.random.Generator, carrier: str, n: int) -> list[str]:
        """``n`` record locators unique for ``carrier`` over the whole run."""
        used = self.locators.setdefault(carrier, set())
        out: list[str] = []
        while len(out) < n:
            raw = _LOCATOR_CHARS[rng.integers(0, len(_LOCATOR_CHARS), size=(n - len(out), 6))]
            for code in ("".join(r) for r in raw):
                if code not in used:
                    used.add(code)
                    out.append(code)
        return out

    def ticket_numbers(self, numeric: str, n: int) -> list[str]:
        start = self.tickets
        self.tickets += n
        return [f"{numeric}{(start + i + 104_729) * 7919 % 10_000_000_000:010d}" for i in range(n)]


def _agencies(rng: np.random.Generator, n: int) -> tuple[tuple[TravelAgency, ...], np.ndarray]:
    weights = np.array([w for *_, w in _AGENCY_PLACES], dtype=float)
    places = rng.choice(len(_AGENCY_PLACES), size=n, p=weights / weights.sum())
    numbers = rng.choice(np.arange(1_000_000, 9_999_999), size=n, replace=False)
    out: list[TravelAgency] = []
    for i in range(n):
        city, country, _ = _AGENCY_PLACES[int(places[i])]
        a = _AGENCY_WORDS[0][int(rng.integers(len(_AGENCY_WORDS[0])))]
        b = _AGENCY_WORDS[1][int(rng.integers(len(_AGENCY_WORDS[1])))]
        number = int(numbers[i])
        out.append(
            TravelAgency(
                iata_number=f"{number}{number % 7}",
                name=f"{b} {a}" if i % 2 else f"{a} {b}",
                city=city,
                country=country,
                agent_id=f"{int(rng.integers(1000, 9999))}{city[:2]}",
            )
        )
    p = 1.0 / (np.arange(n) + 3.0)
    return tuple(out), p / p.sum()


def make_context(config: SynthConfig) -> Context:
    ref = load_reference()
    pools = load_names()
    streams = Streams(config.seed)
    people = People(ref, pools, config.start)
    agencies, agency_p = _agencies(streams.rng(1), 700 if config.scale == "belgium" else 120)
    return Context(
        config=config,
        ref=ref,
        pools=pools,
        people=people,
        streams=streams,
        agencies=agencies,
        agency_p=agency_p,
        frequent=np.zeros(0, dtype=np.int64),
    )

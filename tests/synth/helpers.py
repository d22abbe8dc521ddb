"""Small helpers for the synth tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydifact.parser import Parser
from pydifact.segments import Segment

from piu_lab.model import Passenger, Pnr


def strings(value: object) -> Iterator[str]:
    """Every string held anywhere in a (nested) frozen model record."""
    if isinstance(value, Enum):
        return
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings(item)


def segments(path: Path) -> list[Segment]:
    """The segments of an EDIFACT file, as pydifact's parser reads them (cached)."""
    return list(_parsed(str(path)))


@lru_cache(maxsize=256)
def _parsed(path: str) -> tuple[Segment, ...]:
    return tuple(Parser().parse(Path(path).read_text(encoding="ascii")))


def element(seg: Segment, index: int, component: int = 0) -> str:
    """Component ``component`` of element ``index`` of a parsed segment ("" if absent)."""
    if index >= len(seg.elements):
        return ""
    value = seg.elements[index]
    if isinstance(value, list):
        return value[component] if component < len(value) else ""
    return value if component == 0 else ""


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def passengers_by_ref(pnrs: tuple[Pnr, ...]) -> dict[tuple[str, str], Passenger]:
    """(pnr_id, pax_ref) -> the traveller as in the last version that lists them."""
    out: dict[tuple[str, str], Passenger] = {}
    for pnr in pnrs:
        for p in pnr.passengers:
            key = (pnr.pnr_id, p.pax_ref)
            if key not in out or p.documents:
                out[key] = p
    return out

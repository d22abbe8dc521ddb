"""Name pools of many cultures and the spelling variants that real travel documents show.

``data/names.json`` holds, per culture, groups of romanisation variants of surnames and of male
and female given names (``MOHAMMED|MUHAMMAD|MOHAMED``). A synthetic person is a pair of
(group, variant) indices per name part, so a watchlist entry can be planted under another
spelling of the same name. Everything is upper-case ASCII, as carriers write it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = [
    "Culture",
    "NamePools",
    "draw_groups",
    "draw_variant",
    "female_surname",
    "load_names",
    "typo",
]


@dataclass(frozen=True, slots=True)
class Culture:
    key: str
    index: int
    eastern: bool  # surname written first by its speakers (order swaps happen)
    gendered: str  # "", "polish" or "russian": female surname endings
    middle_prob: float
    nationalities: tuple[str, ...]
    nationality_p: np.ndarray
    surnames: np.ndarray  # global group ids
    male: np.ndarray
    female: np.ndarray


@dataclass(frozen=True, slots=True)
class NamePools:
    cultures: tuple[Culture, ...]
    by_key: dict[str, int]
    surname_groups: tuple[tuple[str, ...], ...]
    given_groups: tuple[tuple[str, ...], ...]  # male and female groups together

    def culture(self, key: str) -> Culture:
        return self.cultures[self.by_key[key]]


def _zipf(n: int) -> np.ndarray:
    weights = 1.0 / (np.arange(n) + 4.0)
    return np.asarray(weights / weights.sum(), dtype=float)


@lru_cache(maxsize=1)
def load_names() -> NamePools:
    raw = json.loads(
        resources.files("piu_lab.synth").joinpath("data", "names.json").read_text("utf-8")
    )
    surnames: list[tuple[str, ...]] = []
    givens: list[tuple[str, ...]] = []
    cultures: list[Culture] = []

    def add(pool: list[tuple[str, ...]], groups: list[str]) -> np.ndarray:
        start = len(pool)
        pool.extend(tuple(g.split("|")) for g in groups)
        return np.arange(start, len(pool), dtype=np.int64)

    for index, (key, spec) in enumerate(sorted(raw["cultures"].items())):
        nats = spec["nationalities"]
        p = np.array(list(nats.values()), dtype=float)
        cultures.append(
            Culture(
                key=key,
                index=index,
                eastern=spec["order"] == "eastern",
                gendered=spec["gendered"],
                middle_prob=float(spec["middle_prob"]),
                nationalities=tuple(nats),
                nationality_p=p / p.sum(),
                surnames=add(surnames, spec["surnames"]),
                male=add(givens, spec["male"]),
                female=add(givens, spec["female"]),
            )
        )
    return NamePools(
        cultures=tuple(cultures),
        by_key={c.key: c.index for c in cultures},
        surname_groups=tuple(surnames),
        given_groups=tuple(givens),
    )


def draw_groups(rng: np.random.Generator, ids: np.ndarray, n: int) -> np.ndarray:
    """``n`` group ids from ``ids``, the most common names first (Zipf-like weights)."""
    return np.asarray(ids[rng.choice(len(ids), size=n, p=_zipf(len(ids)))], dtype=np.int64)


def draw_variant(
    rng: np.random.Generator, groups: tuple[tuple[str, ...], ...], gids: np.ndarray
) -> np.ndarray:
    """A spelling for each group: the first (most common) half the time, then rarer ones."""
    sizes = np.fromiter((len(groups[g]) for g in gids), dtype=np.int64, count=len(gids))
    u = rng.random(len(gids))
    out = np.zeros(len(gids), dtype=np.int64)
    for k in np.unique(sizes):
        if k == 1:
            continue
        w = 0.45 ** np.arange(k)
        cum = np.cumsum(w / w.sum())
        mask = sizes == k
        out[mask] = np.minimum(np.searchsorted(cum, u[mask]), k - 1)
    return out


_POLISH = (("SKI", "SKA"), ("CKI", "CKA"), ("DZKI", "DZKA"))
_RUSSIAN = (
    ("SKIY", "SKAYA"),
    ("OV", "OVA"),
    ("EV", "EVA"),
    ("IN", "INA"),
    ("OW", "OWA"),
    ("EW", "EWA"),
    ("OFF", "OVA"),
)


def female_surname(surname: str, rule: str) -> str:
    """The feminine form of a Slavic surname (KOWALSKI -> KOWALSKA, IVANOV -> IVANOVA)."""
    if not rule:
        return surname
    for end, fem in _POLISH if rule == "polish" else _RUSSIAN:
        if surname.endswith(end):
            return surname[: -len(end)] + fem
    return surname


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def typo(name: str, rng: np.random.Generator) -> str:
    """One keying error: a letter substituted, dropped, doubled or two letters swapped."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name + name[-1]
    i = letters[int(rng.integers(1, len(letters) - 1))]
    kind = int(rng.integers(4))
    if kind == 0:
        choices = [c for c in _LETTERS if c != name[i]]
        return name[:i] + choices[int(rng.integers(len(choices)))] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    j = i + 1 if i + 1 < len(name) and name[i + 1].isalpha() else i - 1
    lo, hi = min(i, j), max(i, j)
    if name[lo] == name[hi]:
        return name[:i] + name[i + 1 :]
    return name[:lo] + name[hi] + name[lo] + name[hi + 1 :]

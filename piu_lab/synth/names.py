"""Name pools of many cultures and the spelling variants that real travel documents show.

``data/names.json`` holds, per culture, groups of romanisation variants of surnames and of male
and female given names (``MOHAMMED|MUHAMMAD|MOHAMED``). A synthetic person is a pair of
(group, variant) indices per name part, so a watchlist entry can be planted under another
spelling of the same name. Everything is upper-case ASCII, as carriers write it.
"""

from __future__ import annotations

import json
import re
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

    def add_surnames(groups: list[str]) -> np.ndarray:
        base = [tuple(g.split("|")) for g in groups]
        return add(surnames, groups + ["|".join(g) for g in derived_surnames(base)])

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
                surnames=add_surnames(spec["surnames"]),
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


#: derived surname groups per culture (the long tail of rarer family names)
DERIVED_SURNAMES = 2500
_SYLLABLE = re.compile(r"[^AEIOUY]*[AEIOUY]+")


def _syllables(name: str) -> list[str]:
    parts = _SYLLABLE.findall(name)
    tail = name[sum(len(p) for p in parts) :]
    if parts and tail:
        parts[-1] += tail
    return parts


def derived_surnames(base: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rarer surnames of a culture, made of the syllables of its common ones.

    Real populations have thousands of family names, most of them rare; the pools list only
    the common ones, so without this tail synthetic travellers share names far more often than
    real ones (a screening day would raise hundreds of thousands of coincidental hits). A
    derived name joins the first syllable of one pool name, sometimes a middle syllable of a
    second, and the last syllable of a third (``KOWAL`` + ``CZYK`` -> ``KOWACZYK``). Cultures
    whose surnames are single short syllables (Chinese, Korean) get none: their speakers do
    share few surnames.
    """
    words = [v for g in base for v in g if v.isalpha() and len(v) >= 5]
    split = [_syllables(w) for w in dict.fromkeys(words)]
    split = [s for s in split if len(s) >= 2]
    if len(split) < 4:
        return []
    starts = sorted({s[0] for s in split})
    middles = sorted({m for s in split for m in s[1:-1]})
    ends = sorted({s[-1] for s in split})
    seen = {v for g in base for v in g}
    out: list[tuple[str, ...]] = []
    n_s, n_m, n_e = len(starts), max(len(middles), 1), len(ends)
    total = n_s * n_e * (n_m + 1)
    step = 7919  # a prime: walks the combinations in a scattered, deterministic order
    k = 0
    for _ in range(total):
        k = (k + step) % total
        i, rest = k % n_s, k // n_s
        j, m = rest % n_e, rest // n_e
        name = starts[i] + (middles[m - 1] if m and middles else "") + ends[j]
        if len(name) < 4 or len(name) > 14 or name in seen:
            continue
        seen.add(name)
        out.append((name,))
        if len(out) >= DERIVED_SURNAMES:
            break
    return out


def draw_groups(
    rng: np.random.Generator, ids: np.ndarray, n: int, *, uniform: bool = False
) -> np.ndarray:
    """``n`` group ids from ``ids``: the most common names first (Zipf-like weights), or every
    name alike with ``uniform`` (people who are not namesakes of the commonest names)."""
    p = None if uniform else _zipf(len(ids))
    return np.asarray(ids[rng.choice(len(ids), size=n, p=p)], dtype=np.int64)


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

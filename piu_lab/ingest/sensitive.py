"""Deletion on receipt (R-SENS-01..03, R-DATA-02): what a carrier sends but the PIU may not keep.

The table of SSR codes and free-text words is a versioned data file reviewed by the DPO
(``data/sensitive_codes.json``, R-SENS-03). The filter classifies; the parsers drop the item
before anything is stored, indexed or logged, and count it per category, never its value.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = ["CATEGORIES", "Removed", "SensitiveTable", "load_table"]

#: Categories counted on receipt. The first six are the protected characteristics of R-SENS-01.
CATEGORIES = (
    "religion",
    "philosophical",
    "health",
    "ethnic",
    "special-meal",
    "group-name",
    "free-text",
    "third-party-contact",
    "outside-annex",
    "unknown-segment",
)


@dataclass(frozen=True, slots=True)
class SensitiveTable:
    """The DPO-reviewed table: SSR code -> category, and free-text words per category."""

    version: str
    reviewed_by: str
    reviewed_on: str
    codes: MappingProxyType[str, str]
    words: tuple[tuple[str, str], ...]  # (word, category), longest first
    _pattern: re.Pattern[str] = field(repr=False, compare=False)

    def code_category(self, code: str) -> str | None:
        """Category of an SSR code (case and spaces ignored), or None when it may be kept."""
        return self.codes.get(code.replace(" ", "").upper())

    def text_category(self, text: str) -> str | None:
        """Category of a free text that names a sensitive item (HALAL, WHEELCHAIR...)."""
        match = self._pattern.search(text.upper())
        if match is None:
            return None
        word = match.group(0)
        return next(cat for w, cat in self.words if w == word)


@lru_cache(maxsize=1)
def load_table() -> SensitiveTable:
    """Load the table shipped with the package (cached)."""
    raw: dict[str, Any] = json.loads(
        resources.files("piu_lab.ingest").joinpath("data/sensitive_codes.json").read_text("utf-8")
    )
    codes = {str(k).upper(): str(v) for k, v in raw["codes"].items()}
    unknown = set(codes.values()) - set(CATEGORIES)
    if unknown:  # pragma: no cover - guarded by a test on the shipped file
        raise ValueError(f"unknown categories in sensitive_codes.json: {sorted(unknown)}")
    words = sorted(
        ((str(w).upper(), str(cat)) for cat, ws in raw["free_text"].items() for w in ws),
        key=lambda item: -len(item[0]),
    )
    # a code written as a word (e.g. "MOML" in free text) is caught as well
    words += [(code, cat) for code, cat in codes.items() if len(code) >= 4]
    # a word starts after a non-letter (HIV is not in ARCHIVE); prefixes like ALLERG stay open
    pattern = re.compile("(?<![A-Z])(?:" + "|".join(re.escape(w) for w, _ in words) + ")")
    return SensitiveTable(
        version=str(raw["version"]),
        reviewed_by=str(raw["reviewed_by"]),
        reviewed_on=str(raw["reviewed_on"]),
        codes=MappingProxyType(codes),
        words=tuple(words),
        _pattern=pattern,
    )


class Removed:
    """Counts of items deleted on receipt, per category (never the values)."""

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def add(self, category: str, n: int = 1) -> None:
        self._counts[category] += n

    def merge(self, other: Removed) -> None:
        self._counts.update(other._counts)

    def as_dict(self) -> dict[str, int]:
        return {cat: self._counts[cat] for cat in CATEGORIES if self._counts[cat]}

    def total(self) -> int:
        return sum(self._counts.values())

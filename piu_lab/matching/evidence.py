"""Date of birth, document number and nationality: how each moves a name score.

They adjust the score; they never filter a candidate out (a list entry without a date of birth
still hits). The adjustments (``evidence-v1``):

===========================  =========================================================  ======
feature                      outcome                                                    change
===========================  =========================================================  ======
date of birth                same at the precision both sides know (day, month, year)   +0.06
                             (the list knows only the year or month: +0.04)
                             day and month swapped                                      +0.02
                             same year, month or day differs                            -0.15
                             year one apart (full dates on both sides)                  -0.20
                             years two or more apart (full dates)                       -0.40
                             one side knows only the year, one year apart               -0.05
                             one side knows only the year, 2-6 years apart              -0.12
                             one side knows only the year, more than 6 years apart      -0.40
                             unknown on either side                                      0
document number              same after folding O/0, I/1/L, S/5, B/8, Z/2 and            floor
                             separators: the score is at least DOCUMENT_FLOOR, whatever  0.95
                             the names say
                             different (both known)                                     -0.05
nationality                  same                                                       +0.02
                             different (both known; dual nationals exist)               -0.03
===========================  =========================================================  ======
"""

from __future__ import annotations

import enum
import re

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "DOCUMENT_FLOOR",
    "EVIDENCE_ALGORITHM",
    "DobOutcome",
    "DocOutcome",
    "NatOutcome",
    "as_text",
    "compare_dob",
    "compare_documents",
    "compare_nationality",
    "normalise_document",
    "parse_dob",
]

EVIDENCE_ALGORITHM = "evidence-v1"
#: when one side knows only the year, birth years up to this far apart count as approximate
APPROX_YEARS = 6
DOCUMENT_FLOOR = 0.95


class DobOutcome(enum.IntEnum):
    UNKNOWN = 0
    SAME = 1
    SAME_PARTIAL = 2
    SWAPPED = 3
    SAME_YEAR = 4
    YEAR_APART = 5
    FAR_APART = 6
    APPROX_YEAR_APART = 7
    APPROX_YEARS_APART = 8


class DocOutcome(enum.IntEnum):
    UNKNOWN = 0
    SAME = 1
    DIFFERENT = 2


class NatOutcome(enum.IntEnum):
    UNKNOWN = 0
    SAME = 1
    DIFFERENT = 2


DOB_ADJUSTMENT = {
    DobOutcome.UNKNOWN: 0.0,
    DobOutcome.SAME: 0.06,
    DobOutcome.SAME_PARTIAL: 0.04,
    DobOutcome.SWAPPED: 0.02,
    DobOutcome.SAME_YEAR: -0.15,
    DobOutcome.YEAR_APART: -0.20,
    DobOutcome.FAR_APART: -0.40,
    DobOutcome.APPROX_YEAR_APART: -0.05,
    DobOutcome.APPROX_YEARS_APART: -0.12,
}
DOC_ADJUSTMENT = {DocOutcome.UNKNOWN: 0.0, DocOutcome.SAME: 0.0, DocOutcome.DIFFERENT: -0.05}
NAT_ADJUSTMENT = {NatOutcome.UNKNOWN: 0.0, NatOutcome.SAME: 0.02, NatOutcome.DIFFERENT: -0.03}

_DOB = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_dob(values: pd.Series) -> npt.NDArray[np.int32]:
    """``(n, 3)`` year, month, day; 0 where unknown. Accepts ``YYYY[-MM[-DD]]`` text or dates.

    ``YYYY-01-01`` counts as the year alone: it is the usual placeholder for an unknown day
    and month (GTAS's low-data matching compares only the year for the same reason).
    """
    text = values.astype("string").fillna("")
    parts = text.str.extract(_DOB)
    out = np.zeros((len(values), 3), dtype=np.int32)
    for k in range(3):
        col = pd.to_numeric(parts[k], errors="coerce").fillna(0).to_numpy()
        out[:, k] = col.astype(np.int32)
    year_ok = (out[:, 0] >= 1850) & (out[:, 0] <= 2200)
    out[~year_ok] = 0
    bad_month = (out[:, 1] < 0) | (out[:, 1] > 12)
    out[bad_month, 1:] = 0
    bad_day = (out[:, 2] < 0) | (out[:, 2] > 31)
    out[bad_day, 2] = 0
    out[out[:, 1] == 0, 2] = 0
    # 1 January is what registries write when only the year is known (UNHCR, many passports
    # of Afghanistan, Somalia, Pakistan...): it is compared as a year, not as a date
    placeholder = (out[:, 1] == 1) & (out[:, 2] == 1)
    out[placeholder, 1:] = 0
    return out


def compare_dob(a: npt.NDArray[np.int32], b: npt.NDArray[np.int32]) -> npt.NDArray[np.int8]:
    """The :class:`DobOutcome` of each aligned pair of parsed dates of birth."""
    out = np.full(len(a), DobOutcome.UNKNOWN, dtype=np.int8)
    known = (a[:, 0] > 0) & (b[:, 0] > 0)
    dy = np.abs(a[:, 0] - b[:, 0])
    both_m = (a[:, 1] > 0) & (b[:, 1] > 0)
    both_d = (a[:, 2] > 0) & (b[:, 2] > 0)
    same_m = ~both_m | (a[:, 1] == b[:, 1])
    same_d = ~both_d | (a[:, 2] == b[:, 2])
    full = both_m & both_d
    swapped = full & (a[:, 1] == b[:, 2]) & (a[:, 2] == b[:, 1]) & (a[:, 1] != a[:, 2])
    partial = ~full
    same = (dy == 0) & same_m & same_d
    out[known & same & ~partial] = DobOutcome.SAME
    out[known & same & partial] = DobOutcome.SAME_PARTIAL
    out[known & (dy == 0) & ~same & swapped] = DobOutcome.SWAPPED
    out[known & (dy == 0) & ~same & ~swapped] = DobOutcome.SAME_YEAR
    # full dates on both sides: a year or more apart is another person, most of the time
    out[known & full & (dy == 1)] = DobOutcome.YEAR_APART
    out[known & full & (dy >= 2)] = DobOutcome.FAR_APART
    # one side knows only the year (UN and national lists: "approximately 1965"): the year
    # itself is an estimate, so a few years apart weigh less
    out[known & partial & (dy == 1)] = DobOutcome.APPROX_YEAR_APART
    out[known & partial & (dy >= 2) & (dy <= APPROX_YEARS)] = DobOutcome.APPROX_YEARS_APART
    out[known & partial & (dy > APPROX_YEARS)] = DobOutcome.FAR_APART
    return out


_DOC_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8",
                           "Z": "2"})  # fmt: skip
_DOC_KEEP = re.compile(r"[^A-Z0-9]")


def as_text(value: object) -> str | None:
    """A cell as text: strings stripped, whole numbers without ``.0``, anything else None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return None


def normalise_document(values: pd.Series) -> pd.Series:
    """Document numbers folded for comparison (upper case, no separators, O->0, I/L->1...).

    Numbers shorter than 5 characters after folding are treated as unknown.
    """
    text = values.map(as_text).astype("string").fillna("")
    text = text.str.upper().str.replace(_DOC_KEEP, "", regex=True)
    folded = text.map(lambda s: s.translate(_DOC_FOLD), na_action="ignore").astype("string")
    return folded.where(folded.str.len() >= 5, "")


def compare_documents(a: pd.Series, b: pd.Series) -> npt.NDArray[np.int8]:
    """The :class:`DocOutcome` of each aligned pair of *normalised* document numbers."""
    av, bv = a.fillna("").to_numpy(dtype=object), b.fillna("").to_numpy(dtype=object)
    known = (av != "") & (bv != "")
    out = np.full(len(av), DocOutcome.UNKNOWN, dtype=np.int8)
    out[known & (av == bv)] = DocOutcome.SAME
    out[known & (av != bv)] = DocOutcome.DIFFERENT
    return out


def compare_nationality(a: pd.Series, b: pd.Series) -> npt.NDArray[np.int8]:
    """The :class:`NatOutcome` of each aligned pair of nationality codes (case-insensitive).

    Codes of different kinds (ISO alpha-2 against alpha-3, a code against a country name)
    are not compared: the outcome is unknown.
    """
    av = a.astype("string").fillna("").str.strip().str.upper().to_numpy(dtype=object)
    bv = b.astype("string").fillna("").str.strip().str.upper().to_numpy(dtype=object)
    lengths_a = np.fromiter((len(x) for x in av), dtype=np.int32, count=len(av))
    lengths_b = np.fromiter((len(x) for x in bv), dtype=np.int32, count=len(bv))
    known = (av != "") & (bv != "") & (lengths_a == lengths_b)
    out = np.full(len(av), NatOutcome.UNKNOWN, dtype=np.int8)
    out[known & (av == bv)] = NatOutcome.SAME
    out[known & (av != bv)] = NatOutcome.DIFFERENT
    return out

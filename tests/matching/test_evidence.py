"""Date of birth, document number and nationality: the evidence that moves a name score.

Evidence adjusts the score of a candidate found by name; it never filters one out (a list
entry without a date of birth still hits, R-PRE-01), and each outcome is shown to the
reviewer in words (R-PRE-02). These tests pin the parsing and the outcome tables of
``evidence-v1`` (see the table in :mod:`piu_lab.matching.evidence`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from piu_lab.matching.evidence import (
    DOB_ADJUSTMENT,
    DOC_ADJUSTMENT,
    DOCUMENT_FLOOR,
    NAT_ADJUSTMENT,
    DobOutcome,
    DocOutcome,
    NatOutcome,
    compare_dob,
    compare_documents,
    compare_nationality,
    normalise_document,
    parse_dob,
)


def dob(value: object) -> list[int]:
    return parse_dob(pd.Series([value], dtype=object))[0].tolist()


def dob_outcome(a: object, b: object) -> DobOutcome:
    left = parse_dob(pd.Series([a], dtype=object))
    right = parse_dob(pd.Series([b], dtype=object))
    return DobOutcome(int(compare_dob(left, right)[0]))


def document(value: object) -> str:
    return str(normalise_document(pd.Series([value], dtype=object)).iloc[0])


# --- parse_dob -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1988-03-15", [1988, 3, 15]),
        ("1988-03", [1988, 3, 0]),
        ("1988", [1988, 0, 0]),
        ("1988-3-5", [1988, 3, 5]),
        ("  1988-03-15", [1988, 3, 15]),
        (1988, [1988, 0, 0]),
        (dt.date(1988, 3, 15), [1988, 3, 15]),
        (pd.Timestamp("1988-03-15"), [1988, 3, 15]),
        (None, [0, 0, 0]),
        (np.nan, [0, 0, 0]),
        (pd.NA, [0, 0, 0]),
        ("", [0, 0, 0]),
        ("garbage", [0, 0, 0]),
        ("15/03/1988", [0, 0, 0]),  # only YYYY[-MM[-DD]] is read
        ("unknown", [0, 0, 0]),
    ],
)
def test_parse_dob_formats(value: object, expected: list[int]) -> None:
    assert dob(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1849-01-01", [0, 0, 0]),  # a year out of range is unknown
        ("1850-01-02", [1850, 1, 2]),
        ("1850-01-01", [1850, 0, 0]),  # 1 January is the placeholder for "year only"
        ("2200-12-31", [2200, 12, 31]),
        ("2201-01-01", [0, 0, 0]),
        ("1988-13-01", [1988, 0, 0]),  # a month out of range drops month and day
        ("1988-02-40", [1988, 2, 0]),  # a day out of range drops the day
        ("1988-00-10", [1988, 0, 0]),  # no day without a month
    ],
)
def test_parse_dob_out_of_range(value: str, expected: list[int]) -> None:
    assert dob(value) == expected


def test_parse_dob_shape_and_dtype() -> None:
    out = parse_dob(pd.Series(["1988-03-15", None, "1990"], index=[10, 20, 30], dtype=object))
    assert out.shape == (3, 3)
    assert out.dtype == np.int32
    assert parse_dob(pd.Series([], dtype=object)).shape == (0, 3)


# --- compare_dob ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("1988-03-15", "1988-03-15", DobOutcome.SAME),
        ("1988-05-05", "1988-05-05", DobOutcome.SAME),
        ("1988-03-15", "1988-03", DobOutcome.SAME_PARTIAL),
        ("1988-03-15", "1988", DobOutcome.SAME_PARTIAL),
        ("1988", "1988", DobOutcome.SAME_PARTIAL),
        ("1988-03", "1988-03", DobOutcome.SAME_PARTIAL),
        ("1988-03-05", "1988-05-03", DobOutcome.SWAPPED),
        ("1988-03-15", "1988-03-16", DobOutcome.SAME_YEAR),  # one day off
        ("1988-03-15", "1988-04-15", DobOutcome.SAME_YEAR),
        ("1988-02-01", "1988-03-15", DobOutcome.SAME_YEAR),
        ("1988-01-01", "1988-03-15", DobOutcome.SAME_PARTIAL),  # 1 January: year only
        ("1988-03", "1988-04", DobOutcome.SAME_YEAR),
        ("1988", "1989", DobOutcome.APPROX_YEAR_APART),  # list years are estimates
        ("1988-12-31", "1989-12-30", DobOutcome.YEAR_APART),  # full dates a year apart
        ("1988-12-31", "1989-01-01", DobOutcome.APPROX_YEAR_APART),  # 1 January: year only
        ("1988-03-15", "1987-03-15", DobOutcome.YEAR_APART),
        ("1988", "1990", DobOutcome.APPROX_YEARS_APART),
        ("1988", "1994", DobOutcome.APPROX_YEARS_APART),
        ("1988", "1995", DobOutcome.FAR_APART),
        ("1988-03-15", "1990-03-15", DobOutcome.FAR_APART),
        ("1988-03-15", "1984-03-15", DobOutcome.FAR_APART),
        ("1988-03-15", "1980-03-16", DobOutcome.FAR_APART),
        ("1988-03-15", None, DobOutcome.UNKNOWN),
        (None, None, DobOutcome.UNKNOWN),
        ("garbage", "1988", DobOutcome.UNKNOWN),
        ("", "1988-03-15", DobOutcome.UNKNOWN),
    ],
)
def test_compare_dob_outcomes(a: object, b: object, outcome: DobOutcome) -> None:
    assert dob_outcome(a, b) == outcome
    assert dob_outcome(b, a) == outcome  # the comparison is symmetric


def test_compare_dob_is_vectorised() -> None:
    left = parse_dob(pd.Series(["1988-03-15", "1988", None, "1970-01-01"]))
    right = parse_dob(pd.Series(["1988-03-15", "1989", "1988", "1990-01-01"]))
    assert compare_dob(left, right).tolist() == [
        DobOutcome.SAME,
        DobOutcome.APPROX_YEAR_APART,
        DobOutcome.UNKNOWN,
        DobOutcome.FAR_APART,
    ]


def test_dob_adjustments_follow_the_documented_table() -> None:
    assert DOB_ADJUSTMENT[DobOutcome.UNKNOWN] == 0.0
    assert DOB_ADJUSTMENT[DobOutcome.SAME] > DOB_ADJUSTMENT[DobOutcome.SAME_PARTIAL] > 0
    assert DOB_ADJUSTMENT[DobOutcome.SWAPPED] > 0
    assert (
        0
        > DOB_ADJUSTMENT[DobOutcome.SAME_YEAR]
        > DOB_ADJUSTMENT[DobOutcome.YEAR_APART]
        > DOB_ADJUSTMENT[DobOutcome.FAR_APART]
    )
    assert (
        0
        > DOB_ADJUSTMENT[DobOutcome.APPROX_YEAR_APART]
        > DOB_ADJUSTMENT[DobOutcome.APPROX_YEARS_APART]
        > DOB_ADJUSTMENT[DobOutcome.FAR_APART]
    )
    assert set(DOB_ADJUSTMENT) == set(DobOutcome)


# --- documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("AB1234567", "A81234567"),  # B reads as 8
        ("ab 12-34.567", "A81234567"),  # case and separators
        ("  p-987654 ", "P987654"),
        ("O1234567", "01234567"),  # O, Q and D read as 0
        ("Q1234567", "01234567"),
        ("D1234567", "01234567"),
        ("I1L1234", "1111234"),  # I and L read as 1
        ("S5B8Z2", "558822"),  # S/5, B/8, Z/2
        ("12345", "12345"),  # five characters is enough
        ("1234", ""),  # shorter is unknown
        ("A-1", ""),
        ("---", ""),
        ("", ""),
        (None, ""),
        (np.nan, ""),
    ],
)
def test_normalise_document(raw: object, folded: str) -> None:
    assert document(raw) == folded


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("AB1234567", "AB-123-4567", DocOutcome.SAME),
        ("PO123456", "P0123456", DocOutcome.SAME),  # O/0 confusion
        ("P1L23456", "PI123456", DocOutcome.SAME),  # I/L/1 confusion
        ("AB1234567", "AB9999999", DocOutcome.DIFFERENT),
        ("AB1234567", "", DocOutcome.UNKNOWN),
        ("AB1234567", None, DocOutcome.UNKNOWN),
        ("AB1234567", "AB1", DocOutcome.UNKNOWN),  # too short: unknown, not different
        (None, None, DocOutcome.UNKNOWN),
    ],
)
def test_compare_documents(a: object, b: object, outcome: DocOutcome) -> None:
    left = normalise_document(pd.Series([a], dtype=object))
    right = normalise_document(pd.Series([b], dtype=object))
    assert DocOutcome(int(compare_documents(left, right)[0])) == outcome


def test_document_adjustments() -> None:
    assert DOCUMENT_FLOOR == 0.95
    assert DOC_ADJUSTMENT[DocOutcome.SAME] == 0.0  # the floor does the work
    assert DOC_ADJUSTMENT[DocOutcome.DIFFERENT] < 0
    assert DOC_ADJUSTMENT[DocOutcome.UNKNOWN] == 0.0


def test_numeric_document_numbers_with_missing_values() -> None:
    values = pd.Series([123456789, None])  # float64 after pandas fills the gap with NaN
    assert normalise_document(values).tolist() == ["123456789", ""]


# --- nationality ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("BEL", "BEL", NatOutcome.SAME),
        ("bel", " BEL ", NatOutcome.SAME),  # case and spaces
        ("BE", "BE", NatOutcome.SAME),
        ("BEL", "FRA", NatOutcome.DIFFERENT),
        ("BE", "FR", NatOutcome.DIFFERENT),
        ("BE", "BEL", NatOutcome.UNKNOWN),  # alpha-2 against alpha-3
        ("BEL", "Belgium", NatOutcome.UNKNOWN),  # a code against a country name
        ("BEL", None, NatOutcome.UNKNOWN),
        ("", "BEL", NatOutcome.UNKNOWN),
        (None, None, NatOutcome.UNKNOWN),
    ],
)
def test_compare_nationality(a: object, b: object, outcome: NatOutcome) -> None:
    left, right = pd.Series([a], dtype=object), pd.Series([b], dtype=object)
    assert NatOutcome(int(compare_nationality(left, right)[0])) == outcome
    assert NatOutcome(int(compare_nationality(right, left)[0])) == outcome


def test_nationality_adjustments() -> None:
    assert NAT_ADJUSTMENT[NatOutcome.SAME] > 0 > NAT_ADJUSTMENT[NatOutcome.DIFFERENT]
    assert NAT_ADJUSTMENT[NatOutcome.UNKNOWN] == 0.0

"""Validation at the edge: what a PNR must satisfy before it may be stored (R-DATA-01)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from piu_lab.errors import InvalidRecord
from piu_lab.model import Bag, LocationKind, Seat, check_pnr, pnr_problems
from piu_lab.model.validate import location_code_ok
from tests.factories import passenger, rich_pnr, segment, simple_pnr


def test_factories_are_valid() -> None:
    assert pnr_problems(simple_pnr()) == ()
    assert pnr_problems(rich_pnr()) == ()
    pnr = simple_pnr()
    assert check_pnr(pnr) is pnr


def test_every_problem_is_named_with_its_place() -> None:
    seg = segment()
    bad_seg = replace(
        seg,
        seg_no=1,
        carrier="z",
        transport_number="",
        origin="BRUX",
        destination="12",
        arrival_utc=seg.departure_utc - timedelta(hours=1),
    )
    pax = replace(
        passenger("1"),
        surname=" ",
        infant_of="9",
        seats=(Seat(seg_no=7, seat_number="1A"),),
        bags=(Bag(seg_no=8, count=-1),),
    )
    pnr = replace(
        simple_pnr(),
        record_locator="ab",
        carrier="toolong",
        version=0,
        segments=(bad_seg, replace(bad_seg)),
        passengers=(pax, replace(pax)),
    )
    problems = pnr_problems(pnr)
    expected = [
        "record_locator:",
        "carrier: 2-4",
        "version:",
        "segments.seg_no: duplicated",
        "segments[1].carrier",
        "segments[1].transport_number: empty",
        "segments[1].origin: not a valid AIRPORT",
        "segments[1].destination: not a valid AIRPORT",
        "segments[1].arrival_utc: before departure",
        "passengers.pax_ref: duplicated",
        "passengers[1].surname: empty",
        "passengers[1].infant_of",
        "passengers[1].seats: seg_no 7",
        "passengers[1].bags: seg_no 8",
        "passengers[1].bags.count: negative",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), start
    with pytest.raises(InvalidRecord) as caught:
        check_pnr(pnr)
    assert caught.value.errors == problems
    assert "TESTPERSON" not in str(caught.value)  # errors name fields, never passenger values


def test_times_must_be_aware_and_a_leg_is_needed() -> None:
    seg = segment()
    naive = replace(seg, departure_utc=seg.departure_utc.replace(tzinfo=None))
    pnr = replace(simple_pnr(), segments=(naive,), created_at=datetime(2026, 1, 1))
    problems = pnr_problems(pnr)
    assert any("must be aware UTC" in p and p.startswith("segments[1]") for p in problems)
    assert any(p.startswith("created_at/received_at") for p in problems)
    assert "segments: a PNR needs at least one leg" in pnr_problems(replace(pnr, segments=()))


@pytest.mark.parametrize(
    ("code", "kind", "ok"),
    [
        ("BRU", LocationKind.AIRPORT, True),
        ("bru", LocationKind.AIRPORT, False),
        ("8814001", LocationKind.STATION, True),
        ("881400", LocationKind.STATION, False),
        ("BEZEE", LocationKind.PORT, True),
        ("BE ZE", LocationKind.PORT, False),
        ("BEBRU", LocationKind.BUS_STOP, True),
    ],
)
def test_location_codes(code: str, kind: LocationKind, ok: bool) -> None:
    assert location_code_ok(code, kind) is ok

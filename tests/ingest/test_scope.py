"""R-SCOPE-02, the pure part: which journeys are extra-EU flights, which decision covers which
journey on which day, and what a message keeps and refuses (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piu_lab.clock import FrozenClock
from piu_lab.errors import InvalidRecord, ScopeError
from piu_lab.ingest.pipeline import ingest_paths, summarise
from piu_lab.ingest.reader import read_message_file
from piu_lab.ingest.scope import (
    Ground,
    Leg,
    Reason,
    ScopeDecision,
    ScopeRules,
    apply_scope,
    decision_from_row,
    decision_row,
    eu_member_states,
    manifest_legs,
    receipt_day,
)
from piu_lab.model import Sector
from piu_lab.places import find_place
from piu_lab.store import Store
from piu_lab.store.schema_lifecycle import scope_refusal
from tests.factories import allow_all_journeys, manifest, scope_decision
from tests.ingest.messages import flight_message, journey_pnr

DAY = date(2026, 3, 2)
AIR, HST, BUS, SEA = Sector.AIR, Sector.HST, Sector.BUS, Sector.SEA


def leg(origin: str, destination: str, sector: Sector = AIR) -> Leg:
    here, there = find_place(origin), find_place(destination)
    return Leg(
        sector, origin, destination, here.country if here else "", there.country if there else ""
    )


# -- the European Union and extra-EU flights ----------------------------------------------------


def test_r_scope_02_the_union_has_27_member_states_in_iso_codes() -> None:
    members = eu_member_states()
    assert len(members) == 27
    assert {"BE", "GR", "HR", "CY"} <= members
    assert not {"EL", "GB", "CH", "NO", "IS", "TR"} & members


@pytest.mark.parametrize(
    ("route", "extra"),
    [
        (("BRU", "JFK"), True),  # to the United States
        (("IST", "BRU"), True),  # from Turkey
        (("BRU", "LHR"), True),  # the United Kingdom left the Union
        (("BRU", "GVA"), True),  # Switzerland: Schengen, not the Union
        (("BRU", "MAD"), False),
        (("ATH", "LCA"), False),
        (("BRU", "XXZ"), False),  # unknown country: not proven extra-EU (fail closed)
    ],
)
def test_r_scope_02_an_air_leg_is_extra_eu_when_one_end_is_outside_the_union(
    route: tuple[str, str], extra: bool
) -> None:
    assert leg(*route).extra_eu_air is extra


def test_r_scope_02_rail_bus_and_sea_are_never_extra_eu_flights() -> None:
    """Belgian law adds rail, bus and sea to the directive's flights: even Brussels-London by
    train or Zeebrugge-Hull by sea needs a decision."""
    assert not leg("7015400", "8814001", HST).extra_eu_air
    assert not leg("GBLON", "BEBRU", BUS).extra_eu_air
    assert not leg("BEZEE", "GBHUL", SEA).extra_eu_air


# -- the decision object -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ocam_level": 0}, "ocam_level"),
        ({"ocam_level": 5}, "ocam_level"),
        ({"ocam_level": True}, "ocam_level"),
        ({"ends_on": DAY - timedelta(days=1)}, "ends_on"),
        ({"legal_basis": " "}, "legal_basis"),
        ({"threat_assessment": ""}, "threat_assessment"),
        ({"ocam_source": ""}, "ocam_source"),
        ({"next_review": DAY + timedelta(days=31)}, "next_review"),
        ({"next_review": DAY - timedelta(days=1)}, "next_review"),
        ({"ocam_date": DAY + timedelta(days=1)}, "ocam_date"),
        ({"sectors": ()}, "sectors"),
        ({"sectors": (AIR, AIR)}, "sectors"),
        ({"routes": ("bru-mad",)}, "routes"),
        ({"routes": ("BRU-BRU",)}, "routes"),
        ({"routes": ("BRU MAD",)}, "routes"),
        ({"decision_id": "a decision"}, "decision_id"),
        ({"ocam_level": 1}, "routes"),  # no threat: all journeys refused, routes needed
    ],
)
def test_r_scope_02_an_invalid_decision_raises_a_typed_error(
    changes: dict[str, object], field: str
) -> None:
    values = {
        "decision_id": "SCOPE-1",
        "legal_basis": "Law of 25 December 2016",
        "threat_assessment": "OCAM-2026-01",
        "ocam_level": 3,
        "ocam_date": DAY,
        "ocam_source": "OCAM notice",
        "starts_on": DAY,
        "ends_on": DAY + timedelta(days=30),
        "next_review": DAY + timedelta(days=14),
        "sectors": (AIR,),
        "routes": (),
    } | changes
    with pytest.raises(ScopeError) as caught:
        ScopeDecision(**values)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, InvalidRecord)
    assert error.exit_code == 5
    assert [e for e in error.errors if e.startswith(f"{field}:")], error.errors
    assert field in error.context["fields"]
    assert "R-SCOPE-02" in error.hint


def test_r_scope_02_ocam_level_1_allows_selected_routes_only() -> None:
    decision = scope_decision(ocam_level=1, routes=("BRU-MAD",))
    assert not decision.all_journeys


def test_r_scope_02_unknown_places_are_refused_when_recorded_not_when_read_back() -> None:
    decision = scope_decision(routes=("ZZZZZZ",))
    assert decision.problems() == []
    assert decision.problems(find_place) == ["routes: ZZZZZZ is no known place"]


def test_r_scope_02_a_decision_round_trips_through_its_row() -> None:
    decision = scope_decision(routes=("BRU-MAD", "8814001"), sectors=(AIR, HST))
    assert decision_from_row(decision_row(decision)) == decision


# -- coverage ----------------------------------------------------------------------------------


def test_r_scope_02_a_decision_is_active_from_its_first_to_its_last_day() -> None:
    decision = scope_decision(starts_on=DAY, ends_on=DAY + timedelta(days=9))
    assert not decision.active_on(DAY - timedelta(days=1))
    assert decision.active_on(DAY)
    assert decision.active_on(DAY + timedelta(days=9))
    assert not decision.active_on(DAY + timedelta(days=10))


def test_r_scope_02_a_route_matches_either_direction_and_a_place_either_end() -> None:
    decision = scope_decision(routes=("BRU-MAD", "LIS"), sectors=(AIR,))
    assert decision.covers(leg("BRU", "MAD"))
    assert decision.covers(leg("MAD", "BRU"))
    assert decision.covers(leg("LIS", "BRU"))
    assert decision.covers(leg("FCO", "LIS"))
    assert not decision.covers(leg("BRU", "FCO"))
    assert not decision.covers(leg("MAD", "FCO"))
    assert not decision.covers(leg("8814001", "8727100", HST))  # sector not named


def test_r_scope_02_the_verdict_names_its_ground_or_its_reason() -> None:
    routes = ScopeRules((scope_decision("R-1", routes=("BRU-MAD",), sectors=(AIR,)),))
    extra = routes.judge([leg("BRU", "MAD"), leg("MAD", "BOG")], on=DAY, sector=AIR)
    assert (extra.allowed, extra.ground) == (True, Ground.EXTRA_EU_AIR)
    covered = routes.judge([leg("MAD", "BRU")], on=DAY, sector=AIR)
    assert (covered.allowed, covered.ground, covered.decision_id) == (True, Ground.DECISION, "R-1")
    off = routes.judge([leg("BRU", "FCO")], on=DAY, sector=AIR)
    assert (off.allowed, off.reason) == (False, Reason.ROUTE_NOT_SELECTED)
    rail = routes.judge([leg("8814001", "8727100", HST)], on=DAY, sector=HST)
    assert (rail.allowed, rail.reason) == (False, Reason.NO_DECISION)
    late = routes.judge([leg("BRU", "MAD")], on=date(2029, 1, 1), sector=AIR)
    assert (late.allowed, late.reason) == (False, Reason.NO_DECISION)
    assert not ScopeRules().judge([], on=DAY, sector=SEA).allowed


PLACES = ["BRU", "MAD", "FCO", "JFK", "IST", "LHR", "8814001", "8727100", "BEZEE", "GBHUL"]


@given(
    legs=st.lists(
        st.tuples(st.sampled_from(PLACES), st.sampled_from(PLACES)), min_size=1, max_size=3
    ),
    sectors=st.sets(st.sampled_from(list(Sector)), min_size=1),
    routes=st.lists(st.sampled_from(["BRU-MAD", "FCO", "8814001-8727100", "BEZEE"]), max_size=2),
    offset=st.integers(-3, 12),
)
def test_r_scope_02_a_journey_is_taken_in_only_as_extra_eu_air_or_under_a_decision(
    legs: list[tuple[str, str]], sectors: set[Sector], routes: list[str], offset: int
) -> None:
    """Property: allowed exactly when one air leg leaves the Union, or the decision is active
    that day and names a leg's sector and (if it selects routes) its route."""
    journey = []
    for origin, destination in legs:
        kind = find_place(origin)
        sector = {"STATION": HST, "PORT": SEA, "BUS_STOP": BUS}.get(
            kind.kind.value if kind else "", AIR
        )
        journey.append(leg(origin, destination, sector))
    decision = scope_decision(
        starts_on=DAY,
        ends_on=DAY + timedelta(days=9),
        sectors=tuple(sorted(sectors)),
        routes=tuple(dict.fromkeys(routes)),
    )
    on = DAY + timedelta(days=offset)
    verdict = ScopeRules((decision,)).judge(journey, on=on, sector=journey[0].sector)
    expected = any(j.extra_eu_air for j in journey) or (
        decision.active_on(on) and any(decision.covers(j) for j in journey)
    )
    assert verdict.allowed is expected
    assert verdict.allowed is (verdict.reason is None)


# -- a message ---------------------------------------------------------------------------------


def test_r_scope_02_a_message_keeps_its_in_scope_pnrs_and_counts_the_refused() -> None:
    data = flight_message(
        [
            journey_pnr("AAA111", [("BRU", "MAD", "501")], pax=2),
            journey_pnr("BBB222", [("BRU", "MAD", "501"), ("MAD", "BOG", "77")]),
            journey_pnr("CCC333", [("BRU", "MAD", "501")], pax=3),
        ]
    )
    [outcome] = read_message_file(data, source="t", received_at=datetime(2026, 3, 1, tzinfo=UTC))
    kept, refused = apply_scope(outcome, ScopeRules(), datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert [p.pnr.record_locator for p in kept.pnrs] == ["BBB222"]
    [count] = refused
    assert (count.reason, count.sector, count.pnrs, count.journeys) == (
        Reason.NO_DECISION,
        "AIR",
        2,
        5,
    )
    assert kept.sha256 == outcome.sha256  # the same message, recorded as received


def test_r_scope_02_a_manifest_is_judged_by_its_ports() -> None:
    to_madrid = manifest()
    intra = replace(to_madrid, legs=(replace(to_madrid.legs[0], arrival_port="MAD"),))
    assert [(x.origin_country, x.destination_country) for x in manifest_legs(intra)] == [
        ("BE", "ES")
    ]
    assert not ScopeRules().judge(manifest_legs(intra), on=DAY, sector=AIR).allowed
    assert ScopeRules().judge(manifest_legs(manifest()), on=DAY, sector=AIR).allowed  # BRU-LHR


def test_r_scope_02_the_day_of_receipt_is_the_utc_day() -> None:
    late = datetime(2026, 3, 2, 0, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # 23:30 UTC on 1 March
    assert receipt_day(late) == date(2026, 3, 1)
    assert receipt_day(datetime(2026, 3, 2, 0, 30)) == date(2026, 3, 2)


# -- the pipeline: no way to store around the decisions (SQLite and PostgreSQL) ----------------


def test_r_scope_02_the_pipeline_judges_by_the_decisions_in_the_store(
    store: Store, tmp_path: Path
) -> None:
    """ingest_paths with a store reads the decisions itself: a caller cannot skip them."""
    path = tmp_path / "m.edi"
    path.write_bytes(
        flight_message(
            [
                journey_pnr("PPP111", [("BRU", "MAD", "501")], pax=2),
                journey_pnr("PPP222", [("BRU", "JFK", "503")]),
            ]
        )
    )
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    first = ingest_paths([path], store=store, clock=clock)
    assert (first.pnr_versions, first.refused_pnrs, first.refused_journeys) == (1, 1, 2)
    with store.engine.connect() as conn:
        [row] = [dict(r._mapping) for r in conn.execute(scope_refusal.select())]
    assert (row["reason"], row["sector"], row["pnrs"], row["journeys"]) == (
        "no_decision",
        "AIR",
        1,
        2,
    )
    allow_all_journeys(store, scope_decision(starts_on=DAY, ends_on=DAY))
    path.write_bytes(flight_message([journey_pnr("PPP333", [("BRU", "MAD", "501")])]))
    assert ingest_paths([path], store=store, clock=clock).pnr_versions == 1
    clock.advance(days=1)
    path.write_bytes(flight_message([journey_pnr("PPP444", [("BRU", "MAD", "501")])]))
    assert ingest_paths([path], store=store, clock=clock).refused_pnrs == 1  # expired
    assert summarise(first)["refused"] == {"no_decision": 2}

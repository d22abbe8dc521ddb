"""Frames out of the store (store/reads.py): journeys of a day, tables, counts, versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from piu_lab.errors import StoreError
from piu_lab.store import JOURNEY_COLUMNS, TABLES, Store
from piu_lab.store.frames import empty_frame
from tests import factories
from tests.factories import DAY, at, segment, simple_pnr


def test_journeys_have_the_documented_columns_and_dtypes(store: Store) -> None:
    store.write_pnrs([factories.rich_pnr()])
    frame = store.read_journeys(DAY)
    assert tuple(frame.columns) == JOURNEY_COLUMNS
    assert str(frame["departure_utc"].dtype) == "datetime64[us, UTC]"
    assert str(frame["date_of_birth"].dtype) == "datetime64[us]"
    assert frame["seg_no"].dtype == "int64"
    # one row per passenger of the leg departing that day; the return leg is another day
    assert frame["pax_ref"].tolist() == ["1", "2", "3"]
    assert set(frame["seg_no"]) == {1}
    adult = frame.iloc[0]
    assert adult["doc_number"] == "TP0000001"  # the first document, not the visa
    assert adult["departure_utc"] == at(DAY, 7, 5)
    assert pd.isna(frame.iloc[1]["doc_number"])  # the infant has no document


def test_empty_day_gives_an_empty_typed_frame(store: Store) -> None:
    frame = store.read_journeys(DAY)
    assert frame.empty
    assert tuple(frame.columns) == JOURNEY_COLUMNS
    assert str(frame["departure_utc"].dtype) == "datetime64[us, UTC]"


def test_belgium_only_keeps_legs_from_or_to_belgium(store: Store) -> None:
    """R-SCOPE-01: flights from or to Belgium; a leg between two other countries is left out."""
    inbound = segment(
        origin="LHR", destination="BRU", origin_country="GB", destination_country="BE"
    )
    abroad = segment(origin="LHR", destination="CDG", origin_country="GB", destination_country="FR")
    store.write_pnrs(
        [
            simple_pnr("TSTOUT"),
            simple_pnr("TSTINB", segments=(inbound,)),
            simple_pnr("TSTABR", segments=(abroad,)),
        ]
    )
    assert set(store.read_journeys(DAY)["pnr_id"]) == {"ZZ:TSTOUT", "ZZ:TSTINB"}
    everything = store.read_journeys(DAY, belgium_only=False)
    assert set(everything["pnr_id"]) == {"ZZ:TSTOUT", "ZZ:TSTINB", "ZZ:TSTABR"}


def test_only_the_latest_version_counts(store: Store) -> None:
    """Push 2 moved the flight to the next day: the day of push 1 no longer shows it."""
    next_day = DAY + timedelta(days=1)
    v1 = simple_pnr(n_pax=1)
    v2 = simple_pnr(version=2, n_pax=2, segments=(segment(departure=at(next_day, 9)),))
    store.write_pnrs([v1, v2])
    assert store.read_journeys(DAY).empty
    moved = store.read_journeys(next_day)
    assert moved["version"].tolist() == [2, 2]
    assert moved["pax_ref"].tolist() == ["1", "2"]


def test_day_boundary_is_the_utc_date(store: Store) -> None:
    brussels = timezone(timedelta(hours=1))
    last = datetime(DAY.year, DAY.month, DAY.day, 23, 59, 59, 999_999, tzinfo=UTC)
    first_next = last + timedelta(microseconds=1)
    local_after_midnight = datetime(DAY.year, DAY.month, DAY.day + 1, 0, 30, tzinfo=brussels)
    store.write_pnrs(
        [
            simple_pnr("TSTLAST", segments=(segment(departure=last),)),
            simple_pnr("TSTNEXT", segments=(segment(departure=first_next),)),
            simple_pnr("TSTLOCAL", segments=(segment(departure=local_after_midnight),)),
            simple_pnr("TSTSTART", segments=(segment(departure=at(DAY, 0)),)),
        ]
    )
    on_day = store.read_journeys(DAY)
    assert on_day["pnr_id"].tolist() == ["ZZ:TSTSTART", "ZZ:TSTLOCAL", "ZZ:TSTLAST"]
    assert on_day["departure_utc"].iloc[-1] == last
    assert store.read_journeys(DAY + timedelta(days=1))["pnr_id"].tolist() == ["ZZ:TSTNEXT"]


def test_read_table_returns_typed_frames(store: Store) -> None:
    pnr = factories.rich_pnr()
    store.write_pnrs([pnr])
    tickets = store.read_table("ticket")
    assert tickets["total_amount"].tolist() == [245.37]
    assert tickets["one_way"].tolist() == [False]
    versions = store.read_table("pnr_version")
    assert versions["created_at"].iloc[0] == pnr.created_at
    bags = store.read_table("bag")
    assert bags["tag_numbers"].tolist() == ["0571111,0571112", ""]
    assert pd.isna(bags["weight_kg"].iloc[1])
    segments = store.read_table("segment")
    assert segments["departure_local"].dtype == "datetime64[us]"
    assert segments["operating_carrier"].isna().tolist() == [True, False]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_reads_with_the_frame_dtypes(store: Store, name: str) -> None:
    frame = store.read_table(name)
    expected = empty_frame(TABLES[name])
    assert list(frame.columns) == list(expected.columns)
    assert frame.dtypes.astype(str).tolist() == expected.dtypes.astype(str).tolist()


def test_read_table_limit_and_order(store: Store) -> None:
    store.write_pnrs([simple_pnr(f"TST{i:03d}") for i in (3, 1, 2)])
    assert store.read_table("pnr", limit=2)["pnr_id"].tolist() == ["ZZ:TST001", "ZZ:TST002"]
    assert store.read_table("pnr", limit=0).empty


def test_read_table_refuses_names_outside_the_schema(store: Store) -> None:
    with pytest.raises(StoreError) as info:
        store.read_table("pnr; DROP TABLE pnr")
    assert "segment" in info.value.hint


def test_counts_cover_every_table(store: Store) -> None:
    store.write_pnrs([simple_pnr(n_pax=2)])
    counts = store.counts()
    assert set(counts) == set(TABLES)
    assert counts["passenger"] == 2
    assert counts["segment"] == 1


def test_pnr_versions_of_an_unknown_pnr_is_empty(store: Store) -> None:
    frame = store.pnr_versions("ZZ:NOSUCH")
    assert frame.empty
    assert {"version", "passengers", "segments"} <= set(frame.columns)


def test_journeys_carry_code_share(store: Store) -> None:
    shared = replace(segment(), operating_carrier="QQ", operating_number="9101")
    store.write_pnrs([simple_pnr(segments=(shared,))])
    assert store.read_journeys(DAY)["operating_carrier"].tolist() == ["QQ"]

"""Writing PNR versions, manifests and carriers (store/writes.py) on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from piu_lab.errors import InvalidRecord
from piu_lab.model import CarrierType, PushStage, Sector
from piu_lab.store import Store, schema
from tests import factories


def test_rich_pnr_round_trip_fills_every_pnr_table(store: Store) -> None:
    """R-DATA-01: every Annex I part of a PNR is stored and comes back unchanged."""
    pnr = factories.rich_pnr()
    result = store.write_pnrs([pnr])
    assert result.new_versions == 1
    assert result.duplicates == 0
    counts = store.counts()
    for table in schema.PNR_TABLES:
        assert counts[table.name] > 0, table.name
        assert result.rows[table.name] == counts[table.name]
    assert result.total_rows == sum(counts[t.name] for t in schema.PNR_TABLES)
    assert store.read_pnr(pnr.pnr_id) == pnr
    assert store.read_pnr(pnr.pnr_id, version=1) == pnr


def test_missing_pnr_or_version_reads_as_none(store: Store) -> None:
    store.write_pnrs([factories.simple_pnr()])
    assert store.read_pnr("ZZ:NOSUCH") is None
    assert store.read_pnr("ZZ:TSTAAA", version=7) is None


def test_each_push_is_a_new_version_with_history_kept(store: Store) -> None:
    """R-DATA-04: push 1 (T-48h) and push 2 (closure) are both kept; pnr points at the latest."""
    v1 = factories.simple_pnr(n_pax=2)
    v2 = replace(factories.simple_pnr(version=2, n_pax=3), push_stage=PushStage.CLOSURE)
    assert store.write_pnrs([v1]).new_versions == 1
    assert store.write_pnrs([v2]).new_versions == 1
    head = store.read_table("pnr")
    assert head["latest_version"].tolist() == [2]
    assert head["first_received_at"].iloc[0] == v1.received_at
    assert head["latest_received_at"].iloc[0] == v2.received_at
    versions = store.pnr_versions(v1.pnr_id)
    assert versions["version"].tolist() == [1, 2]
    assert versions["passengers"].tolist() == [2, 3]
    assert versions["segments"].tolist() == [1, 1]
    assert versions["push_stage"].tolist() == ["EARLY", "CLOSURE"]
    assert store.read_pnr(v1.pnr_id, version=1) == v1
    assert store.read_pnr(v1.pnr_id) == v2


def test_versions_arriving_out_of_order_keep_the_highest_as_latest(store: Store) -> None:
    v2 = factories.simple_pnr(version=2)
    v1 = replace(factories.simple_pnr(version=1), sector=Sector.BUS)
    store.write_pnrs([v2])
    store.write_pnrs([v1])
    head = store.read_table("pnr")
    assert head["latest_version"].tolist() == [2]
    assert head["sector"].tolist() == ["AIR"]  # the latest version's, not the late arrival's
    assert head["latest_received_at"].iloc[0] == v2.received_at
    assert head["first_received_at"].iloc[0] == v1.received_at


def test_same_batch_with_two_versions(store: Store) -> None:
    batch = [factories.simple_pnr(version=1), factories.simple_pnr(version=3)]
    result = store.write_pnrs(batch)
    assert result.new_versions == 2
    assert result.rows["pnr"] == 1
    assert store.read_table("pnr")["latest_version"].tolist() == [3]


def test_duplicates_are_skipped_and_reported(store: Store) -> None:
    """Dedupe by record locator + version (R-DATA-04 test idea): nothing is stored twice."""
    first = store.write_pnrs([factories.rich_pnr(), factories.simple_pnr()])
    again = store.write_pnrs([factories.rich_pnr(), factories.simple_pnr("TSTNEW")])
    assert again.new_versions == 1
    assert again.duplicates == 1
    assert again.duplicate_keys == ("ZZ:TSTRICH/1",)
    assert again.rows["passenger"] == 1
    assert store.counts()["passenger"] == first.rows["passenger"] + 1


def test_duplicates_inside_one_batch(store: Store) -> None:
    pnr = factories.simple_pnr()
    result = store.write_pnrs([pnr, pnr, pnr])
    assert (result.new_versions, result.duplicates) == (1, 2)
    assert result.duplicate_keys == ("ZZ:TSTAAA/1", "ZZ:TSTAAA/1")
    assert store.counts()["pnr_version"] == 1


def test_large_batch_crosses_the_lookup_chunks(store: Store) -> None:
    pnrs = [factories.simple_pnr(f"TST{i:05d}") for i in range(2_500)]
    assert store.write_pnrs(pnrs).new_versions == 2_500
    again = store.write_pnrs([*pnrs[-10:], factories.simple_pnr("TSTLAST")])
    assert (again.new_versions, again.duplicates) == (1, 10)


def test_invalid_pnr_raises_and_writes_nothing(store: Store) -> None:
    good = factories.simple_pnr()
    bad = replace(factories.simple_pnr("TSTBAD"), segments=())
    with pytest.raises(InvalidRecord) as info:
        store.write_pnrs([good, bad])
    assert any("segments" in e for e in info.value.errors)
    assert store.counts()["pnr"] == 0


def test_empty_batch(store: Store) -> None:
    result = store.write_pnrs([])
    assert (result.new_versions, result.duplicates, result.total_rows) == (0, 0, 0)


def test_tour_operator_and_other_sectors_round_trip(store: Store) -> None:
    """R-SCOPE-01: carriers and tour operators, every sector."""
    pnr = replace(
        factories.simple_pnr(),
        carrier_type=CarrierType.TOUR_OPERATOR,
        sector=Sector.BUS,
        created_at=factories.at(factories.DAY, 1) - timedelta(days=1),
    )
    store.write_pnrs([pnr])
    assert store.read_pnr(pnr.pnr_id) == pnr


def test_manifests_are_stored_once(store: Store) -> None:
    """R-DATA-03 / R-API-01: PAXLST data in the api_* tables, apart from PNR data."""
    first = store.write_manifests([factories.manifest(), factories.manifest("102", message_id="")])
    assert first.new_versions == 2
    assert first.rows == {"api_manifest": 2, "api_leg": 2, "api_person": 6, "api_document": 4}
    again = store.write_manifests([factories.manifest(), factories.manifest("103", message_id="")])
    assert (again.new_versions, again.duplicates) == (1, 1)
    assert again.duplicate_keys == ("PAX-1",)
    people = store.read_table("api_person")
    assert set(people["role"]) == {"PASSENGER", "CREW"}
    assert store.counts()["pnr"] == 0


def test_carriers_are_upserted(store: Store) -> None:
    assert store.write_carriers([factories.carrier(), factories.carrier("QQ", "OTHER")]) == 2
    assert store.write_carriers([factories.carrier(name="RENAMED AIR")]) == 1
    carriers = store.read_table("carrier")
    assert carriers["code"].tolist() == ["QQ", "ZZ"]
    assert carriers.set_index("code").loc["ZZ", "name"] == "RENAMED AIR"
    assert store.write_carriers([]) == 0

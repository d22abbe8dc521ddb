"""Records to frames (store/frames.py): pure, one frame per table, the store's dtypes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

from piu_lab.store import carriers_to_frame, manifests_to_frames, pnrs_to_frames, schema
from piu_lab.store.frames import coerce, empty_frame, manifest_id, naive_utc
from tests import factories


def test_one_frame_per_pnr_table_with_the_table_columns() -> None:
    frames = pnrs_to_frames([factories.rich_pnr()])
    assert list(frames) == [t.name for t in schema.PNR_TABLES]
    for table in schema.PNR_TABLES:
        frame = frames[table.name]
        assert list(frame.columns) == [c.name for c in table.columns], table.name
        assert len(frame) > 0, table.name
        expected = empty_frame(table).dtypes.astype(str).tolist()
        assert frame.dtypes.astype(str).tolist() == expected, table.name


def test_pnr_frame_keeps_one_row_per_record_locator() -> None:
    v1 = factories.simple_pnr()
    v3 = replace(factories.simple_pnr(version=3), created_at=v1.created_at + timedelta(days=1))
    frames = pnrs_to_frames([v3, v1])
    pnr = frames["pnr"]
    assert len(pnr) == 1
    row = pnr.iloc[0]
    assert row["latest_version"] == 3
    assert row["first_received_at"] == v1.received_at
    assert row["latest_received_at"] == v3.received_at
    assert row["created_at"] == v3.created_at
    assert frames["pnr_version"]["version"].tolist() == [3, 1]


def test_ordinals_and_contacts() -> None:
    frames = pnrs_to_frames([factories.rich_pnr()])
    contacts = frames["contact"]
    assert contacts["item_no"].tolist() == [1, 2, 3]
    assert contacts["pax_ref"].isna().tolist() == [True, False, False]
    assert frames["passenger"]["pax_no"].tolist() == [1, 2, 3]
    assert frames["travel_document"]["doc_no"].tolist() == [1, 2, 1]
    assert frames["minor"]["languages"].tolist() == ["NL,FR"]


def test_utc_columns_are_zone_aware_and_converted() -> None:
    plus_two = timezone(timedelta(hours=2))
    pnr = replace(factories.simple_pnr(), created_at=datetime(2026, 1, 1, 12, tzinfo=plus_two))
    frame = pnrs_to_frames([pnr])["pnr_version"]
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert frame["created_at"].iloc[0] == pd.Timestamp("2026-01-01 10:00", tz="UTC")


def test_naive_utc() -> None:
    assert naive_utc(datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))) == datetime(
        2026, 1, 1, 0
    )
    assert naive_utc(datetime(2026, 1, 1, 1)) == datetime(2026, 1, 1, 1)


def test_manifest_frames_and_ids() -> None:
    with_id = factories.manifest()
    without = factories.manifest("102", message_id="")
    assert manifest_id(with_id) == "PAX-1"
    derived = manifest_id(without)
    assert derived.startswith("API:")
    assert manifest_id(factories.manifest("102", message_id="")) == derived
    assert manifest_id(factories.manifest("103", message_id="")) != derived
    frames = manifests_to_frames([with_id, without])
    assert list(frames) == [t.name for t in schema.API_TABLES]
    assert frames["api_person"]["person_no"].tolist() == [1, 2, 3, 1, 2, 3]
    assert len(frames["api_document"]) == 4


def test_carrier_frame() -> None:
    frame = carriers_to_frame([factories.carrier()])
    assert frame.to_dict("records") == [
        {
            "code": "ZZ",
            "name": "TEST AIR",
            "sector": "AIR",
            "carrier_type": "CARRIER",
            "country": "BE",
        }
    ]


def test_coerce_accepts_naive_and_aware_timestamps_and_leaves_other_columns() -> None:
    frame = pd.DataFrame(
        {
            "occurred_at": pd.to_datetime(["2026-01-01 10:00"]),
            "extra": ["kept"],
        }
    )
    out = coerce(schema.history, frame)
    assert str(out["occurred_at"].dtype) == "datetime64[us, UTC]"
    aware = coerce(
        schema.history,
        pd.DataFrame({"occurred_at": out["occurred_at"].dt.tz_convert("Europe/Brussels")}),
    )
    assert aware["occurred_at"].iloc[0] == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert out["extra"].tolist() == ["kept"]

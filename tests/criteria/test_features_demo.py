"""Features on hand-built and synthetic frames; the demo criteria (R-CRIT-02, R-CRIT-03)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from piu_lab.criteria import (
    FEATURE_COLUMNS,
    Severity,
    demo_criteria,
    evaluate,
    journey_features,
    lint,
)
from tests.criteria.conftest import ON

T = pd.Timestamp


def tiny() -> dict[str, pd.DataFrame]:
    pnr = pd.DataFrame(
        {
            "pnr_id": ["XX:ABC"],
            "created_at": [T("2026-03-01 06:00", tz="UTC")],
            "latest_version": [2],
        }
    )
    versions = pd.DataFrame(
        {
            "pnr_id": ["XX:ABC"] * 2,
            "version": [1, 2],
            "created_at": [T("2026-03-01 06:00", tz="UTC")] * 2,
            "party_size": [2, 2],
            "agency_iata_number": [None, "123"],
            "agency_country": [None, "TR"],
        }
    )
    pax = pd.DataFrame(
        {
            "pnr_id": ["XX:ABC"] * 4,
            "version": [1, 1, 2, 2],
            "pax_ref": ["1", "2", "1", "2"],
            "pax_no": [1, 2, 1, 2],
            "surname": ["DOE", "ROE"] * 2,
            "given_names": ["JOHN", "JANE"] * 2,
            "passenger_type": ["A"] * 4,
            "travel_status": ["CONFIRMED"] * 4,
        }
    )
    seg_rows = []
    for v in (1, 2):
        seg_rows.append((v, 1, "BRU", "IST", "BE", "TR", "2026-03-01 18:00", "2026-03-01 21:30"))
        if v == 2:
            seg_rows.append(
                (v, 2, "IST", "KBL", "TR", "AF", "2026-03-02 00:30", "2026-03-02 05:30")
            )
    seg = pd.DataFrame(
        seg_rows,
        columns=[
            "version",
            "seg_no",
            "origin",
            "destination",
            "origin_country",
            "destination_country",
            "departure_utc",
            "arrival_utc",
        ],
    )
    seg["pnr_id"], seg["carrier"], seg["transport_number"] = "XX:ABC", "TK", "1938"
    seg["sector"], seg["operating_carrier"] = "AIR", None
    ticket = pd.DataFrame(
        {
            "pnr_id": ["XX:ABC"] * 2,
            "version": [2, 2],
            "pax_ref": ["1", "2"],
            "issued_on": [T("2026-03-01")] * 2,
            "one_way": [True, False],
        }
    )
    bag = pd.DataFrame(
        {
            "pnr_id": ["XX:ABC"],
            "version": [2],
            "pax_ref": ["1"],
            "piece_count": [2],
            "weight_kg": [31.5],
        }
    )
    payment = pd.DataFrame(
        {"pnr_id": ["XX:ABC"], "version": [2], "item_no": [1], "form": ["CA"], "card_holder": [""]}
    )
    contact = pd.DataFrame({"pnr_id": ["XX:ABC"] * 2, "version": [2, 2], "pax_ref": [None, "2"]})
    return {
        "pnr": pnr,
        "pnr_version": versions,
        "passenger": pax,
        "segment": seg,
        "ticket": ticket,
        "bag": bag,
        "payment": payment,
        "contact": contact,
        "frequent_flyer": pd.DataFrame({"pnr_id": ["XX:ABC"], "version": [2], "pax_ref": ["2"]}),
    }


def test_features_on_hand_built_frames() -> None:
    f = journey_features(tiny()).set_index("traveller_id")
    assert list(f.reset_index().columns) == list(FEATURE_COLUMNS)
    assert list(f.index) == ["XX:ABC/1", "XX:ABC/2"]
    one, two = f.loc["XX:ABC/1"], f.loc["XX:ABC/2"]
    assert one["version"] == 2
    assert one["route"] == "BRU-KBL"
    assert one["destination_country"] == "AF"
    assert one["transport_number"] == "TK1938"
    assert one["segment_count"] == 2
    assert one["transit_count"] == 1
    assert one["transit_points"] == "|IST|"
    assert one["min_dwell_hours"] == 3.0
    assert one["max_leg_hours"] == 5.0
    assert one["countries_visited"] == "|AF|BE|TR|"
    assert not one["round_trip"]
    assert np.isnan(one["stay_days"])
    assert one["booking_lead_hours"] == 12.0
    assert one["ticket_issue_lead_hours"] == 18.0
    assert bool(one["one_way"])
    assert not bool(two["one_way"])
    assert one["payment_form"] == "CA"
    assert pd.isna(one["payer_is_traveller"])
    assert bool(one["booked_via_agency"])
    assert one["agency_country"] == "TR"
    assert one["group_size"] == 2
    assert one["travellers_on_pnr"] == 2
    assert one["bag_count"] == 2
    assert one["total_bag_weight_kg"] == 31.5
    assert two["bag_count"] == 0
    assert one["itinerary_changes"] == 1
    assert one["version_count"] == 2
    assert not bool(one["frequent_flyer"])
    assert bool(two["frequent_flyer"])
    assert one["contact_count"] == 1
    assert two["contact_count"] == 2
    assert pd.isna(one["nationality"])  # no travel_document table given


def test_missing_and_empty_tables() -> None:
    assert journey_features({}).empty
    tables = tiny()
    del tables["bag"]
    f = journey_features(tables)
    assert f["bag_count"].isna().all()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    try:
        from piu_lab import api
    except ImportError as exc:  # another part of the facade is being rebuilt
        pytest.skip(f"piu_lab.api does not import: {exc}")
    folder: Path = tmp_path_factory.mktemp("crit")
    lab = api.open_lab(str(folder / "lab.sqlite3"))
    lab.load_demo(api.SynthConfig(seed=2, days=3), out_dir=folder / "msg")
    names = [
        "pnr",
        "pnr_version",
        "passenger",
        "segment",
        "ticket",
        "bag",
        "payment",
        "contact",
        "frequent_flyer",
        "travel_document",
    ]
    return journey_features({n: lab._store.read_table(n) for n in names})


def test_features_on_synthetic_data(synthetic: pd.DataFrame) -> None:
    f = synthetic
    assert f["traveller_id"].is_unique
    assert (f["booking_lead_hours"] >= 0).all()
    assert f["segment_count"].min() >= 1
    assert set(f["sector"].dropna()) <= {"AIR", "HST", "BUS", "SEA"}
    assert f["countries_visited"].str.startswith("|").all()


def test_demo_criteria_pass_the_linter_and_fire_rarely(synthetic: pd.DataFrame) -> None:
    """R-CRIT-02/03: 20 approved behavioural demo criteria, no finding; rare hits."""
    crits = demo_criteria()
    assert len(crits) == 20
    for crit in crits:
        assert [f for f in lint(crit, on=ON) if f.severity is Severity.ERROR] == []
        assert crit.approval is not None
        assert crit.approval.approved_by == "PIU-H01"
        assert (crit.next_review - ON).days <= 366
    hits = evaluate(crits, synthetic, on=ON)
    assert hits.attrs["skipped"] == {}
    rates = hits["criterion_id"].value_counts() / len(synthetic)
    assert (rates <= 0.001).all()  # 30 days (seed 2): 0.003 %-0.011 % each
    assert hits["traveller_id"].nunique() / len(synthetic) <= 0.004  # 30 days: 0.11 %

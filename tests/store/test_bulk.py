"""Set-based writes of frames (store/bulk.py) on both backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError

from piu_lab.store import Store, schema
from piu_lab.store.bulk import insert_frame, postgres_csv, upsert_frame
from piu_lab.store.frames import empty_frame


def _carriers(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": [c for c, _ in rows],
            "name": [n for _, n in rows],
            "sector": "AIR",
            "carrier_type": "CARRIER",
            "country": "",
        }
    )


def test_empty_strings_and_nulls_stay_apart(store: Store) -> None:
    frame = pd.DataFrame(
        {
            "manifest_id": ["M1", "M2"],
            "carrier": ["ZZ", "ZZ"],
            "transport_number": ["1", 'a "quoted",\nmulti-line value'],
            "sector": ["AIR", "SEA"],
            "received_at": pd.to_datetime(
                ["2026-03-02 08:00:00", "2026-03-02 09:30:00.123456"], format="ISO8601"
            ),
            "total_count": pd.array([3, None], dtype="Int64"),
            "initial_embarkation": ["", "BRU"],
            "transport_code": ["", ""],
            "message_id": ["", "X"],
            "masked_at": pd.to_datetime([None, None]),
        }
    )
    with store.engine.begin() as conn:
        assert insert_frame(conn, schema.api_manifest, frame) == 2
    back = store.read_table("api_manifest")
    assert back["initial_embarkation"].tolist() == ["", "BRU"]
    assert back["transport_number"].tolist() == frame["transport_number"].tolist()
    assert back["total_count"].tolist()[0] == 3
    assert pd.isna(back["total_count"].iloc[1])
    assert back["received_at"].iloc[1] == pd.Timestamp("2026-03-02 09:30:00.123456", tz="UTC")


def test_object_columns_of_python_values_are_accepted(store: Store) -> None:
    """Frames built by hand (dates as objects, floats for integers) still go in."""
    from datetime import date, datetime

    leg = pd.DataFrame(
        {
            "manifest_id": ["M1"],
            "leg_no": [1.0],
            "carrier": ["ZZ"],
            "transport_number": ["1"],
            "departure_port": ["BRU"],
            "arrival_port": ["LHR"],
            "departure_local": [datetime(2026, 3, 2, 10, 0)],
            "arrival_local": [None],
        }
    )
    manifest = pd.DataFrame(
        {
            "manifest_id": ["M1"],
            "carrier": ["ZZ"],
            "transport_number": ["1"],
            "sector": ["AIR"],
            "received_at": [datetime(2026, 3, 2, 8)],
            "total_count": [None],
            "initial_embarkation": [""],
            "transport_code": [""],
            "message_id": [""],
            "masked_at": [None],
        }
    )
    person = empty_frame(schema.api_person)
    doc = pd.DataFrame(
        {
            "manifest_id": [],
            "person_no": [],
            "doc_no": [],
            "doc_type": [],
            "number": [],
            "issuing_country": [],
            "expiry_date": [date(2030, 1, 1)][:0],
            "nationality": [],
            "date_of_birth": [],
            "gender": [],
            "surname": [],
            "given_names": [],
        }
    )
    with store.engine.begin() as conn:
        insert_frame(conn, schema.api_manifest, manifest)
        insert_frame(conn, schema.api_leg, leg)
        assert insert_frame(conn, schema.api_person, person) == 0
        assert insert_frame(conn, schema.api_document, doc) == 0
    back = store.read_table("api_leg")
    assert back["leg_no"].tolist() == [1]
    assert back["departure_local"].iloc[0] == pd.Timestamp("2026-03-02 10:00")
    assert pd.isna(back["arrival_local"].iloc[0])


def test_upsert_replaces_non_key_columns(store: Store) -> None:
    with store.engine.begin() as conn:
        upsert_frame(conn, schema.carrier, _carriers(("ZZ", "A"), ("QQ", "B")), key=["code"])
        upsert_frame(conn, schema.carrier, _carriers(("ZZ", "C")), key=["code"])
        upsert_frame(
            conn,
            schema.carrier,
            _carriers(("QQ", "D")),
            key=["code"],
            assignments={"name": "carrier.name || excluded.name"},
        )
    names = store.read_table("carrier").set_index("code")["name"].to_dict()
    assert names == {"QQ": "BD", "ZZ": "C"}


def test_missing_columns_are_refused(store: Store) -> None:
    with store.engine.begin() as conn, pytest.raises(ValueError, match="lacks columns"):
        insert_frame(conn, schema.carrier, pd.DataFrame({"code": ["ZZ"]}))


def test_constraint_violations_surface_as_integrity_errors(store: Store) -> None:
    frame = _carriers(("ZZ", "A"))
    frame["sector"] = "TRAIN"  # not a Sector: the CHECK constraint refuses it
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        insert_frame(conn, schema.carrier, frame)
    assert store.counts()["carrier"] == 0


def test_postgres_csv_quotes_strings_and_leaves_nulls_bare() -> None:
    frame = _carriers(("ZZ", ""), ("QQ", "x,y"))
    frame.loc[1, "country"] = None
    text = postgres_csv(frame, schema.carrier).decode()
    assert text.splitlines() == [
        '"ZZ","","AIR","CARRIER",""',
        '"QQ","x,y","AIR","CARRIER",',
    ]


def test_postgres_csv_dates_and_integers() -> None:
    frame = empty_frame(schema.travel_document)
    frame.loc[0] = [
        "ZZ:A",
        1,
        "1",
        1.0,
        "P",
        "N",
        "BEL",
        pd.NaT,
        "",
        pd.Timestamp("1980-01-15"),
        "F",
        "",
        "",
    ]
    frame["doc_no"] = np.float64(1)
    line = postgres_csv(frame, schema.travel_document).decode().strip()
    assert line == '"ZZ:A",1,"1",1,"P","N","BEL",,"",1980-01-15,"F","",""'

"""The MASK obligation on frames (R-RET-02; DIR art. 12(2)(a)-(f); LAW art. 19)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from piu_lab.access.masking import MASKED, mask_frame, masked_columns, masked_groups
from piu_lab.access.policy import Decision, FieldGroup, Obligation, ObligationKind
from piu_lab.store import JOURNEY_COLUMNS, schema

#: Columns that identify a person and must be in the masking table wherever they occur.
IDENTIFYING = {
    "surname",
    "given_names",
    "title",
    "date_of_birth",
    "number",
    "doc_number",
    "value",
    "card_holder",
    "card_masked",
    "billing_address",
    "departure_guardian_name",
    "arrival_guardian_name",
    "departure_guardian_contact",
    "arrival_guardian_contact",
    "nationality",
}
#: Not in the six groups of DIR art. 12(2): ticket numbers and the record locator.
NOT_IN_THE_SIX_GROUPS = {("ticket", "number")}


def test_the_table_names_real_columns_of_known_views() -> None:
    views = masked_columns()
    tables = {t.name: t for t in (*schema.PNR_TABLES, *schema.API_TABLES)}
    assert set(views) == set(tables) | {"journeys"}
    for view, columns in views.items():
        known = set(JOURNEY_COLUMNS) if view == "journeys" else {c.name for c in tables[view].c}
        assert set(columns) <= known, view


def test_every_identifying_column_is_masked() -> None:
    views = masked_columns()
    tables = {t.name: {c.name for c in t.c} for t in (*schema.PNR_TABLES, *schema.API_TABLES)}
    tables["journeys"] = set(JOURNEY_COLUMNS)
    missing = [
        (view, column)
        for view, columns in tables.items()
        for column in columns & IDENTIFYING
        if column not in views[view] and (view, column) not in NOT_IN_THE_SIX_GROUPS
    ]
    assert missing == []


def test_every_group_is_used() -> None:
    used = {group for columns in masked_columns().values() for group in columns.values()}
    assert used == set(FieldGroup)


def test_masking_keeps_absent_cells_absent_and_other_columns_intact() -> None:
    frame = pd.DataFrame(
        {
            "surname": ["ALPHA", None, "GAMMA"],
            "date_of_birth": pd.to_datetime(["1990-01-02", None, "1985-05-05"]),
            "departure_utc": [datetime(2026, 3, 2, tzinfo=UTC)] * 3,
            "origin": ["BRU", "CRL", "LGG"],
        }
    )
    out = mask_frame(frame, "journeys", rows=np.array([True, True, False]))
    assert out["surname"].tolist()[0] == MASKED
    assert out["surname"].isna().tolist() == [False, True, False]
    assert out["surname"].tolist()[2] == "GAMMA"
    assert out["date_of_birth"].isna().tolist() == [True, True, False]
    assert out["origin"].equals(frame["origin"])
    assert frame["surname"].tolist()[0] == "ALPHA"  # a copy: the input is untouched


def test_only_the_named_groups_are_masked() -> None:
    frame = pd.DataFrame({"surname": ["ALPHA"], "doc_number": ["X1234567"]})
    out = mask_frame(frame, "journeys", {FieldGroup.API_DATA})
    assert out.loc[0, "surname"] == "ALPHA"
    assert out.loc[0, "doc_number"] == MASKED


def test_numbers_become_missing() -> None:
    out = mask_frame(pd.DataFrame({"party_size": [2, 3]}), "pnr_version")
    assert out["party_size"].isna().all()


def test_an_unknown_view_is_an_error_not_a_leak() -> None:
    with pytest.raises(KeyError):
        mask_frame(pd.DataFrame({"surname": ["ALPHA"]}), "somewhere_else")


def test_masked_groups_of_a_decision() -> None:
    mask = Obligation(ObligationKind.MASK, ("a_names", "f_api_data"))
    notify = Obligation(ObligationKind.NOTIFY_DPO)
    decision = Decision(True, "ACC-PNR-01", "r", (mask, notify))
    assert masked_groups(decision) == {FieldGroup.NAMES, FieldGroup.API_DATA}
    assert masked_groups(Decision(True, "ACC-PNR-01", "r")) == frozenset()


def test_keyed_pseudonyms_link_without_revealing(monkeypatch: pytest.MonkeyPatch) -> None:
    """R-RET-02 / R-SRCH-03: masked data still support criteria analysis through keyed
    pseudonyms: the same phone gives the same token; the key lives outside the database."""
    from piu_lab.access.masking import KEY_ENV, PSEUDONYM_PREFIX, pseudonym_key
    from piu_lab.errors import ConfigurationError

    frame = pd.DataFrame({"value": ["+32 470 11 22 33", "+32470112233", "+33 6 12", None]})
    key = bytes.fromhex("ab" * 32)
    out = mask_frame(frame, "contact", key=key)["value"]
    assert out[0] == out[1]  # spacing does not change the token
    assert out[0] != out[2]
    assert out[0].startswith(PSEUDONYM_PREFIX)
    assert pd.isna(out[3])
    assert "470" not in "".join(out.dropna())
    monkeypatch.setenv(KEY_ENV, "cd" * 32)
    assert pseudonym_key() == bytes.fromhex("cd" * 32)
    monkeypatch.setenv(KEY_ENV, "not hex")
    with pytest.raises(ConfigurationError):
        pseudonym_key()


def test_the_key_file_is_made_once_with_mode_0600(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    from pathlib import Path

    from piu_lab.access.masking import KEY_ENV, pseudonym_key

    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    first = pseudonym_key()
    assert len(first) == 32
    assert pseudonym_key() == first
    path = Path(str(tmp_path)) / "piu-lab" / "pseudonym.key"
    assert os.stat(path).st_mode & 0o777 == 0o600

"""The watchlist registry (R-PRE-01): registered lists only, versions, entries from files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from piu_lab import api
from piu_lab.access.register import Service
from piu_lab.errors import ConfigurationError, InvalidRecord
from piu_lab.hits.demo import DEMO_LISTS
from piu_lab.hits.registry import (
    WatchlistInfo,
    active_lists,
    list_entries,
    read_entries_file,
    register_watchlist,
)
from piu_lab.hits.run import run_screening
from piu_lab.model.hits import Listing, ListScope
from piu_lab.store import open_store

AT = datetime(2026, 11, 25, tzinfo=UTC)
ENTRIES = pd.DataFrame(
    {
        "entry_id": ["E1", "E2"],
        "surname": ["DOE", "ROE"],
        "given_names": ["JANE", "RICHARD"],
        "aliases": [["DOE/JANINE"], None],
        "date_of_birth": ["1980-02-03", None],
    }
)
INFO = DEMO_LISTS["BE-CUSTOMS"]


def test_a_list_needs_its_owner_basis_kind_and_scope() -> None:
    with pytest.raises(InvalidRecord) as bad:
        WatchlistInfo("bad id", "", Service.PIU, (), "x", Listing.SOUGHT, ListScope.COMMON)
    assert len(bad.value.errors) == 6  # id, name, owner, services, basis, common_db
    with pytest.raises(InvalidRecord, match="only for a common list"):
        replace(INFO, common_db="police_common")
    with pytest.raises(InvalidRecord, match="owner service"):
        replace(INFO, services=(Service.FEDERAL_POLICE,))


def test_versions_and_fingerprints(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as store:
        first = register_watchlist(store, INFO, ENTRIES, actor="PIU-H01", at=AT)
        again = register_watchlist(store, INFO, ENTRIES, actor="PIU-H01", at=AT)
        assert (first.version, again.version, first.entry_count) == (1, 1, 2)
        assert again.fingerprint == first.fingerprint
        changed = register_watchlist(store, INFO, ENTRIES.iloc[:1], actor="PIU-H01", at=AT)
        assert changed.version == 2
        [active] = active_lists(store)
        assert (active.version, active.entry_count) == (2, 1)
        entries = list_entries(store)
        assert list(entries["entry_id"]) == ["BE-CUSTOMS:E1"]
        assert entries.loc[0, "aliases"] == ["DOE/JANINE"]
        assert entries.loc[0, "full_name"] == "DOE/JANE"


def test_bad_entries_name_their_rows(tmp_path: Path) -> None:
    bad = pd.DataFrame({"entry_id": ["A", "A", ""], "full_name": ["X Y", "", "Z"]})
    with (
        open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as store,
        pytest.raises(InvalidRecord) as err,
    ):
        register_watchlist(store, INFO, bad, actor="PIU-H01", at=AT)
    assert set(err.value.errors) == {
        "row 1: no name",
        "row 1: entry_id repeated",
        "row 2: entry_id empty",
    }


def test_entries_from_csv_and_json(tmp_path: Path) -> None:
    csv_file = tmp_path / "list.csv"
    csv_file.write_text("entry_id,full_name,aliases\nE1,DOE/JANE,DOE/J|D/JANE\n", "utf-8")
    assert read_entries_file(csv_file).loc[0, "aliases"] == "DOE/J|D/JANE"
    json_file = tmp_path / "list.json"
    json_file.write_text(json.dumps({"entries": [{"entry_id": "E1", "full_name": "A/B"}]}))
    assert list(read_entries_file(json_file)["entry_id"]) == ["E1"]
    with pytest.raises(InvalidRecord, match=r"not a \.csv or \.json"):
        read_entries_file(tmp_path / "list.xlsx")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(InvalidRecord, match="cannot read"):
        read_entries_file(tmp_path / "broken.json")


def test_screening_refuses_to_run_without_registered_lists(tmp_path: Path) -> None:
    """R-PRE-01: only the registered databases are screened against."""
    with (
        open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as store,
        pytest.raises(ConfigurationError, match="R-PRE-01"),
    ):
        run_screening(store, api.FrozenClock(AT), [AT.date()])

"""Watchlists of the competent services: columns, sizes, partial dates of birth."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from piu_lab.synth import SynthTraffic
from piu_lab.synth.config import SCALES
from piu_lab.synth.watchlists import COLUMNS

DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_columns_and_lists(small: SynthTraffic) -> None:
    w = small.watchlists
    assert list(w.columns) == list(COLUMNS)
    assert w["entry_id"].is_unique
    expected = dict(SCALES["small"].watchlist_sizes)
    counts = w["list_id"].value_counts().to_dict()
    assert set(counts) == set(expected)
    for list_id, size in expected.items():
        assert size <= counts[list_id] <= size + 40  # plus the planted entries
    assert all(e.startswith(lid + "-") for e, lid in zip(w["entry_id"], w["list_id"], strict=True))
    assert (w["full_name"] == w["surname"] + "/" + w["given_names"]).all()
    assert all(isinstance(a, list) for a in w["aliases"])
    assert any(len(a) > 1 for a in w["aliases"])
    assert w["offence_category"].notna().all()


def test_partial_dates_of_birth(small: SynthTraffic) -> None:
    dobs = small.watchlists["date_of_birth"]
    present = [d for d in dobs if isinstance(d, str)]
    assert all(DOB.match(d) for d in present)
    lengths = {len(d) for d in present}
    assert lengths == {4, 7, 10}  # YYYY, YYYY-MM, YYYY-MM-DD
    assert dobs.isna().sum() > 0
    for d in present:
        if len(d) == 10:
            pd.Timestamp(d)  # a real date


def test_names_are_upper_case_ascii(small: SynthTraffic) -> None:
    for name in small.watchlists["full_name"]:
        assert name == name.upper()
        assert name.isascii()


def test_written_csv_per_list(written: Path, small: SynthTraffic) -> None:
    files = sorted((written / "watchlists").glob("*.csv"))
    assert [f.stem for f in files] == sorted(small.watchlists["list_id"].unique())
    total = 0
    for f in files:
        frame = pd.read_csv(f, dtype=str, keep_default_na=False)
        assert list(frame.columns) == list(COLUMNS)
        assert (frame["list_id"] == f.stem).all()
        total += len(frame)
    assert total == len(small.watchlists)

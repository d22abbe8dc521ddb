"""write_traffic: the files it reports are the files on disk, with a summary beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from piu_lab.synth import SynthTraffic, write_traffic


def test_counts_match_the_files(written: Path, small: SynthTraffic) -> None:
    on_disk = {
        "pnrgov": len(list((written / "pnrgov").glob("*.edi"))),
        "paxlst": len(list((written / "paxlst").glob("*.edi"))),
        "watchlists": len(list((written / "watchlists").glob("*.csv"))),
        "truth": len(list((written / "truth").glob("*.csv"))),
        "summary": int((written / "summary.json").exists()),
    }
    summary = json.loads((written / "summary.json").read_text())
    assert {k: summary[f"files_{k}"] for k in on_disk} == on_disk
    assert on_disk["pnrgov"] == 2 * len(small.transports)
    assert on_disk["truth"] == 4


def test_summary_has_counts_only(written: Path, small: SynthTraffic) -> None:
    summary = json.loads((written / "summary.json").read_text())
    assert all(isinstance(v, int) for v in summary.values())
    for key in (
        "journeys", "flights", "carriers", "pnrs", "pnr_versions", "passengers", "manifests",
        "watchlist_entries", "planted_watchlist_hits", "planted_networks", "planted_criteria",
    ):  # fmt: skip
        assert summary[key] == small.summary()[key]


def test_truth_files_round_trip(written: Path, small: SynthTraffic) -> None:
    for name, frame in small.truth.items():
        back = pd.read_csv(written / "truth" / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(back.columns) == list(frame.columns)
        assert len(back) == len(frame)


def test_progress_is_reported(small: SynthTraffic, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    write_traffic(small, tmp_path, progress=lambda s, d, t: seen.append((s, d, t)))
    stages = {s for s, _, _ in seen}
    assert {"pnrgov", "paxlst"} <= stages
    assert all(0 <= d <= t for _, d, t in seen)

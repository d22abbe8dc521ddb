"""The facade: opening a lab, its summary, the ingest and the demo through it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import piu_lab.api as api
from piu_lab.synth import generate, write_traffic


def test_open_lab_summary_and_clock(tmp_path: Path) -> None:
    clock = api.FrozenClock(datetime(2026, 3, 2, tzinfo=UTC))
    with api.open_lab(str(tmp_path / "lab.sqlite3"), clock=clock) as lab:
        assert lab.clock is clock
        assert lab.dialect == "sqlite"
        summary = lab.summary()
        assert summary.schema_revision
        assert summary.counts["pnr"] == 0
        assert "lab.sqlite3" in lab.url


def test_open_lab_without_create_refuses_an_empty_database(tmp_path: Path) -> None:
    with pytest.raises(api.SchemaNotInitialised):
        api.open_lab(str(tmp_path / "none.sqlite3"), create=False)


def test_default_database_url_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIU_LAB_DB", str(tmp_path / "env.sqlite3"))
    assert api.default_database_url().endswith("env.sqlite3")


def test_ingest_purge_and_message_counts(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write_traffic(generate(api.SynthConfig(seed=4)), feed)
    (feed / "pnrgov" / "zz-broken.edi").write_text("UNB+IATA:1+X+Y+260302:0800+1'UNH+1+PNRGOV'")
    clock = api.FrozenClock(datetime(2026, 3, 4, tzinfo=UTC))
    with api.open_lab(str(tmp_path / "lab.sqlite3"), clock=clock) as lab:
        report = lab.ingest([feed], replay=True, quarantine_days=2)
        assert report.quarantined == 1
        assert report.stored == report.received - 1
        counts = lab.message_counts()
        assert counts == {"STORED": report.stored, "QUARANTINED": 1}
        assert lab.purge_quarantine() == 0
        clock.advance(days=3)
        assert lab.purge_quarantine() == 1
    doc = api.ingest_report_json(report)
    assert doc["summary"]["quarantined"] == 1  # type: ignore[index]


def test_dry_run_ingest_needs_no_database(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write_traffic(generate(api.SynthConfig(seed=6)), feed)
    report = api.dry_run_ingest([feed / "paxlst"])
    assert report.manifests == report.received > 0
    assert report.pnr_versions == 0


def test_load_demo_goes_through_the_ingest(tmp_path: Path) -> None:
    with api.open_lab(str(tmp_path / "lab.sqlite3")) as lab:
        result = lab.load_demo(api.SynthConfig(seed=2), out_dir=tmp_path / "messages")
        assert result.ingest["stored"] == result.ingest["received"]
        assert result.files
        assert lab.summary().counts["pnr_version"] == result.ingest["pnr_versions"]
        # R-SCOPE-02: the demo's decision lets its intra-EU, rail, bus and sea journeys in
        assert result.ingest["refused_pnrs"] == result.ingest["refused_manifests"] == 0
        assert result.ingest["pnr_versions"] == result.traffic["pnr_versions"]
        assert lab.scope_decisions()["state"].tolist() == ["active"]


def test_load_demo_screens_the_stored_journeys(tmp_path: Path) -> None:
    """R-PRE-01: the demo registers the synthetic watchlists, screens what the ingest stored,
    finds the planted travellers the hit rule supports, and reviews the hits against the
    ground truth; only counts leave the facade."""
    with api.open_lab(str(tmp_path / "lab.sqlite3")) as lab:
        result = lab.load_demo(api.SynthConfig(seed=2), out_dir=tmp_path / "messages")
        assert lab.watchlists()
    sc = result.screening
    assert sc["travellers"] > 0
    assert sc["lists"] == 5
    assert sc["entries"] == result.traffic["watchlist_entries"]
    assert sc["planted"] > 0
    assert sc["planted_found"] >= 0.8 * sc["planted"]  # type: ignore[operator]
    assert sc["hits"] >= sc["planted_found"]  # type: ignore[operator]
    assert sc["validated"] + sc["rejected_false_positive"] > 0  # type: ignore[operator]
    for key, value in sc.items():
        values = value.values() if isinstance(value, dict) else [value]
        assert all(isinstance(v, (int, float)) for v in values), key


def test_load_demo_seeds_the_staff_register_once(tmp_path: Path) -> None:
    """R-ACC-01..03: the demo has a realistic staff register (seeded once, from its history)."""
    with api.open_lab(str(tmp_path / "lab.sqlite3")) as lab:
        first = lab.load_demo(api.SynthConfig(seed=2), out_dir=tmp_path / "messages")
        again = lab.load_demo(api.SynthConfig(seed=2), out_dir=tmp_path / "messages")
    assert first.staff >= 10
    assert again.staff == first.staff


def test_load_demo_with_history_has_masked_kept_and_deleted_data(tmp_path: Path) -> None:
    """Issue 7: the demo's history spans more than six months and goes through one lifecycle
    run (R-RET-01..03): PNRs older than six months are deleted unless a passenger has a
    validated hit, those kept are masked into sealed storage, the recent ones untouched."""
    clock = api.FrozenClock(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    config = api.SynthConfig(seed=2, start=datetime(2026, 11, 23).date())
    with api.open_lab(str(tmp_path / "lab.sqlite3"), clock=clock) as lab:
        result = lab.load_demo(config, out_dir=tmp_path / "messages", history_months=7)
        pnrs = lab._store.read_table("pnr")
        runs = lab.lifecycle_runs()
    assert result.history["months"] == 7
    assert result.history["validated"] > 0
    lc = result.lifecycle
    assert lc["deleted_pnrs"] > 0
    assert lc["kept_passengers"] > 0
    assert lc["masked_pnrs"] == pnrs["masked_at"].notna().sum() > 0
    recent = pnrs["first_received_at"] > clock.now() - timedelta(days=150)
    assert pnrs.loc[recent, "masked_at"].isna().all()
    assert len(runs) == 1
    assert result.screening["criteria"] == 20

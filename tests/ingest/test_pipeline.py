"""The ingest into the store: versions, duplicates, quarantine, atomicity, the count invariant
(R-DATA-04, R-SENS-02: nothing received is lost without a trace), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from piu_lab.clock import FrozenClock
from piu_lab.errors import ConfigurationError, StoreError
from piu_lab.ingest.pipeline import ingest_paths, message_files
from piu_lab.model import MessageStatus
from piu_lab.store import Store, open_store
from piu_lab.store import writes as store_writes
from piu_lab.synth import SynthConfig, generate, write_traffic

NOW = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic day as carriers send it."""
    out = tmp_path_factory.mktemp("feed")
    write_traffic(generate(SynthConfig(seed=5)), out)
    return out


@pytest.fixture
def lab_store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as store:
        yield store


def invariant(store: Store, received: int) -> None:
    counts = store.message_counts()
    assert sum(counts.values()) == received
    assert set(counts) <= {s.value for s in MessageStatus}


def test_a_feed_is_stored_as_versions(feed: Path, lab_store: Store) -> None:
    report = ingest_paths([feed], store=lab_store, clock=FrozenClock(NOW), replay=True)
    assert report.quarantined == 0
    assert report.stored == report.received > 20
    counts = lab_store.counts()
    assert counts["pnr_version"] == report.pnr_versions
    assert counts["api_manifest"] == report.manifests > 0
    # two pushes per flight: most PNRs have a version 1 and a version 2 (R-DATA-04)
    versions = lab_store.read_table("pnr")["latest_version"]
    assert versions.max() >= 2
    assert (versions == 2).mean() > 0.5
    invariant(lab_store, report.received)
    # the deleted items are counted on the message, never their values (R-SENS-02)
    messages = lab_store.read_table("message")
    deleted = [json.loads(x) for x in messages["sensitive_deleted"]]
    assert sum(sum(d.values()) for d in deleted) == sum(report.removed.values()) > 0


def test_the_same_content_is_stored_once(feed: Path, lab_store: Store) -> None:
    clock = FrozenClock(NOW)
    first = ingest_paths([feed], store=lab_store, clock=clock, replay=True)
    clock.advance(hours=1)
    second = ingest_paths([feed], store=lab_store, clock=clock, replay=True)
    assert second.duplicates == second.received == first.received
    assert second.pnr_versions == 0
    assert lab_store.counts()["pnr_version"] == first.pnr_versions
    invariant(lab_store, first.received + second.received)
    reasons = lab_store.read_table("message").query("status == 'DUPLICATE'")["reason"]
    assert all(r.startswith("same content as message ") for r in reasons)


def test_an_unparseable_message_is_quarantined_and_purged(
    feed: Path, lab_store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_bytes(b"UNB+IATA:1+XX+BE+260302:0800+1'UNH+1+INVOIC:D:96A:UN'BGM+380+SECRET'UNT+3+1'")
    empty = tmp_path / "empty.edi"
    empty.write_bytes(b"this is not edifact at all")
    clock = FrozenClock(NOW)
    report = ingest_paths([bad, empty], store=lab_store, clock=clock, quarantine_days=10)
    assert report.quarantined == 2
    assert report.stored == 0
    quarantine = lab_store.read_table("quarantine")
    assert len(quarantine) == 2
    assert quarantine["reason"].str.len().min() > 10
    assert (quarantine["segment"] >= 0).all()
    # the scrubbed form keeps the shape, never a value
    assert not quarantine["scrubbed"].str.contains("SECRET").any()
    assert quarantine["scrubbed"].str.contains("BGM").any()
    invariant(lab_store, 2)
    clock.advance(days=9)
    assert lab_store.purge_quarantine(clock.now()) == 0
    clock.advance(days=1, seconds=1)
    assert lab_store.purge_quarantine(clock.now()) == 2
    after = lab_store.read_table("quarantine")
    assert after["scrubbed"].isna().all()
    assert after["reason"].notna().all()  # the trace stays
    assert lab_store.purge_quarantine(clock.now()) == 0


def test_a_message_is_stored_entirely_or_not_at_all(
    feed: Path, lab_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the PNRs of a message were written leaves none of them (one
    transaction); ingesting again completes the feed."""
    paxlst = sorted((feed / "paxlst").iterdir())[0]

    def broken(*args: object, **kwargs: object) -> object:
        raise StoreError("disk full (simulated)")

    monkeypatch.setattr(store_writes, "write_manifests", broken)
    with pytest.raises(StoreError):
        ingest_paths([paxlst], store=lab_store, clock=FrozenClock(NOW))
    assert lab_store.counts()["message"] == 0
    assert lab_store.counts()["api_person"] == 0
    monkeypatch.undo()
    report = ingest_paths([paxlst], store=lab_store, clock=FrozenClock(NOW))
    assert report.stored == report.received
    assert lab_store.counts()["api_person"] > 0


def test_files_and_folders(feed: Path, tmp_path: Path) -> None:
    files = message_files(
        [feed / "pnrgov", feed / "paxlst" / sorted(p.name for p in (feed / "paxlst").iterdir())[0]]
    )
    assert files
    assert all(f.suffix == ".edi" for f in files)
    assert not any(f.name.endswith(".csv") for f in message_files([feed]))
    with pytest.raises(ConfigurationError, match="no such file"):
        message_files([tmp_path / "missing"])


def test_dry_run_writes_nothing_and_sees_duplicates(feed: Path) -> None:
    one = sorted((feed / "pnrgov").iterdir())[0]
    report = ingest_paths([one, one], store=None, clock=FrozenClock(NOW))
    assert [status for _, status in report.items] == ["parsed", "duplicate"]


def test_versions_follow_the_order_of_receipt(feed: Path, lab_store: Store) -> None:
    early = sorted((feed / "pnrgov").glob("*_EARLY.edi"))[0]
    closure = early.with_name(early.name.replace("_EARLY", "_CLOSURE"))
    ingest_paths([early], store=lab_store, clock=FrozenClock(NOW), replay=True)
    ingest_paths([closure], store=lab_store, clock=FrozenClock(NOW), replay=True)
    table = lab_store.read_table("pnr")
    pnr = table[table["latest_version"] == 2].iloc[0]  # booked before the early push
    versions = lab_store.pnr_versions(str(pnr["pnr_id"]))
    assert list(versions["version"]) == list(range(1, len(versions) + 1))
    stages = list(
        lab_store.read_table("pnr_version").query(f"pnr_id == '{pnr['pnr_id']}'")["push_stage"]
    )
    assert stages[0] == "EARLY"
    assert stages[-1] == "CLOSURE"


def test_receipt_time_is_the_clock_unless_replaying(feed: Path, lab_store: Store) -> None:
    one = sorted((feed / "pnrgov").glob("*_EARLY.edi"))[0]
    when = NOW + timedelta(days=30)
    ingest_paths([one], store=lab_store, clock=FrozenClock(when))
    received = lab_store.read_table("pnr_version")["received_at"]
    assert (received == when).all()

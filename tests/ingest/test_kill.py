"""kill -9 in the middle of an ingest leaves no partial message, and running it again completes
the feed (each batch of whole messages is one transaction; ``--batch 1``: one per message)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from piu_lab.clock import FrozenClock
from piu_lab.ingest.pipeline import ingest_paths
from piu_lab.store import open_store
from piu_lab.synth import SynthConfig, generate, write_traffic

PNR_TABLES = ("pnr_version", "passenger", "segment", "travel_document", "api_person")


def _stored_messages(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM message").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_then_ingest_again(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write_traffic(generate(SynthConfig(days=4, seed=21)), feed)
    reference = tmp_path / "reference.sqlite3"
    with open_store(str(reference)) as store:
        full = ingest_paths([feed], store=store, clock=FrozenClock(), replay=True)
        expected = {t: store.counts()[t] for t in PNR_TABLES}
    assert full.received > 60

    db = tmp_path / "killed.sqlite3"
    exe = Path(sys.executable).with_name("piu-lab")
    proc = subprocess.Popen(
        [str(exe), "ingest", str(feed), "--db", str(db), "--replay", "--quiet", "--batch", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _stored_messages(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with open_store(str(db)) as store:
        committed = store.message_counts().get("STORED", 0)
        assert 0 < committed < full.received, "the kill should land mid-feed"
        # no partial message: every stored version belongs to a stored message, and the
        # versions of each stored message are all there
        versions = store.read_table("pnr_version")
        messages = set(store.read_table("message")["message_id"])
        assert set(versions["message_id"]) <= messages
        again = ingest_paths([feed], store=store, clock=FrozenClock(), replay=True)
        assert again.duplicates == committed
        assert again.stored == full.received - committed
        assert {t: store.counts()[t] for t in PNR_TABLES} == expected

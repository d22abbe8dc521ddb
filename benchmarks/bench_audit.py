"""Audit log benchmark: chained appends and chain verification, on SQLite and PostgreSQL.

Targets (audit issue, R-LOG-02): >= 2,000 chained appends/s on SQLite; verification of
>= 100,000 events/s. Measured in the same run, for scale:

* ``single``: ``AuditLog.append`` one event per transaction (the write lock -- ``BEGIN
  IMMEDIATE`` / advisory lock --, the head read, validation, SHA-256, the insert, the commit);
* ``batch``: ``AuditLog.append_many`` in batches of 500 events (one transaction each);
* ``baseline``: the same rows inserted one per transaction with no lock, head read or hash
  (what the chain costs on top of a plain insert);
* ``verify``: ``AuditLog.verify()`` over the whole log (reading and re-hashing every row),
  and the read alone (rows fetched, no hashing) as its baseline.

Events are synthetic references (``message:B...``), no personal data. Writes a Markdown table to
stdout and JSON to ``benchmarks/results/audit.json``. PostgreSQL: ``PIU_LAB_TEST_PG_URL`` when
set, else a throwaway cluster (fsync on) from ``tests/pgserver.py``, else that row is skipped.
``--events N`` scales the batch part (default 50,000).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.audit import AuditDraft, AuditLog  # noqa: E402
from piu_lab.audit.log import digest_hex  # noqa: E402
from piu_lab.clock import FrozenClock  # noqa: E402
from piu_lab.store import open_store  # noqa: E402
from piu_lab.store.schema import audit_event  # noqa: E402
from tests import pgserver  # noqa: E402

SINGLE = 2_000
BASELINE = 2_000
BATCH = 500


def _draft(i: int) -> AuditDraft:
    return AuditDraft(
        actor="PIU-0042",
        action="collect",
        objects=(f"message:B{i:08d}",),
        record_count=1,
        detail={"i": i},
    )


def run_backend(backend: str, url: str, n_events: int) -> dict[str, Any]:
    clock = FrozenClock(datetime(2026, 3, 1, tzinfo=UTC))
    with open_store(url) as store:
        log = AuditLog(store, clock)
        start = time.perf_counter()
        for i in range(SINGLE):
            d = _draft(i)
            log.append(actor=d.actor, action=d.action, objects=d.objects, detail=d.detail)
        single_s = time.perf_counter() - start

        drafts = [_draft(i) for i in range(SINGLE, SINGLE + n_events)]
        start = time.perf_counter()
        for i in range(0, len(drafts), BATCH):
            log.append_many(drafts[i : i + BATCH])
        batch_s = time.perf_counter() - start
        total = log.count()

        start = time.perf_counter()
        result = log.verify()
        verify_s = time.perf_counter() - start
        assert result.ok, result
        assert result.checked == total

        start = time.perf_counter()
        read_rows = sum(1 for _ in log._raw_rows(1, None))
        read_s = time.perf_counter() - start

        sample = log.read(1, 1)[0]
        row = {c.name: None for c in audit_event.columns}
        row.update(
            at=sample.event.at.replace(tzinfo=None),
            actor="PIU-0042",
            action="collect",
            objects='["message:B0"]',
            record_count=1,
            decision="allowed",
            detail="{}",
            prev_hash=digest_hex(bytes(32)),
            hash=digest_hex(bytes(32)),
        )
        start = time.perf_counter()
        for i in range(BASELINE):
            with store.engine.begin() as conn:
                conn.execute(audit_event.insert(), {**row, "sequence": total + 1 + i})
        baseline_s = time.perf_counter() - start
    return {
        "backend": backend,
        "single_appends": SINGLE,
        "single_appends_per_s": round(SINGLE / single_s),
        "batch_appends": n_events,
        "batch_appends_per_s": round(n_events / batch_s),
        "baseline_inserts_per_s": round(BASELINE / baseline_s),
        "single_over_baseline": round((SINGLE / single_s) / (BASELINE / baseline_s), 2),
        "verified_events": result.checked,
        "verify_events_per_s": round(result.checked / verify_s),
        "read_only_rows_per_s": round(read_rows / read_s),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="piu-bench-") as tmp:
        results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args.events))
        cluster = None
        url = os.environ.get("PIU_LAB_TEST_PG_URL")
        if not url and pgserver.find_pg_bin() is not None:
            cluster = pgserver.start_cluster(durable=True)
            url = cluster.url
        try:
            if url:
                pgserver.reset_database(url)
                results.append(run_backend("postgresql", url, args.events))
        finally:
            if cluster is not None:
                cluster.stop()
    print_table(results)
    out = ROOT / "benchmarks" / "results" / "audit.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"\nJSON: {out.relative_to(ROOT)}")
    return 0


def print_table(results: list[dict[str, Any]]) -> None:
    print(
        "| backend | single appends/s | batch appends/s (x500) | plain inserts/s (baseline) | "
        "single / baseline | verified events | verify events/s | read-only rows/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['single_appends_per_s']:,} | {r['batch_appends_per_s']:,} | "
            f"{r['baseline_inserts_per_s']:,} | {r['single_over_baseline']}x | "
            f"{r['verified_events']:,} | {r['verify_events_per_s']:,} | "
            f"{r['read_only_rows_per_s']:,} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())

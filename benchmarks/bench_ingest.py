"""Ingest benchmark: one synthetic Belgian day, both pushes, end to end into SQLite and
PostgreSQL (ingest issue target: <= 3 minutes on 2 cores).

The feed is generated and written as carriers send it (PNRGOV/PAXLST files), then taken in by
``ingest_paths`` with ``replay`` (each message's envelope time is its receipt): tokenising,
parsing, the Annex I filter and deletion on receipt, one transaction per message, versions.
Baseline in the same run: loading the same records straight into the store
(``Store.write_pnrs``/``write_manifests``), which skips parsing and the per-message transaction.

Writes a Markdown table to stdout and JSON to ``benchmarks/results/ingest.json``. PostgreSQL:
``PIU_LAB_TEST_PG_URL`` when set, else a throwaway cluster from ``tests/pgserver.py``, else
skipped. ``--scale small`` for a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.clock import FrozenClock  # noqa: E402
from piu_lab.ingest.pipeline import ingest_paths  # noqa: E402
from piu_lab.store import open_store  # noqa: E402
from piu_lab.synth import SynthConfig, generate, write_traffic  # noqa: E402
from tests import pgserver  # noqa: E402


def _run(url: str, feed: Path, traffic: Any) -> dict[str, Any]:
    with open_store(url) as store:
        store.write_carriers(traffic.carriers)
        start = time.perf_counter()
        report = ingest_paths([feed], store=store, clock=FrozenClock(), replay=True)
        seconds = time.perf_counter() - start
        counts = store.counts()
    direct_url = url + "-direct"
    if url.startswith("postgres"):
        pgserver.reset_database(url)  # the baseline loads the same records into an empty store
        direct_url = url
    with open_store(direct_url) as direct:
        start = time.perf_counter()
        for i in range(0, len(traffic.pnrs), 20_000):
            direct.write_pnrs(traffic.pnrs[i : i + 20_000])
        direct.write_manifests(traffic.manifests)
        direct_s = time.perf_counter() - start
    return {
        "messages": report.received,
        "stored": report.stored,
        "quarantined": report.quarantined,
        "pnr_versions": report.pnr_versions,
        "passenger_rows": counts["passenger"],
        "ingest_s": round(seconds, 1),
        "pnr_versions_per_s": round(report.pnr_versions / seconds),
        "direct_load_s": round(direct_s, 1),
        "ingest_over_direct": round(seconds / direct_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "belgium"], default="belgium")
    args = parser.parse_args()
    out: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    with tempfile.TemporaryDirectory(prefix="piu-bench-ingest-") as tmp:
        feed = Path(tmp) / "feed"
        start = time.perf_counter()
        traffic = generate(SynthConfig(scale=args.scale))
        write_traffic(traffic, feed)
        out["generate_write_s"] = round(time.perf_counter() - start, 1)
        out["sqlite"] = _run(f"sqlite:///{tmp}/ingest.sqlite3", feed, traffic)
        pg_url = os.environ.get("PIU_LAB_TEST_PG_URL")
        cluster = None
        if pg_url is None and pgserver.find_pg_bin() is not None:
            cluster = pgserver.start_cluster(durable=True)
            pg_url = cluster.url
        try:
            if pg_url is not None:
                pgserver.reset_database(pg_url)
                out["postgresql"] = _run(pg_url, feed, traffic)
        finally:
            if cluster is not None:
                cluster.stop()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print("| backend | messages | PNR versions | ingest s | versions/s | direct load s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend in ("sqlite", "postgresql"):
        r = out.get(backend)
        if r:
            print(
                f"| {backend} | {r['messages']:,} | {r['pnr_versions']:,} | {r['ingest_s']} | "
                f"{r['pnr_versions_per_s']:,} | {r['direct_load_s']} | {r['ingest_over_direct']}x |"
            )
    print(f"\npeak RSS {out['peak_rss_mb']} MB; generate + write {out['generate_write_s']} s")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "ingest.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Store benchmark: set-based bulk writes and the day-of-journeys read, on SQLite and PostgreSQL.

Targets (store issue): >= 50,000 passenger rows/s written on both backends; reading a day of
about 95,000 journeys into a frame in <= 3 s. Everything is synthetic (invented TESTPERSON
names, generated here with numpy). Measured in the same run, for scale:

* ``bulk``: PNR, version, passenger, document and segment frames written with
  ``piu_lab.store.bulk`` in one transaction; passenger rows/s counts only passenger rows, but the
  clock runs for all five tables;
* ``baseline``: the naive way, one SQLAlchemy ``insert().values(...)`` per passenger row (a
  sample), and the ratio of the bulk passenger-table rate to it (like for like);
* ``write_pnrs``: the full path from model records (validation, duplicate check, frames, bulk);
* ``read_journeys``: ``Store.read_journeys(day)`` on the day holding ~95,000 journeys.

Writes a Markdown table to stdout and JSON to ``benchmarks/results/store.json``. PostgreSQL:
``PIU_LAB_TEST_PG_URL`` when set, else a throwaway cluster (fsync on) from ``tests/pgserver.py``,
else that row is skipped. ``--passengers N`` scales the run (default 200,000).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.store import Store, open_store, schema  # noqa: E402
from piu_lab.store.bulk import insert_frame, upsert_frame  # noqa: E402
from piu_lab.store.frames import coerce  # noqa: E402
from tests import factories, pgserver  # noqa: E402

DAY = date(2026, 3, 2)
BASELINE_ROWS = 3_000
RECORD_PNRS = 10_000


def synthetic_frames(n_pax: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """PNR, version, passenger, document and segment frames: 2 passengers per PNR, half of
    the PNRs with a return leg; outbound legs split between DAY and the next day."""
    rng = np.random.default_rng(seed)
    n_pnr = n_pax // 2
    ids = np.char.add("ZZ:B", np.char.zfill(np.arange(n_pnr).astype(str), 8))
    base = np.datetime64(DAY.isoformat(), "us")
    minute = np.timedelta64(60_000_000, "us")
    day_offset = np.where(rng.random(n_pnr) < 0.475, 0, 1440)  # ~95,000 journeys on DAY
    dep = base + (day_offset + rng.integers(0, 1440, n_pnr)) * minute
    received = dep - 2 * 1440 * minute
    pnr = pd.DataFrame(
        {
            "pnr_id": ids,
            "carrier": "ZZ",
            "record_locator": np.char.add("B", np.char.zfill(np.arange(n_pnr).astype(str), 8)),
            "sector": "AIR",
            "carrier_type": "CARRIER",
            "created_at": received - 30 * 1440 * minute,
            "first_received_at": received,
            "latest_version": 1,
            "latest_received_at": received,
        }
    )
    version = pd.DataFrame(
        {
            "pnr_id": ids,
            "version": 1,
            "push_stage": "EARLY",
            "created_at": received - 30 * 1440 * minute,
            "received_at": received,
            "message_id": "BENCH",
            "party_size": 2,
            "agency_iata_number": None,
            "agency_name": None,
            "agency_city": None,
            "agency_country": None,
            "agency_agent_id": None,
        }
    )
    pax_ids = np.repeat(ids, 2)
    refs = np.tile(np.array(["1", "2"]), n_pnr)
    given = rng.choice(np.array(factories.NAMES), n_pnr * 2)
    passenger = pd.DataFrame(
        {
            "pnr_id": pax_ids,
            "version": 1,
            "pax_ref": refs,
            "pax_no": np.tile([1, 2], n_pnr),
            "surname": "TESTPERSON",
            "given_names": given,
            "title": "",
            "passenger_type": "A",
            "travel_status": "CONFIRMED",
            "infant_of": None,
        }
    )
    dob = np.datetime64("1950-01-01") + rng.integers(0, 25_000, n_pnr * 2).astype("m8[D]")
    document = pd.DataFrame(
        {
            "pnr_id": pax_ids,
            "version": 1,
            "pax_ref": refs,
            "doc_no": 1,
            "doc_type": "P",
            "number": np.char.add("TP", np.arange(n_pnr * 2).astype(str)),
            "issuing_country": "BEL",
            "expiry_date": np.datetime64("2031-01-01"),
            "nationality": rng.choice(np.array(["BEL", "FRA", "NLD", "DEU"]), n_pnr * 2),
            "date_of_birth": dob,
            "gender": rng.choice(np.array(["M", "F"]), n_pnr * 2),
            "surname": "TESTPERSON",
            "given_names": given,
        }
    )
    returns = rng.random(n_pnr) < 0.5
    seg_ids = np.concatenate([ids, ids[returns]])
    seg_dep = np.concatenate([dep, dep[returns] + 5 * 1440 * minute])
    n_seg = len(seg_ids)
    out_leg = np.arange(n_seg) < n_pnr
    segment = pd.DataFrame(
        {
            "pnr_id": seg_ids,
            "version": 1,
            "seg_no": np.where(out_leg, 1, 2),
            "sector": "AIR",
            "carrier": "ZZ",
            "transport_number": rng.integers(100, 999, n_seg).astype(str),
            "origin": np.where(out_leg, "BRU", "LHR"),
            "destination": np.where(out_leg, "LHR", "BRU"),
            "origin_kind": "AIRPORT",
            "destination_kind": "AIRPORT",
            "origin_country": np.where(out_leg, "BE", "GB"),
            "destination_country": np.where(out_leg, "GB", "BE"),
            "departure_local": seg_dep + 60 * minute,
            "arrival_local": seg_dep + 90 * minute,
            "departure_utc": seg_dep,
            "arrival_utc": seg_dep + 90 * minute,
            "booking_class": "Y",
            "status": "HK",
            "operating_carrier": None,
            "operating_number": None,
            "equipment": "",
        }
    )
    named = {"pnr": pnr, "pnr_version": version, "passenger": passenger}
    named |= {"travel_document": document, "segment": segment}
    return {name: coerce(schema.TABLES[name], frame) for name, frame in named.items()}


def write_frames(store: Store, tables: dict[str, pd.DataFrame]) -> tuple[float, float]:
    """Seconds for the whole set (one transaction, commit included) and for passenger alone."""
    start = time.perf_counter()
    with store.engine.begin() as conn:
        upsert_frame(conn, schema.pnr, tables["pnr"], key=["pnr_id"])
        insert_frame(conn, schema.pnr_version, tables["pnr_version"])
        pax_start = time.perf_counter()
        insert_frame(conn, schema.passenger, tables["passenger"])
        pax_seconds = time.perf_counter() - pax_start
        for name in ("travel_document", "segment"):
            insert_frame(conn, schema.TABLES[name], tables[name])
    return time.perf_counter() - start, pax_seconds


def baseline(store: Store, tables: dict[str, pd.DataFrame], n: int) -> float:
    """Naive: one INSERT statement per passenger row through SQLAlchemy (parents bulk first)."""
    ids = set(tables["pnr"]["pnr_id"].iloc[: n // 2])
    sub = {k: v[v["pnr_id"].isin(ids)].copy() for k, v in tables.items()}
    sub["pnr"]["pnr_id"] = "X" + sub["pnr"]["pnr_id"]
    for k in ("pnr_version", "passenger"):
        sub[k]["pnr_id"] = "X" + sub[k]["pnr_id"]
    with store.engine.begin() as conn:
        upsert_frame(conn, schema.pnr, sub["pnr"], key=["pnr_id"])
        insert_frame(conn, schema.pnr_version, sub["pnr_version"])
    records = sub["passenger"].to_dict("records")
    start = time.perf_counter()
    with store.engine.begin() as conn:
        for row in records:
            conn.execute(schema.passenger.insert().values(**row))
    return len(records) / (time.perf_counter() - start)


def record_path(store: Store) -> tuple[float, int]:
    leg = (factories.segment(departure=datetime(2026, 4, 1, 9, tzinfo=UTC)),)
    pnrs = [
        factories.simple_pnr(
            f"R{i:07d}", n_pax=2, segments=leg, received_at=datetime(2026, 3, 28, tzinfo=UTC)
        )
        for i in range(RECORD_PNRS)
    ]
    start = time.perf_counter()
    result = store.write_pnrs(pnrs)
    elapsed = time.perf_counter() - start
    return result.rows["passenger"] / elapsed, result.rows["passenger"]


def run_backend(name: str, url: str, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    n_pax = len(tables["passenger"])
    with open_store(url) as store:
        seconds, pax_seconds = write_frames(store, tables)
        naive = baseline(store, tables, BASELINE_ROWS)
        record_rate, record_pax = record_path(store)
        reads = []
        for _ in range(3):
            start = time.perf_counter()
            journeys = store.read_journeys(DAY)
            reads.append(time.perf_counter() - start)
    return {
        "backend": name,
        "passenger_rows": n_pax,
        "rows_all_tables": sum(len(f) for f in tables.values()),
        "bulk_seconds": round(seconds, 3),
        "bulk_pax_rows_per_s": round(n_pax / seconds),
        "passenger_table_rows_per_s": round(n_pax / pax_seconds),
        "baseline_pax_rows_per_s": round(naive),
        "bulk_over_baseline": round(n_pax / pax_seconds / naive, 1),  # like for like
        "write_pnrs_pax_rows_per_s": round(record_rate),
        "write_pnrs_pax_rows": record_pax,
        "journeys_on_day": len(journeys),
        "read_journeys_s_best": round(min(reads), 3),
        "read_journeys_s_worst": round(max(reads), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passengers", type=int, default=200_000)
    args = parser.parse_args()
    tables = synthetic_frames(args.passengers)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="piu-bench-") as tmp:
        results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.sqlite3", tables))
        cluster = None
        url = os.environ.get("PIU_LAB_TEST_PG_URL")
        if not url and pgserver.find_pg_bin() is not None:
            cluster = pgserver.start_cluster(durable=True)
            url = cluster.url
        try:
            if url:
                pgserver.reset_database(url)
                results.append(run_backend("postgresql", url, tables))
        finally:
            if cluster is not None:
                cluster.stop()
    print_table(results)
    out = ROOT / "benchmarks" / "results" / "store.json"
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
        "| backend | passenger rows | passenger table rows/s | whole PNR set, pax rows/s | "
        "naive pax rows/s | ratio (pax table) | write_pnrs pax rows/s | journeys on day | "
        "read_journeys s (best/worst) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['passenger_rows']:,} | {r['passenger_table_rows_per_s']:,} | "
            f"{r['bulk_pax_rows_per_s']:,} | "
            f"{r['baseline_pax_rows_per_s']:,} | {r['bulk_over_baseline']}x | "
            f"{r['write_pnrs_pax_rows_per_s']:,} | {r['journeys_on_day']:,} | "
            f"{r['read_journeys_s_best']} / {r['read_journeys_s_worst']} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())

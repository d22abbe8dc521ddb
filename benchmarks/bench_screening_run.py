"""Screening-run benchmark (issue 6): one synthetic Belgian day from the store, five registered
lists topped up to 100,000 entries, the 20 demo criteria, hits routed and stored, then the
synthetic review. Target: the run <= 60 s on 2 cores; 0.02-0.3 % of journeys hit; 60-85 % of
the reviewed hits false positives.

Baseline in the same run: ``matching.screen`` alone on the same travellers and entries (the
matching the run cannot avoid); the ratio says what the run adds (reading the day, the hit
rule, the criteria features and evaluation, routing, notifications and the writes).

The day is written straight into SQLite (``Store.write_pnrs``: the ingest has its own
benchmark). Writes a Markdown table to stdout and JSON to
``benchmarks/results/screening_run.json``. ``--scale small`` for a quick run.
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
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from screening import extend_watchlists  # noqa: E402

from piu_lab import api  # noqa: E402
from piu_lab.access.persist import save_operations  # noqa: E402
from piu_lab.access.seed import demo_operations  # noqa: E402
from piu_lab.hits import queries  # noqa: E402
from piu_lab.matching import screen  # noqa: E402
from piu_lab.matching.frames import travellers_from_journeys  # noqa: E402
from piu_lab.session.demo import register_demo_sources, review_demo  # noqa: E402
from piu_lab.synth import SynthConfig, generate  # noqa: E402

#: After the demo criteria's approval and within their validity.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _say(text: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(scale: str, entries: int) -> dict[str, Any]:
    config = SynthConfig(scale=scale)  # type: ignore[arg-type]
    start = time.perf_counter()
    traffic = generate(config)
    truth = traffic.truth["watchlist_hits"]
    lists, _ = extend_watchlists(traffic.watchlists, set(truth["entry_id"]), config, entries)
    traffic = replace(traffic, watchlists=lists)  # the registered lists, topped up
    generated = time.perf_counter() - start
    _say(f"generated in {generated:.0f} s")
    with tempfile.TemporaryDirectory(prefix="piu-bench-run-") as tmp:
        clock = api.FrozenClock(NOW)
        with api.open_lab(f"sqlite:///{tmp}/run.sqlite3", clock=clock) as lab:
            store = lab._store
            start = time.perf_counter()
            store.write_carriers(traffic.carriers)
            for i in range(0, len(traffic.pnrs), 20_000):
                store.write_pnrs(traffic.pnrs[i : i + 20_000])
            loaded = time.perf_counter() - start
            _say(f"loaded in {loaded:.0f} s")
            save_operations(store, demo_operations(NOW.date()), require_empty=True)
            sources = register_demo_sources(store, clock, traffic)
            day = config.start
            start = time.perf_counter()
            summary = lab.screen([day])
            run_s = time.perf_counter() - start
            _say(f"run in {run_s:.0f} s: {summary.hits_new} hits")
            peak = _peak_mb()
            # the baseline: matching alone on the same travellers and entries
            travellers = travellers_from_journeys(store.read_journeys(day))
            start = time.perf_counter()
            keyed = lists.assign(entry_id=lists["list_id"] + ":" + lists["entry_id"])
            matches = screen(travellers, keyed)
            screen_s = time.perf_counter() - start
            _say(f"matching alone in {screen_s:.0f} s")
            hits = queries.hit_frame(store, clock.now())
            start = time.perf_counter()
            reviewed = review_demo(store, clock, traffic)
            review_s = time.perf_counter() - start
    journeys = int(traffic.summary()["journeys"])
    journeys_hit = int(hits["group_key"].nunique())
    decided = reviewed["validated"] + reviewed["rejected_false_positive"]
    planted = set(zip(truth["pnr_id"] + "/" + truth["pax_ref"], truth["entry_id"], strict=True))
    listed = hits[hits["source_kind"] == "WATCHLIST"]
    found = planted & set(zip(listed["group_key"], listed["entry_id"], strict=True))
    return {
        "scale": scale,
        "generate_s": round(generated, 1),
        "load_s": round(loaded, 1),
        "journeys": journeys,
        "travellers": summary.travellers,
        "entries": sources.entries,
        "criteria": sources.criteria,
        "run_s": round(run_s, 1),
        "screen_alone_s": round(screen_s, 1),
        "run_over_screen": round(run_s / screen_s, 2),
        "peak_mb": peak,
        "matches": summary.matches,
        "below_rule": summary.below_rule,
        "raw_matches_alone": len(matches),
        "hits": summary.hits_new,
        "criteria_hits": int((hits["source_kind"] == "CRITERION").sum()),
        "journeys_hit": journeys_hit,
        "journeys_hit_pct": round(100 * journeys_hit / journeys, 3),
        "by_kind": summary.by_kind,
        "planted": len(planted),
        "planted_found": len(found),
        **reviewed,
        "false_positive_pct": round(100 * reviewed["rejected_false_positive"] / max(decided, 1), 1),
        "review_s": round(review_s, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "belgium"], default="belgium")
    parser.add_argument("--entries", type=int, default=None)
    args = parser.parse_args()
    entries = args.entries or (100_000 if args.scale == "belgium" else 2_000)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        **run(args.scale, entries),
    }
    out = ROOT / "benchmarks" / "results" / "screening_run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result
    print("| what | measured |")
    print("|---|---|")
    print(f"| screening run ({r['travellers']:,} travellers, {r['entries']:,} entries, "
          f"{r['criteria']} criteria) | {r['run_s']} s, peak {r['peak_mb']} MB |")  # fmt: skip
    print(f"| matching alone, same data | {r['screen_alone_s']} s (run / matching "
          f"{r['run_over_screen']}) |")  # fmt: skip
    print(f"| matches / below the hit rule / hits stored | {r['matches']:,} / "
          f"{r['below_rule']:,} / {r['hits']:,} ({r['criteria_hits']:,} by criteria) "
          "|")  # fmt: skip
    print(f"| journeys hit | {r['journeys_hit']:,} of {r['journeys']:,} "
          f"({r['journeys_hit_pct']} %) |")  # fmt: skip
    print(f"| planted found | {r['planted_found']} of {r['planted']} |")
    print(f"| synthetic review | {r['validated']:,} validated, "
          f"{r['rejected_false_positive']:,} false positives ({r['false_positive_pct']} %), "
          f"{r['left_open']:,} open, {r['review_s']} s |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Parser benchmark: PNRGOV parse + Annex I filter on one core, against pydifact's tokenising.

Target (ingest): ``read_message_file`` (tokenise with repairs, cut into messages, walk the
PNRGOV groups, delete on receipt, build and check the records) at >= 2,000 PNRs/s on one core,
measured on a sample of the PNRGOV files of one synthetic Belgian day. Measured in the same
run, on the same files:

* ``parse``: the whole reader, PNRs/s, MB/s and messages/s (best of ``--repeat`` runs);
* ``tokenise``: our syntax layer alone (``piu_lab.ingest.syntax.tokenise``), MB/s, segments/s;
* ``pydifact``: pydifact's ``Parser`` alone on the first files of the sample (it reads about
  1 MB/s, so only ``--pydifact-mb`` of them), MB/s and segments/s, and the PNRs/s a reader
  built on it could not exceed.

The process is pinned to one CPU where the OS allows it. Prints a Markdown table and writes
``benchmarks/results/ingest_parse.json``. ``--feed`` reuses a folder written by
``piu-lab synth`` (or ``write_traffic``) instead of generating a Belgian day (about 30 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydifact.parser import Parser  # noqa: E402

from piu_lab.ingest.reader import read_message_file  # noqa: E402
from piu_lab.ingest.syntax import tokenise  # noqa: E402
from piu_lab.synth import SynthConfig, generate, write_traffic  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "ingest_parse.json"
TARGET_PNRS_PER_S = 2_000
RECEIVED = datetime(2026, 3, 1, tzinfo=UTC)


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def _sample(feed: Path, files: int, seed: int) -> list[bytes]:
    paths = sorted((feed / "pnrgov").glob("*.edi"))
    random.Random(seed).shuffle(paths)
    return [p.read_bytes() for p in paths[:files]]


def measure(datas: list[bytes], repeat: int, pydifact_mb: float) -> dict[str, Any]:
    megabytes = sum(map(len, datas)) / 1e6

    def parse() -> tuple[int, int, int]:
        pnrs = messages = quarantined = 0
        for data in datas:
            for outcome in read_message_file(
                data, source="bench", received_at=RECEIVED, replay=True
            ):
                messages += 1
                pnrs += len(outcome.pnrs)
                quarantined += outcome.error is not None
        return pnrs, messages, quarantined

    def ours() -> int:
        return sum(len(tokenise(data).segments) for data in datas)

    read_message_file(datas[0], source="warm-up", received_at=RECEIVED)  # places, tables
    parse_s, (pnrs, messages, quarantined) = _best(repeat, parse)
    tokenise_s, segments = _best(repeat, ours)
    subset: list[bytes] = []
    for data in datas:
        if sum(map(len, subset)) / 1e6 >= pydifact_mb:
            break
        subset.append(data)
    texts = [data.decode("ascii") for data in subset]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown directories, empty SRC
        start = time.perf_counter()
        theirs = sum(sum(1 for s in Parser().parse(t) if s.tag != "UNA") for t in texts)
        pydifact_s = time.perf_counter() - start
    ours_subset = sum(len(tokenise(t).segments) for t in texts)
    sub_mb = sum(map(len, subset)) / 1e6
    pnrs_per_mb = pnrs / megabytes
    return {
        "files": len(datas),
        "megabytes": round(megabytes, 2),
        "messages": messages,
        "quarantined": quarantined,
        "pnrs": pnrs,
        "segments": segments,
        "parse_s": round(parse_s, 3),
        "parse_pnrs_per_s": round(pnrs / parse_s),
        "parse_mb_per_s": round(megabytes / parse_s, 2),
        "parse_messages_per_s": round(messages / parse_s, 1),
        "tokenise_s": round(tokenise_s, 3),
        "tokenise_mb_per_s": round(megabytes / tokenise_s, 2),
        "tokenise_segments_per_s": round(segments / tokenise_s),
        "pydifact_files": len(subset),
        "pydifact_megabytes": round(sub_mb, 2),
        "pydifact_s": round(pydifact_s, 3),
        "pydifact_mb_per_s": round(sub_mb / pydifact_s, 2),
        "pydifact_segments_per_s": round(theirs / pydifact_s),
        "pydifact_pnrs_per_s_ceiling": round(pnrs_per_mb * sub_mb / pydifact_s),
        "same_segment_count": theirs == ours_subset,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, help="a folder written by write_traffic")
    parser.add_argument("--files", type=int, default=150, help="PNRGOV files in the sample")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pydifact-mb", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pinned = _pin_one_core()
    with tempfile.TemporaryDirectory() as folder:
        feed = args.feed
        generate_s = 0.0
        if feed is None:
            start = time.perf_counter()
            feed = Path(folder)
            write_traffic(generate(SynthConfig(scale="belgium", seed=args.seed)), feed)
            generate_s = time.perf_counter() - start
        datas = _sample(feed, args.files, args.seed)
    r = measure(datas, args.repeat, args.pydifact_mb)
    ok = r["parse_pnrs_per_s"] >= TARGET_PNRS_PER_S and r["quarantined"] == 0
    print(f"{r['files']} PNRGOV files of a Belgian day ({r['megabytes']} MB, {r['pnrs']:,} PNRs, "
          f"{r['segments']:,} segments), one core ({pinned})")  # fmt: skip
    print()
    print("| what | s | MB/s | segments/s | PNRs/s |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| parse + filter (read_message_file) | {r['parse_s']} | {r['parse_mb_per_s']} | - | "
        f"{r['parse_pnrs_per_s']:,} |"
    )
    print(
        f"| tokenise only (ours) | {r['tokenise_s']} | {r['tokenise_mb_per_s']} | "
        f"{r['tokenise_segments_per_s']:,} | - |"
    )
    print(
        f"| tokenise only (pydifact Parser, {r['pydifact_megabytes']} MB) | {r['pydifact_s']} | "
        f"{r['pydifact_mb_per_s']} | {r['pydifact_segments_per_s']:,} | "
        f"<= {r['pydifact_pnrs_per_s_ceiling']:,} |"
    )
    print()
    print(
        f"target (>= {TARGET_PNRS_PER_S:,} PNRs/s, nothing quarantined): "
        f"{'met' if ok else 'MISSED'}; same segment count as pydifact: {r['same_segment_count']}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "one_core": pinned,
                },
                "generate_write_s": round(generate_s, 1),
                **r,
                "target_pnrs_per_s": TARGET_PNRS_PER_S,
                "target_met": ok,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

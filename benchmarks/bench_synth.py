"""Synthetic traffic benchmark: one Belgian day generated and written, against baselines.

Target (synth issue): ``generate`` + ``write_traffic`` of one Belgian day (about 95,000 air
journeys on some 660 flights, plus trains, coaches and a ferry) in <= 60 s with <= 2 GB peak
RSS on the 2-core reference machine. Measured in the same run, each case in a fresh process so
its peak RSS is its own:

* ``small``: the small scale (about 1,000 journeys), for the journeys/s ratio;
* ``belgium``: one Belgian day, generate and write separately timed, peak RSS;
* ``edifact``: the PNRGOV of a sample of pushes written by our segment join (pydifact's
  escaping rules) and by pydifact's own ``Serializer`` on ``Segment`` objects (the naive
  way), segments/s each and the ratio: why the writer joins segments itself.

Writes a Markdown table to stdout and JSON to ``benchmarks/results/synth.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.synth import SynthConfig, generate, write_traffic  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "synth.json"
EDIFACT_SAMPLE = 60


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_scale(scale: str) -> dict[str, Any]:
    """Generate and write one day at ``scale`` (run in its own process)."""
    start = time.perf_counter()
    traffic = generate(SynthConfig(scale=scale))  # type: ignore[arg-type]
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        files = write_traffic(traffic, Path(folder))
        written = time.perf_counter()
        size = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    summary = traffic.summary()
    total = written - start
    return {
        "case": scale,
        "journeys": summary["journeys"],
        "journeys_air": summary["journeys_air"],
        "flights": summary["flights"],
        "carriers": summary["carriers"],
        "pnr_versions": summary["pnr_versions"],
        "files": sum(files.values()),
        "megabytes_written": round(size / 1e6, 1),
        "generate_s": round(generated - start, 2),
        "write_s": round(written - generated, 2),
        "total_s": round(total, 2),
        "journeys_per_s": round(summary["journeys"] / total),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def run_edifact() -> dict[str, Any]:
    """The syntax cost alone: the same PNRGOV segments (element lists of a sample of pushes)
    joined by :func:`piu_lab.synth.edifact.seg` with pydifact's escaping rules, and built as
    pydifact ``Segment`` objects written by its ``Serializer``; plus the whole writer."""
    import warnings

    from pydifact.parser import Parser
    from pydifact.segments import Segment
    from pydifact.serializer import Serializer

    from piu_lab.synth.edifact import CHARS, esc, seg
    from piu_lab.synth.pnrgov import pnrgov_message

    warnings.simplefilter("ignore")  # pydifact warns about unknown directories, empty SRC
    traffic = generate(SynthConfig(scale="belgium"))
    step = max(1, len(traffic.pushes) // EDIFACT_SAMPLE)
    pushes = [p for p in traffic.pushes if p.count][::step]
    start = time.perf_counter()
    texts = [pnrgov_message(traffic, p) for p in pushes]
    writer = time.perf_counter() - start
    parsed = [[(s.tag, s.elements) for s in Parser().parse(t) if s.tag != "UNA"] for t in texts]
    n_segments = sum(len(p) for p in parsed)
    start = time.perf_counter()
    ours_texts = [
        "\n".join(
            seg(tag, *(tuple(map(esc, e)) if isinstance(e, list) else esc(e) for e in elements))
            for tag, elements in segments
        )
        for segments in parsed
    ]
    ours = time.perf_counter() - start
    serializer = Serializer(CHARS)
    start = time.perf_counter()
    theirs_texts = [
        serializer.serialize(
            [Segment(tag, *elements) for tag, elements in segments], with_una_header=False
        )
        for segments in parsed
    ]
    theirs = time.perf_counter() - start
    lines = sum(len(t.splitlines()) for t in ours_texts)
    return {
        "case": "edifact",
        "pushes": len(pushes),
        "segments": n_segments,
        "writer_s": round(writer, 3),
        "writer_segments_per_s": round(n_segments / writer),
        "join_s": round(ours, 3),
        "pydifact_s": round(theirs, 3),
        "join_segments_per_s": round(n_segments / ours),
        "pydifact_segments_per_s": round(n_segments / theirs),
        "same_output": all(
            a.replace("\n", "") == b.replace("SRC+'", "SRC'")
            for a, b in zip(ours_texts, theirs_texts, strict=True)
        ),
        "segments_checked": lines,
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def _in_subprocess(case: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--case", case],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["small", "belgium", "edifact"])
    args = parser.parse_args()
    if args.case == "edifact":
        print(json.dumps(run_edifact()))
        return 0
    if args.case:
        print(json.dumps(run_scale(args.case)))
        return 0
    small = _in_subprocess("small")
    belgium = _in_subprocess("belgium")
    edifact = _in_subprocess("edifact")
    ratio = belgium["journeys_per_s"] / max(small["journeys_per_s"], 1)
    speedup = edifact["join_segments_per_s"] / max(edifact["pydifact_segments_per_s"], 1)
    print("| case | journeys | flights | generate s | write s | total s | journeys/s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in (small, belgium):
        print(
            f"| {r['case']} | {r['journeys']:,} | {r['flights']} | {r['generate_s']} | "
            f"{r['write_s']} | {r['total_s']} | {r['journeys_per_s']:,} | {r['peak_rss_mb']:,} |"
        )
    print()
    print(f"belgium/small journeys/s ratio: {ratio:.2f} (1.0 = linear scaling)")
    print(
        f"EDIFACT syntax on {edifact['segments']:,} PNRGOV segments of {edifact['pushes']} "
        f"pushes: our join {edifact['join_segments_per_s']:,} segments/s, pydifact Segment + "
        f"Serializer {edifact['pydifact_segments_per_s']:,} segments/s (x{speedup:.1f}, same "
        f"output: {edifact['same_output']}); whole PNRGOV writer from the records "
        f"{edifact['writer_segments_per_s']:,} segments/s"
    )
    target_ok = belgium["total_s"] <= 60 and belgium["peak_rss_mb"] <= 2048
    print(f"target (<= 60 s, <= 2 GB for a Belgian day): {'met' if target_ok else 'MISSED'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "small": small,
                "belgium": belgium,
                "edifact": edifact,
                "scaling_ratio": round(ratio, 3),
                "serializer_speedup": round(speedup, 2),
                "target_met": target_ok,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run every benchmark in this folder and print their Markdown tables (``make bench``).

Each benchmark measures its figures against a baseline in the same run (the machines are shared
and noisy, so ratios matter more than seconds) and writes JSON to ``benchmarks/results/``.

The ``bench_*.py`` scripts run as they are; the matching benchmarks run in a short form:
``screening.py --quick`` (the small scale, ``results/screening_quick.json``; the full run takes
about 11 minutes) and ``matching_quality.py`` with a small logic-v2 sample (its default sample
takes minutes; note it overwrites ``results/matching_quality.json``). ``matching_quality.py``
is skipped when its peer, nomenklatura, is not installed (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the matching benchmarks, their arguments for ``make bench``, the module each needs
MATCHING = (
    ("screening.py", ["--quick"], None),
    ("matching_quality.py", ["--lv2-sample", "200"], "nomenklatura"),
)


def main() -> int:
    failed = 0
    runs: list[tuple[Path, list[str], str | None]] = [
        (script, [], None) for script in sorted(HERE.glob("bench_*.py"))
    ]
    runs += [(HERE / name, args, needs) for name, args, needs in MATCHING]
    for script, args, needs in runs:
        print(f"\n## {script.stem}\n", flush=True)
        if needs is not None and importlib.util.find_spec(needs) is None:
            print(f"skipped: {needs} is not installed (pip install -e '.[bench]')", flush=True)
            continue
        failed += subprocess.call([sys.executable, str(script), *args], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Rewrite the golden reports of the GTAS fixtures: ``python -m tests.ingest.regen_golden``.

Each ``golden/<pnrgov|paxlst>/<file>.json`` is :func:`piu_lab.ingest.report.report_json` of
``read_message_file(bytes, source=name, received_at=RECEIVED_AT)``. Regenerate only after a
deliberate parser change, then review the diff by hand against the raw fixture (names, birth
dates, documents, seats, legs, bags, deletion counts) before committing it.
"""

from __future__ import annotations

import json
import sys

from tests.ingest.gtas import FIXTURES, fixture_files, golden_path, golden_report


def dump(report: dict[str, object]) -> str:
    return json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    files = fixture_files()
    if not files:
        print(f"no GTAS fixtures under {FIXTURES}", file=sys.stderr)
        return 1
    changed = 0
    for path in files:
        target = golden_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = dump(golden_report(path))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed += 1
            print(f"written {target.relative_to(target.parents[2])}")
    print(f"{len(files)} fixtures, {changed} golden file(s) changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

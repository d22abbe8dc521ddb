"""Write a generated traffic to a folder: the messages carriers send, watchlists, truth.

Layout of ``out``::

    pnrgov/<day>-<carrier><number>-<from>-<to>_<EARLY|CLOSURE>.edi   one PNRGOV push each
    paxlst/<day>-<carrier><number>-<from>-<to>.edi                   one PAXLST manifest each
    watchlists/<list_id>.csv      one list per competent service (aliases joined by "|")
    truth/<name>.csv              watchlist_hits, networks, criteria, persons
    summary.json                  the counts of SynthTraffic.summary() and of the files
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from piu_lab.errors import SynthError
from piu_lab.synth.paxlst import paxlst_message
from piu_lab.synth.pnrgov import pnrgov_message
from piu_lab.synth.traffic import SynthTraffic

__all__ = ["write_traffic"]


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _folder(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(
            f"cannot create the output folder {path}", hint="choose a writable --out folder"
        ) from exc
    return path


def write_traffic(
    traffic: SynthTraffic,
    out: Path,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Write ``traffic`` under ``out``; returns how many files of each kind were written."""
    report = progress or _noop
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out} exists and is not a folder", hint="choose another --out folder")
    pnr_dir = _folder(out / "pnrgov")
    api_dir = _folder(out / "paxlst")
    list_dir = _folder(out / "watchlists")
    truth_dir = _folder(out / "truth")
    counts = {"pnrgov": 0, "paxlst": 0, "watchlists": 0, "truth": 0, "summary": 0}
    total = len(traffic.pushes)
    for n, push in enumerate(traffic.pushes):
        name = f"{push.transport.key}_{push.stage.value}.edi"
        (pnr_dir / name).write_text(pnrgov_message(traffic, push), encoding="ascii")
        counts["pnrgov"] += 1
        if n % 50 == 0:
            report("pnrgov", n, total)
    report("pnrgov", total, total)
    by_id = {p.message_id[:-1]: p for p in traffic.pushes}
    names = {c.code: c.name for c in traffic.carriers}
    for n, m in enumerate(traffic.manifests):
        found = by_id.get(m.message_id[:-1])
        key = found.transport.key if found else f"{m.carrier}{m.transport_number}-{m.message_id}"
        (api_dir / f"{key}.edi").write_text(
            paxlst_message(m, names.get(m.carrier, m.carrier)), encoding="ascii"
        )
        counts["paxlst"] += 1
        if n % 50 == 0:
            report("paxlst", n, len(traffic.manifests))
    report("paxlst", len(traffic.manifests), len(traffic.manifests))
    frame = traffic.watchlists.copy()
    frame["aliases"] = ["|".join(a) for a in frame["aliases"]]
    for list_id, part in frame.groupby("list_id", sort=True):
        part.to_csv(list_dir / f"{list_id}.csv", index=False)
        counts["watchlists"] += 1
    for name, table in sorted(traffic.truth.items()):
        pd.DataFrame(table).to_csv(truth_dir / f"{name}.csv", index=False)
        counts["truth"] += 1
    summary = {**traffic.summary(), **{f"files_{k}": v for k, v in counts.items()}}
    summary["files_summary"] = 1
    (out / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    counts["summary"] = 1
    report("write", 1, 1)
    return counts

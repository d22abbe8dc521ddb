"""Matching quality: PIU Lab's screening against nomenklatura's logic-v2, on public labelled data.

Fixtures in ``../shared/fixtures/names`` (``SOURCE.txt``; ``--fixtures`` elsewhere). Checks:

1. nomenklatura name benchmark, the 548 Person rows: precision, recall, F1 of ``score_names`` at
   ``NAME_THRESHOLD`` (target F1 >= 0.85) and of logic-v2 at yente's 0.7; both also at their
   best threshold on these rows (hindsight, labelled).
2. yente UN fixture: treated row i screened with ``screen`` (name, date of birth, nationality)
   must hit untreated row i (target recall >= 0.97); name-only recall on the aligned rows.
   100,000 synthetic negatives screened against the 683 entries: share with any hit (target
   <= 0.1 %). logic-v2 cannot score the 68M pairs in reasonable time: it scores every entry
   against a seeded random sample of negatives (``--lv2-sample``, default 2,000 = 1.37M pairs,
   no blocking); the rate is extrapolated with a 95 % Wilson interval, PIU Lab's rate on the
   same sample alongside.
3. moov watchman cross-script pairs (22): how many score >= the threshold; the minimum.
4. Pairs/s of both on the same pairs: the 548 benchmark pairs (all names new; logic-v2's time
   includes making its entities) and 683 x 10 UN pairs (names reused, as in screening).

logic-v2 runs offline; every entity gets a unique id (logic-v2 caches names by entity id).
Nationalities are passed as the fixtures have them (codes on the list, country names for the
negatives): followthemoney turns names into codes, PIU Lab compares codes of one kind only.
Writes a Markdown table to stdout, JSON to ``benchmarks/results/matching_quality.json``;
``--misses N`` also prints the N most informative misses and false alarms of each check.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import multiprocessing
import os
import platform
import sys
import time
import timeit
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.matching import (  # noqa: E402
    ALGORITHM,
    NAME_THRESHOLD,
    WatchlistIndex,
    build_index,
    score_names,
    screen,
)

try:  # the peer: pip install -e .[bench]
    from followthemoney import model
    from nomenklatura.matching import LogicV2
except ImportError:  # pragma: no cover
    sys.exit("nomenklatura is missing: pip install -e '.[bench]'")

FIXTURES = ROOT.parent / "shared" / "fixtures" / "names"
RESULTS = ROOT / "benchmarks" / "results" / "matching_quality.json"
LV2_THRESHOLD = 0.7  # yente's default match threshold for logic-v2
KEEP = 15  # misses kept in the JSON
WATCHMAN_HEADER = ["Query", "Expected Match", "Min Score", "Description"]
PERSON = ["full_name", "date_of_birth", "nationality"]


def load_name_bench(fixtures: Path) -> pd.DataFrame:
    cases = pd.read_csv(fixtures / "opensanctions_name_bench" / "cases.csv", dtype=str)
    cases = cases[cases["schema"] == "Person"].reset_index(drop=True)
    return cases.assign(is_match=cases["is_match"].str.lower() == "true")


def _read(name: str, fixtures: Path) -> pd.DataFrame:
    path = fixtures / "yente_screening_fixtures" / name
    return pd.read_csv(path, dtype=str, keep_default_na=False)[PERSON]


def load_un(fixtures: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(travellers from the treated rows, watchlist from the untreated rows), row-aligned."""
    untreated = _read("positives_un_untreated.csv", fixtures)
    treated = _read("positives_un_treated.csv", fixtures)
    watchlist = untreated.assign(entry_id=np.arange(len(untreated)), list_id="un")
    return treated.assign(traveller_id=np.arange(len(treated))), watchlist


def load_negatives(fixtures: Path) -> pd.DataFrame:
    parts = [_read(f"negatives_{k}.csv.gz", fixtures).assign(source=k) for k in ("global", "us")]
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(traveller_id=np.arange(len(frame)))


def load_watchman(fixtures: Path) -> pd.DataFrame:
    path = fixtures / "watchman_cross_script" / "cross_script_pairs.csv"
    lines = [x for x in path.read_text("utf-8").splitlines() if x.strip() and x[0] != "#"]
    header = None if lines[0].startswith("Query,") else WATCHMAN_HEADER  # header may be a comment
    return pd.DataFrame(list(csv.DictReader(lines, fieldnames=header)))


_IDS = itertools.count()
_CONFIG = LogicV2.default_config()
_ENTRIES: list[Any] = []  # the UN entries as entities, in each worker process


def person(name: str, dob: str = "", nationality: str = "", prefix: str = "p") -> Any:
    """A followthemoney Person with a unique id (logic-v2 caches by entity id)."""
    entity = model.make_entity("Person")
    entity.id = f"{prefix}{next(_IDS)}"
    entity.add("name", name)
    entity.add("birthDate", dob)  # empty and invalid values are dropped
    entity.add("nationality", nationality)
    return entity


def lv2_compare(query: Any, result: Any) -> float:
    return float(LogicV2.compare(query, result, _CONFIG).score)


def lv2_names(left: list[str], right: list[str]) -> np.ndarray:
    """logic-v2 scores of aligned name pairs (name only, fresh entities)."""
    return np.array([lv2_compare(person(a), person(b)) for a, b in zip(left, right, strict=True)])


def _lv2_init(watchlist: pd.DataFrame) -> None:
    _ENTRIES[:] = [person(*r[:3], prefix="un") for r in watchlist.itertuples(index=False)]


def _lv2_chunk(rows: list[tuple[int, str, str, str]]) -> list[tuple[int, int, float]]:
    """(negative, best entry, score) of each negative scoring >= 0.7 on any UN entry."""
    out = []
    for idx, *fields in rows:
        query = person(*fields, prefix="neg")
        scores = [lv2_compare(query, entry) for entry in _ENTRIES]
        best = int(np.argmax(scores))
        if scores[best] >= LV2_THRESHOLD:
            out.append((idx, best, scores[best]))
    return out


def lv2_negatives(
    rows: list[tuple[int, str, str, str]], watchlist: pd.DataFrame, jobs: int
) -> list[tuple[int, int, float]]:
    """Every row against every entry (no blocking), on ``jobs`` processes."""
    if jobs == 1:
        _lv2_init(watchlist)
        return _lv2_chunk(rows)
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_lv2_init, initargs=(watchlist,)
    ) as pool:
        parts = pool.map(_lv2_chunk, [rows[k::jobs] for k in range(jobs)])
        return [x for part in parts for x in part]


def prf(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    tp = int((pred & truth).sum())
    precision, recall = tp / max(int(pred.sum()), 1), tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """The threshold with the best F1 on these very rows (hindsight, for comparison only)."""
    best: dict[str, float] = {"f1": -1.0}
    for t in np.unique(scores):
        m = prf(scores >= t, truth)
        if m["f1"] > best["f1"]:
            best = {**m, "threshold": round(float(t), 4)}
    return best


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _rows(frame: pd.DataFrame, n: int = KEEP) -> list[dict[str, Any]]:
    head = frame.head(n)
    floats = head.select_dtypes("floating").columns
    return head.astype(dict.fromkeys(floats, float)).round(3).to_dict("records")


def bench_names(fixtures: Path) -> dict[str, Any]:
    cases = load_name_bench(fixtures)
    truth = cases["is_match"].to_numpy()
    ours = score_names(cases["name1"].tolist(), cases["name2"].tolist()).astype(float)
    peer = lv2_names(cases["name1"].tolist(), cases["name2"].tolist())
    view = cases[["name1", "name2", "is_match", "category"]].assign(piu=ours, lv2=peer)
    miss = view[truth & (ours < NAME_THRESHOLD)].sort_values("piu")
    false = view[~truth & (ours >= NAME_THRESHOLD)].sort_values("piu", ascending=False)
    return {
        "rows": len(cases),
        "positives": int(truth.sum()),
        "piu": prf(ours >= NAME_THRESHOLD, truth),
        "piu_best": best_threshold(ours, truth),
        "lv2": prf(peer >= LV2_THRESHOLD, truth),
        "lv2_best": best_threshold(peer, truth),
        "misses": _rows(miss),
        "false_alarms": _rows(false),
    }


def bench_un(fixtures: Path, index: WatchlistIndex) -> dict[str, Any]:
    travellers, watchlist = load_un(fixtures)
    hits = screen(travellers, index)
    same = hits[hits["traveller_id"] == hits["entry_id"]]
    found = np.isin(travellers["traveller_id"], same["traveller_id"])
    every = screen(travellers, index, threshold=0.0)  # every candidate pair, scored
    paired = np.isin(
        travellers["traveller_id"], every.query("traveller_id == entry_id")["traveller_id"]
    )
    names = score_names(travellers["full_name"].tolist(), watchlist["full_name"].tolist())
    pairs = zip(travellers.itertuples(index=False), watchlist.itertuples(index=False), strict=True)
    lv2 = np.array([lv2_compare(person(*t[:3]), person(*w[:3])) for t, w in pairs])
    lv2_name = lv2_names(travellers["full_name"].tolist(), watchlist["full_name"].tolist())
    missed = travellers[~found].assign(
        list_name=watchlist["full_name"][~found],
        list_dob=watchlist["date_of_birth"][~found],
        name_score=names[~found].astype(float),
        candidate=paired[~found],
        lv2=lv2[~found],
    )
    return {
        "rows": len(travellers),
        "piu_recall": round(float(found.mean()), 4),
        "piu_recall_name": round(float((names >= NAME_THRESHOLD).mean()), 4),
        "piu_not_candidate": int((~paired).sum()),
        "piu_lost_by_evidence": int((~found & paired & (names >= NAME_THRESHOLD)).sum()),
        "piu_other_entry_hits": int((hits["traveller_id"] != hits["entry_id"]).sum()),
        "lv2_recall": round(float((lv2 >= LV2_THRESHOLD).mean()), 4),
        "lv2_recall_name": round(float((lv2_name >= LV2_THRESHOLD).mean()), 4),
        "lv2_lost_by_evidence": int(((lv2 < LV2_THRESHOLD) & (lv2_name >= LV2_THRESHOLD)).sum()),
        "misses": _rows(missed.sort_values("name_score")),
    }


def bench_negatives(
    fixtures: Path, index: WatchlistIndex, sample: int, seed: int, jobs: int
) -> dict[str, Any]:
    """PIU Lab on all 100,000; logic-v2 on a seeded sample (PIU Lab's rate on it alongside)."""
    negatives = load_negatives(fixtures)
    _, watchlist = load_un(fixtures)
    start = time.perf_counter()
    hits = screen(negatives.drop(columns="source"), index)
    out: dict[str, Any] = {"piu_s": round(time.perf_counter() - start, 1), "n": len(negatives)}
    alerted = hits["traveller_id"].unique()
    out["piu_alerts"] = len(alerted)
    sources = negatives["source"].to_numpy()[alerted]
    out["piu_alerts_by_source"] = {
        str(k): int(v) for k, v in zip(*np.unique(sources, return_counts=True), strict=True)
    }
    top = hits.sort_values("score", ascending=False).drop_duplicates("traveller_id")
    top = top.merge(negatives[["traveller_id", "date_of_birth"]], on="traveller_id")
    cols = ["traveller_name", "date_of_birth", "list_name", "score", "name_score", "dob_outcome"]
    out["false_alarms"] = _rows(top[cols])
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(len(negatives), size=min(sample, len(negatives)), replace=False))
    out["sample"], out["seed"] = len(picked), seed
    out["piu_sample_alerts"] = int(np.isin(picked, alerted).sum())
    chosen = negatives.iloc[picked]
    rows = [(int(i), *r[:3]) for i, r in zip(picked, chosen.itertuples(index=False), strict=True)]
    start = time.perf_counter()
    found = pd.DataFrame(lv2_negatives(rows, watchlist, jobs), columns=["i", "e", "score"])
    out["lv2_s"] = round(time.perf_counter() - start, 1)
    out["lv2_pairs"] = len(rows) * len(watchlist)
    out["lv2_sample_alerts"] = len(found)
    found = found.assign(
        traveller_name=negatives["full_name"].to_numpy()[found["i"].to_numpy(dtype=int)],
        list_name=watchlist["full_name"].to_numpy()[found["e"].to_numpy(dtype=int)],
    )
    out["lv2_false_alarms"] = _rows(found.sort_values("score", ascending=False).iloc[:, 2:])
    return out


def bench_watchman(fixtures: Path) -> dict[str, Any]:
    pairs = load_watchman(fixtures)
    query, expected = pairs["Query"].tolist(), pairs["Expected Match"].tolist()
    ours = score_names(query, expected).astype(float)
    peer = lv2_names(query, expected)
    view = pairs[["Query", "Expected Match", "Description"]].assign(piu=ours, lv2=peer)
    return {
        "pairs": len(pairs),
        "piu_pass": int((ours >= NAME_THRESHOLD).sum()),
        "piu_min": round(float(ours.min()), 3),
        "lv2_pass": int((peer >= LV2_THRESHOLD).sum()),
        "lv2_min": round(float(peer.min()), 3),
        "misses": _rows(view[ours < NAME_THRESHOLD].sort_values("piu")),
        "lv2_misses": _rows(view[peer < LV2_THRESHOLD].sort_values("lv2")),
    }


def bench_speed(fixtures: Path, shifts: int = 10) -> dict[str, Any]:
    """Pairs/s, one process each: name-benchmark pairs, and UN pairs with names reused."""
    cases = load_name_bench(fixtures)
    left, right = cases["name1"].tolist(), cases["name2"].tolist()
    travellers, watchlist = load_un(fixtures)
    ul, ur = travellers["full_name"].tolist(), watchlist["full_name"].tolist()
    n = len(ul)
    li = [i for _ in range(shifts) for i in range(n)]
    ri = [(i + k) % n for k in range(shifts) for i in range(n)]

    def lv2_bulk() -> None:
        qs, rs = [person(x) for x in ul], [person(x) for x in ur]
        for a, b in zip(li, ri, strict=True):
            lv2_compare(qs[a], rs[b])

    t = {
        "bench_pairs": len(left),
        "piu_bench_s": _best3(lambda: score_names(left, right)),
        "lv2_bench_s": _best3(lambda: lv2_names(left, right)),
        "un_pairs": len(li),
        "piu_un_s": _best3(lambda: score_names([ul[i] for i in li], [ur[i] for i in ri])),
        "lv2_un_s": min(timeit.repeat(lv2_bulk, number=1, repeat=1)),
    }
    for k in ("bench", "un"):  # best of 3, except logic-v2 on the UN pairs (about 5 s)
        t[f"piu_{k}_pairs_s"] = round(t[f"{k}_pairs"] / t[f"piu_{k}_s"])
        t[f"lv2_{k}_pairs_s"] = round(t[f"{k}_pairs"] / t[f"lv2_{k}_s"])
    return t


def _best3(func: Any) -> float:
    return min(timeit.repeat(func, number=1, repeat=3))


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.3f} % ({k:,}/{n:,})"


def table(out: dict[str, Any]) -> list[str]:
    nb, un, ng, wm, sp = (out[k] for k in ("names", "un", "negatives", "watchman", "speed"))
    lo, hi = wilson(ng["lv2_sample_alerts"], ng["sample"])
    rows = [
        f"| check | metric | target | PIU Lab @ {NAME_THRESHOLD} | logic-v2 @ {LV2_THRESHOLD} |",
        "|---|---|---|---:|---:|",
    ]
    label = f"nomenklatura Person rows ({nb['rows']}, {nb['positives']} matches)"
    for m in ("precision", "recall", "f1"):
        target = ">= 0.85" if m == "f1" else ""
        rows.append(f"| {label} | {m} | {target} | {nb['piu'][m]:.3f} | {nb['lv2'][m]:.3f} |")
    pb, lb = nb["piu_best"], nb["lv2_best"]
    rows.append(
        f"| {label} | F1 at best threshold (hindsight) | | {pb['f1']:.3f} @ {pb['threshold']} "
        f"| {lb['f1']:.3f} @ {lb['threshold']} |"
    )
    label = f"UN treated -> untreated ({un['rows']} aligned)"
    est = round(ng["lv2_sample_alerts"] / ng["sample"] * ng["n"])
    rows += [
        f"| {label} | recall, name + DOB + nationality | >= 0.97 | "
        f"{un['piu_recall']:.3f} (screen) | {un['lv2_recall']:.3f} (aligned pairs) |",
        f"| {label} | recall, name only | | {un['piu_recall_name']:.3f} | "
        f"{un['lv2_recall_name']:.3f} |",
        f"| {label} | misses: name passes, DOB/nationality push under | | "
        f"{un['piu_lost_by_evidence']} | {un['lv2_lost_by_evidence']} |",
        f"| {label} | misses: pair not a candidate (blocking) | | {un['piu_not_candidate']} | "
        "n/a (every pair) |",
        f"| {label} | hits on another entry | | {un['piu_other_entry_hits']} | not run |",
        f"| negatives x UN list ({un['rows']}) | alert rate, all {ng['n']:,} | <= 0.1 % | "
        f"{_pct(ng['piu_alerts'], ng['n'])} | not run ({ng['n'] * un['rows'] / 1e6:.0f}M pairs) |",
        f"| negatives x UN list ({un['rows']}) | alert rate, seeded sample of {ng['sample']:,} "
        f"(every pair, {ng['lv2_pairs']:,}) | <= 0.1 % | "
        f"{_pct(ng['piu_sample_alerts'], ng['sample'])} | "
        f"{_pct(ng['lv2_sample_alerts'], ng['sample'])}; 95 % CI {100 * lo:.2f}-"
        f"{100 * hi:.2f} %, about {est:,} of {ng['n']:,} |",
        f"| watchman cross-script ({wm['pairs']} pairs) | pairs >= threshold | all | "
        f"{wm['piu_pass']}/{wm['pairs']} | {wm['lv2_pass']}/{wm['pairs']} |",
        f"| watchman cross-script | minimum score | | {wm['piu_min']:.3f} | {wm['lv2_min']:.3f} |",
    ]
    for k, what in (("bench", "nomenklatura pairs, all names new"), ("un", "UN pairs, 683 x 10")):
        ratio = sp[f"piu_{k}_pairs_s"] / sp[f"lv2_{k}_pairs_s"]
        rows.append(
            f"| speed, 1 process | pairs/s, {sp[f'{k}_pairs']:,} {what} | | "
            f"{sp[f'piu_{k}_pairs_s']:,} ({ratio:.0f}x) | {sp[f'lv2_{k}_pairs_s']:,} |"
        )
    return rows


def extra_rows() -> list[str]:
    """Rows added by other checks (planted-variant recall, GTAS QuickMatch): none yet."""
    return []


def print_misses(out: dict[str, Any], n: int) -> None:
    for title, rows in (
        ("nomenklatura: missed matches (PIU Lab)", out["names"]["misses"]),
        ("nomenklatura: false alarms (PIU Lab)", out["names"]["false_alarms"]),
        ("UN: rows not hit by screen (PIU Lab)", out["un"]["misses"]),
        ("negatives: alerts (PIU Lab, best hit each)", out["negatives"]["false_alarms"]),
        ("negatives sample: alerts (logic-v2)", out["negatives"]["lv2_false_alarms"]),
        ("watchman: below threshold (PIU Lab)", out["watchman"]["misses"]),
        ("watchman: below threshold (logic-v2)", out["watchman"]["lv2_misses"]),
    ):
        print(f"\n### {title}\n")
        keys = list(rows[0]) if rows else []
        print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys) if rows else "none")
        for row in rows[:n]:
            print("| " + " | ".join(str(row[k]).replace("|", "/") for k in keys) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--lv2-sample", type=int, default=2_000, help="negatives for logic-v2")
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="logic-v2 workers")
    parser.add_argument("--misses", type=int, default=0, help="print N misses per check")
    args = parser.parse_args()
    if not (args.fixtures / "SOURCE.txt").is_file():
        print(f"fixtures not found at {args.fixtures}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    lv2_names(["Warm Up"], ["Warm Up"])  # logic-v2 loads its reference data on first use
    score_names(["Warm Up"], ["Warm Up"])
    index = build_index(load_un(args.fixtures)[1])
    jobs = max(args.jobs, 1)
    out: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "algorithm": ALGORITHM,
        "thresholds": {"piu": NAME_THRESHOLD, "lv2": LV2_THRESHOLD},
        "names": bench_names(args.fixtures),
        "watchman": bench_watchman(args.fixtures),
        "un": bench_un(args.fixtures, index),
        "negatives": bench_negatives(args.fixtures, index, args.lv2_sample, args.seed, jobs),
        "speed": bench_speed(args.fixtures),
    }
    out["total_s"] = round(time.perf_counter() - start, 1)
    print("\n".join(table(out) + extra_rows()))
    ng = out["negatives"]
    print(
        f"\n{ALGORITHM}; PIU Lab screened {ng['n']:,} negatives in {ng['piu_s']} s; logic-v2 "
        f"scored {ng['lv2_pairs']:,} pairs in {ng['lv2_s']} s on {jobs} processes "
        f"(sample seed {args.seed}); total {out['total_s']} s"
    )
    if args.misses:
        print_misses(out, args.misses)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Views benchmark (issue 8): dashboard first render in Chromium, and a hit-queue action on the
server side; also the screenshots of the README (``--screenshots-only``: ``make screenshots``).

Targets (issue 8): a dashboard's first render <= 5 s on the demo data; a hit-queue action
<= 300 ms on the server side.

**First render.** The demo database (``piu-lab demo --scale small --history-months 7``, then a
second day ingested and screened: ``tests/views/browser.py``), one ``piu-lab serve`` (Voilà) per
identity on loopback, Debian's headless Chromium driven by Playwright. Each load is a fresh
browser context (no cache, no cookie) and a fresh kernel; one warm-up load per dashboard is not
counted, then ``--loads`` loads. Measured from ``goto``: the first byte (the navigation entry's
``responseStart``), the identity banner visible, the dashboard's content visible (the hit
queue; the situation's first plotly figure; the DPO registers). Baseline in the same run: a bare
Voilà page (one HTML widget carrying the banner's class, no PIU Lab import) served the same way,
the floor of Voilà, a kernel and the front end on this machine. Kernels are started per visit,
as ``piu-lab serve`` does (why not preheated: ``piu_lab/cli_serve.py``).

**Hit-queue action.** In process, on a copy of the same database, as the federal police's
seconded member: the views' ``HitQueue`` (``widgets/hit_queue.py``) opening a hit and running
its Validate handler (the decision through the facade, the hit re-read, the queue reloaded),
against the bare ``Session.decide_hit`` on other open hits of the same queue, alternated; the
queue's reload (``refresh``) alone too. Median and 90th percentile.

Writes a Markdown table to stdout and JSON to ``benchmarks/results/views.json``; with
``--screenshots DIR`` (``--screenshots-only``: nothing else) saves a PNG of each dashboard
(synthetic data only) to ``DIR`` (default ``docs/screenshots/``). Needs ``/usr/bin/chromium``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.views import browser as _browser  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SCREENSHOTS = ROOT / "docs" / "screenshots"
TARGET_RENDER_S = 5.0
TARGET_ACTION_MS = 300.0
REASON = "Name, date of birth and passport number match the list entry (benchmark)."
#: dashboard -> (identity, what "content visible" waits for)
DASHBOARDS: dict[str, tuple[str, str]] = {
    "hit_review": (_browser.FEDERAL_POLICE, ".piu-hit-queue"),
    "situation": (_browser.FEDERAL_POLICE, ".piu-situation .js-plotly-plot"),
    "dpo_overview": (_browser.DPO, ".piu-dpo"),
}
BARE = """{
 "cells": [{"cell_type": "code", "execution_count": null, "id": "bare", "metadata": {},
   "outputs": [], "source": ["import ipywidgets as w\\n",
   "banner = w.HTML('<b>bare Voila page</b>')\\n", "banner.add_class('piu-banner')\\n",
   "banner"]}],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
   "name": "python3"}},
 "nbformat": 4, "nbformat_minor": 5
}
"""


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered), 4),
        "p90": round(p90, 4),
        "max": round(ordered[-1], 4),
        "n": len(ordered),
    }


# -- first render in Chromium ---------------------------------------------------------------


def _load(chromium: Any, url: str, content: str) -> dict[str, float]:
    """One load in a fresh context: seconds to first byte, banner and content visible."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(_browser.LOAD_TIMEOUT_MS)
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(".piu-banner").first.wait_for(state="visible")
        banner = time.perf_counter() - start
        page.locator(content).first.wait_for(state="visible")
        shown = time.perf_counter() - start
        first_byte = page.evaluate(
            "performance.getEntriesByType('navigation')[0].responseStart / 1000"
        )
    finally:
        context.close()
    return {"first_byte": float(first_byte), "banner": banner, "content": shown}


def _screenshot(chromium: Any, url: str, content: str, out: Path) -> None:
    """The dashboard once loaded, its figures drawn, the viewport as tall as the page."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1200})
    context.set_default_timeout(_browser.LOAD_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        page.locator(content).first.wait_for(state="visible")
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)  # plotly's transitions settle
        height = page.evaluate(
            "Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": 1400, "height": min(max(int(height), 900), 2200)})
        page.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
    finally:
        context.close()


def _servers(db: Path, work: Path, bare: Path | None) -> dict[str, _browser.Server]:
    """One ``piu-lab serve`` per identity (and the bare page's when ``bare`` is given)."""
    servers: dict[str, _browser.Server] = {}
    try:
        for user in sorted({user for user, _ in DASHBOARDS.values()}):
            log = work / f"voila-{user}.log"
            servers[user] = _browser.Server(db, user, log).start()
        if bare is not None:
            log = work / "voila-bare.log"
            extra = ("--dashboards", str(bare))
            servers["bare"] = _browser.Server(db, "nobody", log, extra=extra).start()
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    return servers


def _measure(chromium: Any, cases: dict[str, tuple[str, str]], loads: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, (url, content) in cases.items():
        _load(chromium, url, content)  # warm-up, not counted
        runs = []
        for i in range(loads):
            runs.append(_load(chromium, url, content))
            _log(f"{name} load {i + 1}/{loads}: {runs[-1]}")
        results[name] = {
            key: _stats([r[key] for r in runs]) for key in ("first_byte", "banner", "content")
        }
    return results


def render(db: Path, work: Path, loads: int) -> dict[str, Any]:
    """First-render timings of each dashboard and of the bare page."""
    from playwright.sync_api import sync_playwright

    bare = work / "bare"
    bare.mkdir(exist_ok=True)
    (bare / "bare.ipynb").write_text(BARE)
    servers = _servers(db, work, bare)
    try:
        cases = {"bare Voilà page (baseline)": (servers["bare"].url("bare"), ".piu-banner")}
        for name, (user, content) in DASHBOARDS.items():
            cases[name] = (servers[user].url(name), content)
        with sync_playwright() as playwright:
            chromium = _browser.launch(playwright)
            try:
                return _measure(chromium, cases, loads)
            finally:
                chromium.close()
    finally:
        for server in servers.values():
            server.stop()


def screenshots(db: Path, work: Path, folder: Path) -> None:
    """A PNG of each dashboard (synthetic data only) in ``folder``."""
    from playwright.sync_api import sync_playwright

    servers = _servers(db, work, None)
    try:
        with sync_playwright() as playwright:
            chromium = _browser.launch(playwright)
            try:
                for name, (user, content) in DASHBOARDS.items():
                    path = folder / f"{name}.png"
                    _screenshot(chromium, servers[user].url(name), content, path)
                    _log(f"screenshot: {path}")
            finally:
                chromium.close()
    finally:
        for server in servers.values():
            server.stop()


# -- a hit-queue action on the server side ---------------------------------------------------


def _copy_db(db: Path, to: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{db}{suffix}")
        if source.exists():
            shutil.copy2(source, f"{to}{suffix}")
    return to


def actions(db: Path, work: Path, rounds: int) -> dict[str, Any]:
    from piu_lab import api
    from widgets.hit_queue import HitQueue

    copy = _copy_db(db, work / "actions.sqlite3")
    times: dict[str, list[float]] = {"open": [], "validate": [], "decide": [], "refresh": []}
    with api.open_lab(str(copy)) as lab:
        session = lab.session(_browser.FEDERAL_POLICE, purpose="pre_assessment")
        queue = HitQueue(session, show_banner=False)
        yes = dict.fromkeys(api.CHECKLIST, True)

        def open_ids() -> list[str]:
            frame = session.hits(status=("NEW", "IN_REVIEW"))
            return [str(h) for h in frame["hit_id"]]

        def timed(key: str, fn: Callable[[], Any]) -> Any:
            start = time.perf_counter()
            value = fn()
            times[key].append((time.perf_counter() - start) * 1000)
            return value

        for i in range(rounds):
            ids = open_ids()
            if len(ids) < 2:
                _log(f"hit-queue actions: the queue ran out after {i} rounds")
                break
            bare, widget = ids[0], ids[-1]
            timed("decide", lambda h=bare: session.decide_hit(h, "VALIDATED", REASON, yes))
            timed("open", lambda h=widget: queue.open_hit(h))
            for box in queue.checks.values():  # the reviewer ticks every rule checked
                box.value = True
            decided = timed("validate", lambda: queue.validate(REASON))
            if not decided:
                raise RuntimeError(f"the Validate handler refused: {queue.message_text}")
            timed("refresh", queue.refresh)
    return {key: _stats(values) for key, values in times.items() if values}


# -- the report -------------------------------------------------------------------------------


def _table(result: dict[str, Any]) -> str:
    lines = [
        "| what | median | p90 | max | n | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, measures in result.get("render", {}).items():
        for key, label in (("first_byte", "first byte"), ("banner", "banner visible"),
                           ("content", "content visible")):  # fmt: skip
            s = measures[key]
            target = f"<= {TARGET_RENDER_S:g} s" if key == "content" and "bare" not in name else ""
            lines.append(
                f"| {name}: {label} | {s['median']:.2f} s | {s['p90']:.2f} s | {s['max']:.2f} s "
                f"| {s['n']} | {target} |"
            )
    labels = {
        "decide": "bare Session.decide_hit (baseline)",
        "open": "HitQueue: Open hit",
        "validate": "HitQueue: Validate handler (decide, re-read, reload the queue)",
        "refresh": "HitQueue: reload the queue",
    }
    for key, label in labels.items():
        s = result.get("actions", {}).get(key)
        if s:
            target = f"<= {TARGET_ACTION_MS:g} ms" if key in ("open", "validate") else ""
            lines.append(
                f"| {label} | {s['median']:.1f} ms | {s['p90']:.1f} ms | {s['max']:.1f} ms "
                f"| {s['n']} | {target} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, help="an existing demo database (default: build one)")
    parser.add_argument("--loads", type=int, default=5, help="counted loads per dashboard")
    parser.add_argument("--rounds", type=int, default=10, help="hit-queue action rounds")
    parser.add_argument("--screenshots", type=Path, default=None, help="save PNGs to this folder")
    parser.add_argument(
        "--screenshots-only",
        action="store_true",
        help="only save the PNGs (to --screenshots, default docs/screenshots)",
    )
    parser.add_argument("--quick", action="store_true", help="3 loads, 5 rounds")
    args = parser.parse_args(argv)
    reason = _browser.missing()
    if reason:
        print(f"skipped: {reason}")
        return 0
    if args.quick:
        args.loads, args.rounds = 3, 5
    shots = args.screenshots or (SCREENSHOTS if args.screenshots_only else None)
    with tempfile.TemporaryDirectory(prefix="piu-bench-views-") as tmp:
        work = Path(tmp)
        if args.db is None:
            _log("building the demo database (piu-lab demo, then a second day)...")
            start = time.perf_counter()
            db = _browser.build_demo_db(work / "db")
            _log(f"built in {time.perf_counter() - start:.0f} s")
        else:
            db = args.db
        if shots is not None:
            screenshots(db, work, shots)
        if args.screenshots_only:
            return 0
        result: dict[str, Any] = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "loads": args.loads,
            "rounds": args.rounds,
            "targets": {"render_s": TARGET_RENDER_S, "action_ms": TARGET_ACTION_MS},
        }
        result["actions"] = actions(db, work, args.rounds)
        result["render"] = render(db, work, args.loads)
        result["loadavg_1_5_15"] = [round(x, 2) for x in os.getloadavg()]  # a shared machine
    print(_table(result))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("views_quick.json" if args.quick else "views.json")
    out.write_text(json.dumps(result, indent=2) + "\n")
    _log(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

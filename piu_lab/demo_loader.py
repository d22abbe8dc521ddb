"""What ``piu-lab demo`` (``Lab.load_demo``) does: synthetic traffic taken in the way real traffic
is, a staff register, sources, a screening and a synthetic review, and a history of earlier
months that goes through the data lifecycle.

The main traffic (the days just before today) is written as carriers send it (PNRGOV/PAXLST),
taken in through the ingest with the feed's own clock, screened against the synthetic lists and
the demo criteria, and reviewed against the ground truth by the seconded members. Before it, a
**history** of one small day per month over the ``history_months`` months before (each with its
own lists' version, screened and reviewed the same way) is taken in; then one lifecycle run
(``cjeu-2022``) masks and deletes what is due, so that a fresh demo holds recent data, data
masked in the tables with their kept passengers, and counts of what was deleted (R-RET-01..03).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

from piu_lab import synth as _synth
from piu_lab.access import persist as _persist
from piu_lab.access import seed as _seed
from piu_lab.clock import Clock
from piu_lab.hits import queries as _queries
from piu_lab.hits.run import RunSummary
from piu_lab.ingest import pipeline as _ingest
from piu_lab.lifecycle.run import LifecycleSummary
from piu_lab.session import demo as _demo
from piu_lab.store import Store

__all__ = ["HISTORY_MONTHS", "DemoResult", "load_demo", "seed_staff"]

Progress = Callable[[str, int, int], None]
#: Months of history ``piu-lab demo`` adds before its main days (one small day per month).
HISTORY_MONTHS = 8


class LabLike(Protocol):
    """The part of :class:`piu_lab.api.Lab` the demo drives."""

    clock: Clock
    _store: Store

    def ingest(
        self, paths: Sequence[Path | str], *, replay: bool = ..., progress: Progress | None = ...
    ) -> _ingest.IngestReport: ...

    def screen(
        self, days: Sequence[date] | None = ..., *, progress: Progress | None = ...
    ) -> RunSummary: ...

    def run_lifecycle(self, *, progress: Progress | None = ...) -> LifecycleSummary: ...


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``Lab.load_demo`` generated, wrote and took in through the ingest."""

    traffic: dict[str, int]
    files: dict[str, int]
    out_dir: Path
    ingest: dict[str, object]
    #: members in the staff register after seeding
    staff: int
    #: counts of the demo's pre-assessment (no personal data): sources, hits by kind and
    #: service, planted travellers found, the synthetic review's outcome
    screening: dict[str, object]
    #: the history: months, journeys, PNRs stored, hits validated (counts only)
    history: dict[str, int] = field(default_factory=dict)
    #: the lifecycle run after loading (counts of :class:`LifecycleSummary`)
    lifecycle: dict[str, int] = field(default_factory=dict)


def seed_staff(store: Store, clock: Clock) -> int:
    """Seed the synthetic staff register (head, deputies, DPO, support staff, seconded members
    of four services, a grantee, a lapsed clearance, the supervisors) when the register is
    empty; returns the number of members (R-ACC-01..03)."""
    if _persist.count_changes(store) == 0:
        operations = _seed.demo_operations(clock.now().date())
        _persist.save_operations(store, operations, require_empty=True)
    return len(_persist.load_register(store).members)


def _take_in(
    lab: LabLike, config: _synth.SynthConfig, folder: Path, progress: Progress | None
) -> tuple[_synth.SynthTraffic, dict[str, int], _ingest.IngestReport]:
    traffic = _synth.generate(config, progress=progress)
    files = _synth.write_traffic(traffic, folder, progress=progress)
    lab._store.write_carriers(traffic.carriers)
    _demo.record_demo_scope(lab._store, lab.clock, config)
    report = lab.ingest([folder / "pnrgov", folder / "paxlst"], replay=True, progress=progress)
    return traffic, files, report


def _screen(
    lab: LabLike,
    traffic: _synth.SynthTraffic,
    progress: Progress | None,
    *,
    criteria: bool,
    leave_open: int = 0,
) -> dict[str, object]:
    """Register the traffic's lists (and the demo criteria), screen its days, review the hits
    against the ground truth (as the seconded members, leaving ``leave_open``
    passenger-journeys per service for a person) and count; only counts leave."""
    store, clock = lab._store, lab.clock
    sources = _demo.register_demo_sources(store, clock, traffic, criteria=criteria)
    config = traffic.config
    days = [config.start + timedelta(days=k) for k in range(config.days)]
    summary = lab.screen(days, progress=progress)
    frame = _queries.hit_frame(store, clock.now())
    frame = frame[frame["run_id"] == summary.run_id]
    truth = traffic.truth["watchlist_hits"]
    planted = set(zip(truth["pnr_id"] + "/" + truth["pax_ref"], truth["entry_id"], strict=True))
    listed = frame[frame["source_kind"] == "WATCHLIST"]
    found = planted & set(zip(listed["group_key"], listed["entry_id"], strict=True))
    reviewed = _demo.review_demo(store, clock, traffic, leave_open=leave_open)
    decided = reviewed["validated"] + reviewed["rejected_false_positive"]
    journeys = int(traffic.summary().get("journeys", 0))
    return {
        "lists": sources.lists,
        "entries": sources.entries,
        "criteria": sources.criteria,
        "travellers": summary.travellers,
        "hits": summary.hits_new,
        "travellers_hit": int(frame["group_key"].nunique()),
        "journeys_hit_pct": round(100 * frame["group_key"].nunique() / max(journeys, 1), 3),
        "by_kind": summary.by_kind,
        "by_service": summary.by_service,
        "criteria_hits": int((frame["source_kind"] == "CRITERION").sum()),
        "planted": len(planted),
        "planted_found": len(found),
        **reviewed,
        "false_positive_pct": round(100 * reviewed["rejected_false_positive"] / max(decided, 1), 1),
        "seconds": summary.seconds,
    }


def history_configs(config: _synth.SynthConfig, months: int) -> list[_synth.SynthConfig]:
    """One small synthetic day per month over ``months`` months before ``config.start``,
    oldest first, each from its own seed (so its travellers and PNRs are its own)."""
    return [
        _synth.SynthConfig(
            days=1,
            scale="small",
            seed=config.seed + 1_000 + k,
            start=config.start - timedelta(days=round(30.44 * k)),
        )
        for k in range(months, 0, -1)
    ]


def load_demo(
    lab: LabLike,
    config: _synth.SynthConfig,
    *,
    out_dir: Path,
    progress: Progress | None = None,
    history_months: int = 0,
) -> DemoResult:
    """See the module's text. Loading twice stores nothing twice (the messages are
    duplicates); the staff register is seeded first so that the head of unit records each scope
    decision before the traffic it covers comes in (R-SCOPE-02)."""
    staff = seed_staff(lab._store, lab.clock)
    history: dict[str, int] = {"months": history_months, "journeys": 0, "pnr_versions": 0,
                               "validated": 0}  # fmt: skip
    criteria = 0
    for n, past in enumerate(history_configs(config, history_months)):
        folder = out_dir / "history" / f"{past.start:%Y-%m-%d}"
        traffic, _, report = _take_in(lab, past, folder, progress)
        screened = _screen(lab, traffic, progress, criteria=n == 0)
        criteria = max(criteria, int(screened["criteria"]))  # type: ignore[call-overload]
        history["journeys"] += int(traffic.summary().get("journeys", 0))
        history["pnr_versions"] += report.pnr_versions
        history["validated"] += int(screened["validated"])  # type: ignore[call-overload]
    traffic, files, report = _take_in(lab, config, out_dir, progress)
    screening = _screen(
        lab, traffic, progress, criteria=history_months == 0, leave_open=_demo.LEFT_FOR_REVIEW
    )
    if history_months:
        screening["criteria"] = criteria  # registered with the first month of history
    lifecycle = lab.run_lifecycle(progress=progress).counts() if history_months else {}
    return DemoResult(
        traffic=traffic.summary(),
        files=files,
        out_dir=out_dir,
        ingest=_ingest.summarise(report),
        staff=staff,
        screening=screening,
        history=history,
        lifecycle=lifecycle,
    )

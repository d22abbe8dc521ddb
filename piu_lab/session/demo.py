"""The demo's pre-assessment: the synthetic watchlists and the demo criteria registered by the
head of unit, and a synthetic review of the hits by the seconded members, all through sessions
(so the demo's audit log looks like a working day's). Before the traffic is taken in, the head
of unit records the demo's scope decision (R-SCOPE-02), so that its intra-EU flights and its
rail, bus and sea journeys are processed.

The synthetic review knows the ground truth (which travellers were planted on which list entry
or criterion): a planted hit is validated, every other hit rejected as a false positive. Hits of
services without a seconded member in the demo register (local police, OCAM) stay open unless a
common decision carries over to them, as they would in a unit that has nobody on duty there.
On the main days the review leaves the first passenger-journey of each reviewing service open
(``LEFT_FOR_REVIEW``), so that the workbench opens on a queue with work in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from piu_lab.access.seed import HEAD_CODE
from piu_lab.clock import Clock
from piu_lab.criteria import demo_criteria
from piu_lab.errors import HitStateError, InvalidRecord
from piu_lab.hits import queries
from piu_lab.hits.demo import DEMO_LISTS
from piu_lab.hits.review import CHECKLIST
from piu_lab.ingest.scope import ScopeDecision
from piu_lab.lifecycle.scope import decisions
from piu_lab.model import Sector
from piu_lab.model.hits import HitStatus
from piu_lab.session import open_session
from piu_lab.store import Store
from piu_lab.synth import SynthConfig, SynthTraffic

__all__ = [
    "LEFT_FOR_REVIEW",
    "REVIEWERS",
    "DemoSources",
    "demo_scope_decision",
    "record_demo_scope",
    "register_demo_sources",
    "review_demo",
    "truth_hits",
]

#: The seconded member who reviews each service's hits in the demo register.
REVIEWERS = {
    "federal_police": "FP-0233",
    "state_security": "VSSE-112",
    "military_intelligence": "SGRS-071",
    "customs": "DOU-0558",
}

#: Passenger-journeys per reviewing service the main days' review leaves open for a person.
LEFT_FOR_REVIEW = 1


@dataclass(frozen=True, slots=True)
class DemoSources:
    lists: int
    entries: int
    criteria: int


def demo_scope_decision(config: SynthConfig, today: date) -> ScopeDecision:
    """The demo's decision (R-SCOPE-02): all intra-EU flights and all rail, bus and sea
    journeys, under a synthetic threat assessment at OCAM level 3 ("serious: threat possible
    and likely"), from a week before the first departure day (early pushes arrive up to three
    days before) to a month after the demo's period or today, reviewed within a month."""
    first = config.start - timedelta(days=7)
    last = max(config.start + timedelta(days=config.days), today) + timedelta(days=30)
    return ScopeDecision(
        decision_id=f"SCOPE-DEMO-{first:%Y%m%d}",
        legal_basis="Law of 25 December 2016 on passenger data; DIR art. 2 (synthetic demo)",
        threat_assessment=f"OCAM-DEMO-{first:%Y%m%d} (synthetic threat assessment)",
        ocam_level=3,
        ocam_date=first - timedelta(days=1),
        ocam_source="OCAM general threat level, synthetic notice",
        starts_on=first,
        ends_on=last,
        next_review=min(max(first, today) + timedelta(days=30), last),
        sectors=(Sector.AIR, Sector.HST, Sector.BUS, Sector.SEA),
    )


def record_demo_scope(store: Store, clock: Clock, config: SynthConfig) -> str:
    """The head of unit records the demo's scope decision, once (loading the demo again finds
    it); returns its id."""
    decision = demo_scope_decision(config, clock.now().date())
    known = {d.decision_id for d in decisions(store, include_revoked=True)}
    if decision.decision_id not in known:
        head = open_session(store, clock, HEAD_CODE, purpose="unit_management")
        head.record_scope_decision(decision)
    return decision.decision_id


def register_demo_sources(
    store: Store, clock: Clock, traffic: SynthTraffic, *, criteria: bool = True
) -> DemoSources:
    """The head of unit registers the five synthetic lists (a new version of each when they
    exist) and, unless ``criteria`` is False, the demo criteria."""
    head = open_session(store, clock, HEAD_CODE, purpose="unit_management")
    entries = 0
    lists = traffic.watchlists
    for list_id, info in DEMO_LISTS.items():
        made = head.register_watchlist(info, lists[lists["list_id"] == list_id])
        entries += made.entry_count
    if not criteria:
        return DemoSources(len(DEMO_LISTS), entries, 0)
    setter = open_session(store, clock, HEAD_CODE, purpose="criteria_analysis")
    registered = 0
    for criterion in demo_criteria():
        try:
            setter.register_criterion(criterion)
            registered += 1
        except InvalidRecord:
            continue  # not approvable on this day (outside its validity): left out, audited
    return DemoSources(len(DEMO_LISTS), entries, registered)


def truth_hits(hits: pd.DataFrame, traffic: SynthTraffic) -> pd.Series:
    """Whether each hit is one the synthetic traffic planted (True) or a false positive."""
    planted = traffic.truth["watchlist_hits"]
    listed = set(planted["pnr_id"] + "/" + planted["pax_ref"] + "|" + planted["entry_id"])
    crit = traffic.truth["criteria"]
    flagged = set(crit["pnr_id"] + "/" + crit["pax_ref"])
    key = hits["group_key"] + "|" + hits["entry_id"].fillna("").astype(str)
    by_list = (hits["source_kind"] == "WATCHLIST") & key.isin(listed)
    by_criterion = (hits["source_kind"] == "CRITERION") & hits["group_key"].isin(flagged)
    return by_list | by_criterion


def _left_open(frame: pd.DataFrame, per_service: int) -> set[str]:
    """The first ``per_service`` passenger-journeys (by group key) of each reviewing service."""
    reviewed = frame[frame["service"].isin(list(REVIEWERS))]
    firsts = reviewed.sort_values("group_key").groupby("service")["group_key"].unique()
    return {str(key) for keys in firsts for key in list(keys)[:per_service]}


def review_demo(
    store: Store, clock: Clock, traffic: SynthTraffic, *, leave_open: int = 0
) -> dict[str, int]:
    """Each service's seconded member decides its open hits against the ground truth, except
    the hits of ``leave_open`` passenger-journeys per service, left for a person."""
    frame = queries.hit_frame(store, clock.now(), status=("NEW", "IN_REVIEW"))
    true = truth_hits(frame, traffic)
    kept = _left_open(frame, leave_open) if leave_open else set()
    counts = {"validated": 0, "rejected_false_positive": 0}
    sessions = {}
    for row, is_true in zip(frame.itertuples(index=False), true, strict=True):
        code = REVIEWERS.get(str(row.service))
        if code is None or str(row.group_key) in kept:
            continue
        if code not in sessions:
            sessions[code] = open_session(store, clock, code, purpose="pre_assessment")
        session = sessions[code]
        answers = dict.fromkeys(CHECKLIST, True)
        if is_true:
            status, reason = HitStatus.VALIDATED, "synthetic review: the planted traveller"
        else:
            answers["same_person"] = False
            status = HitStatus.REJECTED_FALSE_POSITIVE
            reason = "synthetic review: not the person listed (ground truth)"
        try:
            session.decide_hit(str(row.hit_id), status, reason, answers)
        except HitStateError:
            continue  # decided already through a common hit of another service
        key = "validated" if status is HitStatus.VALIDATED else "rejected_false_positive"
        counts[key] += 1
    after = queries.hit_frame(store, clock.now())
    counts["left_open"] = int(after["open"].sum()) if len(after) else 0
    return counts

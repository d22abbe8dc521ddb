"""The demo's pre-assessment: the synthetic watchlists and the demo criteria registered by the
head of unit, and a synthetic review of the hits by the seconded members, all through sessions
(so the demo's audit log looks like a working day's).

The synthetic review knows the ground truth (which travellers were planted on which list entry
or criterion): a planted hit is validated, every other hit rejected as a false positive. Hits of
services without a seconded member in the demo register (local police, OCAM) stay open unless a
common decision carries over to them, as they would in a unit that has nobody on duty there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from piu_lab.access.seed import HEAD_CODE
from piu_lab.clock import Clock
from piu_lab.criteria import demo_criteria
from piu_lab.errors import HitStateError, InvalidRecord
from piu_lab.hits import queries
from piu_lab.hits.demo import DEMO_LISTS
from piu_lab.hits.review import CHECKLIST
from piu_lab.model.hits import HitStatus
from piu_lab.session import open_session
from piu_lab.store import Store
from piu_lab.synth import SynthTraffic

__all__ = ["REVIEWERS", "DemoSources", "register_demo_sources", "review_demo", "truth_hits"]

#: The seconded member who reviews each service's hits in the demo register.
REVIEWERS = {
    "federal_police": "FP-0233",
    "state_security": "VSSE-112",
    "military_intelligence": "SGRS-071",
    "customs": "DOU-0558",
}


@dataclass(frozen=True, slots=True)
class DemoSources:
    lists: int
    entries: int
    criteria: int


def register_demo_sources(store: Store, clock: Clock, traffic: SynthTraffic) -> DemoSources:
    """The head of unit registers the five synthetic lists and the demo criteria."""
    head = open_session(store, clock, HEAD_CODE, purpose="unit_management")
    entries = 0
    lists = traffic.watchlists
    for list_id, info in DEMO_LISTS.items():
        made = head.register_watchlist(info, lists[lists["list_id"] == list_id])
        entries += made.entry_count
    setter = open_session(store, clock, HEAD_CODE, purpose="criteria_analysis")
    criteria = 0
    for criterion in demo_criteria():
        try:
            setter.register_criterion(criterion)
            criteria += 1
        except InvalidRecord:
            continue  # not approvable on this day (outside its validity): left out, audited
    return DemoSources(len(DEMO_LISTS), entries, criteria)


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


def review_demo(store: Store, clock: Clock, traffic: SynthTraffic) -> dict[str, int]:
    """Each service's seconded member decides its open hits against the ground truth."""
    frame = queries.hit_frame(store, clock.now(), status=("NEW", "IN_REVIEW"))
    true = truth_hits(frame, traffic)
    counts = {"validated": 0, "rejected_false_positive": 0}
    sessions = {}
    for row, is_true in zip(frame.itertuples(index=False), true, strict=True):
        code = REVIEWERS.get(str(row.service))
        if code is None:
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

"""The review: states, the checklist, common decisions, OCAM tasks, follow-ups, the 24-hour
deadline on a frozen clock (R-PRE-02, R-PRE-03, R-PRE-06, R-PRE-07, R-CRIT-05)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from piu_lab import api
from piu_lab.errors import HitStateError, InvalidRecord, UnknownHit
from piu_lab.hits import queries
from piu_lab.hits.review import (
    CHECKLIST,
    Review,
    close_ocam_task,
    current_status,
    decide_hit,
    record_follow_up,
    start_review,
)
from piu_lab.model.hits import HitStatus
from tests.hits.conftest import NOW

YES = dict.fromkeys(CHECKLIST, True)
VALID = Review(HitStatus.VALIDATED, "same name, date of birth and passport number", YES)


def hits(lab: api.Lab, now: object = NOW) -> pd.DataFrame:
    return queries.hit_frame(lab._store, now)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("review", "problem"),
    [
        (Review(HitStatus.VALIDATED, "too short", YES), "reason"),
        (Review(HitStatus.VALIDATED, "x" * 30, {}), "checklist: answer"),
        (Review(HitStatus.VALIDATED, "x" * 30, YES | {"extra": True}), "unknown question"),
        (Review(HitStatus.VALIDATED, "x" * 30, YES | {"same_person": False}), "yes to every"),
        (Review(HitStatus.REJECTED_DISCRIMINATORY, "x" * 30, YES), "not_discriminatory"),
        (Review(HitStatus.REJECTED_FALSE_POSITIVE, "x" * 30, YES), "false positive"),
        (Review(HitStatus.IN_REVIEW, "x" * 30, YES), "status"),
    ],
)
def test_a_decision_needs_reasons_and_a_coherent_checklist(review: Review, problem: str) -> None:
    """R-CRIT-05: objective, written review rules; R-PRE-02: a person decides, with reasons."""
    assert any(problem in p for p in review.problems())


def test_the_states_go_forward_only(lab: api.Lab) -> None:
    hit_id = str(hits(lab)[lambda f: ~f["common"]]["hit_id"].iloc[0])
    assert start_review(lab._store, hit_id, actor="DOU-0558", at=NOW) is HitStatus.IN_REVIEW
    assert start_review(lab._store, hit_id, actor="DOU-0558", at=NOW) is HitStatus.IN_REVIEW
    decide_hit(lab._store, hit_id, VALID, actor="DOU-0558", service="customs", at=NOW)
    assert current_status(lab._store, hit_id) is HitStatus.VALIDATED
    with pytest.raises(HitStateError, match="final"):
        decide_hit(lab._store, hit_id, VALID, actor="DOU-0558", service="customs", at=NOW)
    with pytest.raises(HitStateError):
        start_review(lab._store, hit_id, actor="DOU-0558", at=NOW)
    history = queries.hit_history(lab._store, hit_id)
    assert list(history["status"]) == ["NEW", "IN_REVIEW", "VALIDATED"]
    assert list(history["seq"]) == [1, 2, 3]
    assert history["checklist"].iloc[-1] == YES
    with pytest.raises(UnknownHit):
        current_status(lab._store, "Hnope")
    with pytest.raises(InvalidRecord):
        decide_hit(lab._store, hit_id, Review(HitStatus.VALIDATED, "short", YES),
                   actor="DOU-0558", service="customs", at=NOW)  # fmt: skip


def test_a_common_decision_counts_for_every_service(lab: api.Lab) -> None:
    """R-PRE-06: validated by one service, validated for all, with who did it."""
    frame = hits(lab)
    common = frame[frame["common"]]
    group, source = common.iloc[0][["group_key", "source_key"]]
    siblings = frame[(frame["group_key"] == group) & (frame["source_key"] == source)]
    assert len(siblings) >= 2
    first = siblings.iloc[0]
    decided = decide_hit(lab._store, first["hit_id"], VALID, actor="FP-0233",
                         service=first["service"], at=NOW)  # fmt: skip
    assert set(decided) == set(siblings["hit_id"])
    after = hits(lab).set_index("hit_id").loc[list(siblings["hit_id"])]
    assert (after["status"] == "VALIDATED").all()
    others = after.drop(index=first["hit_id"])
    assert (others["via_hit"] == first["hit_id"]).all()
    assert (others["status_by"] == "FP-0233").all()
    history = queries.hit_history(lab._store, str(others.index[0]))
    assert first["service"] in history["reason"].iloc[-1]


def test_a_validated_ftf_hit_opens_an_ocam_task_closed_only_with_a_reference(
    lab: api.Lab,
) -> None:
    """R-PRE-07: the common FTF database's validated hits must reach OCAM."""
    ftf = hits(lab)[lambda f: f["ftf"]].iloc[0]
    decide_hit(lab._store, ftf["hit_id"], VALID, actor="VSSE-112", service=ftf["service"], at=NOW)
    after = hits(lab)
    same = after[
        (after["group_key"] == ftf["group_key"]) & (after["source_key"] == ftf["source_key"])
    ]
    assert list(same["ocam_task"]).count("open") == 1  # one task per match, not per service
    with pytest.raises(InvalidRecord, match="transmission reference"):
        close_ocam_task(lab._store, ftf["hit_id"], " ", actor="VSSE-112", at=NOW)
    close_ocam_task(lab._store, ftf["hit_id"], "OCAM-2026-1187", actor="VSSE-112", at=NOW)
    assert "closed" in set(hits(lab)["ocam_task"])
    with pytest.raises(HitStateError):
        close_ocam_task(lab._store, ftf["hit_id"], "OCAM-2026-1188", actor="VSSE-112", at=NOW)
    with pytest.raises(UnknownHit):
        close_ocam_task(lab._store, "Hnope", "OCAM-1", actor="VSSE-112", at=NOW)


def test_follow_ups_only_for_validated_hits(lab: api.Lab) -> None:
    """The service records what it did ("suite utile"); the views list those without one."""
    hit_id = str(hits(lab)[lambda f: ~f["common"]]["hit_id"].iloc[0])
    with pytest.raises(HitStateError, match="only a validated hit"):
        record_follow_up(lab._store, hit_id, "controlled at the gate, nothing found",
                         actor="DOU-0558", at=NOW)  # fmt: skip
    decide_hit(lab._store, hit_id, VALID, actor="DOU-0558", service="customs", at=NOW)
    assert not hits(lab).set_index("hit_id").loc[hit_id, "follow_up"]
    assert record_follow_up(lab._store, hit_id, "controlled at the gate, 2 kg seized",
                            actor="DOU-0558", at=NOW) == 1  # fmt: skip
    assert hits(lab).set_index("hit_id").loc[hit_id, "follow_up"]
    with pytest.raises(InvalidRecord):
        record_follow_up(lab._store, hit_id, "ok", actor="DOU-0558", at=NOW)


def test_the_24_hour_deadline_on_a_frozen_clock(lab: api.Lab) -> None:
    """R-PRE-03 (LAW art. 24 §4; AR art. 8): a decision within 24 hours of the notification;
    a breach is flagged and escalated to the head of unit once."""
    frame = hits(lab)
    assert (frame["hours_left"] == 24.0).all()
    assert not frame["breached"].any()
    clock = lab.clock
    assert isinstance(clock, api.FrozenClock)
    clock.advance(timedelta(hours=23, minutes=59))
    assert not hits(lab, clock.now())["breached"].any()
    assert lab.deadline_breaches().empty
    hit_id = str(frame[lambda f: ~f["common"]]["hit_id"].iloc[0])
    decide_hit(lab._store, hit_id, VALID, actor="DOU-0558", service="customs", at=clock.now())
    clock.advance(timedelta(minutes=2))
    late = hits(lab, clock.now())
    assert late.loc[late["open"], "breached"].all()
    assert not late.set_index("hit_id").loc[hit_id, "breached"]  # decided in time
    breaches = lab.deadline_breaches()
    assert len(breaches) == int(late["open"].sum())
    assert set(breaches.columns) == {"hit_id", "service", "kind", "status", "deadline_at",
                                     "hours_left"}  # fmt: skip
    assert queries.escalate(lab._store, clock.now()) == 0  # once per hit
    clock.advance(timedelta(hours=2))
    decide_hit(lab._store, str(breaches["hit_id"].iloc[0]), VALID, actor="X-1",
               service="customs", at=clock.now())  # fmt: skip
    decided_late = hits(lab, clock.now()).set_index("hit_id").loc[breaches["hit_id"].iloc[0]]
    assert decided_late["breached"]  # a late decision stays a breach


def test_source_metrics_count_decisions_and_raise_the_alert(lab: api.Lab) -> None:
    """R-CRIT-04: per list and criterion, the false-positive rate and its alert."""
    frame = hits(lab)
    customs = frame[frame["list_id"] == "BE-CUSTOMS"]
    no = YES | {"same_person": False}
    for hit_id in customs["hit_id"]:
        decide_hit(lab._store, hit_id, Review(HitStatus.REJECTED_FALSE_POSITIVE,
                   "not the person: other date of birth", no), actor="DOU-0558",
                   service="customs", at=NOW)  # fmt: skip
    metrics = lab.hit_metrics().set_index("source")
    row = metrics.loc["list:BE-CUSTOMS"]
    assert row["hits"] == len(customs)
    assert row["rejected_false_positive"] == len(customs)
    assert row["false_positive_rate"] == 1.0
    assert row["alert"]
    assert not metrics.drop(index="list:BE-CUSTOMS")["alert"].any()

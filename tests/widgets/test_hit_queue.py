"""The hit queue and the review of one hit, driven in Python (R-PRE-02..05)."""

from __future__ import annotations

import html

import pandas as pd

from piu_lab import api
from tests.widgets.conftest import ANALYST, DPO
from widgets.hit_card import card_html
from widgets.hit_queue import NO_REASON, OPEN_STATUSES, HitQueue

REASON = "same name, date of birth and document as the list entry"


def test_the_queue_holds_open_hits_by_time_left_and_opens_the_first(
    analyst: api.Session,
) -> None:
    queue = HitQueue(analyst)
    frame = queue.queue
    assert len(frame) > 0
    assert frame["status"].isin(OPEN_STATUSES).all()
    assert (frame["service"] == "federal_police").all()
    assert frame["hours_left"].is_monotonic_increasing
    first = str(frame["hit_id"].iloc[0])
    assert queue.card is not None
    assert queue.card.hit["hit_id"] == first
    assert first in queue.status_text
    assert "h left before the 24-hour deadline" in queue.status_text
    assert queue.select.value == first


def test_decided_hits_follow_the_open_ones(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    queue.show_decided.value = True
    is_open = queue.queue["status"].isin(OPEN_STATUSES)
    assert is_open.any()
    assert (~is_open).any()
    assert not is_open.iloc[is_open.sum() :].any()  # open ones first, then the decided
    decided_at = pd.to_datetime(queue.queue.loc[~is_open, "status_at"])
    assert decided_at.is_monotonic_decreasing


def test_the_card_sets_the_traveller_beside_the_list_entry(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    shown = html.unescape(queue.card_box.value)
    assert "Traveller (as the PNR holds them)" in shown
    assert "List entry" in shown or "conditions that fired" in shown
    assert "Explanation" in shown
    assert all(box.description in api.CHECKLIST.values() for box in queue.checks.values())


def test_a_decision_without_reasons_is_refused_in_the_page(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    before = queue.status_text
    assert queue.validate("   ") is None
    assert queue.refused
    assert html.unescape(queue.message_text) == NO_REASON
    assert queue.reject("") is None
    assert queue.status_text == before
    assert "NEW" in before or "IN_REVIEW" in before


def test_a_short_reason_is_refused_by_the_facade_with_its_rule(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    assert queue.validate("too short") is None
    assert queue.refused
    assert "at least 20 characters" in queue.message_text


def test_validating_with_a_reason_changes_the_status_and_is_audited(
    lab: api.Lab, analyst: api.Session
) -> None:
    queue = HitQueue(analyst)
    hit_id = str(queue.card.hit["hit_id"]) if queue.card is not None else ""
    queue.reason.value = REASON
    queue.validate_button.click()  # nothing ticked yet: refused, nothing pre-answered
    assert queue.refused
    for box in queue.checks.values():
        box.value = True
    queue.validate_button.click()
    assert not queue.refused
    assert f"Hit {hit_id}: VALIDATED by {ANALYST}" in queue.status_text
    assert "recorded as VALIDATED" in queue.message_text
    assert queue.reason.value == ""
    assert hit_id not in set(queue.queue["hit_id"])  # no longer open
    events = lab.session(DPO, purpose="dpo_supervision").audit_events()
    mine = events[(events["actor"] == ANALYST) & (events["action"] == "validate")]
    assert any(f"hit:{hit_id}" in list(objects) for objects in mine["objects"])
    assert (mine["decision"] == "allowed").all()


def test_a_false_positive_needs_a_no_in_the_checklist(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    for box in queue.checks.values():
        box.value = True
    assert queue.reject(REASON) is None  # every rule ticked: not a false positive
    assert "same_person or reasonable_suspicion" in queue.message_text
    queue.checks["same_person"].value = False
    decided = queue.reject(REASON)
    assert decided
    assert "REJECTED_FALSE_POSITIVE" in queue.status_text


def test_another_services_hit_is_a_refusal_in_the_page(lab: api.Lab, analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    deadlines = lab.situation().deadlines
    foreign = deadlines[deadlines["service"] != "federal_police"]["hit_id"].iloc[0]
    queue.hit_id.value = str(foreign)
    queue.open_button.click()
    assert queue.card is None
    assert queue.refused
    assert "ACC-PRE-02" in queue.message_text
    assert "existence only" in html.unescape(queue.message_text)
    assert queue.card_box.value == ""
    assert "not open here" in queue.status_text


def test_an_unknown_hit_is_a_refusal_too(analyst: api.Session) -> None:
    queue = HitQueue(analyst)
    assert queue.open_hit("H-does-not-exist") is None
    assert queue.refused
    assert "no hit" in html.unescape(queue.message_text)


def test_old_hits_show_masked_even_when_their_criterion_evidence_was_masked(
    lab: api.Lab,
) -> None:
    """The lifecycle masks a hit's evidence in the table: the card still opens."""
    dpo = lab.session(DPO, purpose="dpo_supervision")
    hits = dpo.hits()
    old = hits[hits["explanation"] == api.MASKED]
    assert len(old) > 0
    for hit_id in old.drop_duplicates("source_kind")["hit_id"]:
        card = dpo.hit(str(hit_id))
        shown = html.unescape(card_html(card))
        assert "<masked>" in shown
        assert "masked" in shown.lower()

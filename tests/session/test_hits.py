"""The session's hit methods: need to know, review through the facade, disclosure only after
validation, masking after six months, disparity for the DPO (R-PRE-02..06, R-CRIT-03)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from piu_lab import api
from piu_lab.audit import AuditLog
from tests.hits.conftest import NOW

FP, CUSTOMS, VSSE = "FP-0233", "DOU-0558", "VSSE-112"
YES = dict.fromkeys(api.CHECKLIST, True)


def last_event(lab: api.Lab) -> object:
    return AuditLog(lab._store, lab.clock).read()[-1].event


def all_hits(lab: api.Lab) -> pd.DataFrame:
    return lab.session("PIU-DPO1", purpose="dpo_supervision").hits()


def test_a_seconded_member_sees_the_own_service_queue_only(lab: api.Lab) -> None:
    """ACC-PRE-01/02 (AR art. 8 §1; R-PRE-05): own hits in full, others by existence only."""
    queue = lab.session(FP, purpose="pre_assessment").hits()
    assert len(queue) > 0
    assert set(queue["service"]) == {"federal_police"}
    everything = all_hits(lab)
    shared = everything.groupby("group_key")["service"].nunique()
    mixed = set(queue["group_key"]) & set(shared[shared > 1].index)
    assert mixed  # the day has passenger-journeys hit by several services
    row = queue[queue["group_key"].isin(mixed)].iloc[0]
    assert "," in row["services_on_journey"]
    assert list(queue["deadline_at"]) == sorted(queue["deadline_at"])


def test_another_services_hit_cannot_be_opened(lab: api.Lab) -> None:
    """A seconded member of one service cannot open another service's hit (audited)."""
    other = all_hits(lab)[lambda f: f["service"] == "customs"].iloc[0]
    session = lab.session(FP, purpose="pre_assessment")
    with pytest.raises(api.AccessDenied) as refused:
        session.hit(str(other["hit_id"]))
    assert refused.value.rule_id == "ACC-PRE-02"
    event = last_event(lab)
    assert (event.decision.value, event.objects) == ("denied", (f"hit:{other['hit_id']}",))  # type: ignore[attr-defined]


def test_the_own_hit_card_shows_traveller_entry_checklist_and_label(lab: api.Lab) -> None:
    hit_id = str(lab.session(CUSTOMS, purpose="pre_assessment").hits()["hit_id"].iloc[0])
    card = lab.session(CUSTOMS, purpose="pre_assessment").hit(hit_id)
    assert card.hit["hit_id"] == hit_id
    assert card.label == "for further examination"
    assert set(card.checklist) == set(api.CHECKLIST)
    assert list(card.history["status"]) == ["NEW"]
    assert len(card.traveller) >= 1
    if card.hit["source_kind"] == "WATCHLIST":
        assert card.entry["full_name"]
    else:
        assert card.fired


def test_review_through_the_facade_is_audited_and_only_by_the_own_service(
    lab: api.Lab,
) -> None:
    """R-PRE-02; ACC-PRE-03: only the hit's service validates; a grantee or the DPO cannot."""
    hit_id = str(lab.session(CUSTOMS, purpose="pre_assessment").hits()["hit_id"].iloc[0])
    for code, purpose in ((FP, "pre_assessment"), ("PIU-DPO1", "dpo_supervision"),
                          ("LP-9021", "pre_assessment")):  # fmt: skip
        with pytest.raises(api.AccessDenied):
            lab.session(code, purpose=purpose).decide_hit(hit_id, "VALIDATED", "x" * 30, YES)
    session = lab.session(CUSTOMS, purpose="pre_assessment")
    assert session.start_review(hit_id) is api.HitStatus.IN_REVIEW
    with pytest.raises(api.HitStateError):
        session.disclose_hit(hit_id)  # nothing disclosed while in review
    assert last_event(lab).action.value == "disclose"  # type: ignore[attr-defined]
    decided = session.decide_hit(hit_id, "VALIDATED", "name, date of birth and passport match", YES)
    assert hit_id in decided
    event = last_event(lab)
    assert (event.action.value, event.detail["status"]) == ("validate", "VALIDATED")  # type: ignore[attr-defined]
    package = session.disclose_hit(hit_id)
    assert package.hit["status"] == "VALIDATED"
    assert session.record_follow_up(hit_id, "stopped at the gate, goods seized") == 1


def test_the_head_of_unit_sees_breaches_not_hits(lab: api.Lab) -> None:
    with pytest.raises(api.AccessDenied):
        lab.session("PIU-H01", purpose="unit_management").hits()
    lab.clock.advance(timedelta(hours=25))  # type: ignore[attr-defined]
    breaches = lab.deadline_breaches()
    assert len(breaches) > 0
    assert "explanation" not in breaches.columns


def test_a_supervisor_sees_its_remit_only(lab: api.Lab) -> None:
    """AR art. 7, 32: the COC supervises the police services."""
    coc = lab.session("COC-01", purpose="supervisory_review").hits()
    assert set(coc["service"]) <= {"federal_police", "local_police"}
    assert len(coc) > 0
    assert len(all_hits(lab)) > len(coc)


def test_hits_are_masked_six_months_after_registration(lab: api.Lab) -> None:
    """R-RET-02: the explanation names people; masked like the rest after six months."""
    lab.clock.advance(timedelta(days=200))  # type: ignore[attr-defined]
    queue = lab.session("PIU-DPO1", purpose="dpo_supervision").hits()
    assert set(queue["explanation"]) == {api.MASKED}
    hit_id = str(queue["hit_id"].iloc[0])
    card = lab.session("PIU-DPO1", purpose="dpo_supervision").hit(hit_id)
    assert card.hit["explanation"] == api.MASKED
    assert set(card.traveller["surname"].dropna()) <= {api.MASKED}


def test_notifications_of_the_own_service(lab: api.Lab) -> None:
    notes = lab.session(VSSE, purpose="pre_assessment").notifications()
    assert set(notes["recipient"]) == {"state_security"}
    assert {"hit_to_review"} <= set(notes["kind"])


def test_disparity_statistics_are_the_dpos_only(lab: api.Lab) -> None:
    """R-CRIT-03: aggregated hit rates by nationality, gender and age band; small cells out."""
    with pytest.raises(api.AccessDenied) as refused:
        lab.session("APD-01", purpose="supervisory_review").disparity()
    assert refused.value.rule_id == "ACC-DPO-02"
    table = lab.session("PIU-DPO1", purpose="dpo_supervision").disparity()
    assert set(table["dimension"]) == {"nationality", "gender", "age_band"}
    assert (table["travellers"] >= 5).all()
    assert table["hit_rate"].between(0, 1).all()


def test_sources_are_registered_by_the_head_of_unit_only(lab: api.Lab, traffic: object) -> None:
    """R-PRE-01 (ACC-SRC-01) and R-CRIT-01 (ACC-CRIT-01)."""
    info = api.WatchlistInfo(
        "BE-TEST", "a test list", api.Service.CUSTOMS, (api.Service.CUSTOMS,),
        "a test basis, LAW art. 24", api.Listing.SOUGHT, api.ListScope.SERVICE,
    )  # fmt: skip
    entries = pd.DataFrame({"entry_id": ["T1"], "full_name": ["DOE/JANE"]})
    with pytest.raises(api.AccessDenied):
        lab.session(CUSTOMS, purpose="pre_assessment").register_watchlist(info, entries)
    made = lab.session("PIU-D01", purpose="unit_management").register_watchlist(info, entries)
    assert made.version == 1
    assert "BE-TEST" in {w.list_id for w in lab.watchlists()}
    criterion = api.demo_criteria()[0]
    with pytest.raises(api.AccessDenied):
        lab.session("PIU-D01", purpose="criteria_analysis").register_criterion(criterion)
    assert not lab.session("PIU-H01", purpose="criteria_analysis").register_criterion(criterion)
    assert NOW.date().isoformat() <= "2027-06-30"

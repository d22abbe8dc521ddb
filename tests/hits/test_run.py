"""The screening run: routed hits, notifications, idempotent reruns, the false-positive memory
(R-PRE-01..05, R-PRE-08)."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import delete, select

from piu_lab import api
from piu_lab.hits import queries
from piu_lab.hits.review import CHECKLIST, Review, decide_hit
from piu_lab.hits.run import pending_days
from piu_lab.model.hits import HitStatus
from piu_lab.store.schema import pnr
from piu_lab.store.schema_hits import assessment, fp_memory, hit, notification, outbox
from tests.hits.conftest import DAY, NOW


def frame(lab: api.Lab) -> pd.DataFrame:
    return queries.hit_frame(lab._store, NOW)


def table(lab: api.Lab, t: object) -> pd.DataFrame:
    with lab._store.engine.connect() as conn:
        rows = conn.execute(select(t)).mappings().all()  # type: ignore[call-overload]
    return pd.DataFrame([dict(r) for r in rows])


def test_the_run_finds_the_planted_travellers(lab: api.Lab, traffic: object) -> None:
    """The hit rule keeps the planted travellers the evidence supports (R-PRE-02)."""
    hits = frame(lab)
    truth = traffic.truth["watchlist_hits"]  # type: ignore[attr-defined]
    planted = set(zip(truth["pnr_id"] + "/" + truth["pax_ref"], truth["entry_id"], strict=True))
    listed = hits[hits["source_kind"] == "WATCHLIST"]
    found = planted & set(zip(listed["group_key"], listed["entry_id"], strict=True))
    assert len(found) >= 0.8 * len(planted)
    assert (hits["status"] == "NEW").all()
    assert (hits["algorithm"].str.startswith(("piu-screen@", "piu-criteria@"))).all()


def test_every_hit_is_notified_to_its_service_and_others_learn_only_that_it_exists(
    lab: api.Lab,
) -> None:
    """R-PRE-05: several services on one passenger-journey are told of each other."""
    hits = frame(lab)
    notes = table(lab, notification)
    review = notes[notes["kind"] == "hit_to_review"]
    assert set(review["hit_id"]) == set(hits["hit_id"])
    recipients = review.set_index("hit_id")["recipient"].to_dict()
    assert recipients == hits.set_index("hit_id")["service"].to_dict()
    several = hits.groupby("group_key")["service"].nunique()
    groups = set(several[several > 1].index)
    others = notes[notes["kind"] == "other_services_hit"]
    assert {json.loads(d)["group_key"] for d in others["detail"]} == groups
    for detail in others["detail"]:
        assert set(json.loads(detail)) == {"group_key", "other_services"}  # existence only
    messages = table(lab, outbox)
    assert len(messages) == len(hits)
    assert all(json.loads(p)["label"] == "for further examination" for p in messages["payload"])


def test_a_rerun_creates_nothing_new(lab: api.Lab) -> None:
    before = frame(lab)
    again = lab.screen([DAY])
    assert (again.pnr_versions, again.hits_new) == (0, 0)
    assert len(frame(lab)) == len(before)


def test_a_new_version_is_screened_again_without_duplicating_its_hits(lab: api.Lab) -> None:
    hits = frame(lab)
    pnr_id = str(hits["pnr_id"].iloc[0])
    with lab._store.engine.begin() as conn:  # as if a new push had been assessed never
        conn.execute(delete(assessment).where(assessment.c.pnr_id == pnr_id))
    assert DAY in pending_days(lab._store)
    again = lab.screen([DAY])
    assert again.pnr_versions == 1
    assert again.hits_new == 0
    assert again.already_known == int((hits["pnr_id"] == pnr_id).sum())


def test_a_rejected_false_positive_is_not_raised_again_until_its_pnr_is_deleted(
    lab: api.Lab,
) -> None:
    """R-PRE-08: remembered per (source, person), gone with the PNR."""
    hits = frame(lab)
    single = hits[~hits["common"]].iloc[0]
    answers = dict.fromkeys(CHECKLIST, True) | {"same_person": False}
    review = Review(HitStatus.REJECTED_FALSE_POSITIVE, "not the person: other date of birth",
                    answers)  # fmt: skip
    decide_hit(lab._store, single["hit_id"], review, actor="DOU-0558", service="customs", at=NOW)
    memory = table(lab, fp_memory)
    assert list(memory["source_key"]) == [single["source_key"]]
    # the same person, the same source: the hit comes back as another hit id (another PNR)
    with lab._store.engine.begin() as conn:
        conn.execute(delete(assessment))
        conn.execute(delete(hit).where(hit.c.hit_id == single["hit_id"]))
    again = lab.screen([DAY])
    assert again.suppressed == 1
    assert single["hit_id"] not in set(frame(lab)["hit_id"])
    with lab._store.engine.begin() as conn:  # retention deletes the PNR: the memory goes
        conn.execute(delete(pnr).where(pnr.c.pnr_id == single["pnr_id"]))
    assert table(lab, fp_memory).empty


def test_the_demo_criteria_raise_explained_criterion_hits(lab: api.Lab) -> None:
    """R-CRIT-01: each criterion hit names its version and the conditions that fired."""
    hits = frame(lab)
    crit = hits[hits["source_kind"] == "CRITERION"]
    assert len(crit) > 0
    assert crit["criterion_version"].notna().all()
    fired = json.loads(crit["evidence"].iloc[0])
    assert fired
    assert {"field", "op"} <= set(fired[0])
    assert crit["explanation"].str.len().gt(10).all()


def test_three_services_on_one_passenger_journey(lab: api.Lab) -> None:
    """R-PRE-04/05: the same traveller on three services' lists is a MULTIPLE journey with one
    hit per service; each service is told that the two others have hits, nothing more."""
    from piu_lab.access.register import Service
    from piu_lab.hits.registry import WatchlistInfo, register_watchlist
    from piu_lab.model.hits import Listing, ListScope

    journeys = lab._store.read_journeys(DAY)
    person = journeys[journeys["date_of_birth"].notna()].iloc[0]
    group = f"{person['pnr_id']}/{person['pax_ref']}"
    entry = pd.DataFrame(
        {
            "entry_id": ["X1"],
            "surname": [person["surname"]],
            "given_names": [person["given_names"]],
            "date_of_birth": [pd.Timestamp(person["date_of_birth"]).date().isoformat()],
        }
    )
    for code, service in (("T-CUS", Service.CUSTOMS), ("T-VSSE", Service.STATE_SECURITY),
                          ("T-ADIV", Service.MILITARY_INTELLIGENCE)):  # fmt: skip
        basis = "a test basis, LAW art. 24"
        info = WatchlistInfo(code, f"test list {code}", service, (service,), basis,
                             Listing.ALERT, ListScope.SERVICE)  # fmt: skip
        register_watchlist(lab._store, info, entry, actor="PIU-H01", at=NOW)
    with lab._store.engine.begin() as conn:
        conn.execute(delete(assessment).where(assessment.c.pnr_id == person["pnr_id"]))
    lab.screen([DAY])
    hits = frame(lab)
    mine = hits[(hits["group_key"] == group) & hits["list_id"].isin(["T-CUS", "T-VSSE", "T-ADIV"])]
    assert set(mine["service"]) == {"customs", "state_security", "military_intelligence"}
    assert set(hits.loc[hits["group_key"] == group, "kind"]) <= {"MULTIPLE", "COMMON"}
    notes = table(lab, notification)
    told = notes[(notes["kind"] == "other_services_hit")]
    told = told[told["detail"].map(lambda d: json.loads(d)["group_key"] == group)]
    for _, note in told.iterrows():
        others = set(json.loads(note["detail"])["other_services"])
        assert note["recipient"] not in others
    recipients = set(told["recipient"])
    assert {"customs", "state_security", "military_intelligence"} <= recipients

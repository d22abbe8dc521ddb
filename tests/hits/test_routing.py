"""Routing matches to services, stable hit ids, passenger-journey kinds (R-PRE-04..06, R-PRE-09)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from piu_lab.hits.demo import DEMO_LISTS
from piu_lab.hits.routing import (
    DEADLINE,
    HIT_RULE,
    OUTCOME_LABEL,
    group_kinds,
    hit_ids,
    person_keys,
    route_watchlist_hits,
)
from piu_lab.matching.evidence import DobOutcome as D
from piu_lab.matching.evidence import DocOutcome as C

NOW = datetime(2026, 11, 25, 12)
TRAVELLERS = pd.DataFrame(
    {
        "traveller_id": ["P1/1", "P1/2"],
        "pnr_id": ["P1", "P1"],
        "pax_ref": ["1", "2"],
        "surname": ["DOE", "ROE"],
        "given_names": ["JANE MARY", "RICHARD"],
        "date_of_birth": ["1980-02-03", None],
    }
)


def matches(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "traveller_id": [t for t, _ in rows],
            "entry_id": [e for _, e in rows],
            "list_id": [e.split(":")[0] for _, e in rows],
            "score": 0.9,
            "explanation": "x",
            "evidence": "{}",
            "algorithm": "piu-screen@1.0",
        }
    )


def test_the_person_key_ignores_word_order_and_case() -> None:
    other = TRAVELLERS.assign(surname=["mary", "ROE"], given_names=["Jane doe", "RICHARD"])
    assert person_keys(TRAVELLERS)[0] == person_keys(other)[0]
    assert person_keys(TRAVELLERS)[0] != person_keys(TRAVELLERS.assign(date_of_birth=None))[0]


def test_hit_ids_are_stable_per_journey_source_and_service() -> None:
    one = hit_ids(pd.Series(["P1/1"]), pd.Series(["L:E"]), pd.Series(["customs"]))
    assert one[0] == hit_ids(pd.Series(["P1/1"]), pd.Series(["L:E"]), pd.Series(["customs"]))[0]
    assert one[0] != hit_ids(pd.Series(["P1/1"]), pd.Series(["L:E"]), pd.Series(["ocam"]))[0]


def test_a_common_list_routes_to_every_service_it_is_shared_with() -> None:
    """R-PRE-06: a hit on the FTF common database concerns four services."""
    hits = route_watchlist_hits(
        matches(("P1/1", "BE-FTF-COMMON:F1"), ("P1/2", "BE-CUSTOMS:C1")),
        TRAVELLERS,
        list(DEMO_LISTS.values()),
        run_id="R1",
        now=NOW,
        pnr_versions={"P1": 2},
    )
    ftf = hits[hits["list_id"] == "BE-FTF-COMMON"]
    assert set(ftf["service"]) == {"ocam", "federal_police", "state_security",
                                   "military_intelligence"}  # fmt: skip
    assert ftf["common"].all()
    assert ftf["ftf"].all()
    customs = hits[hits["list_id"] == "BE-CUSTOMS"]
    assert list(customs["service"]) == ["customs"]
    assert not customs["common"].any()
    assert (hits["deadline_at"] == NOW + DEADLINE).all()
    assert set(hits["pnr_version"]) == {2}
    assert list(customs["entry_id"]) == ["C1"]


def test_group_kinds() -> None:
    """R-PRE-04: single, multiple (several services), common (a common source)."""
    frame = pd.DataFrame(
        {
            "group_key": ["A", "B", "B", "C"],
            "service": ["customs", "customs", "state_security", "federal_police"],
            "common": [False, False, False, True],
        }
    )
    assert group_kinds(frame).to_dict() == {"A": "SINGLE", "B": "MULTIPLE", "C": "COMMON"}


def test_outputs_never_say_deny_boarding() -> None:
    """R-PRE-09 (DIR art. 6(9)): hits ask for further examination only."""
    assert OUTCOME_LABEL == "for further examination"
    assert "deny" not in OUTCOME_LABEL


def test_the_hit_rule_needs_more_than_a_fuzzy_name() -> None:
    """R-PRE-02 / R-CRIT-04: a name alone is weak; the rule raises what evidence supports."""
    cases = [  # (dob, document, name score) -> raised
        ((D.SAME, C.UNKNOWN, 0.75), True),
        ((D.SWAPPED, C.UNKNOWN, 0.75), True),
        ((D.FAR_APART, C.SAME, 0.75), True),  # the document agrees
        ((D.SAME_PARTIAL, C.UNKNOWN, 0.90), True),
        ((D.SAME_PARTIAL, C.UNKNOWN, 0.80), False),
        ((D.UNKNOWN, C.UNKNOWN, 0.99), True),
        ((D.UNKNOWN, C.UNKNOWN, 0.90), False),
        ((D.YEAR_APART, C.UNKNOWN, 1.0), False),  # contradicted by the date of birth
        ((D.APPROX_YEARS_APART, C.UNKNOWN, 1.0), False),
        ((D.UNKNOWN, C.DIFFERENT, 1.0), False),
    ]
    frame = pd.DataFrame(
        [
            {"dob_outcome": int(d), "document_outcome": int(c), "name_score": n}
            for (d, c, n), _ in cases
        ]
    )
    assert list(HIT_RULE.keep(frame)) == [raised for _, raised in cases]
    assert HIT_RULE.version == "hit-rule@1"
    assert len(HIT_RULE.keep(frame.iloc[:0])) == 0


def test_criteria_name_the_same_competent_services_as_the_register() -> None:
    """The pure criteria core keeps its own list of owner services (it may not import the
    access layer); it must stay the register's competent services (AR art. 5 §2, 6)."""
    from piu_lab.access.register import COMPETENT_SERVICES
    from piu_lab.criteria import Service as CriteriaService

    assert {s.value for s in CriteriaService} == {s.value for s in COMPETENT_SERVICES}

"""The criteria language: parsing lists every problem with its place (R-CRIT-01, R-CRIT-02)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from piu_lab.criteria import (
    All,
    Criterion,
    Leaf,
    OffenceCategory,
    Operator,
    Service,
    Status,
    load_criterion,
)
from piu_lab.errors import InvalidRecord
from tests.criteria.conftest import base


def test_loads_mapping_yaml_json_and_path(tmp_path: Path) -> None:
    crit = load_criterion(base())
    assert isinstance(crit, Criterion)
    assert crit.status is Status.APPROVED
    assert crit.owner_services == (Service.FEDERAL_POLICE,)
    assert crit.offence_category is OffenceCategory.DRUG_TRAFFICKING
    assert isinstance(crit.conditions, All)
    assert crit.conditions.items[2] == Leaf("payment_form", Operator.EQ, "CA")  # alias -> code
    again = load_criterion(crit.to_data())
    assert again == crit
    path = tmp_path / "c.json"
    path.write_text(json.dumps(crit.to_data()), encoding="utf-8")
    assert load_criterion(path) == crit
    assert load_criterion(str(path)) == crit
    from piu_lab.criteria._yaml import dump_yaml

    assert load_criterion(dump_yaml(crit.to_data())) == crit


def test_every_problem_is_listed_with_its_place() -> None:
    data = base(version=0, owner_services=[], offence_category="shoplifting")
    data["conditions"] = {
        "all": [
            {"field": "one_way", "op": "is_true", "value": 3},
            {"field": "shoe_size", "op": "eq", "value": 42},
            {"field": "booking_lead_hours", "op": "lt", "value": "soon"},
            {"field": "payment_form", "op": "like", "value": "CA"},
            {"field": "origin", "op": "eq", "value": "Brussels"},
            {"field": "countries_visited", "op": "gt", "value": 2},
            {"field": "bag_count", "op": "between", "value": [3, 1]},
        ]
    }
    data["weights"] = {"one_way": 0.4}
    with pytest.raises(InvalidRecord) as caught:
        load_criterion(data)
    errors = caught.value.errors
    places = [e.split(":")[0] for e in errors]
    assert places == [
        "weights",
        "version",
        "offence_category",
        "owner_services",
        "conditions.all[0].value",
        "conditions.all[1].field",
        "conditions.all[2].value",
        "conditions.all[3].op",
        "conditions.all[4].value",
        "conditions.all[5].op",
        "conditions.all[6].value",
    ]
    assert "field catalogue" in errors[5]
    assert "R-CRIT-01" in errors[0]


def test_missing_keys_and_bad_dates() -> None:
    data = base(next_review="soon")
    del data["rationale"]
    data["approval"] = {"approved_by": "", "approved_on": "2026-13-01"}
    with pytest.raises(InvalidRecord) as caught:
        load_criterion(data)
    assert set(caught.value.errors) >= {
        "rationale: is missing",
        "rationale: must be non-empty text",
        "next_review: must be a date (YYYY-MM-DD)",
        "approval.approved_by: must be non-empty text",
        "approval.approved_on: must be a date (YYYY-MM-DD)",
        "approval.dpo_opinion: must be non-empty text",
    }


def test_invalid_text_is_reported() -> None:
    with pytest.raises(InvalidRecord):
        load_criterion("id: [unclosed\n  x")


def test_fingerprint_changes_with_content() -> None:
    """R-CRIT-01: each version is identifiable; any change gives another fingerprint."""
    one = load_criterion(base())
    assert one.fingerprint == load_criterion(base()).fingerprint
    assert one.fingerprint.startswith("sha256:")
    assert load_criterion(base(version=2)).fingerprint != one.fingerprint
    changed = base()
    changed["conditions"]["all"][1]["value"] = 25
    assert load_criterion(changed).fingerprint != one.fingerprint
    assert load_criterion(base(rationale="other")).fingerprint != one.fingerprint

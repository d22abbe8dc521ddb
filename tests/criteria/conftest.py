"""Shared helpers for the criteria tests (R-CRIT-01..05)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

ON = date(2026, 11, 24)

BASE: dict[str, Any] = {
    "id": "CRIT-TEST",
    "version": 1,
    "title": "test criterion",
    "status": "approved",
    "owner_services": ["federal_police"],
    "offence_category": "drug_trafficking",
    "rationale": "a test rationale",
    "conditions": {
        "all": [
            {"field": "one_way", "op": "is_true"},
            {"field": "booking_lead_hours", "op": "lt", "value": 24},
            {"field": "payment_form", "op": "eq", "value": "cash"},
        ]
    },
    "exonerating": [{"field": "frequent_flyer", "op": "is_true"}],
    "valid_from": "2026-11-01",
    "valid_until": None,
    "next_review": "2027-06-30",
    "approval": {
        "approved_by": "PIU-H01",
        "approved_on": "2026-11-20",
        "dpo_opinion": "DPO-OP-2026-001",
        "dpo_opinion_on": "2026-11-13",
    },
}


def base(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


@pytest.fixture
def on() -> date:
    return ON

"""The criteria register (R-CRIT-01/02): versions as written, approval as a new version, only
approved and valid criteria evaluated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from piu_lab import api
from piu_lab.criteria import Status, demo_criteria
from piu_lab.errors import InvalidRecord
from piu_lab.hits.criteria_registry import (
    approve,
    approved_criteria,
    criterion_versions,
    latest_version,
    register_criterion,
)
from piu_lab.store import open_store
from tests.hits.conftest import NOW


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as opened:
        yield opened


def test_a_version_is_stored_once_and_a_change_needs_a_new_version(store: object) -> None:
    first = demo_criteria()[0]
    assert register_criterion(store, first, actor="PIU-H01", at=NOW)  # type: ignore[arg-type]
    assert not register_criterion(store, first, actor="PIU-H01", at=NOW)  # type: ignore[arg-type]
    changed = replace(first, title="another title")
    with pytest.raises(InvalidRecord, match="new version"):
        register_criterion(store, changed, actor="PIU-H01", at=NOW)  # type: ignore[arg-type]
    register_criterion(store, replace(changed, version=2), actor="PIU-H01", at=NOW)  # type: ignore[arg-type]
    assert latest_version(store, first.id).title == "another title"  # type: ignore[arg-type]
    assert list(criterion_versions(store)["version"]) == [1, 2]  # type: ignore[arg-type]


def test_an_approved_criterion_must_pass_the_linter(store: object) -> None:
    """R-CRIT-02/03: an approved criterion with a protected characteristic is refused."""
    bad = replace(demo_criteria()[0], conditions=api.load_criterion(
        {**demo_criteria()[0].to_data(), "conditions": {"field": "gender", "op": "eq",
                                                        "value": "F"}}
    ).conditions)  # fmt: skip
    with pytest.raises(InvalidRecord):
        register_criterion(store, bad, actor="PIU-H01", at=NOW)  # type: ignore[arg-type]


def test_approval_is_a_new_version_after_the_dpos_opinion(store: object) -> None:
    draft = replace(demo_criteria()[1], id="DRAFT-1", status=Status.DRAFT, approval=None)
    register_criterion(store, draft, actor="PIU-H01", at=NOW)  # type: ignore[arg-type]
    assert approved_criteria(store, NOW.date()) == []  # type: ignore[arg-type]
    made = approve(store, "DRAFT-1", actor="PIU-H01", at=NOW, dpo_opinion="DPO-OP-9",  # type: ignore[arg-type]
                   dpo_opinion_on=date(2026, 11, 20))  # fmt: skip
    assert (made.version, made.status) == (draft.version + 1, Status.APPROVED)
    assert made.approval is not None
    assert made.approval.approved_by == "PIU-H01"
    assert made.next_review == date(2027, 11, 25)
    assert [c.id for c in approved_criteria(store, NOW.date())] == ["DRAFT-1"]  # type: ignore[arg-type]
    assert approved_criteria(store, date(2028, 1, 1)) == []  # type: ignore[arg-type]  # expired
    with pytest.raises(InvalidRecord, match="approved already"):
        approve(store, "DRAFT-1", actor="PIU-H01", at=NOW, dpo_opinion="X",  # type: ignore[arg-type]
                dpo_opinion_on=date(2026, 11, 20))  # fmt: skip
    with pytest.raises(InvalidRecord, match="no criterion"):
        latest_version(store, "NOPE")  # type: ignore[arg-type]

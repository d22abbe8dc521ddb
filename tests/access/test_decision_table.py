"""The decision table ``cases/decisions.csv`` (written from the law by ``make_decisions.py``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from piu_lab.access.policy import Action, Purpose, decide
from piu_lab.access.register import Role
from tests.access.helpers import context, member, resource

CASES = Path(__file__).parent / "cases" / "decisions.csv"
ROWS = list(csv.DictReader(CASES.read_text(encoding="utf-8").splitlines()))


def test_table_covers_every_role_and_action() -> None:
    assert len(ROWS) >= 150
    assert {(r["role"], r["action"]) for r in ROWS} == {
        (ro.name, a.name) for ro in Role for a in Action
    }


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['role']}-{r['action']}-{r['state']}" for r in ROWS])
def test_decision(row: dict[str, str]) -> None:
    role, action, state = Role[row["role"]], Action[row["action"]], row["state"]
    purpose = Purpose[row["purpose"]] if row["purpose"] else None
    subject = member(role, state)
    decision = decide(subject, action, resource(subject, action, state), context(purpose, action))
    got = (decision.allowed, decision.rule_id, ";".join(str(o) for o in decision.obligations))
    assert got == (row["allowed"] == "yes", row["rule_id"], row["obligations"]), decision.reason

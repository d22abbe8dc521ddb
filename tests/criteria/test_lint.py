"""The linter decision table (R-CRIT-01 no learning, R-CRIT-02 governance, R-CRIT-03 no
discrimination), read from ``cases/lint_cases.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from piu_lab.criteria import check_approvable, lint, load_criterion
from piu_lab.criteria._yaml import load_yaml
from piu_lab.errors import InvalidRecord
from tests.criteria.conftest import ON, base

CASES: list[dict[str, Any]] = load_yaml(
    (Path(__file__).parent / "cases" / "lint_cases.yaml").read_text(encoding="utf-8")
)["cases"]


def test_table_is_large_enough() -> None:
    allowed = [c for c in CASES if not c["expect"]]
    assert len(CASES) >= 30
    assert len(allowed) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_lint_decision_table(case: dict[str, Any]) -> None:
    crit = load_criterion(base(**case["changes"]))
    assert sorted({f.rule for f in lint(crit, on=ON)}) == sorted(set(case["expect"]))


def test_check_approvable_raises_with_every_error() -> None:
    crit = load_criterion(
        base(conditions={"field": "gender", "op": "eq", "value": "M"}, exonerating=[])
    )
    with pytest.raises(InvalidRecord) as caught:
        check_approvable(crit, on=ON)
    rules = {e.split()[0] for e in caught.value.errors}
    assert rules == {"LINT-PROT-01", "LINT-BEHAV-01", "LINT-EXON-01"}
    check_approvable(load_criterion(base()), on=ON)

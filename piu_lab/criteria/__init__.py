"""Pre-determined criteria: a closed field catalogue, a declarative language, a linter and a
vectorised, explained evaluation over journey features (R-CRIT-01..05, R-PRE-01).

* :func:`journey_features` - store frames in, one row per traveller-journey out;
* :func:`load_criterion` - YAML/JSON in, a validated :class:`Criterion` out;
* :func:`lint` / :func:`check_approvable` - the governance rules (protected characteristics,
  exonerating conditions, approval, review);
* :func:`evaluate` - approved criteria x features -> one explained row per hit.

Pure functions: no database, no I/O beyond this package's data and a criterion file given by
the caller. Every hit carries :data:`ALGORITHM`; see ``docs/criteria.md``.
"""

from __future__ import annotations

from piu_lab.criteria.catalogue import (
    FieldKind,
    FieldSpec,
    Protection,
    behavioural_fields,
    catalogue,
    field_spec,
    stored_fields,
)
from piu_lab.criteria.demo import demo_criteria
from piu_lab.criteria.evaluate import (
    ALGORITHM,
    RESULT_COLUMNS,
    CompiledCriterion,
    compile_criterion,
    evaluate,
)
from piu_lab.criteria.features import FEATURE_COLUMNS, journey_features
from piu_lab.criteria.language import load_criterion, parse_criterion
from piu_lab.criteria.lint import Finding, Severity, check_approvable, lint
from piu_lab.criteria.model import (
    OPERATORS,
    All,
    Any,
    Approval,
    Condition,
    Criterion,
    Leaf,
    Not,
    Operator,
    Service,
    Status,
)
from piu_lab.criteria.offences import OffenceCategory

__all__ = [
    "ALGORITHM",
    "FEATURE_COLUMNS",
    "OPERATORS",
    "RESULT_COLUMNS",
    "All",
    "Any",
    "Approval",
    "CompiledCriterion",
    "Condition",
    "Criterion",
    "FieldKind",
    "FieldSpec",
    "Finding",
    "Leaf",
    "Not",
    "OffenceCategory",
    "Operator",
    "Protection",
    "Service",
    "Severity",
    "Status",
    "behavioural_fields",
    "catalogue",
    "check_approvable",
    "compile_criterion",
    "demo_criteria",
    "evaluate",
    "field_spec",
    "journey_features",
    "lint",
    "load_criterion",
    "parse_criterion",
    "stored_fields",
]

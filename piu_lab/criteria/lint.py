"""The criteria linter: governance rules a criterion must pass before approval and use.

Rules (``docs/criteria.md`` has the decision table; ``tests/criteria/cases/lint_cases.yaml``
tests it):

===============  ========  =================================================================
rule             severity  refuses
===============  ========  =================================================================
LINT-FIELD-01    error     a field outside the catalogue (R-CRIT-01)
LINT-PROT-01     error     a "never" field anywhere: gender, name origin, OCAM level, sensitive
                           SSR, meal, religion, health... (R-CRIT-03, R-SENS-01, R-SENS-04)
LINT-PROT-02     error     a way to fire on a "combination" field (nationality, document
                           country, age, passenger type) with fewer behavioural elements than
                           the field's ``min_behavioural`` (nationality alone; R-CRIT-03)
LINT-PROT-04     warning   a "combination" field in an exonerating condition (R-CRIT-03)
LINT-BEHAV-01    error     no behavioural element at all (R-CRIT-02: behaviour around the
                           journey)
LINT-BEHAV-02    warning   a way to fire on a single behavioural element (not targeted)
LINT-MODEL-01    error     anything learned: an annotation or field naming a model, score,
                           weights, training (R-CRIT-01)
LINT-EXON-01     error     no exonerating condition (R-CRIT-02)
LINT-META-01     error     missing id, title, rationale or owner service (R-CRIT-02)
LINT-APPR-01     error     status approved without an approval record (R-CRIT-02)
LINT-APPR-02     error     approved before the DPO's opinion, or opinion reference empty
LINT-REV-01      error     next review is overdue on the day of the check (R-CRIT-02)
LINT-REV-02      error     next review more than 366 days after approval (at least yearly)
LINT-VALID-01    error     validity ended before the day of the check
LINT-VALID-02    error     valid_until before valid_from
LINT-STATUS-01   warning   a retired criterion (never evaluated)
===============  ========  =================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from piu_lab.criteria.catalogue import Protection, catalogue
from piu_lab.criteria.model import All, Condition, Criterion, Leaf, Not, Status, iter_leaves
from piu_lab.errors import InvalidRecord

__all__ = ["Finding", "Severity", "check_approvable", "errors_of", "lint"]

_LEARNED = re.compile(
    r"(?:^|[^a-z])(models?|scores?|scoring|weights|learned|learning|learnt|trained|training|"
    r"classifier|prediction|predicted|probability|neural|ml|ai)(?:$|[^a-z])",
    re.I,
)
_MAX_REVIEW_DAYS = 366


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One linter finding: the rule, where, what, how bad."""

    rule: str
    path: str
    message: str
    severity: Severity = Severity.ERROR


# A way for a tree to fire: (behavioural element count, protected "combination" fields).
_Ways = dict[frozenset[str], int]


def _ways(node: Condition, negated: bool = False) -> _Ways:
    """For each set of protected fields a firing can rest on, the fewest behavioural elements
    beside them (``not`` swaps all/any, so this is exact for any nesting)."""
    if isinstance(node, Leaf):
        spec = catalogue().get(node.field)
        if spec is not None and spec.protected is Protection.COMBINATION:
            return {frozenset({node.field}): 0}
        if spec is not None and spec.protected is Protection.NEVER:
            return {frozenset(): 0}
        return {frozenset(): 1}
    if isinstance(node, Not):
        return _ways(node.item, not negated)
    parts = [_ways(item, negated) for item in node.items]
    conjunctive = isinstance(node, All) != negated
    if not parts:
        return {frozenset(): 0}
    out: _Ways = dict(parts[0])
    for part in parts[1:]:
        if conjunctive:
            merged: _Ways = {}
            for s1, c1 in out.items():
                for s2, c2 in part.items():
                    key = s1 | s2
                    merged[key] = min(merged.get(key, c1 + c2), c1 + c2)
            out = merged
        else:
            for s2, c2 in part.items():
                out[s2] = min(out.get(s2, c2), c2)
    return out


def _tree_findings(crit: Criterion) -> list[Finding]:
    found: list[Finding] = []
    cat = catalogue()
    trees = [("conditions", crit.conditions)] + [
        (f"exonerating[{i}]", c) for i, c in enumerate(crit.exonerating)
    ]
    behavioural = 0
    for root, tree in trees:
        for path, leaf, _ in iter_leaves(tree, root):
            spec = cat.get(leaf.field)
            where = f"{path}.field"
            if _LEARNED.search(leaf.field):
                found.append(
                    Finding(
                        "LINT-MODEL-01",
                        where,
                        "a learned score or model is not a pre-determined criterion (R-CRIT-01)",
                    )
                )
            if spec is None:
                found.append(
                    Finding("LINT-FIELD-01", where, f"{leaf.field!r} is not in the field catalogue")
                )
            elif spec.protected is Protection.NEVER:
                found.append(
                    Finding(
                        "LINT-PROT-01",
                        where,
                        f"{leaf.field!r} is a protected "
                        "characteristic or its proxy: never a criterion element "
                        "(R-CRIT-03)",
                    )
                )
            elif spec.protected is Protection.COMBINATION and root != "conditions":
                found.append(
                    Finding(
                        "LINT-PROT-04",
                        where,
                        f"{leaf.field!r} in an exonerating "
                        "condition treats people differently by a protected "
                        "characteristic: DPO review needed (R-CRIT-03)",
                        Severity.WARNING,
                    )
                )
            elif root == "conditions" and spec.behavioural:
                behavioural += 1
    if behavioural == 0:
        found.append(
            Finding(
                "LINT-BEHAV-01",
                "conditions",
                "no behavioural element: a "
                "criterion rests on behaviour around the journey (R-CRIT-02)",
            )
        )
    for fields, count in sorted(_ways(crit.conditions).items(), key=lambda x: sorted(x[0])):
        for name in sorted(fields):
            need = cat[name].min_behavioural
            if count < need:
                found.append(
                    Finding(
                        "LINT-PROT-02",
                        "conditions",
                        f"{name!r} can fire with "
                        f"{count} behavioural element(s); it needs at least "
                        f"{need} beside it, never alone (R-CRIT-03)",
                    )
                )
        if not fields and count == 1:
            found.append(
                Finding(
                    "LINT-BEHAV-02",
                    "conditions",
                    "can fire on a single element: too broad to be targeted (R-CRIT-02)",
                    Severity.WARNING,
                )
            )
    return found


def _meta_findings(crit: Criterion, on: date) -> list[Finding]:
    found: list[Finding] = []
    for key, value in crit.annotations:
        if _LEARNED.search(key) or _LEARNED.search(value):
            found.append(
                Finding(
                    "LINT-MODEL-01",
                    f"annotations.{key}",
                    "refers to something learned (model, score, weights): not allowed (R-CRIT-01)",
                )
            )
    for name, text in (("id", crit.id), ("title", crit.title), ("rationale", crit.rationale)):
        if not text.strip():
            found.append(Finding("LINT-META-01", name, "is empty"))
    if not crit.owner_services:
        found.append(Finding("LINT-META-01", "owner_services", "names no service"))
    if not crit.exonerating:
        found.append(
            Finding(
                "LINT-EXON-01",
                "exonerating",
                "a criterion combines "
                "incriminating and exonerating elements: add at least one "
                "exonerating condition (R-CRIT-02)",
            )
        )
    appr = crit.approval
    if crit.status is Status.APPROVED and appr is None:
        found.append(
            Finding(
                "LINT-APPR-01",
                "approval",
                "an approved criterion needs its approval record (R-CRIT-02)",
            )
        )
    if appr is not None:
        if not appr.dpo_opinion.strip() or appr.approved_on < appr.dpo_opinion_on:
            found.append(
                Finding(
                    "LINT-APPR-02",
                    "approval",
                    "approval needs the DPO's opinion first (reference and date)",
                )
            )
        if (crit.next_review - appr.approved_on).days > _MAX_REVIEW_DAYS:
            found.append(
                Finding(
                    "LINT-REV-02",
                    "next_review",
                    "review at least once a year after approval (R-CRIT-02)",
                )
            )
    if crit.next_review < on:
        found.append(
            Finding(
                "LINT-REV-01",
                "next_review",
                f"review overdue since {crit.next_review.isoformat()} (R-CRIT-02)",
            )
        )
    if crit.valid_until is not None and crit.valid_until < on:
        found.append(Finding("LINT-VALID-01", "valid_until", "validity has ended"))
    if crit.valid_until is not None and crit.valid_until < crit.valid_from:
        found.append(Finding("LINT-VALID-02", "valid_until", "ends before valid_from"))
    if crit.status is Status.RETIRED:
        found.append(
            Finding("LINT-STATUS-01", "status", "retired: never evaluated", Severity.WARNING)
        )
    return found


def lint(criterion: Criterion, *, on: date) -> tuple[Finding, ...]:
    """Every finding of the governance rules on ``criterion`` as of ``on`` (R-CRIT-01..03)."""
    return tuple(_tree_findings(criterion) + _meta_findings(criterion, on))


def errors_of(findings: tuple[Finding, ...]) -> tuple[str, ...]:
    """The error findings as ``"RULE path: message"`` lines."""
    return tuple(
        f"{f.rule} {f.path}: {f.message}" for f in findings if f.severity is Severity.ERROR
    )


def check_approvable(criterion: Criterion, *, on: date) -> None:
    """Raise :class:`InvalidRecord` listing the linter's errors if ``criterion`` may not be
    approved (or used) on ``on``; warnings do not block."""
    errors = errors_of(lint(criterion, on=on))
    if criterion.status is Status.RETIRED:
        errors += ("LINT-STATUS-01 status: a retired criterion cannot be approved",)
    if errors:
        raise InvalidRecord(
            f"criterion {criterion.id} v{criterion.version} cannot be approved "
            f"({len(errors)} linter errors)",
            errors=errors,
            hint="fix each finding; docs/criteria.md lists the linter rules",
        )

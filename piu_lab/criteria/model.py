"""Criteria as data: a condition tree and its mandatory governance metadata (R-CRIT-01/02).

A :class:`Criterion` is declarative and human-authored: a tree of :class:`Leaf` conditions over
catalogue fields joined by :class:`All`, :class:`Any` and :class:`Not`, incriminating
``conditions`` and non-empty ``exonerating`` conditions (if any holds, there is no hit:
R-CRIT-02), the service(s) that own it, the offence it targets, its rationale, its approval with
the DPO's opinion, validity and next review. Nothing in it is learned or weighted (R-CRIT-01).
``fingerprint`` identifies each version's exact content, and every hit carries it.
"""

from __future__ import annotations

import hashlib
import json
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeAlias

from piu_lab.criteria.offences import OffenceCategory

__all__ = [
    "OPERATORS",
    "All",
    "Any",
    "Approval",
    "Condition",
    "Criterion",
    "Leaf",
    "Not",
    "Operator",
    "Service",
    "Status",
    "condition_to_data",
    "iter_leaves",
]


class Service(StrEnum):
    """The competent services that second members to the PIU and own criteria (LAW art. 14)."""

    FEDERAL_POLICE = "federal_police"
    LOCAL_POLICE = "local_police"
    STATE_SECURITY = "state_security"
    MILITARY_INTELLIGENCE = "military_intelligence"
    CUSTOMS = "customs"
    IMMIGRATION_OFFICE = "immigration_office"
    OCAM = "ocam"


class Status(StrEnum):
    """Life of a criterion version: only ``approved`` ones are ever evaluated."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class Operator(StrEnum):
    """The operators of a leaf condition (``docs/criteria.md`` lists the kinds each takes)."""

    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    BETWEEN = "between"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"
    CONTAINS = "contains"
    STARTSWITH = "startswith"
    EXISTS = "exists"


OPERATORS: tuple[str, ...] = tuple(op.value for op in Operator)

Value: TypeAlias = str | int | float | bool | tuple[str | int | float, ...] | None


@dataclass(frozen=True, slots=True)
class Leaf:
    """``field op value``: one element of a criterion (a catalogue field, an operator)."""

    field: str
    op: Operator
    value: Value = None


@dataclass(frozen=True, slots=True)
class All:
    """Every item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Any:
    """At least one item holds (``any`` in the language; shadows ``typing.Any`` if imported
    bare: ``from piu_lab import criteria as cr; cr.Any(...)`` reads best)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The item is known not to hold (a missing value is not "not": R-CRIT-05)."""

    item: Condition


Condition: TypeAlias = Leaf | All | Any | Not


def condition_to_data(node: Condition) -> dict[str, typing.Any]:
    """The language form of a condition tree (what :func:`load_criterion` reads)."""
    if isinstance(node, Leaf):
        data: dict[str, typing.Any] = {"field": node.field, "op": node.op.value}
        if node.value is not None:
            data["value"] = list(node.value) if isinstance(node.value, tuple) else node.value
        return data
    if isinstance(node, All):
        return {"all": [condition_to_data(item) for item in node.items]}
    if isinstance(node, Any):
        return {"any": [condition_to_data(item) for item in node.items]}
    return {"not": condition_to_data(node.item)}


def iter_leaves(node: Condition, path: str = "conditions") -> list[tuple[str, Leaf, bool]]:
    """Every leaf with its path (``conditions.all[2].any[0]``) and whether it sits under an
    odd number of ``not``."""
    out: list[tuple[str, Leaf, bool]] = []

    def walk(n: Condition, p: str, negated: bool) -> None:
        if isinstance(n, Leaf):
            out.append((p, n, negated))
        elif isinstance(n, All | Any):
            word = "all" if isinstance(n, All) else "any"
            for i, item in enumerate(n.items):
                walk(item, f"{p}.{word}[{i}]", negated)
        else:
            walk(n.item, f"{p}.not", not negated)

    walk(node, path, False)
    return out


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved the version and when, after which opinion of the DPO (R-CRIT-02)."""

    approved_by: str
    approved_on: date
    dpo_opinion: str
    dpo_opinion_on: date


@dataclass(frozen=True, slots=True)
class Criterion:
    """One version of a pre-determined criterion (R-CRIT-01..03)."""

    id: str
    version: int
    title: str
    owner_services: tuple[Service, ...]
    offence_category: OffenceCategory
    rationale: str
    conditions: Condition
    exonerating: tuple[Condition, ...]
    valid_from: date
    next_review: date
    status: Status = Status.DRAFT
    approval: Approval | None = None
    valid_until: date | None = None
    annotations: tuple[tuple[str, str], ...] = field(default=())

    @property
    def common(self) -> bool:
        """Owned by several services: its hits are common matches (R-PRE-06)."""
        return len(self.owner_services) > 1

    def is_active(self, on: date) -> bool:
        """Approved, with an approval, and valid on ``on``."""
        return (
            self.status is Status.APPROVED
            and self.approval is not None
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )

    def to_data(self) -> dict[str, typing.Any]:
        """The language form (a mapping :func:`load_criterion` reads back unchanged)."""
        data: dict[str, typing.Any] = {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "status": self.status.value,
            "owner_services": [s.value for s in self.owner_services],
            "offence_category": self.offence_category.value,
            "rationale": self.rationale,
            "conditions": condition_to_data(self.conditions),
            "exonerating": [condition_to_data(c) for c in self.exonerating],
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "next_review": self.next_review.isoformat(),
            "approval": None,
        }
        if self.approval is not None:
            data["approval"] = {
                "approved_by": self.approval.approved_by,
                "approved_on": self.approval.approved_on.isoformat(),
                "dpo_opinion": self.approval.dpo_opinion,
                "dpo_opinion_on": self.approval.dpo_opinion_on.isoformat(),
            }
        if self.annotations:
            data["annotations"] = dict(self.annotations)
        return data

    @property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the canonical JSON of :meth:`to_data` (sorted keys, no spaces):
        any change of content, metadata included, gives another fingerprint (R-CRIT-01)."""
        canonical = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

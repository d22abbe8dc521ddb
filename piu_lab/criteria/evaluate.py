"""Evaluating criteria on journey features: vectorised, explained, versioned (R-CRIT-01..05).

:func:`compile_criterion` turns a condition tree into functions of a features frame built only
from pandas/numpy vectorised operations (no ``eval``, ``exec`` or query strings). Logic is
three-valued: a leaf on a missing value is neither true nor false, so a missing value never
fires a condition (``exists: false`` aside) and never exonerates; ``not`` of an unknown stays
unknown. :func:`evaluate` keeps the approved criteria valid on the day that pass the linter,
drops the rows an exonerating condition clears (R-CRIT-02), and explains each hit: the
criterion version and fingerprint, and every leaf that held with the traveller's value
(R-CRIT-01 explainability, R-CRIT-05 "explain hit"). A hit is only a hit: a person reviews it
before anything follows (R-PRE-02).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.criteria.catalogue import FieldKind, FieldSpec, catalogue
from piu_lab.criteria.lint import errors_of, lint
from piu_lab.criteria.model import All, Condition, Criterion, Leaf, Not, Operator, iter_leaves
from piu_lab.errors import InvalidRecord

__all__ = ["ALGORITHM", "RESULT_COLUMNS", "CompiledCriterion", "compile_criterion", "evaluate"]

ALGORITHM = "piu-criteria@1.0"
RESULT_COLUMNS = (
    "traveller_id",
    "criterion_id",
    "criterion_version",
    "criterion_fingerprint",
    "offence_category",
    "owner_services",
    "common",
    "fired",
    "explanation",
    "algorithm",
)

Mask = npt.NDArray[np.bool_]
#: (definitely true, definitely false) per row
Truth = tuple[Mask, Mask]
_SYMBOL = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=", "ne": "not"}


def _bool(values: Any) -> Mask:
    return np.asarray(pd.Series(values).astype("boolean").fillna(False), dtype=bool)


def _leaf_fn(leaf: Leaf) -> Callable[[pd.DataFrame], Truth]:
    spec = catalogue()[leaf.field]
    op, value = leaf.op, leaf.value

    def run(frame: pd.DataFrame) -> Truth:
        series = frame[leaf.field]
        known = np.asarray(series.notna(), dtype=bool)
        if op is Operator.EXISTS:
            present = known if value else ~known
            return present, ~present
        if spec.kind in (FieldKind.NUMBER, FieldKind.DURATION_HOURS):
            x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                cond = _numeric(op, x, value)
        elif op in (Operator.IS_TRUE, Operator.IS_FALSE):
            truth = _bool(series)
            cond = truth if op is Operator.IS_TRUE else ~truth
        elif op is Operator.CONTAINS:
            cond = _bool(series.astype(object).astype(str).str.contains(f"|{value}|", regex=False))
        elif op is Operator.STARTSWITH:
            cond = _bool(series.astype(object).astype(str).str.startswith(str(value)))
        elif op in (Operator.IN, Operator.NOT_IN):
            values = list(value) if isinstance(value, tuple) else [value]
            cond = _bool(series.isin(values))
            cond = cond if op is Operator.IN else ~cond
        else:
            cond = _bool(series.astype(object) == value)
            cond = cond if op is Operator.EQ else ~cond
        return known & cond, known & ~cond

    return run


def _numeric(op: Operator, x: npt.NDArray[np.float64], value: Any) -> Mask:
    if op is Operator.BETWEEN:
        low, high = value
        return np.asarray((x >= low) & (x <= high), dtype=bool)
    if op in (Operator.IN, Operator.NOT_IN):
        hit = np.isin(x, np.asarray(value, dtype=float))
        return np.asarray(hit if op is Operator.IN else ~hit, dtype=bool)
    v = float(value)
    table = {
        Operator.EQ: x == v,
        Operator.NE: x != v,
        Operator.LT: x < v,
        Operator.LE: x <= v,
        Operator.GT: x > v,
        Operator.GE: x >= v,
    }
    return np.asarray(table[op], dtype=bool)


def _tree_fn(node: Condition) -> Callable[[pd.DataFrame], Truth]:
    if isinstance(node, Leaf):
        return _leaf_fn(node)
    if isinstance(node, Not):
        inner = _tree_fn(node.item)
        return lambda frame: inner(frame)[::-1]
    parts = [_tree_fn(item) for item in node.items]
    conjunctive = isinstance(node, All)

    def run(frame: pd.DataFrame) -> Truth:
        results = [p(frame) for p in parts]
        trues = np.vstack([r[0] for r in results])
        falses = np.vstack([r[1] for r in results])
        if conjunctive:
            return np.asarray(trues.all(axis=0)), np.asarray(falses.any(axis=0))
        return np.asarray(trues.any(axis=0)), np.asarray(falses.all(axis=0))

    return run


@dataclass(frozen=True)
class CompiledCriterion:
    """A criterion turned into vectorised functions of a features frame."""

    criterion: Criterion
    condition: Callable[[pd.DataFrame], Truth]
    exonerating: tuple[Callable[[pd.DataFrame], Truth], ...]
    leaves: tuple[tuple[str, Leaf, bool, Callable[[pd.DataFrame], Truth]], ...]

    def mask(self, features: pd.DataFrame) -> Mask:
        """Rows where the conditions hold and no exonerating condition does (R-CRIT-02)."""
        fires = self.condition(features)[0]
        for exo in self.exonerating:
            fires = fires & ~exo(features)[0]
        return fires


def compile_criterion(criterion: Criterion) -> CompiledCriterion:
    """Compile the tree of ``criterion`` (fields must be in the catalogue: InvalidRecord)."""
    unknown = [
        f"{path}.field: unknown field {leaf.field!r}"
        for root, tree in [("conditions", criterion.conditions)]
        + [(f"exonerating[{i}]", c) for i, c in enumerate(criterion.exonerating)]
        for path, leaf, _ in iter_leaves(tree, root)
        if leaf.field not in catalogue()
    ]
    if unknown:
        raise InvalidRecord(f"criterion {criterion.id} names unknown fields", errors=tuple(unknown))
    leaves = tuple(
        (path, leaf, negated, _leaf_fn(leaf))
        for path, leaf, negated in iter_leaves(criterion.conditions)
    )
    return CompiledCriterion(
        criterion=criterion,
        condition=_tree_fn(criterion.conditions),
        exonerating=tuple(_tree_fn(c) for c in criterion.exonerating),
        leaves=leaves,
    )


def _native(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else round(value, 2)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is None:
        return None
    return value


def _show(spec: FieldSpec, value: Any) -> str:
    value = _native(value)
    if value is None:
        return "unknown"
    if isinstance(value, tuple | list):
        return ", ".join(_show(spec, v) for v in value)
    if spec.kind is FieldKind.DURATION_HOURS:
        return f"{value} h"
    if spec.kind is FieldKind.CATEGORY:
        return spec.label(value)
    if spec.kind is FieldKind.SET_OF_TEXT:
        return ", ".join(str(value).strip("|").split("|"))
    return str(value)


def _phrase(leaf: Leaf, negated: bool, actual: Any) -> str:
    spec = catalogue()[leaf.field]
    if spec.kind is FieldKind.BOOL and leaf.op is not Operator.EXISTS:
        return spec.true_phrase if bool(actual) else spec.false_phrase
    if leaf.op is Operator.EXISTS:
        given = bool(leaf.value) != negated
        return f"{spec.name} given" if given else f"no {spec.name}"
    text = spec.phrase.format(actual=_show(spec, actual), name=spec.name)
    op = leaf.op.value
    if op in ("lt", "le", "gt", "ge"):
        cond = f"{_SYMBOL[op]} {_show(spec, leaf.value)}"
    elif op == "between":
        cond = f"between {_show(spec, leaf.value).replace(', ', ' and ')}"
    elif op in ("ne", "not_in"):
        cond = f"not {_show(spec, leaf.value)}"
    elif op in ("contains", "startswith"):
        cond = f"{op} {_show(spec, leaf.value)}"
    else:
        cond = ""
    if negated and cond:
        cond = f"not {cond}"
    return f"{text} ({cond})" if cond else text


def _hits(compiled: CompiledCriterion, features: pd.DataFrame) -> pd.DataFrame:
    crit = compiled.criterion
    rows = np.flatnonzero(compiled.mask(features))
    if rows.size == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    fired: list[list[dict[str, Any]]] = [[] for _ in rows]
    words: list[list[str]] = [[] for _ in rows]
    for path, leaf, negated, fn in compiled.leaves:
        t, f = fn(features.iloc[rows])
        holds = f if negated else t
        actual = features[leaf.field].to_numpy(dtype=object)[rows]
        for k in np.flatnonzero(holds):
            fired[k].append(
                {
                    "path": path,
                    "field": leaf.field,
                    "op": ("not " if negated else "") + leaf.op.value,
                    "value": list(leaf.value) if isinstance(leaf.value, tuple) else leaf.value,
                    "actual": _native(actual[k]),
                }
            )
            words[k].append(_phrase(leaf, negated, actual[k]))
    return pd.DataFrame(
        {
            "traveller_id": features["traveller_id"].to_numpy(dtype=object)[rows],
            "criterion_id": crit.id,
            "criterion_version": crit.version,
            "criterion_fingerprint": crit.fingerprint,
            "offence_category": crit.offence_category.value,
            "owner_services": ",".join(s.value for s in crit.owner_services),
            "common": crit.common,
            "fired": [json.dumps(f, ensure_ascii=False, default=str) for f in fired],
            "explanation": ["; ".join(w) for w in words],
            "algorithm": ALGORITHM,
        }
    )


def evaluate(criteria: Sequence[Criterion], features: pd.DataFrame, *, on: date) -> pd.DataFrame:
    """One row per (traveller, criterion) hit, columns :data:`RESULT_COLUMNS`.

    Only criteria that are approved, valid on ``on`` and without linter errors on ``on`` are
    evaluated; the others are listed with their reasons in ``result.attrs["skipped"]``
    (criterion id -> reasons). ``features`` is :func:`journey_features`'s frame (or any frame
    with ``traveller_id`` and the catalogue fields the criteria use).
    """
    if "traveller_id" not in features.columns:
        raise InvalidRecord("features need a traveller_id column", errors=("traveller_id",))
    skipped: dict[str, list[str]] = {}
    frames: list[pd.DataFrame] = []
    for crit in criteria:
        key = f"{crit.id}@{crit.version}"
        if not crit.is_active(on):
            skipped[key] = ["not approved or not valid on " + on.isoformat()]
            continue
        errors = errors_of(lint(crit, on=on))
        if errors:
            skipped[key] = list(errors)
            continue
        compiled = compile_criterion(crit)
        missing = sorted(
            {leaf.field for _, leaf, _, _ in compiled.leaves} - set(features.columns)
            | {
                leaf.field
                for i, c in enumerate(crit.exonerating)
                for _, leaf, _ in iter_leaves(c, f"exonerating[{i}]")
            }
            - set(features.columns)
        )
        if missing:
            raise InvalidRecord(
                f"features lack fields used by {crit.id}",
                errors=tuple(f"features.{m}: missing column" for m in missing),
                hint="compute them with journey_features()",
            )
        frames.append(_hits(compiled, features))
    kept = [f for f in frames if len(f)]
    result = (
        pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=list(RESULT_COLUMNS))
    )
    result = result[list(RESULT_COLUMNS)]
    result.attrs["skipped"] = skipped
    return result

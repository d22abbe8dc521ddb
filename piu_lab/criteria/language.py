"""The criteria language: YAML or JSON in, a validated :class:`Criterion` out (R-CRIT-01).

:func:`load_criterion` reads a file path, a text or a mapping and checks everything before it
builds anything: every problem is listed with its place (``conditions.all[2].op``) in one
:class:`~piu_lab.errors.InvalidRecord`. Fields come from the closed catalogue only, each value
is checked against the kind of its field and the operator. Governance rules (protected
characteristics, exonerating conditions, approval, review) are the linter's (:mod:`.lint`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from piu_lab.criteria._yaml import YAMLError, load_yaml
from piu_lab.criteria.catalogue import CATALOGUE_FILE, FieldKind, FieldSpec, field_spec
from piu_lab.criteria.model import (
    OPERATORS,
    All,
    Approval,
    Condition,
    Criterion,
    Leaf,
    Not,
    Operator,
    Service,
    Status,
    Value,
)
from piu_lab.criteria.model import Any as AnyOf
from piu_lab.criteria.offences import OffenceCategory
from piu_lab.errors import InvalidRecord

__all__ = ["KIND_OPERATORS", "LEARNED_KEYS", "load_criterion", "parse_criterion"]

_NUMERIC = (
    Operator.EQ,
    Operator.NE,
    Operator.IN,
    Operator.NOT_IN,
    Operator.LT,
    Operator.LE,
    Operator.GT,
    Operator.GE,
    Operator.BETWEEN,
    Operator.EXISTS,
)
_CODES = (Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.EXISTS)
#: the operators each kind of field takes
KIND_OPERATORS: dict[FieldKind, tuple[Operator, ...]] = {
    FieldKind.NUMBER: _NUMERIC,
    FieldKind.DURATION_HOURS: _NUMERIC,
    FieldKind.BOOL: (Operator.IS_TRUE, Operator.IS_FALSE, Operator.EXISTS),
    FieldKind.TEXT: (*_CODES, Operator.STARTSWITH),
    FieldKind.CATEGORY: _CODES,
    FieldKind.AIRPORT: _CODES,
    FieldKind.COUNTRY: _CODES,
    FieldKind.SET_OF_TEXT: (Operator.CONTAINS, Operator.EXISTS),
}
#: top-level keys that would bring something learned into a criterion (R-CRIT-01)
LEARNED_KEYS = frozenset(
    {
        "model",
        "models",
        "score",
        "scores",
        "weights",
        "weight",
        "learned",
        "learning",
        "classifier",
        "prediction",
        "probability",
        "threshold_learned",
        "training",
    }
)
_REQUIRED = (
    "id",
    "version",
    "title",
    "status",
    "owner_services",
    "offence_category",
    "rationale",
    "conditions",
    "exonerating",
    "valid_from",
    "next_review",
)
_OPTIONAL = ("approval", "valid_until", "annotations")
_APPROVAL = ("approved_by", "approved_on", "dpo_opinion", "dpo_opinion_on")
_ID = re.compile(r"^[A-Z][A-Z0-9-]{2,40}$")
_PATTERNS = {
    FieldKind.AIRPORT: (re.compile(r"^(?:[A-Z]{3}|[0-9]{7}|[A-Z]{5})$"), "an IATA airport code"),
    FieldKind.COUNTRY: (re.compile(r"^[A-Z]{2,3}$"), "an ISO 3166 country code"),
}


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")


def _scalar(spec: FieldSpec, kind: FieldKind, raw: object, path: str, bad: _Problems) -> Value:
    if kind in (FieldKind.NUMBER, FieldKind.DURATION_HOURS):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            bad.add(path, f"must be a number for field {spec.name!r}")
            return None
        return raw
    if not isinstance(raw, str) or not raw.strip():
        bad.add(path, f"must be non-empty text for field {spec.name!r}")
        return None
    if kind is FieldKind.CATEGORY:
        code = spec.canonical(raw)
        if code is None:
            bad.add(path, f"is not a value of {spec.name!r} (one of {', '.join(spec.values)})")
        return code
    text = raw.strip()
    if kind in _PATTERNS:
        pattern, what = _PATTERNS[kind]
        text = text.upper()
        if not pattern.match(text):
            bad.add(path, f"must be {what} for field {spec.name!r}")
            return None
    return text


def _value(
    spec: FieldSpec, op: Operator, node: Mapping[str, Any], path: str, bad: _Problems
) -> Value:
    has, raw = "value" in node, node.get("value")
    where = f"{path}.value"
    if op in (Operator.IS_TRUE, Operator.IS_FALSE):
        if has:
            bad.add(where, f"operator {op.value!r} takes no value")
        return None
    if op is Operator.EXISTS:
        if has and not isinstance(raw, bool):
            bad.add(where, "operator 'exists' takes true or false")
            return None
        return bool(raw) if has else True
    if not has:
        bad.add(where, f"operator {op.value!r} needs a value")
        return None
    if op is Operator.CONTAINS:
        return _scalar(spec, spec.element or FieldKind.TEXT, raw, where, bad)
    if op in (Operator.IN, Operator.NOT_IN, Operator.BETWEEN):
        if not isinstance(raw, list) or not raw:
            bad.add(where, f"operator {op.value!r} needs a non-empty list")
            return None
        items = [_scalar(spec, spec.kind, v, f"{where}[{i}]", bad) for i, v in enumerate(raw)]
        if op is Operator.BETWEEN:
            if len(raw) != 2:
                bad.add(where, "operator 'between' needs [low, high]")
                return None
            low, high = items
            if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
                bad.add(where, "low is greater than high")
        if any(v is None for v in items):
            return None
        return tuple(v for v in items if isinstance(v, str | int | float))
    return _scalar(spec, spec.kind, raw, where, bad)


def _condition(node: object, path: str, bad: _Problems) -> Condition | None:
    if not isinstance(node, Mapping):
        bad.add(path, "must be a mapping: {all: [...]}, {any: [...]}, {not: ...} or {field, op}")
        return None
    groups = [k for k in ("all", "any", "not") if k in node]
    if groups:
        if len(node) != 1:
            bad.add(path, f"'{groups[0]}' must be the only key of its mapping")
            return None
        word = groups[0]
        if word == "not":
            inner = _condition(node["not"], f"{path}.not", bad)
            return Not(inner) if inner is not None else None
        items = node[word]
        if not isinstance(items, list) or not items:
            bad.add(f"{path}.{word}", "needs a non-empty list of conditions")
            return None
        parsed = [_condition(x, f"{path}.{word}[{i}]", bad) for i, x in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        kept = tuple(p for p in parsed if p is not None)
        return All(kept) if word == "all" else AnyOf(kept)
    return _leaf(node, path, bad)


def _leaf(node: Mapping[str, Any], path: str, bad: _Problems) -> Leaf | None:
    before = len(bad.items)
    for key in node:
        if key not in ("field", "op", "value"):
            bad.add(f"{path}.{key}", "unknown key (a condition has field, op and value)")
    name, op_name = node.get("field"), node.get("op")
    spec = field_spec(name) if isinstance(name, str) else None
    if spec is None:
        bad.add(
            f"{path}.field",
            f"unknown field {name!r}: not in the field catalogue "
            f"(piu_lab/criteria/{CATALOGUE_FILE}, listed in docs/criteria.md)",
        )
    if op_name not in OPERATORS:
        bad.add(f"{path}.op", f"unknown operator {op_name!r} (one of {', '.join(OPERATORS)})")
    if spec is None or op_name not in OPERATORS:
        return None
    op = Operator(op_name)
    if op not in KIND_OPERATORS[spec.kind]:
        allowed = ", ".join(o.value for o in KIND_OPERATORS[spec.kind])
        bad.add(
            f"{path}.op",
            f"{op.value!r} does not apply to {spec.kind.value} field "
            f"{spec.name!r} (use one of {allowed})",
        )
        return None
    value = _value(spec, op, node, path, bad)
    return Leaf(spec.name, op, value) if len(bad.items) == before else None


def _date(raw: object, path: str, bad: _Problems, *, optional: bool = False) -> date | None:
    if raw is None and optional:
        return None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    bad.add(path, "must be a date (YYYY-MM-DD)")
    return None


def _text(data: Mapping[str, Any], key: str, bad: _Problems, path: str = "") -> str:
    raw = data.get(key)
    if not isinstance(raw, str) or not raw.strip():
        bad.add(f"{path}{key}", "must be non-empty text")
        return ""
    return " ".join(raw.split())


def _enum_list(raw: object, path: str, bad: _Problems) -> tuple[Service, ...]:
    if not isinstance(raw, list) or not raw:
        bad.add(path, f"needs a non-empty list of services ({', '.join(Service)})")
        return ()
    out: list[Service] = []
    for i, item in enumerate(raw):
        if item not in {s.value for s in Service}:
            bad.add(f"{path}[{i}]", f"unknown service {item!r} (one of {', '.join(Service)})")
        elif Service(item) in out:
            bad.add(f"{path}[{i}]", f"service {item!r} is listed twice")
        else:
            out.append(Service(item))
    return tuple(out)


def _approval(raw: object, bad: _Problems) -> Approval | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        bad.add("approval", "must be a mapping with " + ", ".join(_APPROVAL))
        return None
    for key in raw:
        if key not in _APPROVAL:
            bad.add(f"approval.{key}", "unknown key (allowed: " + ", ".join(_APPROVAL) + ")")
    by = _text(raw, "approved_by", bad, "approval.")
    on = _date(raw.get("approved_on"), "approval.approved_on", bad)
    opinion = _text(raw, "dpo_opinion", bad, "approval.")
    opinion_on = _date(raw.get("dpo_opinion_on"), "approval.dpo_opinion_on", bad)
    if on is None or opinion_on is None:
        return None
    return Approval(by, on, opinion, opinion_on)


def parse_criterion(data: object) -> Criterion:
    """Validate a mapping in the language form and build the :class:`Criterion`; raise
    :class:`InvalidRecord` listing every problem with its place (R-CRIT-01, R-CRIT-02)."""
    bad = _Problems()
    if not isinstance(data, Mapping):
        raise InvalidRecord("a criterion must be a mapping", errors=("(root): not a mapping",))
    for key in data:
        if str(key).lower() in LEARNED_KEYS:
            bad.add(
                str(key),
                "a criterion cannot carry a learned model, score or weights "
                "(R-CRIT-01: pre-determined, human-authored rules only)",
            )
        elif key not in _REQUIRED + _OPTIONAL:
            bad.add(str(key), "unknown key (see docs/criteria.md for the metadata)")
    for key in _REQUIRED:
        if key not in data:
            bad.add(key, "is missing")
    ident = data.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        bad.add("id", "must be upper-case letters, digits and '-' (e.g. CRIT-0001)")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        bad.add("version", "must be a whole number from 1")
    status, offence = data.get("status"), data.get("offence_category")
    if status not in {s.value for s in Status}:
        bad.add("status", f"must be one of {', '.join(Status)}")
    if offence not in {o.value for o in OffenceCategory}:
        bad.add(
            "offence_category",
            "must be an Annex II category or terrorism (see piu_lab.criteria.OffenceCategory)",
        )
    title, rationale = _text(data, "title", bad), _text(data, "rationale", bad)
    services = _enum_list(data.get("owner_services"), "owner_services", bad)
    conditions = _condition(data.get("conditions"), "conditions", bad)
    raw_ex = data.get("exonerating", [])
    exonerating: list[Condition | None] = []
    if not isinstance(raw_ex, list):
        bad.add("exonerating", "must be a list of conditions")
    else:
        exonerating = [_condition(x, f"exonerating[{i}]", bad) for i, x in enumerate(raw_ex)]
    valid_from = _date(data.get("valid_from"), "valid_from", bad)
    valid_until = _date(data.get("valid_until"), "valid_until", bad, optional=True)
    next_review = _date(data.get("next_review"), "next_review", bad)
    approval = _approval(data.get("approval"), bad)
    notes = data.get("annotations") or {}
    if not isinstance(notes, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in notes.items()
    ):
        bad.add("annotations", "must map text to text")
        notes = {}
    if bad.items or conditions is None or valid_from is None or next_review is None:
        raise InvalidRecord(
            f"criterion {ident if isinstance(ident, str) else '?'} is invalid "
            f"({len(bad.items)} problems)",
            errors=tuple(bad.items),
            hint="fix each problem at the place named; docs/criteria.md describes the language",
        )
    return Criterion(
        id=str(ident),
        version=int(str(version)),
        title=title,
        owner_services=services,
        offence_category=OffenceCategory(str(offence)),
        rationale=rationale,
        conditions=conditions,
        exonerating=tuple(c for c in exonerating if c is not None),
        valid_from=valid_from,
        valid_until=valid_until,
        next_review=next_review,
        status=Status(str(status)),
        approval=approval,
        annotations=tuple(sorted((str(k), str(v)) for k, v in notes.items())),
    )


def _read(source: str | Path) -> tuple[str, str]:
    """(text, name) of a path or of a text."""
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8"), str(source)
    one_line = "\n" not in source and source.strip().endswith((".yaml", ".yml", ".json"))
    if one_line and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8"), source
    return source, "<text>"


def load_criterion(source: str | Path | Mapping[str, Any]) -> Criterion:
    """A criterion from a YAML/JSON file path, a YAML/JSON text or a mapping (R-CRIT-01).

    Raises :class:`InvalidRecord` whose ``errors`` list every problem with its place.
    """
    if isinstance(source, Mapping):
        return parse_criterion(source)
    text, name = _read(source)
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else load_yaml(text)
    except (ValueError, YAMLError) as exc:
        raise InvalidRecord(
            f"{name} is neither valid YAML nor JSON",
            errors=(f"(root): {type(exc).__name__}",),
            hint="check the indentation and quoting",
        ) from None
    return parse_criterion(data)

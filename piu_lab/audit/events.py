"""Audit events (R-LOG-02): who did what, when, why, on which references, and the decision.

An :class:`AuditEvent` is validated when it is built (:class:`~piu_lab.errors.InvalidRecord`
listing every problem) and has one canonical serialisation, :meth:`AuditEvent.canonical`: JSON
with sorted keys, no whitespace, UTF-8, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. That byte
string is what the hash chain covers (:mod:`piu_lab.audit.chain`).

Never sensitive values: callers pass *references and counts only* -- an identification code
for the actor (AR art. 7, R-ACC-03), object references such as ``pnr:ZZ:ABC123`` or
``message:M42``, a number of records, a rule id, and a small ``detail`` of short tokens. Names,
document numbers, contact details or deleted sensitive data (R-SENS-02) have no field here; the
validation refuses spaces in references and detail values and refuses detail keys that name
personal data, which catches the usual mistakes (it cannot prove a token is not personal data:
the callers in ``piu_lab.api`` are tested for that). Consulting, disclosing, unmasking or
exporting without a purpose is refused when allowed (R-LOG-02: "a consultation without a
purpose is impossible"); a *denied* attempt may lack one (that may be why it was denied).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from piu_lab.errors import InvalidRecord

__all__ = [
    "PURPOSE_REQUIRED",
    "AuditAction",
    "AuditDraft",
    "AuditEvent",
    "Decision",
    "canonical_bytes",
    "format_time",
]


class AuditAction(StrEnum):
    """What was done (R-LOG-02 names collection, consultation, disclosure, erasure at least)."""

    COLLECT = "collect"
    CONSULT = "consult"
    DISCLOSE = "disclose"
    ERASE = "erase"
    MASK = "mask"
    UNMASK = "unmask"
    VALIDATE = "validate"
    GRANT = "grant"
    REVOKE = "revoke"
    CRITERIA_CHANGE = "criteria_change"
    EXPORT = "export"
    REPORT = "report"
    DECIDE = "decide"
    LOG_READ = "log_read"
    OPEN_SESSION = "open_session"
    SCREEN = "screen"
    REGISTER = "register"


class Decision(StrEnum):
    """Whether the operation was let through."""

    ALLOWED = "allowed"
    DENIED = "denied"


#: Actions that may not be allowed without a purpose (R-LOG-02).
PURPOSE_REQUIRED = frozenset(
    {AuditAction.CONSULT, AuditAction.DISCLOSE, AuditAction.UNMASK, AuditAction.EXPORT}
)

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_REF = re.compile(r"[a-z][a-z_]{0,31}:[A-Za-z0-9._:/-]{1,128}")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_TOKEN = re.compile(r"[A-Za-z0-9._:/+-]{0,64}")
_MAX_OBJECTS = 10_000
_MAX_DETAIL = 16
_MAX_PURPOSE = 200
#: Detail keys that would name personal data: refused whatever their value (R-SENS-02).
SENSITIVE_KEYS = frozenset(
    {
        "name",
        "surname",
        "given_names",
        "full_name",
        "date_of_birth",
        "dob",
        "birth_date",
        "document",
        "document_number",
        "passport",
        "email",
        "phone",
        "address",
        "card",
        "card_number",
        "meal",
        "health",
        "religion",
        "ssr",
        "osi",
        "remark",
        "free_text",
        "value",
        "values",
    }
)


def format_time(moment: datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always 6 digits); a naive
    ``moment`` is taken to be UTC already (how the store keeps times)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """The canonical JSON of an event's fields: sorted keys, no whitespace, UTF-8."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check_code(problems: list[str], name: str, value: object, *, optional: bool) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        problems.append(f"{name}: not a code (letters, digits, . _ : -, at most 64)")


@dataclass(frozen=True, slots=True)
class AuditDraft:
    """An event before the log numbers and times it (what :meth:`AuditLog.append` takes).

    References and counts only: see the module docstring.
    """

    actor: str
    action: AuditAction | str
    objects: tuple[str, ...] = ()
    record_count: int = 0
    decision: Decision | str = Decision.ALLOWED
    purpose: str | None = None
    request_id: str | None = None
    rule_id: str | None = None
    detail: Mapping[str, str | int] = field(default_factory=dict)

    def at(self, sequence: int, moment: datetime) -> AuditEvent:
        """The validated event with this sequence number and time."""
        return AuditEvent(
            sequence=sequence,
            at=moment,
            actor=self.actor,
            action=self.action,  # type: ignore[arg-type]  # coerced in __post_init__
            purpose=self.purpose,
            request_id=self.request_id,
            objects=tuple(self.objects),
            record_count=self.record_count,
            decision=self.decision,  # type: ignore[arg-type]
            rule_id=self.rule_id,
            detail=dict(self.detail),
        )


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One logged operation (R-LOG-02), validated at construction.

    ``sequence`` numbers events from 1 without gaps; ``at`` is an aware UTC time; ``actor`` is
    the identification code (AR art. 7); ``objects`` are references (``kind:id``), never
    values; ``detail`` is at most 16 short ``str``/``int`` tokens under snake_case keys.
    ``action`` and ``decision`` may be given as strings and come out as enums.
    """

    sequence: int
    at: datetime
    actor: str
    action: AuditAction
    purpose: str | None
    request_id: str | None
    objects: tuple[str, ...]
    record_count: int
    decision: Decision
    rule_id: str | None
    detail: Mapping[str, str | int]

    def __post_init__(self) -> None:
        problems: list[str] = []
        if type(self.sequence) is not int or self.sequence < 1:
            problems.append("sequence: not a whole number >= 1")
        if not isinstance(self.at, datetime) or self.at.tzinfo is None:
            problems.append("at: not a time zone aware datetime")
        elif self.at.utcoffset() != UTC.utcoffset(None):
            object.__setattr__(self, "at", self.at.astimezone(UTC))
        _check_code(problems, "actor", self.actor, optional=False)
        try:
            object.__setattr__(self, "action", AuditAction(self.action))
        except ValueError:
            problems.append(f"action: not one of {', '.join(a.value for a in AuditAction)}")
        try:
            object.__setattr__(self, "decision", Decision(self.decision))
        except ValueError:
            problems.append("decision: not 'allowed' or 'denied'")
        self._check_purpose(problems)
        _check_code(problems, "request_id", self.request_id, optional=True)
        _check_code(problems, "rule_id", self.rule_id, optional=True)
        self._check_objects(problems)
        if type(self.record_count) is not int or self.record_count < 0:
            problems.append("record_count: not a whole number >= 0")
        self._check_detail(problems)
        if problems:
            raise InvalidRecord(
                f"audit event: {len(problems)} problem(s): " + "; ".join(problems),
                errors=tuple(problems),
                hint="pass references and counts only (R-LOG-02), never personal data",
            )

    def _check_purpose(self, problems: list[str]) -> None:
        purpose = self.purpose
        if purpose is None or (isinstance(purpose, str) and not purpose.strip()):
            if self.action in PURPOSE_REQUIRED and self.decision == Decision.ALLOWED:
                problems.append(f"purpose: required to allow {self.action}")
            if purpose is not None:
                problems.append("purpose: empty (give None or a purpose)")
            return
        if not isinstance(purpose, str) or len(purpose) > _MAX_PURPOSE or not purpose.isprintable():
            problems.append(f"purpose: not one printable line of at most {_MAX_PURPOSE}")

    def _check_objects(self, problems: list[str]) -> None:
        objects: object = self.objects
        if not isinstance(objects, tuple):
            problems.append("objects: not a tuple of references")
            return
        if len(objects) > _MAX_OBJECTS:
            problems.append(f"objects: more than {_MAX_OBJECTS} references")
        for i, ref in enumerate(objects):
            if not isinstance(ref, str) or not _REF.fullmatch(ref):
                problems.append(f"objects[{i}]: not a reference like 'pnr:ZZ:ABC123'")

    def _check_detail(self, problems: list[str]) -> None:
        detail: object = self.detail
        if not isinstance(detail, Mapping):
            problems.append("detail: not a mapping")
            return
        if len(detail) > _MAX_DETAIL:
            problems.append(f"detail: more than {_MAX_DETAIL} entries")
        for key, value in detail.items():
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                problems.append("detail: a key is not snake_case (at most 32)")
            elif key in SENSITIVE_KEYS:
                problems.append(f"detail[{key}]: names personal data (references only)")
            elif type(value) is int:
                continue
            elif not isinstance(value, str) or not _TOKEN.fullmatch(value):
                problems.append(f"detail[{key}]: not an int or a short token without spaces")
        object.__setattr__(self, "detail", dict(detail))

    def fields(self) -> dict[str, Any]:
        """The fields as plain JSON values (enums by value, time as text)."""
        return {
            "sequence": self.sequence,
            "at": format_time(self.at),
            "actor": self.actor,
            "action": self.action.value,
            "purpose": self.purpose,
            "request_id": self.request_id,
            "objects": list(self.objects),
            "record_count": self.record_count,
            "decision": self.decision.value,
            "rule_id": self.rule_id,
            "detail": dict(self.detail),
        }

    def canonical(self) -> bytes:
        """The canonical JSON bytes the hash chain covers."""
        return canonical_bytes(self.fields())

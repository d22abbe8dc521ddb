"""Audit events: validation at the edge and canonical bytes (R-LOG-02, R-SENS-02)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from piu_lab.audit import AuditAction, AuditEvent, Decision
from piu_lab.errors import InvalidRecord

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make(**changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "sequence": 1,
        "at": AT,
        "actor": "PIU-0042",
        "action": "consult",
        "purpose": "case 2026/17: terrorism",
        "request_id": "REQ-17",
        "objects": ("pnr:ZZ:ABC123",),
        "record_count": 1,
        "decision": "allowed",
        "rule_id": None,
        "detail": {"screen": "pnr", "rows": 3},
    }
    fields.update(changes)
    return AuditEvent(**fields)


def test_strings_become_enums_and_time_becomes_utc() -> None:
    brussels = timezone(timedelta(hours=1))
    event = make(at=datetime(2026, 3, 1, 13, 0, tzinfo=brussels))
    assert event.action is AuditAction.CONSULT
    assert event.decision is Decision.ALLOWED
    assert event.at == AT
    assert event.at.tzinfo == UTC


def test_canonical_bytes_are_sorted_compact_json_with_iso_times() -> None:
    raw = make().canonical()
    assert b" " not in raw.replace(b"case 2026/17: terrorism", b"")
    assert raw.startswith(
        b'{"action":"consult","actor":"PIU-0042","at":"2026-03-01T12:00:00.000000Z"'
    )
    decoded = json.loads(raw)
    assert list(decoded) == sorted(decoded)
    assert decoded["objects"] == ["pnr:ZZ:ABC123"]
    assert make().canonical() == raw  # deterministic


def test_every_field_changes_the_canonical_bytes() -> None:
    base = make().canonical()
    for change in (
        {"sequence": 2},
        {"at": AT + timedelta(microseconds=1)},
        {"actor": "PIU-0043"},
        {"action": "disclose"},
        {"purpose": "another"},
        {"request_id": None},
        {"objects": ()},
        {"record_count": 2},
        {"decision": "denied"},
        {"rule_id": "R-LOG-02"},
        {"detail": {}},
    ):
        assert make(**change).canonical() != base, change


def test_consultation_without_purpose_is_impossible() -> None:
    """R-LOG-02: a consultation without a purpose cannot be logged as allowed."""
    with pytest.raises(InvalidRecord, match="purpose: required"):
        make(purpose=None)
    denied = make(purpose=None, decision="denied", rule_id="R-LOG-02")
    assert denied.purpose is None
    assert make(action="collect", purpose=None).purpose is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"sequence": 0}, "sequence"),
        ({"sequence": True}, "sequence"),
        ({"at": datetime(2026, 3, 1)}, "at"),
        ({"actor": "John Smith"}, "actor"),
        ({"actor": ""}, "actor"),
        ({"action": "delete_everything"}, "action"),
        ({"decision": "maybe"}, "decision"),
        ({"objects": ("SMITH JOHN",)}, "objects[0]"),
        ({"objects": ["pnr:ZZ:ABC123"]}, "objects"),
        ({"record_count": -1}, "record_count"),
        ({"detail": {"surname": "X"}}, "detail[surname]"),
        ({"detail": {"note": "free text here"}}, "detail[note]"),
        ({"detail": {"flag": True}}, "detail[flag]"),
        ({"detail": {"Bad Key": 1}}, "detail"),
        ({"purpose": "line\nbreak"}, "purpose"),
        ({"purpose": "   "}, "purpose"),
        ({"request_id": "has space"}, "request_id"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidRecord) as caught:
        make(**change)
    assert any(err.startswith(problem) for err in caught.value.errors), caught.value.errors
    assert "references and counts" in caught.value.hint


def test_all_problems_are_listed_and_no_value_is_echoed() -> None:
    with pytest.raises(InvalidRecord) as caught:
        make(actor="John Smith", objects=("JOHN SMITH",), detail={"name": "JOHN"})
    assert len(caught.value.errors) == 3
    assert "JOHN" not in str(caught.value)
    assert "Smith" not in str(caught.value)


def test_events_are_frozen() -> None:
    event = make()
    with pytest.raises(AttributeError):
        event.actor = "PIU-9"  # type: ignore[misc]

"""Message bookkeeping (store/core.py): nothing received is silently lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from piu_lab.errors import InvalidRecord, StoreError
from piu_lab.model import MessageKind, MessageStatus
from piu_lab.store import Store

RECEIVED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _record(store: Store, message_id: str = "MSG-1", **extra: object) -> None:
    values: dict[str, object] = {
        "message_id": message_id,
        "kind": MessageKind.PNRGOV,
        "sha256": "ab" * 32,
        "received_at": RECEIVED,
        "status": MessageStatus.RECEIVED,
    }
    values.update(extra)
    store.record_message(**values)  # type: ignore[arg-type]


def test_a_message_is_recorded_with_its_bookkeeping(store: Store) -> None:
    """R-SENS-02: the deleted sensitive items are counted per category, never kept."""
    _record(
        store,
        sender="ZZ",
        recipient="BEPIU",
        sent_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1))),
        envelope={"una": ":+.? '", "unb": ["ZZ", "BEPIU"]},
        warnings=("segment 3: unknown field dropped",),
        sensitive_deleted={"SSR MEAL": 2, "OSI": 1},
    )
    row = store.read_table("message").iloc[0]
    assert row["kind"] == "PNRGOV"
    assert row["status"] == "RECEIVED"
    assert row["sent_at"] == RECEIVED  # 09:00 +01:00 is 08:00 UTC
    assert json.loads(row["envelope"])["unb"] == ["ZZ", "BEPIU"]
    assert json.loads(row["warnings"]) == ["segment 3: unknown field dropped"]
    assert json.loads(row["sensitive_deleted"]) == {"OSI": 1, "SSR MEAL": 2}
    assert store.message_status("MSG-1") is MessageStatus.RECEIVED


def test_quarantined_message_keeps_its_reason(store: Store) -> None:
    _record(store, kind="PAXLST")
    store.set_message_status("MSG-1", MessageStatus.QUARANTINED, "UNH segment missing")
    store.set_message_status("MSG-1", "QUARANTINED")  # no new reason: the old one stays
    row = store.read_table("message").iloc[0]
    assert (row["status"], row["reason"]) == ("QUARANTINED", "UNH segment missing")
    store.set_message_status("MSG-1", MessageStatus.STORED, "re-processed by hand")
    assert store.message_status("MSG-1") is MessageStatus.STORED


def test_recording_the_same_message_twice_is_refused(store: Store) -> None:
    _record(store)
    with pytest.raises(StoreError) as info:
        _record(store, status=MessageStatus.DUPLICATE)
    assert "set_message_status" in info.value.hint
    assert store.counts()["message"] == 1


def test_unknown_message_and_bad_values(store: Store) -> None:
    assert store.message_status("NOPE") is None
    with pytest.raises(StoreError):
        store.set_message_status("NOPE", MessageStatus.STORED)
    with pytest.raises(InvalidRecord):
        _record(store, status="LOST")
    with pytest.raises(InvalidRecord):
        _record(store, kind="EMAIL")
    assert store.counts()["message"] == 0

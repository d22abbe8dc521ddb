"""The hash chain as pure functions (R-LOG-02: tamper-evident): each kind of break is named."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from piu_lab.audit import GENESIS, AuditEvent, BreakKind, event_hash, verify_chain
from piu_lab.audit.chain import ChainRow, link_hash
from piu_lab.errors import AuditChainBroken, AuditError

AT = datetime(2026, 3, 1, tzinfo=UTC)


def event(sequence: int, **changes: object) -> AuditEvent:
    base = AuditEvent(
        sequence=sequence,
        at=AT,
        actor="PIU-0001",
        action="collect",
        purpose=None,
        request_id=None,
        objects=(f"message:M{sequence}",),
        record_count=1,
        decision="allowed",
        rule_id=None,
        detail={},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def chain(n: int) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        ev = event(seq)
        digest = event_hash(prev, ev)
        rows.append(ChainRow(seq, ev.canonical(), prev, digest))
        prev = digest
    return rows


def test_event_hash_is_sha256_of_prev_and_canonical_bytes() -> None:
    ev = event(1)
    assert bytes(32) == GENESIS
    assert event_hash(GENESIS, ev) == hashlib.sha256(bytes(32) + ev.canonical()).digest()
    assert link_hash(GENESIS, b"x") != link_hash(b"\x01" * 32, b"x")


def test_a_valid_chain_verifies() -> None:
    rows = chain(20)
    result = verify_chain(rows)
    assert result.ok
    assert result.checked == 20
    assert result.last_sequence == 20
    assert result.last_hash == rows[-1].hash
    result.raise_if_broken()
    assert verify_chain([]).ok


def test_verify_from_a_midpoint() -> None:
    rows = chain(10)
    assert verify_chain(rows[5:], start_sequence=6, start_hash=rows[4].hash).ok


def test_altered_row() -> None:
    rows = chain(10)
    rows[4] = replace(rows[4], canonical=event(5, record_count=99).canonical())
    result = verify_chain(rows)
    assert (result.ok, result.broken_at, result.kind) == (False, 5, BreakKind.ALTERED)
    assert result.checked == 4
    with pytest.raises(AuditChainBroken) as caught:
        result.raise_if_broken()
    assert (caught.value.sequence, caught.value.kind) == (5, "altered")
    assert isinstance(caught.value, AuditError)
    assert caught.value.exit_code == 9


def test_deleted_row() -> None:
    rows = chain(10)
    del rows[6]
    result = verify_chain(rows)
    assert (result.broken_at, result.kind) == (7, BreakKind.DELETED)


def test_reordered_rows() -> None:
    rows = chain(10)
    rows[3], rows[4] = rows[4], rows[3]
    result = verify_chain(rows)
    assert (result.broken_at, result.kind) == (4, BreakKind.REORDERED)


def test_inserted_row_with_renumbering() -> None:
    rows = chain(10)
    forged = event(4, actor="PIU-6666")
    forged_row = ChainRow(4, forged.canonical(), rows[2].hash, event_hash(rows[2].hash, forged))
    shifted = [replace(r, sequence=r.sequence + 1) for r in rows[3:]]
    result = verify_chain([*rows[:3], forged_row, *shifted])
    assert (result.broken_at, result.kind) == (4, BreakKind.INSERTED)


def test_inserted_row_with_a_garbage_link() -> None:
    rows = chain(10)
    garbage = ChainRow(4, b"{}", b"\x07" * 32, b"\x08" * 32)
    shifted = [replace(r, sequence=r.sequence + 1) for r in rows[3:]]
    result = verify_chain([*rows[:3], garbage, *shifted])
    assert (result.broken_at, result.kind) == (4, BreakKind.INSERTED)

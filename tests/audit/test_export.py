"""Signed exports (R-LOG-03): written from the log, verified with the public key alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from piu_lab.audit import AuditLog
from piu_lab.audit.export import export_bytes, verify_export
from piu_lab.clock import FrozenClock
from piu_lab.errors import AuditChainBroken, AuditError
from piu_lab.store import Store, open_store
from tests.audit.test_log import START, fill


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    clock = FrozenClock(START)
    store: Store = open_store(f"sqlite:///{tmp_path}/lab.sqlite3")
    audit_log = AuditLog(store, clock)
    fill(audit_log, clock, 6)
    return audit_log


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def exported(log: AuditLog, key: Ed25519PrivateKey, tmp_path: Path) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_bytes(export_bytes(log.read(2, 5), 2, 5, key))
    log.store.close()
    return path


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_an_intact_export_verifies(exported: Path, key: Ed25519PrivateKey) -> None:
    summary = verify_export(exported, key.public_key())
    assert (summary.from_seq, summary.to_seq, summary.count) == (2, 5, 4)
    events = [json.loads(line) for line in lines_of(exported)[:-1]]
    assert summary.first_prev_hash.hex() == events[0]["prev_hash"]
    assert summary.last_hash.hex() == events[-1]["hash"]


def test_another_key_is_a_bad_signature(exported: Path) -> None:
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, Ed25519PrivateKey.generate().public_key())
    assert caught.value.kind == "bad_signature"


def test_a_changed_field_is_altered(exported: Path, key: Ed25519PrivateKey) -> None:
    lines = lines_of(exported)
    lines[1] = lines[1].replace(b'"actor":"PIU-0042"', b'"actor":"PIU-0001"')
    exported.write_bytes(b"".join(lines))
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, key.public_key())
    assert (caught.value.sequence, caught.value.kind) == (3, "altered")


def test_a_deleted_line_is_deleted(exported: Path, key: Ed25519PrivateKey) -> None:
    lines = lines_of(exported)
    del lines[1]
    exported.write_bytes(b"".join(lines))
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, key.public_key())
    assert (caught.value.sequence, caught.value.kind) == (3, "deleted")


def test_swapped_lines_are_reordered(exported: Path, key: Ed25519PrivateKey) -> None:
    lines = lines_of(exported)
    lines[1], lines[2] = lines[2], lines[1]
    exported.write_bytes(b"".join(lines))
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, key.public_key())
    assert (caught.value.sequence, caught.value.kind) == (3, "reordered")


def test_a_dropped_last_event_is_truncated(exported: Path, key: Ed25519PrivateKey) -> None:
    lines = lines_of(exported)
    del lines[-2]
    exported.write_bytes(b"".join(lines))
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, key.public_key())
    assert (caught.value.sequence, caught.value.kind) == (5, "truncated")


def test_a_changed_range_is_a_bad_signature(exported: Path, key: Ed25519PrivateKey) -> None:
    lines = lines_of(exported)
    trailer = json.loads(lines[-1])
    del lines[-2]
    trailer["to"], trailer["count"] = 4, 3
    trailer["last_hash"] = json.loads(lines[-2])["hash"]
    lines[-1] = (json.dumps(trailer) + "\n").encode()
    exported.write_bytes(b"".join(lines))
    with pytest.raises(AuditChainBroken) as caught:
        verify_export(exported, key.public_key())
    assert caught.value.kind == "bad_signature"


def test_not_an_export(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    with pytest.raises(AuditError, match="not a signed audit export"):
        verify_export(path, key.public_key())
    with pytest.raises(AuditError, match="cannot read"):
        verify_export(tmp_path / "missing.jsonl", key.public_key())


def test_export_refuses_a_range_the_events_do_not_fill(
    log: AuditLog, key: Ed25519PrivateKey
) -> None:
    try:
        with pytest.raises(AuditError, match="exactly that range"):
            export_bytes(log.read(2, 4), 2, 5, key)
        with pytest.raises(AuditError, match="not a range"):
            export_bytes([], 3, 2, key)
    finally:
        log.store.close()

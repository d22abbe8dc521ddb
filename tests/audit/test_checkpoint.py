"""Signed checkpoints (R-LOG-02): truncation and rewriting behind a checkpoint are caught."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from piu_lab.audit import (
    AuditLog,
    BreakKind,
    Checkpoint,
    generate_keypair,
    load_private_key,
    load_public_key,
    make_checkpoint,
    verify_against,
)
from piu_lab.clock import FrozenClock
from piu_lab.errors import AuditError
from piu_lab.store import Store
from tests.audit.test_log import START, fill, tamper


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def log(store: Store, clock: FrozenClock) -> AuditLog:
    return AuditLog(store, clock)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return generate_keypair(tmp_path / "keys")


def test_keys_are_pem_files_outside_the_database(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert os.stat(private).st_mode & 0o777 == 0o600
    with pytest.raises(AuditError, match="already exists"):
        generate_keypair(private.parent)
    with pytest.raises(AuditError, match="cannot load"):
        load_private_key(private.parent / "missing.pem")
    with pytest.raises(AuditError, match="cannot load"):
        load_private_key(public)
    other = ec.generate_private_key(ec.SECP256R1())
    wrong = private.parent / "ec.pem"
    wrong.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(AuditError, match="not an Ed25519 private key"):
        load_private_key(wrong)
    wrong_public = private.parent / "ec.pub.pem"
    wrong_public.write_bytes(
        other.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(AuditError, match="not an Ed25519 public key"):
        load_public_key(wrong_public)


def test_a_checkpoint_verifies_and_round_trips(
    log: AuditLog, clock: FrozenClock, keys: tuple[Path, Path]
) -> None:
    fill(log, clock, 10)
    checkpoint = make_checkpoint(log, load_private_key(keys[0]))
    assert checkpoint.sequence == 10
    assert checkpoint.hash == log.head()[1]
    assert checkpoint.at == clock.now()
    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
    public = load_public_key(keys[1])
    assert verify_against(log, checkpoint, public).ok
    fill(log, clock, 5)  # the log grows past the checkpoint
    result = verify_against(log, checkpoint, public)
    assert result.ok
    assert result.checked == 15
    assert log.verify(checkpoint).ok
    assert log.verify(checkpoint).checked == 5


def test_an_empty_log_can_be_checkpointed(log: AuditLog, keys: tuple[Path, Path]) -> None:
    checkpoint = make_checkpoint(log, load_private_key(keys[0]))
    assert checkpoint.sequence == 0
    assert verify_against(log, checkpoint, load_public_key(keys[1])).ok


def test_truncated_tail_is_caught_by_the_checkpoint(
    store: Store, log: AuditLog, clock: FrozenClock, keys: tuple[Path, Path]
) -> None:
    fill(log, clock, 10)
    checkpoint = make_checkpoint(log, load_private_key(keys[0]))
    tamper(store, "DELETE FROM audit_event WHERE sequence >= 8")
    assert log.verify().ok  # a shorter chain is still a chain...
    result = verify_against(log, checkpoint, load_public_key(keys[1]))
    assert (result.ok, result.broken_at, result.kind) == (False, 8, BreakKind.TRUNCATED)
    assert log.verify(checkpoint).kind is BreakKind.TRUNCATED


def test_rewritten_chain_is_caught_by_the_checkpoint(
    store: Store, log: AuditLog, clock: FrozenClock, keys: tuple[Path, Path]
) -> None:
    """The tail is cut and new, validly chained rows are appended in its place."""
    fill(log, clock, 10)
    checkpoint = make_checkpoint(log, load_private_key(keys[0]))
    tamper(store, "DELETE FROM audit_event WHERE sequence >= 6")
    fill(log, clock, 7)
    assert log.verify().ok
    result = verify_against(log, checkpoint, load_public_key(keys[1]))
    assert (result.broken_at, result.kind) == (10, BreakKind.REWRITTEN)


def test_a_break_before_the_checkpoint_is_reported_first(
    store: Store, log: AuditLog, clock: FrozenClock, keys: tuple[Path, Path]
) -> None:
    fill(log, clock, 10)
    checkpoint = make_checkpoint(log, load_private_key(keys[0]))
    tamper(store, "UPDATE audit_event SET actor = 'PIU-0001' WHERE sequence = 3")
    result = verify_against(log, checkpoint, load_public_key(keys[1]))
    assert (result.broken_at, result.kind) == (3, BreakKind.ALTERED)


def test_a_forged_checkpoint_is_refused(
    log: AuditLog, clock: FrozenClock, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    fill(log, clock, 4)
    other = generate_keypair(tmp_path / "other")
    forged = make_checkpoint(log, load_private_key(other[0]))
    result = verify_against(log, forged, load_public_key(keys[1]))
    assert (result.broken_at, result.kind) == (4, BreakKind.BAD_SIGNATURE)
    genuine = make_checkpoint(log, load_private_key(keys[0]))
    moved = Checkpoint(3, genuine.hash, genuine.at, genuine.signature)
    assert verify_against(log, moved, load_public_key(keys[1])).kind is BreakKind.BAD_SIGNATURE


def test_bad_checkpoint_json() -> None:
    with pytest.raises(AuditError, match="not a checkpoint"):
        Checkpoint.from_json('{"sequence": 1}')


def test_checkpoint_helpers_do_not_touch_the_database_keys(store: Store) -> None:
    with store.engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT actor FROM audit_event"))}
    assert names == set()

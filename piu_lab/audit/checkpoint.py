"""Signed checkpoints of the audit log (R-LOG-02 tamper evidence, R-LOG-03 signed exports).

A :class:`Checkpoint` states "the log had ``sequence`` events and the last hash was ``hash`` at
``at``", signed with Ed25519. The private key lives in a PEM file *outside* the database
(:func:`generate_keypair`, :func:`load_private_key`): whoever can write the database still
cannot forge a checkpoint, so :func:`verify_against` catches what the hash chain alone cannot:
the newest rows deleted (``truncated``) or the whole chain recomputed after a change
(``rewritten``), besides every break the chain finds after the checkpoint.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from piu_lab.audit.chain import BreakKind, VerifyResult
from piu_lab.audit.events import format_time
from piu_lab.audit.log import AuditLog
from piu_lab.errors import AuditError

__all__ = [
    "PRIVATE_KEY_FILE",
    "PUBLIC_KEY_FILE",
    "Checkpoint",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "make_checkpoint",
    "verify_against",
]

PRIVATE_KEY_FILE = "audit_ed25519.pem"
PUBLIC_KEY_FILE = "audit_ed25519.pub.pem"
_DOMAIN = b"piu-lab audit checkpoint v1\x00"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head of the log at a time, signed: ``sequence`` (0 for an empty log), its ``hash``,
    the time ``at`` (UTC) and the Ed25519 ``signature`` over :meth:`message`."""

    sequence: int
    hash: bytes
    at: datetime
    signature: bytes

    def message(self) -> bytes:
        """The bytes signed: a domain tag and the canonical JSON of sequence, hash and time."""
        return _message(self.sequence, self.hash, self.at)

    def to_json(self) -> str:
        return json.dumps(
            {
                "sequence": self.sequence,
                "hash": self.hash.hex(),
                "at": format_time(self.at),
                "signature": self.signature.hex(),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, data: str) -> Checkpoint:
        try:
            raw: dict[str, Any] = json.loads(data)
            return cls(
                sequence=int(raw["sequence"]),
                hash=bytes.fromhex(raw["hash"]),
                at=datetime.strptime(raw["at"], "%Y-%m-%dT%H:%M:%S.%f%z"),
                signature=bytes.fromhex(raw["signature"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError(f"not a checkpoint ({type(exc).__name__})") from exc


def _message(sequence: int, digest: bytes, at: datetime) -> bytes:
    body = {"sequence": sequence, "hash": digest.hex(), "at": format_time(at)}
    return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def make_checkpoint(log: AuditLog, private_key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the current head of ``log`` at ``log.clock.now()``."""
    sequence, digest = log.head()
    at = log.clock.now()
    return Checkpoint(sequence, digest, at, private_key.sign(_message(sequence, digest, at)))


def verify_against(
    log: AuditLog, checkpoint: Checkpoint, public_key: Ed25519PublicKey
) -> VerifyResult:
    """Check the signature, then the whole chain, then that the log still reaches the
    checkpoint with the same hash (``truncated`` / ``rewritten`` otherwise)."""
    try:
        public_key.verify(checkpoint.signature, checkpoint.message())
    except InvalidSignature:
        head = log.head()
        return VerifyResult(
            False,
            0,
            head[0],
            head[1],
            checkpoint.sequence,
            BreakKind.BAD_SIGNATURE,
            "the checkpoint's signature does not verify with this public key",
        )
    whole = log.verify()
    if not whole.ok:
        return whole
    if whole.last_sequence < checkpoint.sequence:
        return VerifyResult(
            False,
            whole.checked,
            whole.last_sequence,
            whole.last_hash,
            whole.last_sequence + 1,
            BreakKind.TRUNCATED,
            f"the log ends at {whole.last_sequence}, the checkpoint says {checkpoint.sequence}",
        )
    at_checkpoint = log.verify(checkpoint)
    if not at_checkpoint.ok:
        return at_checkpoint
    return whole


# -- keys ------------------------------------------------------------------------------------


def generate_keypair(folder: Path | str) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into ``folder`` (private key mode 0600); returns the paths
    ``(private, public)``. Refuses to overwrite an existing private key."""
    where = Path(folder)
    where.mkdir(parents=True, exist_ok=True)
    private_path, public_path = where / PRIVATE_KEY_FILE, where / PUBLIC_KEY_FILE
    if private_path.exists():
        raise AuditError(
            f"a private key already exists at {private_path}",
            hint="keep it, or move it away first: checkpoints signed with it need its public key",
        )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path


def load_private_key(path: Path | str, password: bytes | None = None) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file (AuditError when missing or another kind)."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=password)
    except (OSError, ValueError, TypeError) as exc:
        raise AuditError(f"cannot load the audit signing key {path}: {type(exc).__name__}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path | str) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file (AuditError when missing or another kind)."""
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise AuditError(f"cannot load the audit public key {path}: {type(exc).__name__}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise AuditError(f"{path} is not an Ed25519 public key")
    return key

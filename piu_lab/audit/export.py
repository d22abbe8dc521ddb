"""Signed exports of the audit log for a supervisory body (R-LOG-03: "export signed for a
supervisor").

An export is a JSON Lines file: one line per event ``from_seq..to_seq`` as stored (its fields,
``prev_hash`` and ``hash``, keys sorted), then one final line that signs the export::

    {"algorithm": "Ed25519", "count": 3, "first_prev_hash": "...", "from": 4, "last_hash": "...",
     "sha256": "<of every byte before this line>", "signature": "...", "to": 6,
     "type": "piu-lab audit export v1"}

The Ed25519 signature covers a domain tag and the canonical JSON of that line without its
``signature``, so it binds the exact exported bytes (through ``sha256``) and the range.
:func:`verify_export` needs only the file and the public key: it checks the chain inside the
range (each row's hash is rebuilt from its fields and linked to the row before), the byte
digest and the signature. Pure apart from reading the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from piu_lab.audit.chain import BreakKind, link_hash
from piu_lab.audit.events import canonical_bytes
from piu_lab.audit.log import StoredEvent
from piu_lab.errors import AuditChainBroken, AuditError

__all__ = ["EXPORT_TYPE", "ExportSummary", "export_bytes", "verify_export"]

EXPORT_TYPE = "piu-lab audit export v1"
_DOMAIN = b"piu-lab audit export v1\x00"
_HASH_KEYS = ("hash", "prev_hash")


def _line(value: dict[str, Any]) -> bytes:
    return (
        json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        + b"\n"
    )


def _signed_message(trailer: dict[str, Any]) -> bytes:
    body = {k: v for k, v in trailer.items() if k != "signature"}
    return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def export_bytes(
    events: Sequence[StoredEvent], from_seq: int, to_seq: int, private_key: Ed25519PrivateKey
) -> bytes:
    """The whole export file for ``events`` (exactly ``from_seq..to_seq``, in order)."""
    if from_seq < 1 or to_seq < from_seq:
        raise AuditError(f"cannot export {from_seq}..{to_seq}: not a range of sequences")
    expected = list(range(from_seq, to_seq + 1))
    if [s.event.sequence for s in events] != expected:
        raise AuditError(
            f"cannot export {from_seq}..{to_seq}: the log does not hold exactly that range",
            from_seq=from_seq,
            to_seq=to_seq,
        )
    body = b"".join(
        _line({**s.event.fields(), "prev_hash": s.prev_hash.hex(), "hash": s.hash.hex()})
        for s in events
    )
    trailer: dict[str, Any] = {
        "type": EXPORT_TYPE,
        "algorithm": "Ed25519",
        "from": from_seq,
        "to": to_seq,
        "count": len(events),
        "first_prev_hash": events[0].prev_hash.hex(),
        "last_hash": events[-1].hash.hex(),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    trailer["signature"] = private_key.sign(_signed_message(trailer)).hex()
    return body + _line(trailer)


def write_export(
    out: Path | str,
    events: Sequence[StoredEvent],
    from_seq: int,
    to_seq: int,
    private_key: Ed25519PrivateKey,
) -> Path:
    """Write :func:`export_bytes` to ``out`` (mode 0600), never over an existing file."""
    path = Path(out)
    data = export_bytes(events, from_seq, to_seq, private_key)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AuditError(
            f"{path} exists already", hint="choose another --out: exports are never overwritten"
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


class ExportSummary:
    """What a verified export holds: the range and the hashes at its two ends."""

    __slots__ = ("count", "first_prev_hash", "from_seq", "last_hash", "to_seq")

    def __init__(
        self, from_seq: int, to_seq: int, count: int, first_prev_hash: bytes, last_hash: bytes
    ) -> None:
        self.from_seq = from_seq
        self.to_seq = to_seq
        self.count = count
        self.first_prev_hash = first_prev_hash
        self.last_hash = last_hash


def _broken(sequence: int, kind: BreakKind, detail: str) -> AuditChainBroken:
    return AuditChainBroken(
        f"audit export broken at sequence {sequence}: {kind} ({detail})",
        sequence=sequence,
        kind=kind.value,
        hint="the export was changed after it was signed, or this is not the signer's key",
    )


def _hex(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not a hex string")
    return bytes.fromhex(value)


def _sequence_of(raw: bytes) -> int | None:
    """The sequence of an exported line, or None when it is not one (to name a break)."""
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    sequence = value.get("sequence") if isinstance(value, dict) else None
    return sequence if type(sequence) is int else None


def _parse_trailer(raw: bytes) -> tuple[dict[str, Any], int, int, bytes, bytes, bytes]:
    try:
        trailer = json.loads(raw)
        if not isinstance(trailer, dict) or trailer.get("type") != EXPORT_TYPE:
            raise ValueError("not an export trailer")
        from_seq, to_seq = trailer["from"], trailer["to"]
        if (
            type(from_seq) is not int
            or type(to_seq) is not int
            or trailer["count"] != (to_seq - from_seq + 1)
        ):
            raise ValueError("bad range")
        return (
            trailer,
            from_seq,
            to_seq,
            _hex(trailer["first_prev_hash"]),
            _hex(trailer["last_hash"]),
            _hex(trailer["signature"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditError(
            f"not a signed audit export: its last line is not a signature ({type(exc).__name__})"
        ) from exc


def verify_export(path: Path | str, public_key: Ed25519PublicKey) -> ExportSummary:
    """Verify an export file written by :func:`export_bytes`.

    Returns an :class:`ExportSummary` when intact; raises :class:`AuditChainBroken` naming the
    first broken sequence and the kind (``altered``, ``deleted``, ``inserted``, ``reordered``
    inside the range; ``bad_signature`` when the bytes or the range are not what was signed),
    or :class:`AuditError` when the file is not an export at all.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AuditError(f"cannot read the audit export {path}: {type(exc).__name__}") from exc
    lines = data.splitlines(keepends=True)
    if not lines or not data.endswith(b"\n"):
        raise AuditError("not a signed audit export: empty or cut short")
    trailer, from_seq, to_seq, first_prev, last_hash, signature = _parse_trailer(lines[-1])
    events = lines[:-1]
    expected, prev = from_seq, first_prev
    for raw in events:
        try:
            fields = json.loads(raw)
            if not isinstance(fields, dict):
                raise TypeError("not an object")
            sequence = fields["sequence"]
            if type(sequence) is not int:
                raise TypeError("sequence is not an integer")
            row_prev, row_hash = _hex(fields["prev_hash"]), _hex(fields["hash"])
        except (ValueError, KeyError, TypeError):
            raise _broken(expected, BreakKind.ALTERED, "a line is not an exported event") from None
        if sequence > expected:
            if any(_sequence_of(later) == expected for later in events):
                raise _broken(expected, BreakKind.REORDERED, f"sequence {expected} comes later")
            raise _broken(expected, BreakKind.DELETED, f"sequence jumps to {sequence}")
        if sequence < expected:
            raise _broken(expected, BreakKind.REORDERED, f"sequence {sequence} out of order")
        content = canonical_bytes({k: v for k, v in fields.items() if k not in _HASH_KEYS})
        if row_prev != prev:
            raise _broken(expected, BreakKind.ALTERED, "links to another row than the one before")
        if link_hash(row_prev, content) != row_hash:
            raise _broken(expected, BreakKind.ALTERED, "content does not match its hash")
        prev = row_hash
        expected += 1
    if expected != to_seq + 1:
        raise _broken(expected, BreakKind.TRUNCATED, f"the export ends before {to_seq}")
    body = data[: len(data) - len(lines[-1])]
    if hashlib.sha256(body).hexdigest() != trailer.get("sha256") or prev != last_hash:
        raise _broken(from_seq, BreakKind.BAD_SIGNATURE, "the bytes are not the ones signed")
    try:
        public_key.verify(signature, _signed_message(trailer))
    except InvalidSignature:
        raise _broken(
            from_seq, BreakKind.BAD_SIGNATURE, "the signature does not verify with this key"
        ) from None
    return ExportSummary(from_seq, to_seq, len(events), first_prev, last_hash)

"""The hash chain of the audit log (R-LOG-02: tamper-evident), as pure functions.

``hash_n = SHA-256(hash_{n-1} || canonical bytes of event n)``, with 32 zero bytes before the
first event (:data:`GENESIS`). The sequence number is inside the canonical bytes, so moving a
row changes its hash too.

:func:`verify_chain` walks rows in the order given (the log reads them by sequence) and stops
at the first break, which it names (:class:`BreakKind`):

* ``deleted``: a sequence number is missing (a gap);
* ``reordered``: a row is out of order, or it links to a row other than its predecessor that
  is still in the log (rows swapped or renumbered);
* ``inserted``: a row the chain does not go through (the next row links over it);
* ``altered``: a row whose hash does not match its own content or whose link is changed.

Deleting the newest rows leaves a shorter valid chain: that is what signed checkpoints catch
(:mod:`piu_lab.audit.checkpoint`: ``truncated``, ``rewritten``, ``bad_signature``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from piu_lab.audit.events import AuditEvent
from piu_lab.errors import AuditChainBroken

__all__ = [
    "GENESIS",
    "BreakKind",
    "ChainRow",
    "VerifyResult",
    "event_hash",
    "link_hash",
    "verify_chain",
]

#: The ``prev_hash`` of the first event.
GENESIS = bytes(32)


class BreakKind(StrEnum):
    """How the chain broke (``AuditChainBroken.kind``)."""

    ALTERED = "altered"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    REWRITTEN = "rewritten"
    BAD_SIGNATURE = "bad_signature"


def link_hash(prev_hash: bytes, canonical: bytes) -> bytes:
    """SHA-256 of ``prev_hash`` followed by an event's canonical bytes."""
    return hashlib.sha256(prev_hash + canonical).digest()


def event_hash(prev_hash: bytes, event: AuditEvent) -> bytes:
    """The chained hash of ``event`` after an event whose hash is ``prev_hash``."""
    return link_hash(prev_hash, event.canonical())


@dataclass(frozen=True, slots=True)
class ChainRow:
    """A stored row as the verifier sees it: its sequence, the canonical bytes rebuilt from
    its columns, and the two stored hashes."""

    sequence: int
    canonical: bytes
    prev_hash: bytes
    hash: bytes


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What a verification found. ``ok`` or the first ``broken_at`` sequence and ``kind``."""

    ok: bool
    checked: int
    last_sequence: int
    last_hash: bytes
    broken_at: int | None = None
    kind: BreakKind | None = None
    detail: str = ""

    def raise_if_broken(self) -> None:
        """Raise :class:`AuditChainBroken` when the chain is broken."""
        if self.ok:
            return
        assert self.broken_at is not None
        assert self.kind is not None
        raise AuditChainBroken(
            f"audit log broken at sequence {self.broken_at}: {self.kind} ({self.detail})",
            sequence=self.broken_at,
            kind=self.kind.value,
        )


def _broken(
    checked: int, last: tuple[int, bytes], at: int, kind: BreakKind, detail: str
) -> VerifyResult:
    return VerifyResult(False, checked, last[0], last[1], at, kind, detail)


def verify_chain(
    rows: Iterable[ChainRow], *, start_sequence: int = 1, start_hash: bytes = GENESIS
) -> VerifyResult:
    """Check rows chained from ``start_hash``, numbered from ``start_sequence`` (default: the
    whole log from genesis; a checkpoint gives its ``sequence + 1`` and ``hash``).

    Linear and streaming while the chain holds; after a break it reads the rest of ``rows``
    to say what kind of break it is.
    """
    it: Iterator[ChainRow] = iter(rows)
    expected = start_sequence
    prev = start_hash
    prev2: bytes | None = None  # the hash before ``prev`` (to spot a row the chain skips)
    checked = 0
    sha256 = hashlib.sha256
    for row in it:
        if (
            row.sequence == expected
            and row.prev_hash == prev
            and sha256(prev + row.canonical).digest() == row.hash
        ):
            prev2, prev = prev, row.hash
            expected += 1
            checked += 1
            continue
        rest = list(it)
        kind, at, detail = _classify(row, rest, expected, prev, prev2)
        return _broken(checked, (expected - 1, prev), at, kind, detail)
    return VerifyResult(True, checked, expected - 1, prev)


def _classify(
    row: ChainRow, rest: list[ChainRow], expected: int, prev: bytes, prev2: bytes | None
) -> tuple[BreakKind, int, str]:
    if row.sequence > expected:
        if any(r.sequence == expected for r in rest):
            return BreakKind.REORDERED, expected, f"sequence {expected} comes later"
        return BreakKind.DELETED, expected, f"sequence jumps to {row.sequence}"
    if row.sequence < expected:
        return BreakKind.REORDERED, expected, f"sequence {row.sequence} out of order"
    following = rest[0] if rest else None
    later = {r.hash for r in rest}
    content_ok = link_hash(row.prev_hash, row.canonical) == row.hash
    if row.prev_hash == prev:  # the link holds: the row's own content changed...
        if following is not None and following.prev_hash == prev and not content_ok:
            return BreakKind.INSERTED, expected, "the next row links over this one"
        return BreakKind.ALTERED, expected, "content does not match its hash"
    if row.prev_hash in later:
        return BreakKind.REORDERED, expected, "links to a row stored after it"
    if following is not None and following.prev_hash == prev:
        return BreakKind.INSERTED, expected, "the next row links over this one"
    if prev2 is not None and row.prev_hash == prev2:
        return BreakKind.INSERTED, expected - 1, "the chain skips the row before"
    if content_ok:
        return BreakKind.INSERTED, expected, "a self-consistent row linked to no row of the log"
    return BreakKind.ALTERED, expected, "link and content do not match"

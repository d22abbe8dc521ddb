"""The audit log in the database (R-LOG-02): appends under a lock, reads, verification.

:class:`AuditLog` numbers events 1, 2, 3... without gaps and chains each to the one before
(:mod:`.chain`). Appends are safe from several processes at once: on SQLite each append runs in
``BEGIN IMMEDIATE`` (the database's single write lock is taken before the head is read); on
PostgreSQL it takes ``pg_advisory_xact_lock`` for the log, released at commit, before reading
the head. Rows are never updated or deleted by PIU Lab; on PostgreSQL a trigger refuses it.

Reading the log is for the DPO and the supervisory bodies only (R-LOG-03): that rule is
enforced by ``piu_lab.access`` and the facade, not here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from json.scanner import make_scanner
from typing import Any, Protocol

from sqlalchemy import Connection, String, func, select, text, type_coerce

from piu_lab.audit.chain import GENESIS, BreakKind, ChainRow, VerifyResult, link_hash, verify_chain
from piu_lab.audit.events import AuditAction, AuditDraft, AuditEvent, Decision
from piu_lab.clock import Clock, ensure_utc
from piu_lab.errors import AuditError
from piu_lab.store import Store
from piu_lab.store.engine import translating
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema import audit_event

__all__ = ["ADVISORY_LOCK_KEY", "Anchor", "AuditLog", "StoredEvent"]

#: The PostgreSQL advisory lock that serialises appends ("PIULOG" in ASCII).
ADVISORY_LOCK_KEY = 0x5049554C4F47
_READ_BATCH = 5_000
_COLUMNS = (
    audit_event.c.sequence,
    audit_event.c.at,
    audit_event.c.actor,
    audit_event.c.action,
    audit_event.c.purpose,
    audit_event.c.request_id,
    audit_event.c.objects,
    audit_event.c.record_count,
    audit_event.c.decision,
    audit_event.c.rule_id,
    audit_event.c.detail,
    audit_event.c.prev_hash,
    audit_event.c.hash,
)


class Anchor(Protocol):
    """Anything that names a point of the chain (a :class:`~.checkpoint.Checkpoint`)."""

    @property
    def sequence(self) -> int: ...

    @property
    def hash(self) -> bytes: ...


class StoredEvent:
    """An event as stored, with its two hashes (what :meth:`AuditLog.read` returns)."""

    __slots__ = ("event", "hash", "prev_hash")

    def __init__(self, event: AuditEvent, prev_hash: bytes, hash: bytes) -> None:
        self.event = event
        self.prev_hash = prev_hash
        self.hash = hash

    def __repr__(self) -> str:
        return f"StoredEvent(sequence={self.event.sequence}, hash={self.hash.hex()[:12]}...)"


_DUMPS = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode
_LOADS = json.loads
#: The C JSON scanner: one value from a position, without ``loads``' whitespace handling.
#: (typeshed types ``make_scanner``'s argument as the class itself, hence the ignore.)
_SCAN: Callable[[str, int], tuple[Any, int]] = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
#: How SQLAlchemy stores a DateTime in SQLite (verification reads the text as it is).
_SQLITE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
_STR: Callable[[str], str] = json.encoder.encode_basestring


def _row_values(event: AuditEvent, prev_hash: bytes, digest: bytes) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "at": naive_utc(event.at),
        "actor": event.actor,
        "action": event.action.value,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "objects": _DUMPS(list(event.objects)),
        "record_count": event.record_count,
        "decision": event.decision.value,
        "rule_id": event.rule_id,
        "detail": _DUMPS(dict(event.detail)),
        "prev_hash": digest_hex(prev_hash),
        "hash": digest_hex(digest),
    }


def digest_hex(digest: bytes) -> str:
    return digest.hex()


def _json_text(value: object) -> str:
    """A string or None as canonical JSON (another type: the row was changed by hand)."""
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError("not a string column")
    return _STR(value)


def _json_time(value: object) -> str:
    """A stored time as in the canonical bytes: a naive UTC datetime (PostgreSQL) or the text
    SQLite holds, which must be exactly SQLAlchemy's format."""
    if type(value) is str:
        if not _SQLITE_TIME.fullmatch(value):
            raise ValueError("not a stored time")
        return f"{value[:10]}T{value[11:]}Z"
    if type(value) is datetime and value.tzinfo is None:
        return f"{value.isoformat(timespec='microseconds')}Z"
    raise TypeError("not a time column")


def _json_int(value: object) -> str:
    if type(value) is not int:
        raise TypeError("not an integer column")
    return str(value)


def _json_value(raw: object) -> str:
    """A stored JSON column as it goes into the canonical bytes: verbatim, once it is known
    to be exactly one JSON value with nothing around it (so no content can slide from one
    column into the next and still hash the same)."""
    if type(raw) is not str:
        raise TypeError("not a JSON column")
    try:
        _, end = _SCAN(raw, 0)
    except StopIteration:
        raise ValueError("not JSON") from None
    if end != len(raw):
        raise ValueError("more than one JSON value")
    return raw


def _canonical_of_row(row: Sequence[Any]) -> bytes:
    """The canonical bytes rebuilt from a stored row's columns, equal to
    :meth:`AuditEvent.canonical` of an untouched row (keys in sorted order, written out here
    for speed: verification reads every row). Returns b"" when a column is not even of its
    type, which then fails the hash check as ``altered``."""
    try:
        return (
            f'{{"action":{_json_text(row[3])},"actor":{_json_text(row[2])},'
            f'"at":"{_json_time(row[1])}","decision":{_json_text(row[8])},'
            f'"detail":{_json_value(row[10])},"objects":{_json_value(row[6])},'
            f'"purpose":{_json_text(row[4])},"record_count":{_json_int(row[7])},'
            f'"request_id":{_json_text(row[5])},"rule_id":{_json_text(row[9])},'
            f'"sequence":{_json_int(row[0])}}}'
        ).encode()
    except (ValueError, TypeError, AttributeError):
        return b""


def _hex(value: object) -> bytes:
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        return b""


class AuditLog:
    """The append-only, hash-chained audit log of one :class:`~piu_lab.store.Store`."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- writing ----------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        """A transaction holding the log's append lock (see the module docstring)."""
        raw_url = self.store._raw_url  # the unmasked URL, for the error translation
        with translating(raw_url, "append to the audit log"), self.store.engine.connect() as conn:
            if self.store.dialect == "sqlite":
                conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if self.store.dialect == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                    )
                yield conn

    @staticmethod
    def _head_in(conn: Connection) -> tuple[int, bytes]:
        row = conn.execute(
            select(audit_event.c.sequence, audit_event.c.hash)
            .order_by(audit_event.c.sequence.desc())
            .limit(1)
        ).first()
        if row is None:
            return 0, GENESIS
        return int(row[0]), _hex(row[1])

    def append(
        self,
        *,
        actor: str,
        action: AuditAction | str,
        objects: Sequence[str] = (),
        record_count: int = 0,
        decision: Decision | str = Decision.ALLOWED,
        purpose: str | None = None,
        request_id: str | None = None,
        rule_id: str | None = None,
        detail: Mapping[str, str | int] | None = None,
    ) -> AuditEvent:
        """Append one event (references and counts only) and return it, numbered and timed.

        Raises :class:`~piu_lab.errors.InvalidRecord` (nothing written) for a bad event.
        """
        draft = AuditDraft(
            actor=actor,
            action=action,
            objects=tuple(objects),
            record_count=record_count,
            decision=decision,
            purpose=purpose,
            request_id=request_id,
            rule_id=rule_id,
            detail=dict(detail or {}),
        )
        return self.append_many([draft])[0]

    def append_many(self, drafts: Sequence[AuditDraft]) -> list[AuditEvent]:
        """Append several events in one transaction (all or none), in order."""
        if not drafts:
            return []
        events: list[AuditEvent] = []
        rows: list[dict[str, Any]] = []
        with self._locked() as conn:
            sequence, prev = self._head_in(conn)
            moment = self.clock.now()
            for draft in drafts:
                sequence += 1
                event = draft.at(sequence, moment)
                digest = link_hash(prev, event.canonical())
                rows.append(_row_values(event, prev, digest))
                events.append(event)
                prev = digest
            conn.execute(audit_event.insert(), rows)
        return events

    # -- reading ----------------------------------------------------------------------------

    def head(self) -> tuple[int, bytes]:
        """The newest ``(sequence, hash)``; ``(0, GENESIS)`` for an empty log."""
        with self._connect("read the audit log head") as conn:
            return self._head_in(conn)

    def count(self) -> int:
        with self._connect("count the audit log") as conn:
            return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())

    @contextmanager
    def _connect(self, action: str) -> Iterator[Connection]:
        with translating(self.store._raw_url, action), self.store.engine.connect() as conn:
            yield conn

    def _raw_rows(
        self, from_seq: int, to_seq: int | None, *, time_as_text: bool = False
    ) -> Iterator[Sequence[Any]]:
        """Stored rows by sequence, fetched in batches (keyset pages: no long cursor).
        ``time_as_text``: SQLite's stored text for ``at``, not parsed (a verifier must not
        trip over a time changed by hand)."""
        columns: list[Any] = list(_COLUMNS)
        if time_as_text and self.store.dialect == "sqlite":
            columns[1] = type_coerce(audit_event.c.at, String()).label("at")
        start = from_seq
        while True:
            query = select(*columns).where(audit_event.c.sequence >= start)
            if to_seq is not None:
                query = query.where(audit_event.c.sequence <= to_seq)
            query = query.order_by(audit_event.c.sequence).limit(_READ_BATCH)
            with self._connect("read the audit log") as conn:
                batch = conn.execute(query).all()
            yield from batch
            if len(batch) < _READ_BATCH:
                return
            start = int(batch[-1][0]) + 1

    def read(self, from_seq: int = 1, to_seq: int | None = None) -> list[StoredEvent]:
        """Events ``from_seq..to_seq`` (inclusive; ``None``: to the end), by sequence.

        A row that no longer makes a valid event raises :class:`AuditError` (verify first).
        """
        out: list[StoredEvent] = []
        for row in self._raw_rows(from_seq, to_seq):
            try:
                event = AuditEvent(
                    sequence=int(row[0]),
                    at=ensure_utc(row[1]),
                    actor=row[2],
                    action=row[3],
                    purpose=row[4],
                    request_id=row[5],
                    objects=tuple(json.loads(row[6])),
                    record_count=row[7],
                    decision=row[8],
                    rule_id=row[9],
                    detail=json.loads(row[10]),
                )
            except (ValueError, TypeError) as exc:
                raise AuditError(
                    f"audit event {row[0]} cannot be read back ({type(exc).__name__})",
                    hint="run verify(): the log was probably changed outside PIU Lab",
                    sequence=int(row[0]),
                ) from exc
            out.append(StoredEvent(event, _hex(row[11]), _hex(row[12])))
        return out

    def chain_rows(self, from_seq: int = 1) -> Iterator[ChainRow]:
        """The stored rows as :class:`ChainRow` for :func:`verify_chain`, by sequence."""
        for row in self._raw_rows(from_seq, None, time_as_text=True):
            yield ChainRow(int(row[0]), _canonical_of_row(row), _hex(row[11]), _hex(row[12]))

    def verify(self, checkpoint: Anchor | None = None) -> VerifyResult:
        """Verify the chain (R-LOG-02): from genesis, or only after ``checkpoint`` (whose own
        row must still carry the checkpoint's hash). Never raises for a broken chain: see
        ``result.ok`` or call ``result.raise_if_broken()``."""
        if checkpoint is None:
            return verify_chain(self.chain_rows())
        rows = self.chain_rows(max(checkpoint.sequence, 1))
        if checkpoint.sequence >= 1:
            anchor = next(rows, None)
            if anchor is None or anchor.sequence != checkpoint.sequence:
                head = self.head()
                return VerifyResult(
                    ok=False,
                    checked=0,
                    last_sequence=head[0],
                    last_hash=head[1],
                    broken_at=min(checkpoint.sequence, head[0] + 1),
                    kind=BreakKind.TRUNCATED,
                    detail=f"the log ends before checkpoint {checkpoint.sequence}",
                )
            if anchor.hash != checkpoint.hash:
                return VerifyResult(
                    ok=False,
                    checked=0,
                    last_sequence=anchor.sequence,
                    last_hash=anchor.hash,
                    broken_at=checkpoint.sequence,
                    kind=BreakKind.REWRITTEN,
                    detail="the row at the checkpoint no longer has the checkpoint's hash",
                )
        return verify_chain(
            rows, start_sequence=checkpoint.sequence + 1, start_hash=checkpoint.hash
        )

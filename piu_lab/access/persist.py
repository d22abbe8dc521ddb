"""The staff register in the database: an append-only change history, replayed on load.

R-ACC-01..03, R-HR-01 (AR art. 4-7, 11-20, 23). The register's state is never stored: each
change of :class:`~piu_lab.access.register.StaffRegister` becomes one ``staff_change`` row
(sequence, date, actor code, kind, subject code, detail, JSON payload) and
:func:`load_register` rebuilds the register by replaying the rows in order through the
register's own operations, so every check of the decree runs again on load. Nothing is
updated in place (on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE).

:func:`save_change` appends a change the caller made on the register it loaded, and refuses it
unless replaying the stored history plus the change gives exactly the caller's register (a
change made on a stale register, or one the register did not produce, is not written).
:func:`record` does both under the append lock: load, apply an operation, append;
:func:`save_operations` does it for several operations in one transaction.

Appends are serialised like the audit log's: ``BEGIN IMMEDIATE`` on SQLite, an advisory
transaction lock on PostgreSQL. The payload holds staff data only, never passenger data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, text

from piu_lab.access.errors import RegisterError
from piu_lab.access.register import (
    Change,
    ChangeKind,
    Clearance,
    ClearanceLevel,
    EndReason,
    Grant,
    Member,
    Role,
    Secondment,
    Service,
    StaffRegister,
    Supervisor,
)
from piu_lab.store import Store
from piu_lab.store.engine import translating
from piu_lab.store.schema import staff_change

__all__ = [
    "ADVISORY_LOCK_KEY",
    "Operation",
    "apply_change",
    "change_payload",
    "count_changes",
    "load_register",
    "member_from_json",
    "member_to_json",
    "record",
    "replay",
    "save_change",
    "save_operations",
]

#: The PostgreSQL advisory lock that serialises appends ("PIUSTF" in ASCII).
ADVISORY_LOCK_KEY = 0x504955535446

Operation = Callable[[StaffRegister], tuple[StaffRegister, Change]]
"""An operation on the register, e.g. ``lambda r: r.extend_secondment(code, actor=a, on=d)``."""

_DUMPS = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


# -- members as JSON ---------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _need_day(value: object) -> date:
    parsed = _parse_day(value)
    if parsed is None:
        raise RegisterError("a stored staff change lacks a date", field=str(value))
    return parsed


def member_to_json(member: Member) -> dict[str, Any]:
    """The member as plain JSON values (identification code, name, role, clearance...)."""
    c, s, g = member.clearance, member.secondment, member.grant
    return {
        "code": member.code,
        "name": member.name,
        "role": member.role.value,
        "home_service": member.home_service.value,
        "clearance": None
        if c is None
        else {
            "level": c.level.name,
            "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(),
        },
        "secondment": None
        if s is None
        else {
            "service": s.service.value,
            "start": s.start.isoformat(),
            "extensions": s.extensions,
            "ended_on": _day(s.ended_on),
            "end_reason": None if s.end_reason is None else s.end_reason.value,
        },
        "grant": None
        if g is None
        else {
            "granted_by": g.granted_by,
            "granted_on": g.granted_on.isoformat(),
            "valid_until": g.valid_until.isoformat(),
            "revoked_on": _day(g.revoked_on),
            "dpo_notified_on": _day(g.dpo_notified_on),
            "supervisor_notified_on": _day(g.supervisor_notified_on),
        },
        "supervisor_body": None if member.supervisor_body is None else member.supervisor_body.value,
    }


def member_from_json(data: Mapping[str, Any]) -> Member:
    """The inverse of :func:`member_to_json`."""
    c, s, g = data.get("clearance"), data.get("secondment"), data.get("grant")
    body = data.get("supervisor_body")
    return Member(
        code=str(data["code"]),
        name=str(data["name"]),
        role=Role(data["role"]),
        home_service=Service(data["home_service"]),
        clearance=None
        if c is None
        else Clearance(
            level=ClearanceLevel[c["level"]],
            valid_from=_need_day(c["valid_from"]),
            valid_until=_need_day(c["valid_until"]),
        ),
        secondment=None
        if s is None
        else Secondment(
            service=Service(s["service"]),
            start=_need_day(s["start"]),
            extensions=int(s["extensions"]),
            ended_on=_parse_day(s.get("ended_on")),
            end_reason=None if s.get("end_reason") is None else EndReason(s["end_reason"]),
        ),
        grant=None
        if g is None
        else Grant(
            granted_by=str(g["granted_by"]),
            granted_on=_need_day(g["granted_on"]),
            valid_until=_need_day(g["valid_until"]),
            revoked_on=_parse_day(g.get("revoked_on")),
            dpo_notified_on=_parse_day(g.get("dpo_notified_on")),
            supervisor_notified_on=_parse_day(g.get("supervisor_notified_on")),
        ),
        supervisor_body=None if body is None else Supervisor(body),
    )


# -- changes: payload out, replay in ---------------------------------------------------------


def change_payload(change: Change, after: StaffRegister) -> dict[str, Any]:
    """What replaying ``change`` needs beyond the :class:`Change` itself, read from the
    register ``after`` the change (the added member, a grant's end, an end reason)."""
    kind = change.kind
    if kind is ChangeKind.ADD:
        return {"member": member_to_json(after.get(change.subject))}
    if kind is ChangeKind.END_SECONDMENT:
        ended = after.get(change.subject).secondment
        if ended is None or ended.end_reason is None or ended.ended_on is None:  # pragma: no cover
            raise RegisterError("the register has no end for this change", code=change.subject)
        return {"reason": ended.end_reason.value, "effective": ended.ended_on.isoformat()}
    if kind is ChangeKind.GRANT_ACCESS:
        grant = after.get(change.subject).grant
        if grant is None:  # pragma: no cover - grant_access always sets it
            raise RegisterError("the register has no grant for this change", code=change.subject)
        return {"valid_until": grant.valid_until.isoformat()}
    return {}


def apply_change(
    register: StaffRegister, change: Change, payload: Mapping[str, Any]
) -> StaffRegister:
    """Replay one stored change through the register's own checked operation."""
    kind, actor, on, code = change.kind, change.actor, change.on, change.subject
    new: StaffRegister
    if kind is ChangeKind.ADD:
        new, made = register.add(member_from_json(payload["member"]), actor=actor, on=on)
    elif kind is ChangeKind.EXTEND_SECONDMENT:
        new, made = register.extend_secondment(code, actor=actor, on=on)
    elif kind is ChangeKind.END_SECONDMENT:
        reason = EndReason(payload["reason"])
        effective = _parse_day(payload.get("effective"))
        new, made = register.end_secondment(
            code, actor=actor, on=on, reason=reason, effective=effective
        )
    elif kind is ChangeKind.GRANT_ACCESS:
        until = _need_day(payload["valid_until"])
        new, made = register.grant_access(code, granted_by=actor, on=on, valid_until=until)
    elif kind is ChangeKind.REVOKE_GRANT:
        new, made = register.revoke_grant(code, actor=actor, on=on)
    elif kind is ChangeKind.SUPERVISOR_NOTIFIED:
        new, made = register.notify_supervisor(code, actor=actor, on=on)
    else:
        new, made = register.update_code_list(Service(code), on, actor=actor)
    if made != change:
        raise RegisterError(
            "a stored staff change does not replay to itself",
            hint="the history was changed outside PIU Lab",
            kind=kind.value,
            subject=code,
        )
    return new


def replay(entries: Sequence[tuple[Change, Mapping[str, Any]]]) -> StaffRegister:
    """The register that ``entries`` (changes and payloads, oldest first) build from empty."""
    register = StaffRegister()
    for change, payload in entries:
        register = apply_change(register, change, payload)
    return register


def _same(a: StaffRegister, b: StaffRegister) -> bool:
    return (
        dict(a.members) == dict(b.members)
        and dict(a.code_lists) == dict(b.code_lists)
        and a.history == b.history
    )


# -- the database ------------------------------------------------------------------------------


@contextmanager
def _locked(store: Store, action: str) -> Iterator[Connection]:
    """A transaction holding the register's append lock."""
    raw_url = store._raw_url  # the unmasked URL, for the error translation
    with translating(raw_url, action), store.engine.connect() as conn:
        if store.dialect == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            yield conn


def _entries(conn: Connection) -> list[tuple[Change, dict[str, Any]]]:
    t = staff_change
    rows = conn.execute(
        select(t.c.at, t.c.actor, t.c.kind, t.c.subject, t.c.detail, t.c.payload).order_by(
            t.c.sequence
        )
    )
    return [
        (
            Change(ChangeKind(kind), str(actor), _need_day(at), str(subject), str(detail)),
            json.loads(payload),
        )
        for at, actor, kind, subject, detail, payload in rows
    ]


def _append(conn: Connection, made: Sequence[tuple[Change, StaffRegister]]) -> int:
    """Insert each change (with the register right after it) after the stored head; returns
    the last sequence number."""
    head = conn.execute(select(func.max(staff_change.c.sequence))).scalar_one_or_none()
    sequence = int(head or 0)
    rows = []
    for change, after in made:
        sequence += 1
        rows.append(
            {
                "sequence": sequence,
                "at": change.on,
                "actor": change.actor,
                "kind": change.kind.value,
                "subject": change.subject,
                "detail": change.detail,
                "payload": _DUMPS(change_payload(change, after)),
            }
        )
    if rows:
        conn.execute(staff_change.insert(), rows)
    return sequence


def _check_extends(stored: list[tuple[Change, dict[str, Any]]], after: StaffRegister) -> None:
    history = tuple(change for change, _ in stored)
    if after.history[: len(history)] != history:
        raise RegisterError(
            "the register changed since it was loaded",
            hint="load the register again and redo the change",
        )


def load_register(store: Store) -> StaffRegister:
    """The register rebuilt from its stored history (empty when nothing is stored)."""
    with translating(store._raw_url, "read the staff register"), store.engine.connect() as conn:
        return replay(_entries(conn))


def count_changes(store: Store) -> int:
    """How many changes the stored history holds."""
    with translating(store._raw_url, "count staff changes"), store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(staff_change)).scalar_one())


def save_change(store: Store, change: Change, after: StaffRegister) -> int:
    """Append ``change``, which produced the register ``after`` from the stored one.

    Refused (:class:`RegisterError`, nothing written) unless the stored history plus
    ``change`` replays to exactly ``after``. Returns the change's sequence number.
    """
    with _locked(store, "append to the staff register") as conn:
        stored = _entries(conn)
        _check_extends(stored, after)
        rebuilt = apply_change(replay(stored), change, change_payload(change, after))
        if not _same(rebuilt, after):
            raise RegisterError(
                "the change does not lead from the stored register to the given one",
                hint="load the register again and redo the change",
                kind=change.kind.value,
                subject=change.subject,
            )
        return _append(conn, ((change, after),))


def save_operations(
    store: Store, operations: Sequence[Operation], *, require_empty: bool = False
) -> StaffRegister:
    """Apply ``operations`` in order to the stored register and append their changes, all in
    one transaction under the append lock (all or nothing). With ``require_empty`` a register
    that already has a history is refused. Returns the new register."""
    with _locked(store, "change the staff register") as conn:
        stored = _entries(conn)
        if require_empty and stored:
            raise RegisterError(
                "the staff register is not empty", hint="nothing written", changes=len(stored)
            )
        register = replay(stored)
        made: list[tuple[Change, StaffRegister]] = []
        for operation in operations:
            register, change = operation(register)
            made.append((change, register))
        _append(conn, made)
        return register


def record(store: Store, operation: Operation) -> tuple[StaffRegister, Change]:
    """Load the register, apply ``operation`` and append its change, under the append lock."""
    with _locked(store, "change the staff register") as conn:
        register = replay(_entries(conn))
        after, change = operation(register)
        _append(conn, ((change, after),))
        return after, change

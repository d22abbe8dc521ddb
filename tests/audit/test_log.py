"""The audit log in the database (R-LOG-02), on SQLite and PostgreSQL: appends, reads,
verification, tampering by raw SQL, the PostgreSQL append-only trigger, concurrent appends."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from piu_lab.audit import AuditDraft, AuditEvent, AuditLog, BreakKind, event_hash
from piu_lab.clock import FrozenClock
from piu_lab.errors import AuditChainBroken, InvalidRecord
from piu_lab.store import Store, open_store
from tests.audit import workers

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def log(store: Store, clock: FrozenClock) -> AuditLog:
    return AuditLog(store, clock)


def fill(log: AuditLog, clock: FrozenClock, n: int) -> None:
    for i in range(1, n + 1):
        clock.advance(seconds=1)
        log.append(
            actor="PIU-0042",
            action="consult",
            purpose="case 2026/17",
            request_id=f"REQ-{i}",
            objects=(f"pnr:ZZ:L{i:05d}",),
            record_count=1,
            detail={"i": i},
        )


def tamper(store: Store, *statements: str) -> None:
    """Run raw SQL as someone with write access to the file or the table owner would (on
    PostgreSQL, past the append-only trigger, which only the owner can disable)."""
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        for statement in statements:
            conn.exec_driver_sql(statement)
        if store.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


def test_appends_are_numbered_timed_and_chained(log: AuditLog, clock: FrozenClock) -> None:
    first = log.append(actor="PIU-0042", action="collect", objects=("message:M1",), record_count=3)
    clock.advance(minutes=5)
    second = log.append(
        actor="PIU-0007",
        action="disclose",
        purpose="request of a competent authority",
        request_id="REQ-9",
        objects=("pnr:ZZ:ABC123", "pnr:ZZ:DEF456"),
        record_count=2,
        detail={"recipient": "BE-POLICE"},
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.at == START
    assert second.at == clock.now()
    stored = log.read()
    assert [s.event for s in stored] == [first, second]
    assert stored[0].prev_hash == bytes(32)
    assert stored[1].prev_hash == stored[0].hash == event_hash(bytes(32), first)
    assert stored[1].hash == event_hash(stored[0].hash, second)
    assert log.head() == (2, stored[1].hash)


def test_chain_is_valid_after_appends(log: AuditLog, clock: FrozenClock) -> None:
    assert log.verify().ok  # empty
    fill(log, clock, 30)
    result = log.verify()
    assert result.ok
    assert result.checked == 30
    assert log.count() == 30


def test_append_many_is_one_gapless_batch(log: AuditLog) -> None:
    drafts = [
        AuditDraft(actor="PIU-1", action="collect", objects=(f"message:M{i}",)) for i in range(5)
    ]
    events = log.append_many(drafts)
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert log.append(actor="PIU-1", action="report").sequence == 6
    assert log.verify().ok
    assert log.append_many([]) == []


def test_an_invalid_event_writes_nothing(log: AuditLog) -> None:
    log.append(actor="PIU-1", action="collect")
    with pytest.raises(InvalidRecord):
        log.append_many(
            [
                AuditDraft(actor="PIU-1", action="collect"),
                AuditDraft(actor="PIU-1", action="consult"),
            ]
        )
    assert log.count() == 1
    assert log.append(actor="PIU-1", action="collect").sequence == 2


def test_read_a_range(log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 12)
    assert [s.event.sequence for s in log.read(4, 6)] == [4, 5, 6]
    assert [s.event.sequence for s in log.read(11)] == [11, 12]
    assert log.read(13) == []


# -- tampering by raw SQL (R-LOG-02 tamper test) -------------------------------------------------


def broken(log: AuditLog) -> tuple[int | None, BreakKind | None]:
    result = log.verify()
    assert not result.ok
    return result.broken_at, result.kind


def test_tamper_update_a_field(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 10)
    tamper(store, "UPDATE audit_event SET purpose = 'nothing to see' WHERE sequence = 5")
    assert broken(log) == (5, BreakKind.ALTERED)
    with pytest.raises(AuditChainBroken) as caught:
        log.verify().raise_if_broken()
    assert (caught.value.sequence, caught.value.kind) == (5, "altered")


def test_tamper_update_the_time(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 10)
    tamper(store, "UPDATE audit_event SET record_count = 0 WHERE sequence = 9")
    assert broken(log) == (9, BreakKind.ALTERED)


def test_tamper_delete_a_row(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 10)
    tamper(store, "DELETE FROM audit_event WHERE sequence = 4")
    assert broken(log) == (4, BreakKind.DELETED)


def test_tamper_insert_a_forged_row(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    """The forger renumbers the rows after the slot and chains a valid-looking row into it."""
    fill(log, clock, 10)
    before = log.read(3, 3)[0]
    forged = AuditEvent(
        sequence=4,
        at=before.event.at,
        actor="PIU-0042",
        action="consult",
        purpose="case 2026/17",
        request_id="REQ-X",
        objects=("pnr:ZZ:L00099",),
        record_count=1,
        decision="allowed",
        rule_id=None,
        detail={},
    )
    digest = event_hash(before.hash, forged)
    tamper(
        store,
        "UPDATE audit_event SET sequence = -sequence - 1 WHERE sequence >= 4",
        "UPDATE audit_event SET sequence = -sequence WHERE sequence < 0",
        "INSERT INTO audit_event (sequence, at, actor, action, purpose, request_id, objects, "
        "record_count, decision, rule_id, detail, prev_hash, hash) VALUES (4, "
        f"'{before.event.at.replace(tzinfo=None).isoformat(sep=' ')}', 'PIU-0042', 'consult', "
        "'case 2026/17', 'REQ-X', '[\"pnr:ZZ:L00099\"]', 1, 'allowed', NULL, '{}', "
        f"'{before.hash.hex()}', '{digest.hex()}')",
    )
    assert log.read(4, 4)[0].event == forged  # the forged row reads back as a good event
    assert broken(log) == (4, BreakKind.INSERTED)


def test_tamper_swap_two_sequence_numbers(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 10)
    tamper(
        store,
        "UPDATE audit_event SET sequence = -1 WHERE sequence = 6",
        "UPDATE audit_event SET sequence = 6 WHERE sequence = 7",
        "UPDATE audit_event SET sequence = 7 WHERE sequence = -1",
    )
    assert broken(log) == (6, BreakKind.REORDERED)


def test_tamper_a_hash_column(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 6)
    tamper(store, f"UPDATE audit_event SET prev_hash = '{'ab' * 32}' WHERE sequence = 2")
    assert broken(log) == (2, BreakKind.ALTERED)


def test_tamper_unreadable_json(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    fill(log, clock, 6)
    tamper(store, "UPDATE audit_event SET detail = 'not json' WHERE sequence = 3")
    assert broken(log) == (3, BreakKind.ALTERED)


# -- PostgreSQL: the database itself refuses changes ------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET purpose = 'x' WHERE sequence = 1",
        "DELETE FROM audit_event WHERE sequence = 1",
        "TRUNCATE audit_event",
    ],
)
def test_postgresql_trigger_refuses_update_and_delete(
    db_url: str, clock: FrozenClock, statement: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite relies on the chain)")
    with open_store(db_url) as store:
        log = AuditLog(store, clock)
        fill(log, clock, 3)
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
        assert log.count() == 3
        assert log.verify().ok


# -- several processes at once -----------------------------------------------------------------

WORKERS = 4
PER_WORKER = 500  # the issue asks 4 processes x 500 appends


@pytest.fixture
def spawned() -> multiprocessing.context.SpawnContext:
    return multiprocessing.get_context("spawn")


def test_concurrent_appends_from_four_processes_stay_gapless(
    db_url: str, spawned: multiprocessing.context.SpawnContext, clock: FrozenClock
) -> None:
    with open_store(db_url):
        pass  # create the schema once, before the workers open it
    with spawned.Pool(WORKERS) as pool:
        done = pool.starmap(
            workers.append_many_times, [(db_url, w, PER_WORKER) for w in range(WORKERS)]
        )
    assert done == [PER_WORKER] * WORKERS
    with open_store(db_url) as store:
        log = AuditLog(store, clock)
        result = log.verify()
        assert result.ok, result
        assert result.checked == WORKERS * PER_WORKER
        events = [s.event for s in log.read()]
    assert [e.sequence for e in events] == list(range(1, WORKERS * PER_WORKER + 1))
    per_actor = {f"W{w}": 0 for w in range(WORKERS)}
    for e in events:
        per_actor[e.actor] += 1
    assert set(per_actor.values()) == {PER_WORKER}


def test_tamper_the_time_with_garbage(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    """A time no datetime parser accepts is reported, not crashed on (SQLite stores text)."""
    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL refuses a non-timestamp value itself")
    fill(log, clock, 5)
    tamper(store, "UPDATE audit_event SET at = 'yesterday' WHERE sequence = 2")
    assert broken(log) == (2, BreakKind.ALTERED)


def test_tamper_a_number_into_text(store: Store, log: AuditLog, clock: FrozenClock) -> None:
    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL keeps column types")
    fill(log, clock, 5)
    tamper(store, "UPDATE audit_event SET record_count = '1,\"x\":2' WHERE sequence = 4")
    assert broken(log) == (4, BreakKind.ALTERED)


def test_tamper_moves_text_between_json_columns(
    store: Store, log: AuditLog, clock: FrozenClock
) -> None:
    """Sliding text from ``detail`` into ``objects`` keeps the concatenation but not the row."""
    log.append(actor="PIU-1", action="collect", objects=("message:M1",), detail={"a": 1, "b": 2})
    log.append(actor="PIU-1", action="collect")
    tamper(
        store,
        """UPDATE audit_event SET detail = '{"a":1', objects = '"b":2},"objects":["message:M1"]'"""
        " WHERE sequence = 1",
    )
    assert broken(log) == (1, BreakKind.ALTERED)


def test_non_ascii_purpose_round_trips_and_verifies(log: AuditLog) -> None:
    event = log.append(actor="PIU-1", action="consult", purpose="enquête n° 17 — Bruxelles")
    assert log.read()[0].event == event
    assert log.verify().ok

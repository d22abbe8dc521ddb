"""The staff register stored as its append-only change history (piu_lab/access/persist.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from piu_lab.access.persist import (
    load_register,
    member_from_json,
    member_to_json,
    record,
    save_change,
    save_operations,
)
from piu_lab.access.register import Change, ChangeKind, EndReason, StaffRegister, add_months
from piu_lab.access.seed import HEAD_CODE, demo_operations, demo_register
from piu_lab.errors import RegisterError
from piu_lab.store import Store
from piu_lab.store.schema import staff_change

TODAY = date(2026, 11, 24)


def _same(a: StaffRegister, b: StaffRegister) -> None:
    assert dict(a.members) == dict(b.members)
    assert dict(a.code_lists) == dict(b.code_lists)
    assert a.history == b.history


def test_an_empty_store_gives_an_empty_register(store: Store) -> None:
    assert load_register(store) == StaffRegister()


def test_the_register_is_rebuilt_from_its_history(store: Store) -> None:
    written = save_operations(store, demo_operations(TODAY))
    _same(written, demo_register(TODAY))
    _same(load_register(store), written)


def test_save_change_appends_one_row_per_change(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    register = load_register(store)
    seconded = next(c for c, m in register.members.items() if m.secondment is not None)
    after, change = register.end_secondment(
        seconded, actor=HEAD_CODE, on=TODAY, reason=EndReason.MEMBER_REQUEST
    )
    sequence = save_change(store, change, after)
    assert sequence == len(after.history)
    reloaded = load_register(store)
    _same(reloaded, after)
    ended = reloaded.get(seconded).secondment
    assert ended is not None
    assert ended.end_reason is EndReason.MEMBER_REQUEST
    assert ended.ended_on == add_months(TODAY, 3)  # AR art. 20 §1: three months' notice
    with store.engine.connect() as conn:
        rows = conn.execute(select(staff_change).order_by(staff_change.c.sequence)).all()
    assert [r.sequence for r in rows] == list(range(1, len(after.history) + 1))
    assert rows[-1].kind == "end_secondment"
    assert rows[-1].subject == seconded


def test_a_change_made_on_a_stale_register_is_refused(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    stale = load_register(store)
    seconded = sorted(c for c, m in stale.members.items() if m.secondment is not None)
    first, change = stale.end_secondment(
        seconded[0], actor=HEAD_CODE, on=TODAY, reason=EndReason.BREACH
    )
    save_change(store, change, first)
    second, change2 = stale.end_secondment(
        seconded[1], actor=HEAD_CODE, on=TODAY, reason=EndReason.BREACH
    )
    with pytest.raises(RegisterError, match="changed since it was loaded"):
        save_change(store, change2, second)
    assert len(load_register(store).history) == len(first.history)


def test_a_change_the_register_did_not_make_is_refused(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    register = load_register(store)
    seconded = next(c for c, m in register.members.items() if m.secondment is not None)
    after, change = register.end_secondment(
        seconded, actor=HEAD_CODE, on=TODAY, reason=EndReason.BREACH
    )
    forged = replace(change, actor="SOMEONE")
    with pytest.raises(RegisterError):
        save_change(store, forged, after)
    assert len(load_register(store).history) == len(register.history)


def test_record_applies_under_the_lock_and_refusals_write_nothing(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    before = len(load_register(store).history)

    def deputy_grants(register: StaffRegister) -> tuple[StaffRegister, Change]:
        return register.grant_access("LP-9021", granted_by="PIU-D01", on=TODAY, valid_until=TODAY)

    with pytest.raises(RegisterError, match="head of unit"):
        record(store, deputy_grants)
    assert len(load_register(store).history) == before
    after, change = record(
        store, lambda r: r.revoke_grant("LP-9021", actor=HEAD_CODE, on=TODAY + timedelta(1))
    )
    assert change.kind is ChangeKind.REVOKE_GRANT
    _same(load_register(store), after)


def test_seeding_twice_is_refused_when_the_register_must_be_empty(store: Store) -> None:
    save_operations(store, demo_operations(TODAY), require_empty=True)
    with pytest.raises(RegisterError, match="not empty"):
        save_operations(store, demo_operations(TODAY), require_empty=True)


def test_a_history_edited_by_hand_does_not_load(store: Store) -> None:
    if store.dialect == "postgresql":
        pytest.skip("PostgreSQL refuses the edit itself (see the trigger test)")
    save_operations(store, demo_operations(TODAY))
    with store.engine.begin() as conn:
        conn.execute(delete(staff_change).where(staff_change.c.sequence == 1))  # the head's add
    with pytest.raises(RegisterError):
        load_register(store)


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete(db_url: str, store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("a trigger on PostgreSQL only")
    save_operations(store, demo_operations(TODAY))
    for statement in (
        update(staff_change).values(actor="X"),
        delete(staff_change),
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(statement)
    assert len(load_register(store).history) == len(demo_register(TODAY).history)


def test_members_round_trip_through_json() -> None:
    for member in demo_register(TODAY).members.values():
        assert member_from_json(member_to_json(member)) == member


def test_the_payload_holds_no_passenger_fields(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    with store.engine.connect() as conn:
        payloads = conn.execute(select(staff_change.c.payload)).scalars().all()
    text = " ".join(payloads).lower()
    for word in ("pnr", "passenger", "document", "payment", "seat"):
        assert word not in text


def test_the_demo_history_uses_most_kinds(store: Store) -> None:
    save_operations(store, demo_operations(TODAY))
    kinds = set(_kinds(store))
    assert {k.value for k in ChangeKind} - kinds == {"end_secondment", "revoke_grant"}


def _kinds(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(staff_change.c.kind)).scalars())

"""The staff register (R-ACC-01..03, R-HR-01) with a frozen clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from piu_lab.access.errors import RegisterError
from piu_lab.access.register import (
    ChangeKind,
    Clearance,
    ClearanceLevel,
    EndReason,
    Member,
    Role,
    Secondment,
    Service,
    StaffRegister,
    Supervisor,
    add_years,
    code_list_overdue,
    is_active,
)
from piu_lab.clock import FrozenClock
from tests.access.helpers import HEAD_CODE, MEMBERS, TS, S

START = date(2025, 1, 1)


def today(clock: FrozenClock) -> date:
    return clock.now().date()


def staffed(on: date = START) -> StaffRegister:
    reg = StaffRegister()
    for role in (Role.HEAD_OF_UNIT, Role.DPO, Role.SECONDED_MEMBER):
        reg, _ = reg.add(MEMBERS[role], actor=HEAD_CODE, on=on)
    return reg


def grantee(service: Service = Service.CUSTOMS, clearance: Clearance | None = S) -> Member:
    return Member("G-1", "Grantee", Role.GRANTEE, clearance, service)


# --- R-ACC-02: clearance by role -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.HEAD_OF_UNIT, Role.DEPUTY, Role.DPO])
def test_top_roles_need_tres_secret(role: Role) -> None:
    m = replace(MEMBERS[role], clearance=S)
    with pytest.raises(RegisterError, match="TRES_SECRET"):
        StaffRegister().add(m, actor=HEAD_CODE, on=START)
    StaffRegister().add(replace(m, clearance=TS), actor=HEAD_CODE, on=START)


@pytest.mark.parametrize("role", [Role.SUPPORT_STAFF, Role.SECONDED_MEMBER, Role.GRANTEE])
def test_other_staff_need_at_least_secret(role: Role) -> None:
    m = replace(MEMBERS[role], clearance=None, grant=None)
    with pytest.raises(RegisterError, match="SECRET") as err:
        StaffRegister().add(m, actor=HEAD_CODE, on=START)
    assert err.value.context["role"] == role.value


def test_clearance_must_be_valid_when_added() -> None:
    expired = Clearance(ClearanceLevel.SECRET, date(2020, 1, 1), date(2024, 12, 31))
    with pytest.raises(RegisterError):
        StaffRegister().add(
            replace(MEMBERS[Role.SUPPORT_STAFF], clearance=expired), actor="H", on=START
        )


def test_clearance_expiry_ends_access_by_itself() -> None:
    clock = FrozenClock(datetime(2026, 12, 31, 12, tzinfo=UTC))
    clearance = Clearance(ClearanceLevel.SECRET, START, date(2026, 12, 31))
    m = replace(MEMBERS[Role.SECONDED_MEMBER], clearance=clearance)
    assert is_active(m, today(clock)) == (True, "active")
    clock.advance(days=1)
    active, reason = is_active(m, today(clock))
    assert not active
    assert "clearance lapsed" in reason


def test_clearance_below_role_minimum_is_inactive() -> None:
    m = replace(MEMBERS[Role.DPO], clearance=S)
    assert is_active(m, date(2026, 1, 1))[0] is False


def test_supervisor_needs_no_clearance_but_a_body() -> None:
    sup = MEMBERS[Role.SUPERVISOR]
    assert is_active(sup, START)[0]
    assert not is_active(replace(sup, supervisor_body=None), START)[0]
    with pytest.raises(RegisterError):
        StaffRegister().add(replace(sup, supervisor_body=None), actor="H", on=START)
    reg, _ = StaffRegister().add(replace(sup, supervisor_body=Supervisor.APD), actor="H", on=START)
    assert reg.get(sup.code).supervisor_body is Supervisor.APD


# --- R-HR-01: secondment term ------------------------------------------------------------------


def test_secondment_ends_after_three_years() -> None:
    clock = FrozenClock(datetime(2027, 12, 31, tzinfo=UTC))
    m = MEMBERS[Role.SECONDED_MEMBER]
    assert m.secondment is not None
    assert m.secondment.end_date == date(2028, 1, 1)
    assert is_active(m, today(clock))[0]
    clock.advance(days=1)
    active, reason = is_active(m, today(clock))
    assert not active
    assert "term ended" in reason


def test_three_extensions_then_refused() -> None:
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    reg = staffed()
    code = MEMBERS[Role.SECONDED_MEMBER].code
    for expected_end in (date(2029, 1, 1), date(2030, 1, 1), date(2031, 1, 1)):
        reg, change = reg.extend_secondment(code, actor=HEAD_CODE, on=today(clock))
        assert change.kind is ChangeKind.EXTEND_SECONDMENT
        secondment = reg.get(code).secondment
        assert secondment is not None
        assert secondment.end_date == expected_end
    with pytest.raises(RegisterError, match="at most 3 times") as err:
        reg.extend_secondment(code, actor=HEAD_CODE, on=today(clock))
    assert err.value.context["extensions"] == 3
    clock.set(datetime(2030, 12, 31, tzinfo=UTC))
    assert is_active(reg.get(code), today(clock))[0]
    clock.advance(days=1)  # six years after the start
    assert not is_active(reg.get(code), today(clock))[0]


def test_secondment_rejects_four_extensions_at_construction() -> None:
    with pytest.raises(RegisterError):
        Secondment(Service.CUSTOMS, START, extensions=4)


def test_end_secondment_is_immediate_and_recorded() -> None:
    reg = staffed()
    code = MEMBERS[Role.SECONDED_MEMBER].code
    new, change = reg.end_secondment(
        code, actor=HEAD_CODE, on=date(2026, 3, 1), reason=EndReason.CLEARANCE_LOST
    )
    assert is_active(reg.get(code), date(2026, 3, 1))[0]  # the old register is unchanged
    active, reason = is_active(new.get(code), date(2026, 3, 1))
    assert not active
    assert "clearance_lost" in reason
    assert new.history[-1] == change
    assert change.actor == HEAD_CODE
    assert len(new.history) == len(reg.history) + 1
    with pytest.raises(RegisterError):
        new.extend_secondment(code, actor=HEAD_CODE, on=date(2026, 3, 2))
    with pytest.raises(RegisterError):
        new.end_secondment(code, actor=HEAD_CODE, on=date(2026, 3, 2), reason=EndReason.BREACH)


@pytest.mark.parametrize("reason", [EndReason.HOME_SERVICE_DECISION, EndReason.MEMBER_REQUEST])
def test_a_requested_end_runs_three_months_notice(reason: EndReason) -> None:
    """AR art. 20 §1 (R-HR-01): asked by the home service or the member, the secondment ends
    three months after the notice; access lasts until then (frozen clock)."""
    reg = staffed()
    code = MEMBERS[Role.SECONDED_MEMBER].code
    clock = FrozenClock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    with pytest.raises(RegisterError, match="three months"):
        reg.end_secondment(code, actor=HEAD_CODE, on=today(clock), reason=reason,
                           effective=date(2026, 5, 31))  # fmt: skip
    new, change = reg.end_secondment(code, actor=HEAD_CODE, on=today(clock), reason=reason)
    assert change.detail == f"{reason.value}; ends 2026-06-01"
    clock.set(datetime(2026, 5, 31, 23, tzinfo=UTC))
    assert is_active(new.get(code), today(clock))[0]
    clock.set(datetime(2026, 6, 1, 0, tzinfo=UTC))
    active, why = is_active(new.get(code), today(clock))
    assert not active
    assert "2026-06-01" in why
    later, _ = reg.end_secondment(code, actor=HEAD_CODE, on=date(2026, 3, 1), reason=reason,
                                  effective=date(2026, 9, 30))  # fmt: skip
    assert later.get(code).secondment.ended_on == date(2026, 9, 30)  # type: ignore[union-attr]
    with pytest.raises(RegisterError, match="on the day"):
        reg.end_secondment(code, actor=HEAD_CODE, on=date(2026, 3, 1),
                           reason=EndReason.BREACH, effective=date(2026, 4, 1))  # fmt: skip


def test_add_years_on_29_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_duplicate_code_refused() -> None:
    reg = staffed()
    with pytest.raises(RegisterError, match="already in use"):
        reg.add(MEMBERS[Role.HEAD_OF_UNIT], actor=HEAD_CODE, on=START)


# --- R-ACC-01: grants -------------------------------------------------------------------------


def test_grant_by_head_notifies_dpo() -> None:
    on = date(2026, 2, 1)
    reg, _ = staffed().add(grantee(), actor=HEAD_CODE, on=on)
    assert not is_active(reg.get("G-1"), on)[0]  # no grant yet
    reg, change = reg.grant_access("G-1", granted_by=HEAD_CODE, on=on, valid_until=date(2026, 8, 1))
    grant = reg.get("G-1").grant
    assert grant is not None
    assert grant.dpo_notified_on == on
    assert "DPO notified" in change.detail
    assert is_active(reg.get("G-1"), on) == (True, "active")
    dpo = MEMBERS[Role.DPO].code
    reg, change = reg.notify_supervisor("G-1", actor=dpo, on=date(2026, 2, 2))
    grant = reg.get("G-1").grant
    assert grant is not None
    assert grant.supervisor_notified_on == date(2026, 2, 2)
    assert not is_active(reg.get("G-1"), date(2026, 8, 2))[0]  # expired


def test_grant_not_by_head_refused() -> None:
    reg, _ = staffed().add(grantee(), actor=HEAD_CODE, on=START)
    with pytest.raises(RegisterError, match="head of unit"):
        reg.grant_access(
            "G-1", granted_by=MEMBERS[Role.DPO].code, on=START, valid_until=date(2026, 1, 1)
        )
    with pytest.raises(RegisterError, match="only the DPO"):
        reg.notify_supervisor("G-1", actor=HEAD_CODE, on=START)


def test_grantee_outside_competent_service_refused() -> None:
    with pytest.raises(RegisterError, match="competent service"):
        staffed().add(grantee(Service.OTHER), actor=HEAD_CODE, on=START)


def test_revoke_grant_ends_access() -> None:
    on = date(2026, 2, 1)
    reg, _ = staffed().add(grantee(), actor=HEAD_CODE, on=on)
    reg, _ = reg.grant_access("G-1", granted_by=HEAD_CODE, on=on, valid_until=date(2026, 12, 31))
    reg, change = reg.revoke_grant("G-1", actor=HEAD_CODE, on=date(2026, 3, 1))
    assert change.kind is ChangeKind.REVOKE_GRANT
    active, reason = is_active(reg.get("G-1"), date(2026, 3, 1))
    assert not active
    assert "revoked" in reason
    with pytest.raises(RegisterError):
        reg.revoke_grant("G-1", actor=HEAD_CODE, on=date(2026, 3, 2))


# --- R-ACC-03: yearly code list -----------------------------------------------------------


def test_code_list_overdue_after_365_days() -> None:
    clock = FrozenClock(datetime(2026, 1, 10, tzinfo=UTC))
    reg = StaffRegister()
    assert code_list_overdue(reg, Service.CUSTOMS, today(clock))  # never sent
    reg, change = reg.update_code_list(Service.CUSTOMS, today(clock), actor="P001")
    assert change.kind is ChangeKind.CODE_LIST_UPDATED
    clock.advance(days=365)
    assert not reg.code_list_overdue(Service.CUSTOMS, today(clock))
    clock.advance(days=1)
    assert reg.code_list_overdue(Service.CUSTOMS, today(clock))
    reg, _ = reg.update_code_list(Service.CUSTOMS, today(clock), actor="P001")
    assert not reg.code_list_overdue(Service.CUSTOMS, today(clock))
    assert [c.kind for c in reg.history] == [ChangeKind.CODE_LIST_UPDATED] * 2


def test_code_list_only_for_competent_services() -> None:
    with pytest.raises(RegisterError):
        StaffRegister().update_code_list(Service.PIU, START, actor="P001")


def test_unknown_code() -> None:
    with pytest.raises(RegisterError, match="no member"):
        StaffRegister().get("nobody")

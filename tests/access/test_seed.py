"""The synthetic demo register (piu_lab/access/seed.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from piu_lab.access.register import (
    ClearanceLevel,
    Role,
    Service,
    Supervisor,
    code_list_overdue,
    is_active,
)
from piu_lab.access.seed import HEAD_CODE, LAPSED_CODE, demo_register

TODAY = date(2026, 11, 24)


def test_counts_per_role() -> None:
    register = demo_register(TODAY)
    roles = Counter(m.role for m in register.members.values())
    assert roles == {
        Role.HEAD_OF_UNIT: 1,
        Role.DEPUTY: 2,
        Role.DPO: 1,
        Role.SUPPORT_STAFF: 3,
        Role.SECONDED_MEMBER: 5,  # four active (one per service) and the lapsed one
        Role.GRANTEE: 1,
        Role.SUPERVISOR: 3,
    }


@pytest.mark.parametrize("today", [TODAY, date(2028, 2, 29), date(2031, 1, 1)])
def test_only_the_lapsed_member_is_inactive(today: date) -> None:
    register = demo_register(today)
    inactive = {c for c, m in register.members.items() if not is_active(m, today)[0]}
    assert inactive == {LAPSED_CODE}
    assert "clearance lapsed" in is_active(register.get(LAPSED_CODE), today)[1]


def test_clearances_services_and_bodies() -> None:
    members = demo_register(TODAY).members.values()
    for m in members:
        if m.role in {Role.HEAD_OF_UNIT, Role.DEPUTY, Role.DPO}:
            assert m.clearance is not None
            assert m.clearance.level is ClearanceLevel.TRES_SECRET
        elif m.role is not Role.SUPERVISOR:
            assert m.clearance is not None
            assert m.clearance.level is ClearanceLevel.SECRET
    active_seconded = {
        m.secondment.service for m in members if m.secondment is not None and is_active(m, TODAY)[0]
    }
    assert active_seconded == {
        Service.FEDERAL_POLICE,
        Service.STATE_SECURITY,
        Service.MILITARY_INTELLIGENCE,
        Service.CUSTOMS,
    }
    extensions = sorted(m.secondment.extensions for m in members if m.secondment is not None)
    assert extensions == [0, 0, 0, 1, 2]
    assert {m.supervisor_body for m in members if m.role is Role.SUPERVISOR} == set(Supervisor)


def test_grant_by_the_head_with_the_dpo_notified() -> None:
    register = demo_register(TODAY)
    (grantee,) = [m for m in register.members.values() if m.role is Role.GRANTEE]
    assert grantee.grant is not None
    assert grantee.grant.granted_by == HEAD_CODE
    assert grantee.grant.dpo_notified_on == grantee.grant.granted_on
    assert grantee.grant.supervisor_notified_on is not None


def test_history_is_chronological_and_code_lists_are_current() -> None:
    register = demo_register(TODAY)
    days = [c.on for c in register.history]
    assert days == sorted(days)
    assert all(day <= TODAY for day in days)
    assert not code_list_overdue(register, Service.CUSTOMS, TODAY)


def test_names_are_synthetic_and_unique() -> None:
    members = demo_register(TODAY).members.values()
    assert len({m.name for m in members}) == len(members)

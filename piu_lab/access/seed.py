"""A realistic, synthetic staff register for demonstrations and tests (names are invented).

:func:`demo_operations` lists the register's history as operations, oldest first, relative to
``today``; :func:`demo_register` applies them. The register holds a head of unit and two
deputies (TRES SECRET), a DPO (TRES SECRET), three support staff (SECRET), four seconded members
from the federal police, State Security, military intelligence and customs (SECRET; secondments
with 0, 1, 2 and 0 extensions), a fifth seconded member whose clearance has lapsed (inactive),
one art. 5 §2 grantee granted by the head (DPO notified, APD informed), and one supervisor per
body (APD, COC, Standing Committee I). Every member but the lapsed one is active on ``today``.
"""

from __future__ import annotations

from datetime import date, timedelta

from piu_lab.access.persist import Operation
from piu_lab.access.register import (
    Clearance,
    ClearanceLevel,
    Member,
    Role,
    Secondment,
    Service,
    StaffRegister,
    Supervisor,
    add_years,
)

__all__ = ["HEAD_CODE", "LAPSED_CODE", "SETUP_ACTOR", "demo_operations", "demo_register"]

HEAD_CODE = "PIU-H01"
DPO_CODE = "PIU-DPO1"
LAPSED_CODE = "FP-0417"
SETUP_ACTOR = "SETUP"
"""The explicit actor of the head of unit's own registration (nobody is inferred)."""

_TS = ClearanceLevel.TRES_SECRET
_S = ClearanceLevel.SECRET


def demo_operations(today: date) -> list[Operation]:
    """The demo register's history as operations, oldest first."""
    founded = add_years(today, -6)
    clearance_until = add_years(today, 3)
    steps: list[tuple[date, Operation]] = []

    def clearance(level: ClearanceLevel, until: date = clearance_until) -> Clearance:
        return Clearance(level, founded, until)

    def add(member: Member, on: date, actor: str = HEAD_CODE) -> None:
        steps.append((on, lambda r: r.add(member, actor=actor, on=on)))

    def extend(code: str, on: date) -> None:
        steps.append((on, lambda r: r.extend_secondment(code, actor=HEAD_CODE, on=on)))

    piu = Service.PIU
    head = Member(HEAD_CODE, "Ariane Vermeulen", Role.HEAD_OF_UNIT, clearance(_TS), piu)
    add(head, founded, SETUP_ACTOR)
    add(Member("PIU-D01", "Bruno Lambrechts", Role.DEPUTY, clearance(_TS), piu), founded)
    add(Member("PIU-D02", "Chloe Dewaele", Role.DEPUTY, clearance(_TS), piu), founded)
    add(Member(DPO_CODE, "Dirk Maes", Role.DPO, clearance(_TS), piu), founded)
    for i, name in enumerate(("Emma Claes", "Farid Bensaid", "Greet Wouters"), start=1):
        add(Member(f"PIU-S0{i}", name, Role.SUPPORT_STAFF, clearance(_S), piu), founded)

    four_years_ago = add_years(today, -4) + timedelta(100)
    five_years_ago = add_years(today, -5) + timedelta(200)
    seconded = (
        ("FP-0233", "Hugo Peeters", Service.FEDERAL_POLICE, add_years(today, -1), 0),
        ("VSSE-112", "Ines Jacobs", Service.STATE_SECURITY, four_years_ago, 1),
        ("SGRS-071", "Jonas Mertens", Service.MILITARY_INTELLIGENCE, five_years_ago, 2),
        ("DOU-0558", "Karen Willems", Service.CUSTOMS, add_years(today, -2), 0),
    )
    for code, name, service, start, extensions in seconded:
        member = Member(
            code, name, Role.SECONDED_MEMBER, clearance(_S), service, Secondment(service, start)
        )
        add(member, start)
        for n in range(extensions):  # each a month before the term would end (AR art. 15)
            extend(code, add_years(start, 3 + n) - timedelta(30))

    lapsed_start = add_years(today, -2)
    add(
        Member(
            LAPSED_CODE,
            "Laurent Dubois",
            Role.SECONDED_MEMBER,
            clearance(_S, until=today - timedelta(30)),
            Service.FEDERAL_POLICE,
            Secondment(Service.FEDERAL_POLICE, lapsed_start),
        ),
        lapsed_start,
    )

    granted_on = today - timedelta(60)
    grantee = Member("LP-9021", "Marie Lefevre", Role.GRANTEE, clearance(_S), Service.LOCAL_POLICE)
    add(grantee, granted_on)
    steps.append(
        (
            granted_on,
            lambda r: r.grant_access(
                "LP-9021", granted_by=HEAD_CODE, on=granted_on, valid_until=add_years(today, 1)
            ),
        )
    )
    informed = granted_on + timedelta(1)
    steps.append((informed, lambda r: r.notify_supervisor("LP-9021", actor=DPO_CODE, on=informed)))

    bodies = (
        ("APD-01", "Nadia Hermans", Supervisor.APD),
        ("COC-01", "Olivier Renard", Supervisor.COC),
        ("CIP-01", "Pieter Goossens", Supervisor.STANDING_COMMITTEE_I),
    )
    for code, name, body in bodies:
        member = Member(code, name, Role.SUPERVISOR, None, Service.OTHER, supervisor_body=body)
        add(member, add_years(today, -1))

    listed = today - timedelta(100)

    def code_list(service: Service) -> Operation:
        return lambda r: r.update_code_list(service, listed, actor=DPO_CODE)

    for service in (
        Service.FEDERAL_POLICE,
        Service.STATE_SECURITY,
        Service.MILITARY_INTELLIGENCE,
        Service.CUSTOMS,
    ):
        steps.append((listed, code_list(service)))

    steps.sort(key=lambda step: step[0])  # stable: same-day steps keep their order
    return [operation for _, operation in steps]


def demo_register(today: date) -> StaffRegister:
    """The demo register as it stands on ``today``, with its whole history."""
    register = StaffRegister()
    for operation in demo_operations(today):
        register, _ = operation(register)
    return register

"""Members, resources and contexts for the access tests (one fixed day, no system clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from piu_lab.access.policy import Action, AuthorityType, Context, Purpose, Resource, ResourceKind
from piu_lab.access.register import (
    COMPETENT_SERVICES,
    Clearance,
    ClearanceLevel,
    EndReason,
    Grant,
    Member,
    Role,
    Secondment,
    Service,
    Supervisor,
)

ON = date(2026, 6, 1)
FRESH = date(2026, 5, 20)
OLD = date(2025, 11, 1)  # seven months before ON
OTHER = Service.STATE_SECURITY
HEAD_CODE = "H001"

TS = Clearance(ClearanceLevel.TRES_SECRET, date(2025, 1, 1), date(2030, 12, 31))
S = Clearance(ClearanceLevel.SECRET, date(2025, 1, 1), date(2030, 12, 31))
LAPSED_TS = Clearance(ClearanceLevel.TRES_SECRET, date(2020, 1, 1), date(2026, 5, 31))
LAPSED_S = Clearance(ClearanceLevel.SECRET, date(2020, 1, 1), date(2026, 5, 31))

MEMBERS: dict[Role, Member] = {
    Role.HEAD_OF_UNIT: Member(HEAD_CODE, "Head", Role.HEAD_OF_UNIT, TS, Service.PIU),
    Role.DEPUTY: Member("D001", "Deputy", Role.DEPUTY, TS, Service.PIU),
    Role.DPO: Member("P001", "DPO", Role.DPO, TS, Service.PIU),
    Role.SUPPORT_STAFF: Member("S001", "Support", Role.SUPPORT_STAFF, S, Service.PIU),
    Role.SECONDED_MEMBER: Member(
        "FP-0001",
        "Seconded",
        Role.SECONDED_MEMBER,
        S,
        Service.FEDERAL_POLICE,
        secondment=Secondment(Service.FEDERAL_POLICE, date(2025, 1, 1)),
    ),
    Role.GRANTEE: Member(
        "CU-0001",
        "Grantee",
        Role.GRANTEE,
        S,
        Service.CUSTOMS,
        grant=Grant(
            HEAD_CODE, date(2026, 1, 1), date(2026, 12, 31), dpo_notified_on=date(2026, 1, 1)
        ),
    ),
    Role.SUPERVISOR: Member(
        "COC-01", "Supervisor", Role.SUPERVISOR, None, Service.OTHER, supervisor_body=Supervisor.COC
    ),
}


def member(role: Role, state: str) -> Member:
    m = MEMBERS[role]
    if state == "expired_clearance":
        lapsed = (
            LAPSED_TS
            if m.clearance and m.clearance.level is ClearanceLevel.TRES_SECRET
            else LAPSED_S
        )
        return replace(m, clearance=lapsed)
    if state == "ended_secondment":
        assert m.secondment is not None
        ended = replace(
            m.secondment, ended_on=date(2026, 5, 1), end_reason=EndReason.MEMBER_REQUEST
        )
        return replace(m, secondment=ended)
    if state == "revoked_grant":
        assert m.grant is not None
        return replace(m, grant=replace(m.grant, revoked_on=date(2026, 5, 1)))
    return m


def own_service(m: Member) -> Service:
    return m.home_service if m.home_service in COMPETENT_SERVICES else Service.FEDERAL_POLICE


_KIND = {
    Action.CONSULT_HIT: ResourceKind.HIT,
    Action.VALIDATE_HIT: ResourceKind.HIT,
    Action.CONSULT_PNR: ResourceKind.PNR,
    Action.SEARCH: ResourceKind.PNR,
    Action.UNMASK: ResourceKind.PNR,
    Action.READ_AUDIT: ResourceKind.AUDIT_LOG,
    Action.EXPORT_AUDIT: ResourceKind.AUDIT_LOG,
    Action.MANAGE_STAFF: ResourceKind.STAFF_REGISTER,
    Action.GRANT_ACCESS: ResourceKind.STAFF_REGISTER,
    Action.CHANGE_CRITERIA: ResourceKind.CRITERIA,
    Action.REGISTER_SOURCE: ResourceKind.WATCHLIST,
    Action.RECORD_REQUEST: ResourceKind.REQUEST,
}


def resource(m: Member, action: Action, state: str) -> Resource:
    own = own_service(m)
    registered = OLD if state == "older_than_6_months" else FRESH
    kind = _KIND[action]
    if state == "other_service_hit":
        if kind is ResourceKind.HIT:
            return Resource(kind, OTHER, frozenset({OTHER}), registered)
        if m.role is Role.SUPERVISOR:
            return Resource(kind, OTHER, frozenset({OTHER}), registered)
        return Resource(kind, own, frozenset({own, OTHER}), registered)
    return Resource(
        kind, own, frozenset({own}) if kind is ResourceKind.HIT else frozenset(), registered
    )


def context(purpose: Purpose | None, action: Action) -> Context:
    if purpose is Purpose.TARGETED_SEARCH:
        unmask = action is Action.UNMASK
        return Context(
            ON,
            purpose,
            request_id="REQ-1",
            authorisation_id="AUTH-1",
            unmask_authorisation_id="UNM-1" if unmask else None,
            unmask_authority=AuthorityType.COURT if unmask else None,
        )
    return Context(ON, purpose)

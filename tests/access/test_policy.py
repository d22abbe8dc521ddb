"""Policy rules the decision table does not vary: searches, unmasking, remits, boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from piu_lab.access.errors import AccessDenied
from piu_lab.access.policy import (
    RULES,
    Action,
    AuthorityType,
    Context,
    ObligationKind,
    Purpose,
    Resource,
    ResourceKind,
    add_months,
    decide,
    enforce,
)
from piu_lab.access.register import Role, Service, Supervisor
from tests.access.helpers import MEMBERS, ON

SM = MEMBERS[Role.SECONDED_MEMBER]
PNR = Resource(ResourceKind.PNR, Service.FEDERAL_POLICE, registered_on=date(2026, 5, 1))
OLD_PNR = replace(PNR, registered_on=date(2025, 1, 1))


def test_every_rule_cites_a_source() -> None:
    for rule in RULES.values():
        assert rule.id.startswith("ACC-")
        assert any(src in rule.cites for src in ("AR", "DIR", "LAW", "R-", "CJEU"))


@pytest.mark.parametrize(
    ("request_id", "authorisation_id"), [(None, "A"), ("R", None), (None, None), ("", "A")]
)
def test_targeted_search_needs_request_and_authorisation(
    request_id: str | None, authorisation_id: str | None
) -> None:
    ctx = Context(ON, Purpose.TARGETED_SEARCH, request_id, authorisation_id)
    d = decide(SM, Action.SEARCH, PNR, ctx)
    assert (d.allowed, d.rule_id) == (False, "ACC-SRCH-02")


def test_unmask_needs_its_own_authorisation() -> None:
    ctx = Context(ON, Purpose.TARGETED_SEARCH, "R", "A")
    assert decide(SM, Action.UNMASK, OLD_PNR, ctx).rule_id == "ACC-RET-03"
    court = replace(ctx, unmask_authorisation_id="U", unmask_authority=AuthorityType.COURT)
    d = decide(SM, Action.UNMASK, OLD_PNR, court)
    assert (d.allowed, d.obligations) == (True, ())
    body = replace(court, unmask_authority=AuthorityType.INDEPENDENT_BODY)
    d = decide(SM, Action.UNMASK, OLD_PNR, body)
    assert [o.kind for o in d.obligations] == [ObligationKind.NOTIFY_DPO]  # R-RET-04


def test_unmask_refused_in_criteria_analysis() -> None:
    ctx = Context(ON, Purpose.CRITERIA_ANALYSIS, unmask_authorisation_id="U")
    assert decide(SM, Action.UNMASK, OLD_PNR, ctx).rule_id == "ACC-PUR-02"


def test_unmask_authorisation_lifts_masking_only_in_targeted_search() -> None:
    ctx = Context(ON, Purpose.TARGETED_SEARCH, "R", "A", "U", AuthorityType.COURT)
    assert decide(SM, Action.CONSULT_PNR, OLD_PNR, ctx).obligations == ()
    pre = Context(ON, Purpose.PRE_ASSESSMENT, unmask_authorisation_id="U")
    assert decide(SM, Action.CONSULT_PNR, OLD_PNR, pre).obligations[0].kind is ObligationKind.MASK


def test_criteria_analysis_is_always_masked() -> None:
    d = decide(SM, Action.SEARCH, PNR, Context(ON, Purpose.CRITERIA_ANALYSIS))
    assert d.rule_id == "ACC-ANA-01"
    assert d.obligations[0].kind is ObligationKind.MASK
    assert len(d.obligations[0].payload) == 6


def test_masking_starts_six_months_after_registration() -> None:
    registered = date(2025, 12, 1)
    res = replace(PNR, registered_on=registered)
    ctx = Context(date(2026, 5, 31), Purpose.PRE_ASSESSMENT)
    assert decide(SM, Action.CONSULT_PNR, res, ctx).obligations == ()
    d = decide(SM, Action.CONSULT_PNR, res, replace(ctx, on=date(2026, 6, 1)))
    assert d.obligations[0].kind is ObligationKind.MASK


def test_add_months_clamps() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("body", "service", "allowed"),
    [
        (Supervisor.APD, Service.STATE_SECURITY, True),
        (Supervisor.APD, Service.CUSTOMS, True),
        (Supervisor.APD, None, True),
        (Supervisor.COC, Service.LOCAL_POLICE, True),
        (Supervisor.COC, Service.MILITARY_INTELLIGENCE, False),
        (Supervisor.COC, None, False),
        (Supervisor.STANDING_COMMITTEE_I, Service.STATE_SECURITY, True),
        (Supervisor.STANDING_COMMITTEE_I, Service.MILITARY_INTELLIGENCE, True),
        (Supervisor.STANDING_COMMITTEE_I, Service.FEDERAL_POLICE, False),
    ],
)
def test_supervisor_remit(body: Supervisor, service: Service | None, allowed: bool) -> None:
    sup = replace(MEMBERS[Role.SUPERVISOR], supervisor_body=body)
    log = Resource(ResourceKind.AUDIT_LOG, service)
    d = decide(sup, Action.READ_AUDIT, log, Context(ON, Purpose.SUPERVISORY_REVIEW))
    assert d.allowed is allowed
    assert d.rule_id == ("ACC-LOG-01" if allowed else "ACC-SUP-02")


@pytest.mark.parametrize("action", [Action.VALIDATE_HIT, Action.CHANGE_CRITERIA, Action.UNMASK])
def test_supervisors_and_dpo_are_read_only(action: Action) -> None:
    for role, purpose in (
        (Role.SUPERVISOR, Purpose.SUPERVISORY_REVIEW),
        (Role.DPO, Purpose.DPO_SUPERVISION),
    ):
        assert not decide(MEMBERS[role], action, PNR, Context(ON, purpose)).allowed


def test_enforce_raises_with_rule_id() -> None:
    ctx = Context(ON, None)
    with pytest.raises(AccessDenied) as err:
        enforce(SM, Action.CONSULT_PNR, PNR, ctx)
    assert err.value.rule_id == "ACC-PUR-01"
    assert err.value.context["subject"] == SM.code
    assert enforce(
        SM, Action.CONSULT_PNR, PNR, replace(ctx, purpose=Purpose.PRE_ASSESSMENT)
    ).allowed


def test_reason_cites_the_source() -> None:
    d = decide(
        MEMBERS[Role.SUPPORT_STAFF], Action.READ_AUDIT, PNR, Context(ON, Purpose.CRITERIA_ANALYSIS)
    )
    assert d.rule_id == "ACC-LOG-02"
    assert "R-LOG-03" in d.reason

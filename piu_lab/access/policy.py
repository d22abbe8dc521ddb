"""Purpose-bound access decisions: ``decide(subject, action, resource, context) -> Decision``.

Deny by default and fail closed: there is no switch that turns enforcement off. Every
decision names the rule that made it (``rule_id``) and the rule cites its source (law of
25 Dec 2016 "LAW", royal decree of 21 Dec 2017 "AR", Directive (EU) 2016/681 "DIR"; see
docs/legal-requirements.md). Allowed decisions may carry obligations the caller must apply
(mask field groups, redact other services' hits, notify the DPO, sign an export).

Rules are checked in this order; the first that decides wins:

1. ``ACC-ACT-01`` the subject is inactive (clearance lapsed, secondment ended, grant revoked
   or expired): denied everything.
2. ``ACC-PUR-01`` no purpose declared: denied (DIR art. 6(2); R-SCOPE-03, R-LOG-02).
3. the role may not perform the action at all (``ACC-LOG-02`` for logs, ``ACC-ROLE-01``
   otherwise), then ``ACC-PUR-02`` the purpose is not one under which the role may act.
4. action-specific rules (targeted-search ids, unmask authorisation, supervisory remit,
   other services' hits) and the obligations (masking after six months, redaction).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from piu_lab.access.errors import AccessDenied
from piu_lab.access.register import (
    INTELLIGENCE_SERVICES,
    POLICE_SERVICES,
    Member,
    Role,
    Service,
    Supervisor,
    add_months,
    is_active,
)

__all__ = [
    "MASK_AFTER_MONTHS",
    "RULES",
    "Action",
    "AuthorityType",
    "Context",
    "Decision",
    "FieldGroup",
    "Obligation",
    "ObligationKind",
    "Purpose",
    "Resource",
    "ResourceKind",
    "Rule",
    "add_months",
    "decide",
    "enforce",
]

MASK_AFTER_MONTHS = 6
"""LAW art. 19; DIR art. 12(2) (R-RET-02): masking six months after registration."""


class Purpose(enum.Enum):
    """Why data are processed: the three channels of DIR art. 6(2) plus oversight and admin."""

    PRE_ASSESSMENT = "pre_assessment"  # DIR 6(2)(a); LAW art. 24
    TARGETED_SEARCH = "targeted_search"  # DIR 6(2)(b); LAW ch. 10 (art. 26-27, unverified)
    CRITERIA_ANALYSIS = "criteria_analysis"  # DIR 6(2)(c)
    DPO_SUPERVISION = "dpo_supervision"  # DIR 6(7); AR art. 27
    SUPERVISORY_REVIEW = "supervisory_review"  # AR art. 7, 32
    UNIT_MANAGEMENT = "unit_management"  # AR art. 3, 5 §2, 12-20 (no passenger data)


class Action(enum.Enum):
    CONSULT_HIT = "consult_hit"
    VALIDATE_HIT = "validate_hit"
    CONSULT_PNR = "consult_pnr"
    SEARCH = "search"
    UNMASK = "unmask"
    READ_AUDIT = "read_audit"
    EXPORT_AUDIT = "export_audit"
    MANAGE_STAFF = "manage_staff"
    GRANT_ACCESS = "grant_access"
    CHANGE_CRITERIA = "change_criteria"
    REGISTER_SOURCE = "register_source"
    RECORD_REQUEST = "record_request"


class ResourceKind(enum.Enum):
    HIT = "hit"
    PNR = "pnr"
    AUDIT_LOG = "audit_log"
    STAFF_REGISTER = "staff_register"
    CRITERIA = "criteria"
    WATCHLIST = "watchlist"
    REQUEST = "request"
    SCOPE_DECISION = "scope_decision"


class FieldGroup(enum.Enum):
    """The six groups masked after six months (DIR art. 12(2)(a)-(f); LAW art. 19)."""

    NAMES = "a_names"
    ADDRESS_CONTACT = "b_address_contact"
    PAYMENT = "c_payment"
    FREQUENT_FLYER = "d_frequent_flyer"
    GENERAL_REMARKS = "e_general_remarks"
    API_DATA = "f_api_data"


ALL_FIELD_GROUPS: tuple[str, ...] = tuple(g.value for g in FieldGroup)


class ObligationKind(enum.Enum):
    MASK = "mask"  # payload: FieldGroup values
    REDACT_OTHER_SERVICES = "redact_other_services"  # payload: services whose hits are redacted
    NOTIFY_DPO = "notify_dpo"
    SIGN_EXPORT = "sign_export"


class AuthorityType(enum.Enum):
    """Who approved an unmasking (DIR art. 12(3); CJEU ¶¶221-247): never the PIU itself."""

    COURT = "court"
    INDEPENDENT_BODY = "independent_body"


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: ObligationKind
    payload: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.kind.value}({','.join(self.payload)})" if self.payload else self.kind.value


@dataclass(frozen=True, slots=True)
class Resource:
    """What is acted on. ``service`` owns a hit (or is the service concerned); ``hit_services``
    lists every service with a hit on the PNR; ``registered_on`` starts the six months."""

    kind: ResourceKind
    service: Service | None = None
    hit_services: frozenset[Service] = frozenset()
    registered_on: date | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """The request around the action; ``on`` is today's date from the injected clock."""

    on: date
    purpose: Purpose | None = None
    request_id: str | None = None
    authorisation_id: str | None = None
    unmask_authorisation_id: str | None = None
    unmask_authority: AuthorityType | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    rule_id: str
    reason: str
    obligations: tuple[Obligation, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    cites: str
    text: str


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({r.id: r for r in rules})


RULES: Mapping[str, Rule] = _rules(
    Rule("ACC-DEF-00", "AR art. 5 §1", "deny by default: no rule allows this"),
    Rule("ACC-ID-01", "AR art. 7; R-ACC-03", "no identified user (PIU_LAB_USER, JUPYTERHUB_USER)"),
    Rule("ACC-ID-02", "AR art. 5 §1, 7; R-ACC-03", "no member with this code in the register"),
    Rule("ACC-ACT-01", "AR art. 4, 5 §2, 11, 14, 15, 20, 23 §2", "the subject is not active"),
    Rule("ACC-PUR-01", "DIR art. 6(2); LAW art. 8; R-SCOPE-03", "no purpose declared"),
    Rule("ACC-PUR-02", "DIR art. 6(2); LAW art. 8", "purpose not allowed for this role/action"),
    Rule("ACC-ROLE-01", "AR art. 5 §1", "the role's missions do not include this action"),
    Rule("ACC-PRE-01", "LAW art. 24 §1-4; AR art. 8 §1", "own service's hit"),
    Rule("ACC-PRE-02", "AR art. 1 4°, 8 §1", "another service's hit: existence only"),
    Rule("ACC-PRE-03", "LAW art. 24 §4; AR art. 8 §1", "only the hit's own service validates"),
    Rule("ACC-PNR-01", "LAW art. 24; AR art. 5 §1, 8 §1", "consult a PNR within the mission"),
    Rule("ACC-SRCH-01", "DIR art. 6(2)(b), 12(3); CJEU ¶¶214-226", "authorised targeted search"),
    Rule(
        "ACC-SRCH-02",
        "DIR art. 6(2)(b), 12(3); CJEU ¶¶221-226",
        "targeted search needs a request id and a prior authorisation id",
    ),
    Rule(
        "ACC-SRCH-03",
        "DIR art. 12(3); CJEU ¶¶221-226; R-SRCH-01/02",
        "the request or its authorisation is unknown, refused, expired or another service's",
    ),
    Rule(
        "ACC-REQ-01",
        "DIR art. 12(3); CJEU ¶¶221-226; R-SRCH-01/02",
        "the unit records requests and authorisations as received (it never authorises)",
    ),
    Rule("ACC-REQ-02", "CJEU ¶223; R-SRCH-02", "only the head of unit opens the urgent path"),
    Rule(
        "ACC-SRCH-04",
        "DIR art. 12(3); R-RET-04",
        "outside the records the authorisation covers",
    ),
    Rule("ACC-ANA-01", "DIR art. 6(2)(c), 12(2)", "criteria analysis on masked data only"),
    Rule(
        "ACC-ANA-02",
        "DIR art. 6(2)(b)-(c); R-SRCH-03",
        "a search by name or document is a targeted search, not criteria analysis",
    ),
    Rule("ACC-RET-02", "DIR art. 12(3); LAW art. 19; CJEU ¶¶241-247", "authorised unmasking"),
    Rule("ACC-RET-03", "DIR art. 12(3); CJEU ¶¶221, 241-247", "unmasking needs an authorisation"),
    Rule("ACC-LOG-01", "DIR art. 6(7), 13(5), 15(3); AR art. 7, 27 7°-8°, 32", "log reader"),
    Rule("ACC-LOG-02", "R-LOG-03; AR art. 27, 32", "only the DPO and supervisors read logs"),
    Rule("ACC-DPO-01", "DIR art. 6(7); AR art. 22-27", "the DPO reads all data (read-only)"),
    Rule(
        "ACC-DPO-02", "DIR art. 6(4); R-CRIT-03; AR art. 27", "disparity statistics: the DPO only"
    ),
    Rule("ACC-SUP-01", "AR art. 7, 32; R-RGT-02", "supervisor within its remit (read-only)"),
    Rule("ACC-SUP-02", "AR art. 7, 32; R-RGT-02", "outside the supervisor's remit"),
    Rule("ACC-STAFF-01", "AR art. 3, 4, 12-20", "the head of unit (or deputy) manages staff"),
    Rule("ACC-GRANT-01", "AR art. 5 §2", "the head of unit grants access; DPO notified"),
    Rule("ACC-CRIT-01", "DIR art. 6(3)(b), 6(4); AR art. 3", "the head of unit sets criteria"),
    Rule(
        "ACC-SRC-01",
        "LAW art. 24 §2; AR art. 3; R-PRE-01",
        "the head of unit (or a deputy) registers the databases screened against",
    ),
)

_P = Purpose
_R = Role
# (action) -> role -> purposes under which the role may act; absent role = not its mission.
PERMISSIONS: Mapping[Action, Mapping[Role, frozenset[Purpose]]] = MappingProxyType(
    {
        Action.CONSULT_HIT: {
            _R.SECONDED_MEMBER: frozenset({_P.PRE_ASSESSMENT, _P.TARGETED_SEARCH}),
            _R.GRANTEE: frozenset({_P.PRE_ASSESSMENT, _P.TARGETED_SEARCH}),
            _R.DPO: frozenset({_P.DPO_SUPERVISION}),
            _R.SUPERVISOR: frozenset({_P.SUPERVISORY_REVIEW}),
        },
        Action.VALIDATE_HIT: {_R.SECONDED_MEMBER: frozenset({_P.PRE_ASSESSMENT})},
        Action.CONSULT_PNR: {
            _R.SECONDED_MEMBER: frozenset(
                {_P.PRE_ASSESSMENT, _P.TARGETED_SEARCH, _P.CRITERIA_ANALYSIS}
            ),
            _R.GRANTEE: frozenset({_P.PRE_ASSESSMENT, _P.TARGETED_SEARCH}),
            _R.SUPPORT_STAFF: frozenset({_P.CRITERIA_ANALYSIS}),
            _R.DPO: frozenset({_P.DPO_SUPERVISION}),
            _R.SUPERVISOR: frozenset({_P.SUPERVISORY_REVIEW}),
        },
        Action.SEARCH: {
            _R.SECONDED_MEMBER: frozenset({_P.TARGETED_SEARCH, _P.CRITERIA_ANALYSIS}),
            _R.GRANTEE: frozenset({_P.TARGETED_SEARCH}),
            _R.SUPPORT_STAFF: frozenset({_P.CRITERIA_ANALYSIS}),
            _R.DPO: frozenset({_P.DPO_SUPERVISION}),
            _R.SUPERVISOR: frozenset({_P.SUPERVISORY_REVIEW}),
        },
        Action.UNMASK: {
            _R.SECONDED_MEMBER: frozenset({_P.TARGETED_SEARCH}),
            _R.GRANTEE: frozenset({_P.TARGETED_SEARCH}),
        },
        Action.READ_AUDIT: {
            _R.DPO: frozenset({_P.DPO_SUPERVISION}),
            _R.SUPERVISOR: frozenset({_P.SUPERVISORY_REVIEW}),
        },
        Action.EXPORT_AUDIT: {
            _R.DPO: frozenset({_P.DPO_SUPERVISION}),
            _R.SUPERVISOR: frozenset({_P.SUPERVISORY_REVIEW}),
        },
        Action.MANAGE_STAFF: {
            _R.HEAD_OF_UNIT: frozenset({_P.UNIT_MANAGEMENT}),
            _R.DEPUTY: frozenset({_P.UNIT_MANAGEMENT}),
        },
        Action.GRANT_ACCESS: {_R.HEAD_OF_UNIT: frozenset({_P.UNIT_MANAGEMENT})},
        Action.CHANGE_CRITERIA: {_R.HEAD_OF_UNIT: frozenset({_P.CRITERIA_ANALYSIS})},
        Action.REGISTER_SOURCE: {
            _R.HEAD_OF_UNIT: frozenset({_P.UNIT_MANAGEMENT}),
            _R.DEPUTY: frozenset({_P.UNIT_MANAGEMENT}),
        },
        Action.RECORD_REQUEST: {
            _R.HEAD_OF_UNIT: frozenset({_P.UNIT_MANAGEMENT}),
            _R.DEPUTY: frozenset({_P.UNIT_MANAGEMENT}),
            _R.SUPPORT_STAFF: frozenset({_P.UNIT_MANAGEMENT}),
        },
    }
)
"""Which role may perform which action under which purpose (R-ACC-01, R-DPO-01, R-LOG-03)."""

_AUDIT_ACTIONS = frozenset({Action.READ_AUDIT, Action.EXPORT_AUDIT})
_DATA_ACTIONS = frozenset({Action.CONSULT_HIT, Action.CONSULT_PNR, Action.SEARCH})
_OPERATIONAL = frozenset({Role.SECONDED_MEMBER, Role.GRANTEE})
_MASK_ALL = Obligation(ObligationKind.MASK, ALL_FIELD_GROUPS)
_NOTIFY_DPO = Obligation(ObligationKind.NOTIFY_DPO)
_SIGN_EXPORT = Obligation(ObligationKind.SIGN_EXPORT)


def _deny(rule_id: str, detail: str = "") -> Decision:
    rule = RULES[rule_id]
    reason = f"{rule.text}{': ' + detail if detail else ''} ({rule.cites})"
    return Decision(False, rule_id, reason)


def _allow(rule_id: str, obligations: tuple[Obligation, ...] = (), detail: str = "") -> Decision:
    rule = RULES[rule_id]
    reason = f"{rule.text}{': ' + detail if detail else ''} ({rule.cites})"
    return Decision(True, rule_id, reason, obligations)


def _in_remit(body: Supervisor | None, service: Service | None) -> bool:
    """APD: everything; COC: police services; Standing Committee I: intelligence services."""
    if body is Supervisor.APD:
        return True
    if body is Supervisor.COC:
        return service in POLICE_SERVICES
    if body is Supervisor.STANDING_COMMITTEE_I:
        return service in INTELLIGENCE_SERVICES
    return False


def _masking(resource: Resource, context: Context, purpose: Purpose) -> tuple[Obligation, ...]:
    if purpose is Purpose.CRITERIA_ANALYSIS:
        return (_MASK_ALL,)
    if resource.registered_on is None:
        return ()
    if context.on < add_months(resource.registered_on, MASK_AFTER_MONTHS):
        return ()
    if purpose is Purpose.TARGETED_SEARCH and context.unmask_authorisation_id:
        return ()
    return (_MASK_ALL,)


def decide(subject: Member, action: Action, resource: Resource, context: Context) -> Decision:
    """Decide whether ``subject`` may perform ``action`` on ``resource``; deny by default."""
    active, why = is_active(subject, context.on)
    if not active:
        return _deny("ACC-ACT-01", why)
    purpose = context.purpose
    if purpose is None:
        return _deny("ACC-PUR-01")
    role = subject.role
    allowed_purposes = PERMISSIONS.get(action, {}).get(role)
    if allowed_purposes is None:
        return _deny("ACC-LOG-02" if action in _AUDIT_ACTIONS else "ACC-ROLE-01", role.value)
    if purpose not in allowed_purposes:
        return _deny("ACC-PUR-02", f"{purpose.value} for {action.value}")

    if purpose is Purpose.TARGETED_SEARCH and not (context.request_id and context.authorisation_id):
        return _deny("ACC-SRCH-02")

    if role is Role.SUPERVISOR and not _in_remit(subject.supervisor_body, resource.service):
        return _deny("ACC-SUP-02")

    if action in _AUDIT_ACTIONS:
        return _allow("ACC-LOG-01", (_SIGN_EXPORT,) if action is Action.EXPORT_AUDIT else ())
    if action is Action.MANAGE_STAFF:
        return _allow("ACC-STAFF-01")
    if action is Action.GRANT_ACCESS:
        return _allow("ACC-GRANT-01", (_NOTIFY_DPO,))
    if action is Action.CHANGE_CRITERIA:
        return _allow("ACC-CRIT-01")
    if action is Action.REGISTER_SOURCE:
        return _allow("ACC-SRC-01")
    if action is Action.RECORD_REQUEST:
        return _allow("ACC-REQ-01")
    if action is Action.UNMASK:
        if not context.unmask_authorisation_id or context.unmask_authority is None:
            return _deny("ACC-RET-03")
        notify = context.unmask_authority is AuthorityType.INDEPENDENT_BODY
        return _allow("ACC-RET-02", (_NOTIFY_DPO,) if notify else ())

    own = subject.home_service
    redact: tuple[Obligation, ...] = ()
    if role in _OPERATIONAL:
        if action is Action.VALIDATE_HIT:
            if resource.service is not own:
                return _deny("ACC-PRE-03")
            return _allow("ACC-PRE-01")
        others = resource.hit_services - {own}
        if action is Action.CONSULT_HIT and resource.service is not own:
            others = others | ({resource.service} if resource.service else set())
        if others:
            payload = tuple(sorted(s.value for s in others))
            redact = (Obligation(ObligationKind.REDACT_OTHER_SERVICES, payload),)
    obligations = redact + _masking(resource, context, purpose)
    if role is Role.DPO:
        return _allow("ACC-DPO-01", obligations)
    if role is Role.SUPERVISOR:
        return _allow("ACC-SUP-01", obligations)
    if purpose is Purpose.CRITERIA_ANALYSIS:
        return _allow("ACC-ANA-01", obligations)
    if purpose is Purpose.TARGETED_SEARCH:
        return _allow("ACC-SRCH-01", obligations)
    if action is Action.CONSULT_HIT:
        if resource.service is not own:
            return _allow("ACC-PRE-02", obligations)
        return _allow("ACC-PRE-01", obligations)
    if action is Action.CONSULT_PNR:
        return _allow("ACC-PNR-01", obligations)
    return _deny("ACC-DEF-00")


def enforce(subject: Member, action: Action, resource: Resource, context: Context) -> Decision:
    """:func:`decide`, raising :class:`AccessDenied` (with the rule id) when denied."""
    decision = decide(subject, action, resource, context)
    if not decision.allowed:
        raise AccessDenied(
            f"{action.value} denied by {decision.rule_id}",
            rule_id=decision.rule_id,
            subject=subject.code,
            action=action.value,
            resource=resource.kind.value,
            reason=decision.reason,
        )
    return decision

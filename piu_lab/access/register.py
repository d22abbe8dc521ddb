"""The staff register of the PIU: who may reach the passenger database, and until when.

Sources (royal decree "AR" of 21 December 2017; catalogue in docs/legal-requirements.md §8):

* R-ACC-01 (AR art. 5): access only inside the PIU, by the DPO and PIU members within their
  missions; the head of unit (leading official) may grant access to a member of a competent
  service holding at least SECRET, and the DPO is informed without delay and informs the APD.
* R-ACC-02 (AR art. 4, 5 §2, 11, 14, 23 §2): TRES SECRET for the head, deputies and DPO;
  at least SECRET for support staff, seconded members and grantees.
* R-ACC-03 (AR art. 7): each competent service keeps a list of identification codes, updated
  at least once a year.
* R-HR-01 (AR art. 15, 20): a secondment lasts 3 years, extended by 1 year at most 3 times;
  it ends for the reasons of art. 20.

The register is immutable: every operation returns a new register and the :class:`Change` it
made, and the history is append-only with an explicit actor (nobody is inferred). Dates are
plain :class:`datetime.date` values handed in by the caller (from an injected
:class:`piu_lab.clock.Clock`); nothing here reads the system clock.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from piu_lab.access.errors import RegisterError

__all__ = [
    "CODE_LIST_MAX_AGE_DAYS",
    "COMPETENT_SERVICES",
    "INTELLIGENCE_SERVICES",
    "MAX_EXTENSIONS",
    "MINIMUM_CLEARANCE",
    "POLICE_SERVICES",
    "SECONDMENT_YEARS",
    "Change",
    "ChangeKind",
    "Clearance",
    "ClearanceLevel",
    "EndReason",
    "Grant",
    "Member",
    "Role",
    "Secondment",
    "Service",
    "StaffRegister",
    "Supervisor",
    "add_years",
    "code_list_overdue",
    "is_active",
]

SECONDMENT_YEARS = 3
"""AR art. 15: a secondment lasts three years."""
MAX_EXTENSIONS = 3
"""AR art. 15: extended by one year at most three times (six years in all)."""
CODE_LIST_MAX_AGE_DAYS = 365
"""AR art. 7 (R-ACC-03): each service updates its identification-code list at least yearly."""


class Role(enum.Enum):
    """What a person is in the PIU (AR art. 3-5, 11, 14, 22-23) or a supervisory reader."""

    HEAD_OF_UNIT = "head_of_unit"
    DEPUTY = "deputy"
    DPO = "dpo"
    SUPPORT_STAFF = "support_staff"
    SECONDED_MEMBER = "seconded_member"
    GRANTEE = "grantee"
    SUPERVISOR = "supervisor"


class Service(enum.Enum):
    """Home service of a member. ``PIU`` (own staff) and ``OTHER`` are not competent services."""

    FEDERAL_POLICE = "federal_police"
    LOCAL_POLICE = "local_police"
    STATE_SECURITY = "state_security"
    MILITARY_INTELLIGENCE = "military_intelligence"
    CUSTOMS = "customs"
    IMMIGRATION_OFFICE = "immigration_office"
    OCAM = "ocam"
    PIU = "piu"
    OTHER = "other"


COMPETENT_SERVICES: frozenset[Service] = frozenset(Service) - {Service.PIU, Service.OTHER}
"""Services that second members and whose members may be granted access (AR art. 5 §2, 6)."""
POLICE_SERVICES: frozenset[Service] = frozenset({Service.FEDERAL_POLICE, Service.LOCAL_POLICE})
"""Supervised by the COC (AR art. 7; R-RGT-02)."""
INTELLIGENCE_SERVICES: frozenset[Service] = frozenset(
    {Service.STATE_SECURITY, Service.MILITARY_INTELLIGENCE}
)
"""Supervised by Standing Committee I (AR art. 7; R-RGT-02)."""


class Supervisor(enum.Enum):
    """Supervisory bodies (AR art. 7, 27 7°-8°, 32; R-RGT-02)."""

    APD = "apd"
    COC = "coc"
    STANDING_COMMITTEE_I = "standing_committee_i"


class ClearanceLevel(enum.IntEnum):
    """Security clearance (law of 11 Dec 1998); ordered: ``SECRET < TRES_SECRET``."""

    SECRET = 1
    TRES_SECRET = 2


MINIMUM_CLEARANCE: Mapping[Role, ClearanceLevel] = MappingProxyType(
    {
        Role.HEAD_OF_UNIT: ClearanceLevel.TRES_SECRET,  # AR art. 4
        Role.DEPUTY: ClearanceLevel.TRES_SECRET,  # AR art. 4
        Role.DPO: ClearanceLevel.TRES_SECRET,  # AR art. 23 §2
        Role.SUPPORT_STAFF: ClearanceLevel.SECRET,  # AR art. 11
        Role.SECONDED_MEMBER: ClearanceLevel.SECRET,  # AR art. 14
        Role.GRANTEE: ClearanceLevel.SECRET,  # AR art. 5 §2
    }
)
"""R-ACC-02. Supervisors are not PIU staff: the decree sets no clearance for them."""


class EndReason(enum.Enum):
    """Why a secondment ends (AR art. 20)."""

    END_OF_TERM = "end_of_term"  # art. 20 §1 1°
    HEAD_DECISION = "head_decision"  # art. 20 §1, reasoned decision of the leading official
    CLEARANCE_LOST = "clearance_lost"  # art. 20 §1
    CONDITION_LOST = "condition_lost"  # art. 20 §1, loss of an art. 13 condition
    HOME_SERVICE_DECISION = "home_service_decision"  # art. 20 §1, 3 months' notice
    MEMBER_REQUEST = "member_request"  # art. 20 §1, 3 months' notice
    BREACH = "breach"  # art. 20 §2


#: AR art. 20 §1: the home service or the member ends a secondment with three months' notice.
NOTICE_MONTHS = 3
NOTICE_REASONS = frozenset({EndReason.HOME_SERVICE_DECISION, EndReason.MEMBER_REQUEST})


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class Clearance:
    """A clearance valid from ``valid_from`` to ``valid_until`` (both inclusive)."""

    level: ClearanceLevel
    valid_from: date
    valid_until: date

    def __post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise RegisterError("clearance ends before it starts", field="clearance.valid_until")

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_until


@dataclass(frozen=True, slots=True)
class Secondment:
    """A secondment from ``service`` (AR art. 15, 20): 3 years + ``extensions`` (0..3) years."""

    service: Service
    start: date
    extensions: int = 0
    ended_on: date | None = None
    end_reason: EndReason | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.extensions <= MAX_EXTENSIONS:
            raise RegisterError(
                f"a secondment is extended at most {MAX_EXTENSIONS} times (AR art. 15)",
                field="secondment.extensions",
                extensions=self.extensions,
            )
        if (self.ended_on is None) != (self.end_reason is None):
            raise RegisterError(
                "an ended secondment needs both ended_on and end_reason (AR art. 20)",
                field="secondment.end_reason",
            )

    @property
    def end_date(self) -> date:
        """First day without access: start + 3 years + one year per extension (AR art. 15)."""
        return add_years(self.start, SECONDMENT_YEARS + self.extensions)

    def running_on(self, on: date) -> bool:
        if on < self.start or on >= self.end_date:
            return False
        return self.ended_on is None or on < self.ended_on


@dataclass(frozen=True, slots=True)
class Grant:
    """An AR art. 5 §2 access grant by the head of unit (``granted_by`` is the head's code)."""

    granted_by: str
    granted_on: date
    valid_until: date
    revoked_on: date | None = None
    dpo_notified_on: date | None = None
    supervisor_notified_on: date | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """A person in the register, known by an identification ``code`` (AR art. 7)."""

    code: str
    name: str
    role: Role
    clearance: Clearance | None
    home_service: Service
    secondment: Secondment | None = None
    grant: Grant | None = None
    supervisor_body: Supervisor | None = None


def is_active(member: Member, on: date) -> tuple[bool, str]:
    """Whether ``member`` may reach the database on ``on``, and why (R-ACC-01/02, R-HR-01).

    Access ends by itself when the clearance lapses, the secondment ends (term or art. 20),
    or the grant expires or is revoked: nobody has to switch anything off.
    """
    if member.role is Role.SUPERVISOR and member.supervisor_body is None:
        return False, "supervisor without a supervisory body (AR art. 7)"
    clearance = member.clearance
    minimum = MINIMUM_CLEARANCE.get(member.role)
    if clearance is None:
        if minimum is not None:
            return False, f"no clearance; {member.role.value} needs {minimum.name} (AR)"
    else:
        if on < clearance.valid_from:
            return False, "clearance not yet valid"
        if on > clearance.valid_until:
            return False, f"clearance lapsed after {clearance.valid_until.isoformat()}"
        if minimum is not None and clearance.level < minimum:
            return False, f"clearance {clearance.level.name} below {minimum.name} for the role"
    if member.role is Role.SECONDED_MEMBER:
        s = member.secondment
        if s is None:
            return False, "seconded member without a secondment (AR art. 15)"
        if on < s.start:
            return False, "secondment not started"
        if s.ended_on is not None and on >= s.ended_on:
            reason = s.end_reason.value if s.end_reason else "ended"
            return False, f"secondment ended on {s.ended_on.isoformat()} ({reason}; AR art. 20)"
        if on >= s.end_date:
            return False, f"secondment term ended on {s.end_date.isoformat()} (AR art. 15)"
    if member.role is Role.GRANTEE:
        g = member.grant
        if member.home_service not in COMPETENT_SERVICES:
            return False, "grantee outside a competent service (AR art. 5 §2)"
        if g is None:
            return False, "no access grant (AR art. 5 §2)"
        if on < g.granted_on:
            return False, "grant not yet in force"
        if g.revoked_on is not None and on >= g.revoked_on:
            return False, f"grant revoked on {g.revoked_on.isoformat()}"
        if on > g.valid_until:
            return False, f"grant expired after {g.valid_until.isoformat()}"
    return True, "active"


class ChangeKind(enum.Enum):
    ADD = "add"
    EXTEND_SECONDMENT = "extend_secondment"
    END_SECONDMENT = "end_secondment"
    GRANT_ACCESS = "grant_access"
    REVOKE_GRANT = "revoke_grant"
    SUPERVISOR_NOTIFIED = "supervisor_notified"
    CODE_LIST_UPDATED = "code_list_updated"


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the append-only history: what, who (explicit actor code), when."""

    kind: ChangeKind
    actor: str
    on: date
    subject: str
    detail: str = ""


def _check_clearance(member: Member, on: date) -> None:
    minimum = MINIMUM_CLEARANCE.get(member.role)
    if minimum is None:
        return
    c = member.clearance
    if c is None or c.level < minimum or not c.valid_on(on):
        raise RegisterError(
            f"{member.role.value} needs a valid {minimum.name} clearance (R-ACC-02; AR art. 4, "
            "5 §2, 11, 14, 23 §2)",
            hint="record the clearance level and its validity first",
            code=member.code,
            role=member.role.value,
        )


@dataclass(frozen=True, slots=True)
class StaffRegister:
    """Immutable register; each operation returns ``(new_register, change)``."""

    members: Mapping[str, Member] = field(default_factory=lambda: MappingProxyType({}))
    code_lists: Mapping[Service, date] = field(default_factory=lambda: MappingProxyType({}))
    history: tuple[Change, ...] = ()

    def get(self, code: str) -> Member:
        try:
            return self.members[code]
        except KeyError:
            raise RegisterError("no member with this code", code=code) from None

    def _with(self, member: Member, change: Change) -> tuple[StaffRegister, Change]:
        members = dict(self.members)
        members[member.code] = member
        new = replace(self, members=MappingProxyType(members), history=(*self.history, change))
        return new, change

    def _require_head(self, actor: str, on: date, what: str) -> None:
        head = self.members.get(actor)
        if head is None or head.role is not Role.HEAD_OF_UNIT or not is_active(head, on)[0]:
            raise RegisterError(
                f"only the active head of unit may {what} (AR art. 5 §2)",
                actor=actor,
            )

    def add(self, member: Member, *, actor: str, on: date) -> tuple[StaffRegister, Change]:
        """Register ``member``; refuses what AR art. 4, 5 §2, 11, 14, 15, 23 forbid."""
        if member.code in self.members:
            raise RegisterError("identification code already in use (AR art. 7)", code=member.code)
        _check_clearance(member, on)
        if member.role is Role.SECONDED_MEMBER and (
            member.secondment is None or member.secondment.service not in COMPETENT_SERVICES
        ):
            raise RegisterError(
                "a seconded member needs a secondment from a competent service (AR art. 6)",
                code=member.code,
            )
        if member.role is Role.GRANTEE:
            if member.home_service not in COMPETENT_SERVICES:
                raise RegisterError(
                    "access may be granted only to a member of a competent service (AR art. 5 §2)",
                    code=member.code,
                    service=member.home_service.value,
                )
            if member.grant is not None:
                self._require_head(member.grant.granted_by, member.grant.granted_on, "grant")
        if member.role is Role.SUPERVISOR and member.supervisor_body is None:
            raise RegisterError("a supervisor needs a supervisory body", code=member.code)
        return self._with(member, Change(ChangeKind.ADD, actor, on, member.code, member.role.value))

    def extend_secondment(self, code: str, *, actor: str, on: date) -> tuple[StaffRegister, Change]:
        """One more year (AR art. 15); a fourth extension is refused."""
        member = self.get(code)
        s = member.secondment
        if s is None or member.role is not Role.SECONDED_MEMBER:
            raise RegisterError("not a seconded member", code=code)
        if s.ended_on is not None or on >= s.end_date:
            raise RegisterError("the secondment has already ended (AR art. 20)", code=code)
        if s.extensions >= MAX_EXTENSIONS:
            raise RegisterError(
                f"a secondment is extended at most {MAX_EXTENSIONS} times, 6 years in all "
                "(AR art. 15)",
                hint="end the secondment; the home service replaces the member",
                code=code,
                extensions=s.extensions,
            )
        extended = replace(s, extensions=s.extensions + 1)
        updated = replace(member, secondment=extended)
        detail = f"extension {extended.extensions}; ends {extended.end_date.isoformat()}"
        return self._with(updated, Change(ChangeKind.EXTEND_SECONDMENT, actor, on, code, detail))

    def end_secondment(
        self,
        code: str,
        *,
        actor: str,
        on: date,
        reason: EndReason,
        effective: date | None = None,
    ) -> tuple[StaffRegister, Change]:
        """End a secondment for an AR art. 20 reason. It ends on ``on`` (the decision's day),
        except when the home service or the member asks: then three months' notice run from
        ``on`` and the end is ``effective`` (default and earliest: ``on`` + 3 months); access
        lasts until that day."""
        member = self.get(code)
        s = member.secondment
        if s is None:
            raise RegisterError("not a seconded member", code=code)
        if s.ended_on is not None:
            raise RegisterError("the secondment has already ended", code=code)
        end = on
        if reason in NOTICE_REASONS:
            earliest = add_months(on, NOTICE_MONTHS)
            end = effective or earliest
            if end < earliest:
                raise RegisterError(
                    f"{reason.value}: three months' notice (AR art. 20 §1); the secondment "
                    f"ends on {earliest.isoformat()} at the earliest",
                    code=code,
                )
        elif effective is not None and effective != on:
            raise RegisterError(f"{reason.value} ends the secondment on the day", code=code)
        updated = replace(member, secondment=replace(s, ended_on=end, end_reason=reason))
        detail = reason.value if end == on else f"{reason.value}; ends {end.isoformat()}"
        return self._with(updated, Change(ChangeKind.END_SECONDMENT, actor, on, code, detail))

    def grant_access(
        self, code: str, *, granted_by: str, on: date, valid_until: date
    ) -> tuple[StaffRegister, Change]:
        """AR art. 5 §2: only the head of unit grants; the DPO is notified automatically."""
        self._require_head(granted_by, on, "grant access")
        member = self.get(code)
        if member.role is not Role.GRANTEE:
            raise RegisterError("grants are for art. 5 §2 grantees only", code=code)
        if member.home_service not in COMPETENT_SERVICES:
            raise RegisterError(
                "access may be granted only to a member of a competent service (AR art. 5 §2)",
                code=code,
                service=member.home_service.value,
            )
        _check_clearance(member, on)
        grant = Grant(
            granted_by=granted_by, granted_on=on, valid_until=valid_until, dpo_notified_on=on
        )
        change = Change(
            ChangeKind.GRANT_ACCESS, granted_by, on, code, "DPO notified (AR art. 5 §2)"
        )
        return self._with(replace(member, grant=grant), change)

    def notify_supervisor(self, code: str, *, actor: str, on: date) -> tuple[StaffRegister, Change]:
        """The DPO informs the APD of a grant (AR art. 5 §2)."""
        dpo = self.members.get(actor)
        if dpo is None or dpo.role is not Role.DPO:
            raise RegisterError("only the DPO informs the supervisor of a grant", actor=actor)
        member = self.get(code)
        if member.grant is None:
            raise RegisterError("no grant to notify", code=code)
        updated = replace(member, grant=replace(member.grant, supervisor_notified_on=on))
        return self._with(updated, Change(ChangeKind.SUPERVISOR_NOTIFIED, actor, on, code, "APD"))

    def revoke_grant(self, code: str, *, actor: str, on: date) -> tuple[StaffRegister, Change]:
        """The head of unit revokes a grant; access ends on ``on``."""
        self._require_head(actor, on, "revoke a grant")
        member = self.get(code)
        if member.grant is None or member.grant.revoked_on is not None:
            raise RegisterError("no live grant to revoke", code=code)
        updated = replace(member, grant=replace(member.grant, revoked_on=on))
        return self._with(updated, Change(ChangeKind.REVOKE_GRANT, actor, on, code))

    def update_code_list(
        self, service: Service, on: date, *, actor: str
    ) -> tuple[StaffRegister, Change]:
        """Record that ``service`` sent its updated code list to the DPO (AR art. 7)."""
        if service not in COMPETENT_SERVICES:
            raise RegisterError("only competent services keep a code list", service=service.value)
        lists = dict(self.code_lists)
        lists[service] = on
        change = Change(ChangeKind.CODE_LIST_UPDATED, actor, on, service.value)
        new = replace(self, code_lists=MappingProxyType(lists), history=(*self.history, change))
        return new, change

    def code_list_overdue(self, service: Service, on: date) -> bool:
        return code_list_overdue(self, service, on)


def code_list_overdue(register: StaffRegister, service: Service, on: date) -> bool:
    """R-ACC-03 (AR art. 7): no list yet, or the last one is older than 365 days."""
    last = register.code_lists.get(service)
    return last is None or (on - last).days > CODE_LIST_MAX_AGE_DAYS

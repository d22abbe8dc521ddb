"""Sessions: who works, under which purpose, and every read of personal data decided and audited.

``Lab.session(user=None, purpose=..., request=None, authorisation=None)`` opens a
:class:`Session` (R-ACC-03, R-LOG-02, R-SCOPE-03):

* **Identity.** The user is the ``user`` argument, else ``PIU_LAB_USER``, else
  ``JUPYTERHUB_USER`` (on a shared Voilà dashboard that variable names the server's owner, not
  the viewer: a deployment that shares dashboards sets ``PIU_LAB_USER`` per viewer, see
  docs/jupyter-stack.md), and is looked up by identification code in the staff register (AR
  art. 7). It is never guessed from the operating-system login. No user, an unknown code, an
  inactive member or no purpose: the session is refused (``AccessDenied``) and the refusal
  audited.
* **Every call decided and audited.** Each method that returns personal data asks
  :func:`piu_lab.access.policy.decide` first (with the register as it stands *at that call*:
  a clearance that lapses or a grant revoked mid-session ends access at the next call), then
  writes exactly one audit event, allowed or denied, with the rule, the purpose, the request
  and the number of records (never a value), and raises ``AccessDenied`` when refused.
* **Obligations applied here.** Masking (after six months, or always under criteria analysis)
  is applied to the frames before they leave the facade (:mod:`piu_lab.access.masking`): a
  view cannot forget it. There is no switch that disables any of this.

* **Targeted searches** run under a request and its authorisation, checked against the
  request register (:mod:`piu_lab.lifecycle.requests`) at every call: unknown, refused,
  expired or another service's is refused (``ACC-SRCH-03``); an authorisation that names its
  records limits every read to them (``ACC-SRCH-04``); unmasking follows from it.

The hit methods are :mod:`piu_lab.session.hits`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from piu_lab.access.masking import mask_frame, masked_groups, pseudonym_key
from piu_lab.access.persist import load_register
from piu_lab.access.policy import (
    RULES,
    Action,
    AuthorityType,
    Context,
    Decision,
    FieldGroup,
    Purpose,
    Resource,
    ResourceKind,
    decide,
)
from piu_lab.access.register import Member
from piu_lab.audit import AuditAction, AuditLog
from piu_lab.audit import Decision as Verdict
from piu_lab.audit.export import write_export
from piu_lab.clock import Clock
from piu_lab.errors import AccessDenied, ConfigurationError, StoreError
from piu_lab.lifecycle import requests
from piu_lab.matching.frames import travellers_from_journeys
from piu_lab.matching.search import MAX_SEARCH_DAYS, check_search, search_travellers
from piu_lab.session import unseal
from piu_lab.store import Store

__all__ = [
    "ENV_VARIABLES",
    "MAX_SEARCH_DAYS",
    "Identity",
    "PnrRecord",
    "SearchPage",
    "SessionCore",
    "resolve_user",
]

#: Where the user comes from when not given, in this order (never the OS login).
ENV_VARIABLES = ("PIU_LAB_USER", "JUPYTERHUB_USER")
#: The actor recorded when no identification code could be established.
UNIDENTIFIED = "unidentified"
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")
_AUDIT_ACTION = {
    Action.CONSULT_PNR: AuditAction.CONSULT,
    Action.CONSULT_HIT: AuditAction.CONSULT,
    Action.SEARCH: AuditAction.CONSULT,
    Action.READ_AUDIT: AuditAction.LOG_READ,
    Action.EXPORT_AUDIT: AuditAction.EXPORT,
    Action.VALIDATE_HIT: AuditAction.VALIDATE,
}


def resolve_user(user: str | None, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The identification code and where it came from (``argument``, ``PIU_LAB_USER``,
    ``JUPYTERHUB_USER``); ``("", "none")`` when nobody is named."""
    if user is not None and user.strip():
        return user.strip(), "argument"
    env = os.environ if environ is None else environ
    for variable in ENV_VARIABLES:
        value = env.get(variable, "").strip()
        if value:
            return value, variable
    return "", "none"


def as_purpose(purpose: Purpose | str | None) -> Purpose | None:
    if purpose is None or isinstance(purpose, Purpose):
        return purpose
    try:
        return Purpose(str(purpose).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise ConfigurationError(
            f"unknown purpose {purpose!r}",
            hint="one of: " + ", ".join(p.value for p in Purpose),
            purpose=str(purpose),
        ) from None


def rule_denial(rule_id: str, detail: str = "") -> Decision:
    rule = RULES[rule_id]
    return Decision(False, rule.id, f"{rule.text}{': ' + detail if detail else ''} ({rule.cites})")


def actor_code(code: str) -> str:
    ok = 0 < len(code) <= 64 and set(code) <= _CODE_CHARS and code[0].isalnum()
    return code if ok else UNIDENTIFIED


@dataclass(frozen=True, slots=True)
class Identity:
    """Who works and why, shown by every view (no passenger data)."""

    code: str
    name: str
    role: str
    service: str
    purpose: str
    request_id: str | None
    authorisation_id: str | None
    source: str

    def banner(self) -> str:
        """One line for the top of a view: name, code, role, service and purpose."""
        request = f", request {self.request_id}" if self.request_id else ""
        return (
            f"{self.name} ({self.code}, {self.role.replace('_', ' ')}, "
            f"{self.service.replace('_', ' ')}) under {self.purpose.replace('_', ' ')}{request}"
        )


@dataclass(frozen=True, slots=True)
class PnrRecord:
    """Every stored row of one PNR (all versions), masked as the decision said.

    ``tables`` maps each PNR table name to its rows; ``masked`` lists the field groups masked.
    """

    pnr_id: str
    registered_at: datetime
    masked: frozenset[FieldGroup]
    tables: Mapping[str, pd.DataFrame]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results (``results``), best score first, and how many there are.

    ``masked_excluded`` counts travellers not searched because their data are masked (older
    than six months without an unmasking authorisation: R-RET-02, R-RET-04).
    """

    results: pd.DataFrame
    total: int
    page: int
    page_size: int
    travellers_searched: int
    masked_excluded: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(slots=True)
class Call:
    """What one audited call reports back: objects consulted, records returned, masking."""

    decision: Decision
    objects: tuple[str, ...]
    record_count: int = 0
    detail: dict[str, str | int] = field(default_factory=dict)
    audit_action: AuditAction | None = None


class SessionCore:
    """One identified member working under one purpose: identity, the gate, PNR reads, search
    and the audit log (the hit methods are :class:`piu_lab.session.hits.Session`'s)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        code: str,
        purpose: Purpose,
        request_id: str | None,
        authorisation_id: str | None,
        source: str,
    ) -> None:
        self._store = store
        self._clock = clock
        self._log = AuditLog(store, clock)
        self.code = code
        self.purpose = purpose
        self.request_id = request_id
        self.authorisation_id = authorisation_id
        self.source = source
        #: the request register's answer for the call in progress (targeted searches)
        self._checked: requests.Check | None = None

    # -- identity ---------------------------------------------------------------------------

    def member(self) -> Member | None:
        """The member as the register stands now (None when no longer in it)."""
        return load_register(self._store).members.get(self.code)

    def whoami(self) -> Identity:
        """Who this session is, for the banner of every view."""
        member = self.member()
        return Identity(
            code=self.code,
            name=member.name if member else "?",
            role=member.role.value if member else "?",
            service=member.home_service.value if member else "?",
            purpose=self.purpose.value,
            request_id=self.request_id,
            authorisation_id=self.authorisation_id,
            source=self.source,
        )

    def _request(self) -> requests.Check | None:
        """Under a targeted search, what the request register says of this session's request
        and authorisation now (R-SRCH-01/02); None under any other purpose."""
        if self.purpose is not Purpose.TARGETED_SEARCH:
            return None
        member = self.member()
        service = member.home_service.value if member is not None else ""
        return requests.check(
            self._store, self.request_id, self.authorisation_id, service, self._clock.now()
        )

    def _context(self) -> Context:
        checked = self._checked
        unmask = checked is not None and checked.ok and checked.unmask
        return Context(
            on=self._clock.now().date(),
            purpose=self.purpose,
            request_id=self.request_id,
            authorisation_id=self.authorisation_id,
            unmask_authorisation_id=self.authorisation_id if unmask else None,
            unmask_authority=AuthorityType(checked.authority) if unmask and checked else None,
        )

    def _decide(self, member: Member | None, action: Action, resource: Resource) -> Decision:
        if member is None:
            return rule_denial("ACC-ID-02")
        return decide(member, action, resource, self._context())

    # -- the gate ---------------------------------------------------------------------------

    def _append(self, action: Action, call: Call, method: str) -> None:
        allowed = call.decision.allowed
        self._log.append(
            actor=self.code,
            action=call.audit_action or _AUDIT_ACTION[action],
            objects=call.objects,
            record_count=call.record_count,
            decision=Verdict.ALLOWED if allowed else Verdict.DENIED,
            purpose=self.purpose.value,
            request_id=self.request_id,
            rule_id=call.decision.rule_id,
            detail={"method": method, **call.detail},
        )

    @contextmanager
    def _audited(
        self,
        method: str,
        action: Action,
        resource: Resource,
        objects: tuple[str, ...],
        *,
        veto: Decision | None = None,
        audit_action: AuditAction | None = None,
        pnr_id: str | None = None,
    ) -> Iterator[Call]:
        """Decide (a ``veto`` from the method's own rule wins), then yield to the read;
        exactly one audit event either way."""
        self._checked = self._request()
        decision = self._decide(self.member(), action, resource)
        checked = self._checked
        if decision.allowed and checked is not None and not checked.ok:
            veto = rule_denial("ACC-SRCH-03", checked.reason)
        elif (
            decision.allowed and checked and checked.scope and pnr_id not in (None, *checked.scope)
        ):
            veto = rule_denial("ACC-SRCH-04", f"PNR {pnr_id}")
        chosen = veto if veto is not None and decision.allowed else decision
        call = Call(chosen, objects, audit_action=audit_action)
        if not call.decision.allowed:
            self._append(action, call, method)
            raise AccessDenied(
                f"{action.value} denied to {self.code} by {call.decision.rule_id}: "
                f"{call.decision.reason}",
                rule_id=call.decision.rule_id,
                subject=self.code,
                action=action.value,
                resource=resource.kind.value,
                reason=call.decision.reason,
            )
        try:
            yield call
        except BaseException as exc:
            call.detail["outcome"] = f"error:{type(exc).__name__}"
            raise
        finally:
            self._append(action, call, method)

    def _scoped(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Under an authorisation that names its records, only those PNRs (R-RET-04)."""
        checked = self._checked
        if checked is None or not checked.scope:
            return frame
        return frame[frame["pnr_id"].isin(set(checked.scope))].reset_index(drop=True)

    def _by_registration(
        self, registered: pd.Series, action: Action
    ) -> list[tuple[np.ndarray[Any, np.dtype[np.bool_]], frozenset[FieldGroup]]]:
        """The rows of each registration date and the field groups the decision for that
        date masks (all of them when, against expectation, it is denied: fail closed)."""
        member = self.member()
        days = pd.to_datetime(registered, utc=True).dt.date.reset_index(drop=True)
        out = []
        for day in days.dropna().unique():
            decision = self._decide(member, action, Resource(ResourceKind.PNR, registered_on=day))
            groups = masked_groups(decision) if decision.allowed else frozenset(FieldGroup)
            out.append(((days == day).to_numpy(), groups))
        return out

    def _pseudonym_key(self) -> bytes | None:
        """Under criteria analysis masked text becomes keyed pseudonyms (the same value, the
        same token), so that patterns can still be linked on masked data (R-SRCH-03)."""
        return pseudonym_key() if self.purpose is Purpose.CRITERIA_ANALYSIS else None

    def _mask_rows(
        self, frame: pd.DataFrame, view: str, action: Action, registered: pd.Series, call: Call
    ) -> pd.DataFrame:
        """Mask each row as the decision for its registration date says (R-RET-02)."""
        masked = np.zeros(len(frame), dtype=bool)
        key = self._pseudonym_key()
        for rows, groups in self._by_registration(registered, action):
            if groups:
                frame = mask_frame(frame, view, groups, rows, key=key)
                masked |= rows
        call.detail["masked_rows"] = int(masked.sum())
        return frame.assign(masked=masked)

    def _log_unmasked(self, call: Call, opened: Mapping[str, int]) -> None:
        """Re-personalisation is logged field by field (R-RET-04): one ``unmasked:`` object per
        ``table.column`` opened, the number of values in the detail; the event is an UNMASK."""
        fields = sorted(f for f, n in opened.items() if n)
        if not fields:
            return
        call.objects = (*call.objects, *(f"unmasked:{f}" for f in fields))
        call.detail["unmasked_values"] = int(sum(opened.values()))
        call.detail["unmasked_fields"] = len(fields)
        call.audit_action = AuditAction.UNMASK

    def _unseal_journeys(self, frame: pd.DataFrame, call: Call) -> pd.DataFrame:
        """Journeys of PNRs masked in the tables, opened when this session's authorisation
        allows unmasking, within its scope (R-RET-04); others stay as they are."""
        checked = self._checked
        if frame.empty or checked is None or not checked.ok or not checked.unmask:
            return frame
        frame, opened = unseal.journeys(self._store, frame, checked.scope)
        self._log_unmasked(call, opened)
        return frame

    # -- personal data ------------------------------------------------------------------------

    def journeys(self, day: date, *, belgium_only: bool = True) -> pd.DataFrame:
        """Passenger x segment rows departing on ``day`` (UTC), masked per row after six
        months or under criteria analysis (``CONSULT_PNR``; R-RET-02, R-LOG-02). The
        ``read_journeys`` columns plus ``masked`` (True where the row's identifying columns
        are masked, so a view can say so instead of showing an empty cell)."""
        resource = Resource(ResourceKind.PNR)
        with self._audited(
            "journeys", Action.CONSULT_PNR, resource, (f"day:{day.isoformat()}",)
        ) as call:
            frame = self._scoped(self._store.read_journeys(day, belgium_only=belgium_only))
            frame = self._unseal_journeys(frame, call)
            frame = self._mask_rows(
                frame, "journeys", Action.CONSULT_PNR, frame["registered_at"], call
            )
            call.record_count = len(frame)
            return frame

    def pnr(self, pnr_id: str) -> PnrRecord:
        """Every stored version of one PNR, table by table, masked as decided
        (``CONSULT_PNR``). Raises ``StoreError`` (after the audit event) when not stored."""
        registered = self._store.pnr_registered_at(pnr_id)
        resource = Resource(
            ResourceKind.PNR, registered_on=registered.date() if registered else None
        )
        with self._audited(
            "pnr", Action.CONSULT_PNR, resource, (f"pnr:{pnr_id}",), pnr_id=pnr_id
        ) as call:
            if registered is None:
                raise StoreError(f"no PNR {pnr_id!r} is stored", pnr_id=pnr_id)
            groups = masked_groups(call.decision)
            tables = self._store.read_pnr_tables(pnr_id)
            if groups:
                key = self._pseudonym_key()
                tables = {name: mask_frame(t, name, groups, key=key) for name, t in tables.items()}
            elif tables["pnr"]["masked_at"].notna().any():
                tables, opened = unseal.pnr_tables(self._store, pnr_id, tables)
                self._log_unmasked(call, opened)
            call.record_count = sum(len(t) for t in tables.values())
            call.detail["masked_groups"] = len(groups)
            return PnrRecord(pnr_id, registered, frozenset(groups), dict(tables))

    def search(
        self,
        *,
        departing_from: date,
        departing_to: date | None = None,
        name: str | None = None,
        document: str | None = None,
        date_of_birth: str | None = None,
        page: int = 0,
        page_size: int = 50,
        threshold: float | None = None,
    ) -> SearchPage:
        """Travellers departing in a period who match a name (fuzzy, with the screening
        engine) and/or a document number (``SEARCH``): a targeted search under a request and
        its authorisation (R-SRCH-01), or the DPO and supervisors checking. Selectors that
        identify a person are refused under criteria analysis (R-SRCH-03); travellers whose
        data are masked are not searched, only counted (R-RET-02). The selectors are never
        written to the audit log, only which kinds were used."""
        last = departing_to or departing_from
        check_search(name, document, departing_from, last, page, page_size)
        kinds = "+".join(k for k, v in (("name", name), ("document", document)) if v)
        resource = Resource(ResourceKind.PNR)
        veto = rule_denial("ACC-ANA-02") if self.purpose is Purpose.CRITERIA_ANALYSIS else None
        with self._audited("search", Action.SEARCH, resource, (), veto=veto) as call:
            call.detail.update({"selectors": kinds, "days": (last - departing_from).days + 1})
            days = [
                departing_from + timedelta(days=k) for k in range((last - departing_from).days + 1)
            ]
            journeys = pd.concat([self._store.read_journeys(d) for d in days], ignore_index=True)
            journeys = self._unseal_journeys(journeys, call)
            travellers = travellers_from_journeys(journeys)
            registered = journeys.drop_duplicates(["pnr_id", "pax_ref"])["registered_at"]
            masked = np.zeros(len(travellers), dtype=bool)
            for rows, groups in self._by_registration(registered, Action.SEARCH):
                if groups:
                    masked |= rows
            searchable = travellers[~masked].reset_index(drop=True)
            found = self._scoped(
                search_travellers(searchable, name, document, date_of_birth, threshold)
            )
            first = page * page_size
            results = found.iloc[first : first + page_size].reset_index(drop=True)
            call.record_count = len(results)
            call.detail.update({"total": len(found), "masked_excluded": int(masked.sum())})
            return SearchPage(
                results=results,
                total=len(found),
                page=page,
                page_size=page_size,
                travellers_searched=len(searchable),
                masked_excluded=int(masked.sum()),
            )

    # -- the audit log ----------------------------------------------------------------------

    def audit_events(self, from_seq: int = 1, to_seq: int | None = None) -> pd.DataFrame:
        """The audit log's events ``from_seq..to_seq`` (``READ_AUDIT``: the DPO and the
        supervisors only, R-LOG-03); one row per event with its hashes."""
        resource = Resource(ResourceKind.AUDIT_LOG)
        with self._audited("audit_events", Action.READ_AUDIT, resource, ()) as call:
            stored = self._log.read(from_seq, to_seq)
            rows = [
                {**s.event.fields(), "prev_hash": s.prev_hash.hex(), "hash": s.hash.hex()}
                for s in stored
            ]
            call.record_count = len(rows)
            call.detail.update({"from_seq": from_seq, "to_seq": to_seq or 0})
            frame: pd.DataFrame = pd.DataFrame(rows)
            return frame

    def export_audit(self, out: Path, private_key: Any, from_seq: int, to_seq: int) -> Path:
        """Verify the whole log, then write events ``from_seq..to_seq`` as signed JSON Lines
        for a supervisory body (``EXPORT_AUDIT``, obligation SIGN_EXPORT; R-LOG-03)."""
        resource = Resource(ResourceKind.AUDIT_LOG)
        with self._audited("export_audit", Action.EXPORT_AUDIT, resource, ()) as call:
            self._log.verify().raise_if_broken()
            written = write_export(out, self._log.read(from_seq, to_seq), from_seq, to_seq,
                                   private_key)  # fmt: skip
            call.record_count = to_seq - from_seq + 1
            call.detail.update({"from_seq": from_seq, "to_seq": to_seq, "signed": "ed25519"})
            return written

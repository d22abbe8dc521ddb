"""The register of targeted-search requests and their authorisations (R-SRCH-01/02, R-RET-04).

A competent service asks the PIU for a targeted search: the requesting service, its case
reference, the offence category, the selectors, the grounds and whether it is urgent. A search
(or an unmasking) runs only under an **authorisation by a court or an independent body** (DIR
art. 12(3); CJEU C-817/19 ¶¶ 221-226): its authority type, reference and date, whether it
allows unmasking, the records in scope (PNR ids, or every record the request's selectors find)
and until when. The PIU itself cannot authorise: an authorisation's authority is never the PIU.

Urgent requests (CJEU ¶ 223) may be processed before the authorisation: the head of unit opens
the urgent path, which expires unless an ex-post review is recorded within
:data:`EX_POST_REVIEW` (our proposal: 72 hours; the law says "within a short time"). The DPO is
notified of every approval that is not a court's. :func:`check` is what the session facade asks
at every call made under a request: known, for the member's service, authorised (or urgent and
still within the ex-post deadline), not expired, not refused.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from piu_lab.errors import InvalidRecord
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_lifecycle import search_authorisation, search_request

__all__ = [
    "EX_POST_REVIEW",
    "Authorisation",
    "Authority",
    "Check",
    "SearchRequest",
    "check",
    "file_request",
    "open_urgent",
    "record_authorisation",
    "requests_frame",
]

#: The urgent path's ex-post review deadline (our proposal; CJEU ¶ 223 "within a short time").
EX_POST_REVIEW = timedelta(hours=72)


class Authority(enum.Enum):
    """Who may authorise (DIR art. 12(3); CJEU ¶¶ 221-226): never the PIU."""

    COURT = "court"
    INDEPENDENT_BODY = "independent_body"


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A service's request for a targeted search (R-SRCH-01)."""

    request_id: str
    requesting_service: str
    case_reference: str
    offence_category: str
    selectors: tuple[str, ...]
    grounds: str
    urgent: bool = False

    def problems(self) -> list[str]:
        found = []
        if not self.request_id.strip() or " " in self.request_id:
            found.append("request_id: a code without spaces")
        if not self.requesting_service.strip():
            found.append("requesting_service: empty")
        if len(self.case_reference.strip()) < 3:
            found.append("case_reference: the service's case reference")
        if not self.offence_category.strip():
            found.append("offence_category: an Annex II category or terrorism")
        if not self.selectors or not all(s.strip() for s in self.selectors):
            found.append("selectors: the persons or identifiers sought")
        if len(self.grounds.strip()) < 20:
            found.append("grounds: why the search is needed (at least 20 characters)")
        return found


@dataclass(frozen=True, slots=True)
class Authorisation:
    """An authority's decision on a request (R-SRCH-02)."""

    authorisation_id: str
    request_id: str
    authority: Authority  # a court or an independent body: there is no value for the PIU
    reference: str
    decided_on: date
    granted: bool
    valid_until: date
    unmask: bool = False
    scope: tuple[str, ...] = ()  # PNR ids; empty: what the request's selectors find


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of :func:`check`: allowed or not, why, and what the authorisation allows."""

    ok: bool
    reason: str
    unmask: bool = False
    scope: tuple[str, ...] = ()
    authority: str | None = None


def file_request(
    store: Store, request: SearchRequest, *, actor: str, at: datetime
) -> SearchRequest:
    """Record a request (as received from the service); nothing is searched yet."""
    problems = request.problems()
    if problems:
        raise InvalidRecord(
            f"request {request.request_id!r}: " + "; ".join(problems),
            errors=tuple(problems),
            hint="R-SRCH-01: a request names the service, case, offence, selectors and grounds",
        )
    with store.engine.begin() as conn:
        exists = conn.execute(
            select(func.count()).where(search_request.c.request_id == request.request_id)
        ).scalar_one()
        if exists:
            raise InvalidRecord(
                f"request {request.request_id} is registered already",
                errors=("request_id: already used",),
            )
        conn.execute(
            search_request.insert().values(
                request_id=request.request_id,
                filed_at=naive_utc(at),
                filed_by=actor,
                requesting_service=request.requesting_service,
                case_reference=request.case_reference,
                offence_category=request.offence_category,
                selectors=json.dumps(list(request.selectors), ensure_ascii=False),
                grounds=request.grounds,
                urgent=request.urgent,
                urgent_opened_at=None,
                urgent_opened_by=None,
            )
        )
    return request


def record_authorisation(
    store: Store, authorisation: Authorisation, *, actor: str, at: datetime
) -> bool:
    """Record an authority's decision on a request; returns whether the DPO must be notified
    (every approval that is not a court's)."""
    problems = []
    if len(authorisation.reference.strip()) < 3:
        problems.append("reference: the authority's reference")
    if authorisation.valid_until < authorisation.decided_on:
        problems.append("valid_until: before the decision")
    if problems:
        raise InvalidRecord("authorisation: " + "; ".join(problems), errors=tuple(problems))
    notify = authorisation.granted and authorisation.authority is not Authority.COURT
    with store.engine.begin() as conn:
        known = conn.execute(
            select(func.count()).where(search_request.c.request_id == authorisation.request_id)
        ).scalar_one()
        if not known:
            raise InvalidRecord(
                f"no request {authorisation.request_id!r}", errors=("request_id: unknown",)
            )
        conn.execute(
            search_authorisation.insert().values(
                authorisation_id=authorisation.authorisation_id,
                request_id=authorisation.request_id,
                authority=authorisation.authority.value,
                reference=authorisation.reference,
                decided_on=authorisation.decided_on,
                granted=authorisation.granted,
                valid_until=authorisation.valid_until,
                unmask=authorisation.unmask,
                scope=json.dumps(list(authorisation.scope)),
                recorded_at=naive_utc(at),
                recorded_by=actor,
                dpo_notified_at=naive_utc(at) if notify else None,
            )
        )
    return notify


def open_urgent(store: Store, request_id: str, *, actor: str, at: datetime) -> datetime:
    """Open the urgent path of an urgent request; returns the ex-post review deadline."""
    r = search_request.c
    with store.engine.begin() as conn:
        row = conn.execute(select(r.urgent).where(r.request_id == request_id)).first()
        if row is None:
            raise InvalidRecord(f"no request {request_id!r}", errors=("request_id: unknown",))
        if not row.urgent:
            raise InvalidRecord(
                f"request {request_id} is not urgent: it waits for its authorisation",
                errors=("urgent: no",),
            )
        conn.execute(
            update(search_request)
            .where(r.request_id == request_id)
            .values(urgent_opened_at=naive_utc(at), urgent_opened_by=actor)
        )
    return naive_utc(at) + EX_POST_REVIEW


def check(
    store: Store, request_id: str | None, authorisation_id: str | None, service: str, now: datetime
) -> Check:
    """May a member of ``service`` work under this request and authorisation now?"""
    if not request_id:
        return Check(False, "no request named")
    moment = naive_utc(now)
    r, a = search_request.c, search_authorisation.c
    with store.engine.connect() as conn:
        req = conn.execute(select(search_request).where(r.request_id == request_id)).first()
        auth = None
        if authorisation_id:
            auth = conn.execute(
                select(search_authorisation).where(a.authorisation_id == authorisation_id)
            ).first()
        later = conn.execute(select(func.count()).where(a.request_id == request_id)).scalar_one()
    if req is None:
        return Check(False, f"request {request_id} is not registered")
    if req.requesting_service != service:
        return Check(False, f"request {request_id} is another service's")
    if auth is None:
        if authorisation_id:
            return Check(False, f"authorisation {authorisation_id} is not registered")
        opened = req.urgent_opened_at
        if opened is None:
            return Check(False, f"request {request_id} has no authorisation yet")
        if later:
            return Check(False, "the ex-post review is recorded: work under its authorisation")
        if moment > _as_datetime(opened) + EX_POST_REVIEW:
            return Check(False, "the urgent path expired without its ex-post review")
        return Check(True, "urgent path, ex-post review due")
    if auth.request_id != request_id:
        return Check(False, f"authorisation {authorisation_id} is for another request")
    if not auth.granted:
        return Check(False, f"authorisation {authorisation_id} was refused")
    if moment.date() > auth.valid_until:
        return Check(False, f"authorisation {authorisation_id} expired on {auth.valid_until}")
    scope = tuple(json.loads(auth.scope))
    return Check(
        True,
        f"authorised by {auth.authority} {auth.reference}",
        bool(auth.unmask),
        scope,
        str(auth.authority),
    )


def _as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def requests_frame(store: Store) -> list[dict[str, object]]:
    """Every request with its authorisations (no selectors: those are personal data)."""
    r, a = search_request.c, search_authorisation.c
    with store.engine.connect() as conn:
        reqs = conn.execute(
            select(r.request_id, r.requesting_service, r.case_reference, r.offence_category,
                   r.urgent, r.urgent_opened_at, r.filed_at).order_by(r.filed_at)
        ).all()  # fmt: skip
        auths = conn.execute(
            select(a.request_id, a.authorisation_id, a.authority, a.granted, a.valid_until,
                   a.unmask, a.dpo_notified_at)
        ).all()  # fmt: skip
    by_request: dict[str, list[dict[str, object]]] = {}
    for row in auths:
        by_request.setdefault(str(row.request_id), []).append(dict(row._mapping))
    return [
        {**dict(row._mapping), "authorisations": by_request.get(str(row.request_id), [])}
        for row in reqs
    ]

"""The session facade (R-ACC-03, R-LOG-02): who works, under which purpose, and every read of
personal data decided by the access policy, audited once, and masked as decided.

See :mod:`piu_lab.session.core` (identity, the gate, PNR reads, search, the audit log) and
:mod:`piu_lab.session.hits` (the hit queue, the review, notifications).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from piu_lab.access.persist import load_register
from piu_lab.access.policy import RULES, Purpose
from piu_lab.access.register import is_active
from piu_lab.audit import AuditAction, AuditLog
from piu_lab.audit import Decision as Verdict
from piu_lab.clock import Clock
from piu_lab.errors import AccessDenied
from piu_lab.session.core import (
    ENV_VARIABLES,
    UNIDENTIFIED,
    Identity,
    PnrRecord,
    SearchPage,
    actor_code,
    as_purpose,
    resolve_user,
)
from piu_lab.session.hits import HitCard, Session
from piu_lab.store import Store

__all__ = [
    "ENV_VARIABLES",
    "PERSONAL_DATA_METHODS",
    "WORKFLOW_METHODS",
    "HitCard",
    "Identity",
    "PnrRecord",
    "SearchPage",
    "Session",
    "open_session",
    "resolve_user",
]

#: The :class:`Session` methods that return personal data (each decides and audits once).
PERSONAL_DATA_METHODS = (
    "journeys", "pnr", "search", "audit_events", "export_audit", "hits", "hit", "disclose_hit",
    "notifications", "disparity",
)  # fmt: skip
#: The methods that change the workflow or its sources (each decides and audits once).
WORKFLOW_METHODS = (
    "start_review", "decide_hit", "close_ocam_task", "record_follow_up", "register_watchlist",
    "register_criterion", "approve_criterion", "file_request", "record_authorisation",
    "open_urgent", "record_scope_decision", "revoke_scope_decision", "record_retention",
)  # fmt: skip


def _refuse(log: AuditLog, actor: str, rule_id: str, why: str, **audit: Any) -> AccessDenied:
    rule = RULES[rule_id]
    log.append(
        actor=actor,
        action=AuditAction.OPEN_SESSION,
        decision=Verdict.DENIED,
        rule_id=rule_id,
        **audit,
    )
    return AccessDenied(
        f"no session for {actor}: {why} ({rule.cites})",
        rule_id=rule_id,
        subject=actor,
        action="open_session",
        reason=why,
        hint="name a member of the staff register (user=, PIU_LAB_USER) and declare a purpose",
    )


def open_session(
    store: Store,
    clock: Clock,
    user: str | None = None,
    *,
    purpose: Purpose | str | None,
    request: str | None = None,
    authorisation: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Session:
    """Identify the user, check they may work now under ``purpose``, audit the opening."""
    log = AuditLog(store, clock)
    code, source = resolve_user(user, environ)
    wanted = as_purpose(purpose)
    purpose_text = wanted.value if wanted else None
    if not code:
        raise _refuse(log, UNIDENTIFIED, "ACC-ID-01", "no user named", purpose=purpose_text)
    actor = actor_code(code)
    member = load_register(store).members.get(code) if actor == code else None
    if member is None:
        raise _refuse(log, actor, "ACC-ID-02", "not in the staff register", purpose=purpose_text)
    on = clock.now().date()
    active, why = is_active(member, on)
    if not active:
        raise _refuse(log, code, "ACC-ACT-01", why, purpose=purpose_text)
    if wanted is None:
        raise _refuse(log, code, "ACC-PUR-01", "no purpose declared")
    log.append(
        actor=code,
        action=AuditAction.OPEN_SESSION,
        purpose=wanted.value,
        request_id=request,
        detail={"source": source},
    )
    return Session(
        store,
        clock,
        code=code,
        purpose=wanted,
        request_id=request,
        authorisation_id=authorisation,
        source=source,
    )

"""The register of scope decisions and the counts of what they refused (R-SCOPE-02).

Extra-EU flights may be processed for all passengers. Intra-EU flights, and rail, bus and sea
journeys, only under a decision (:class:`~piu_lab.ingest.scope.ScopeDecision`): for all such
journeys while a genuine and present or foreseeable terrorist threat lasts, or for selected
routes, for a limited period, with a review date, open to review by a court or an independent
body (CJEU C-817/19 operative point 7). The head of unit (or a deputy) records and revokes
decisions through the session facade (``ACC-SRC-01``); the ingest reads the decisions that are
not revoked (:func:`piu_lab.ingest.pipeline.scope_rules`) and refuses, per PNR and per manifest,
what none of them covers on its day of receipt, counting it in ``scope_refusal`` (no value).

A revoked decision covers nothing any more, whatever the day of receipt of what comes in after
its revocation. Decisions hold no personal data: listing them needs no session.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select, update

from piu_lab.errors import ScopeError
from piu_lab.ingest.scope import ScopeDecision, decision_from_row, decision_row
from piu_lab.places import find_place
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_lifecycle import scope_decision, scope_refusal

__all__ = [
    "DECISION_COLUMNS",
    "decisions",
    "decisions_frame",
    "record_decision",
    "refusals_frame",
    "revoke_decision",
    "state_on",
]

#: The columns of :func:`decisions_frame`.
DECISION_COLUMNS = (
    "decision_id", "state", "review_due", "sectors", "routes", "starts_on", "ends_on",
    "next_review", "legal_basis", "threat_assessment", "ocam_level", "ocam_date", "ocam_source",
    "recorded_at", "recorded_by", "revoked_at",
)  # fmt: skip


def record_decision(store: Store, decision: ScopeDecision, *, actor: str, at: datetime) -> None:
    """Store a new decision (its id unused; its routes known places)."""
    problems = decision.problems(find_place)
    if problems:
        raise ScopeError(
            f"scope decision {decision.decision_id!r} refused: " + "; ".join(problems),
            errors=tuple(problems),
            decision_id=decision.decision_id,
            fields=tuple(sorted({p.split(":", 1)[0] for p in problems})),
        )
    d = scope_decision.c
    with store.engine.begin() as conn:
        used = conn.execute(
            select(func.count()).where(d.decision_id == decision.decision_id)
        ).scalar_one()
        if used:
            raise ScopeError(
                f"scope decision {decision.decision_id} is recorded already",
                errors=("decision_id: already used",),
                decision_id=decision.decision_id,
                hint="a decision is never changed: record a new one (and revoke the old one)",
            )
        conn.execute(
            scope_decision.insert().values(
                **decision_row(decision),
                recorded_at=naive_utc(at),
                recorded_by=actor,
                revoked_at=None,
            )
        )


def revoke_decision(store: Store, decision_id: str, *, at: datetime) -> None:
    """Withdraw a decision from ``at`` on: nothing is taken in under it any more. Who revoked
    it is the actor of the session's audit event (the table keeps when)."""
    d = scope_decision.c
    with store.engine.begin() as conn:
        row = conn.execute(select(d.revoked_at).where(d.decision_id == decision_id)).first()
        if row is None:
            raise ScopeError(
                f"no scope decision {decision_id!r}",
                errors=("decision_id: unknown",),
                decision_id=decision_id,
                hint="piu-lab scope list shows the decisions",
            )
        if row.revoked_at is not None:
            raise ScopeError(
                f"scope decision {decision_id} was revoked on {row.revoked_at:%Y-%m-%d}",
                errors=("revoked_at: already revoked",),
                decision_id=decision_id,
            )
        conn.execute(
            update(scope_decision)
            .where(d.decision_id == decision_id)
            .values(revoked_at=naive_utc(at))
        )


def decisions(store: Store, *, include_revoked: bool = False) -> list[ScopeDecision]:
    """The recorded decisions (by default those not revoked), oldest start first."""
    d = scope_decision.c
    query = select(scope_decision).order_by(d.starts_on, d.decision_id)
    if not include_revoked:
        query = query.where(d.revoked_at.is_(None))
    with store.engine.connect() as conn:
        return [decision_from_row(dict(row._mapping)) for row in conn.execute(query)]


def state_on(starts_on: date, ends_on: date, revoked_at: object, today: date) -> str:
    """``revoked``, ``scheduled`` (not started), ``active`` or ``expired`` on ``today``."""
    if revoked_at is not None:
        return "revoked"
    if today < starts_on:
        return "scheduled"
    return "active" if today <= ends_on else "expired"


def decisions_frame(store: Store, today: date) -> pd.DataFrame:
    """Every decision with its state on ``today`` and whether its review is due (an active
    decision whose ``next_review`` has come): :data:`DECISION_COLUMNS`; no personal data."""
    d = scope_decision.c
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(scope_decision).order_by(
            d.starts_on, d.decision_id))]  # fmt: skip
    records = []
    for row in rows:
        made = decision_from_row(row)
        state = state_on(made.starts_on, made.ends_on, row["revoked_at"], today)
        records.append(
            {
                **row,
                "sectors": ",".join(s.value for s in made.sectors),
                "routes": ",".join(made.routes) if made.routes else "all",
                "state": state,
                "review_due": state == "active" and made.next_review <= today,
            }
        )
    return pd.DataFrame(records, columns=list(DECISION_COLUMNS))


def refusals_frame(store: Store) -> pd.DataFrame:
    """What the ingest refused, per day of receipt, sector and reason: ``day``, ``sector``,
    ``reason``, ``messages``, ``pnrs``, ``journeys`` (counts only)."""
    r = scope_refusal.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(r.received_at, r.sector, r.reason, r.pnrs, r.journeys)).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["received_at", "sector", "reason", "pnrs", "journeys"],
    )
    frame["day"] = pd.to_datetime(frame["received_at"]).dt.date.astype(str)
    frame["messages"] = 1
    out = frame.groupby(["day", "sector", "reason"], as_index=False)[
        ["messages", "pnrs", "journeys"]
    ].sum()
    return out.sort_values(["day", "sector", "reason"]).reset_index(drop=True)

"""The criteria register (R-CRIT-01/02): every version of every criterion, as written and
approved, and the approved ones a screening run evaluates.

A version is stored once with its body (the language form), its fingerprint, its status and
its approval; a changed criterion is a new version (the same id and version with another
content is refused). Approving needs the linter's consent on that day (protected
characteristics, exonerating conditions, the DPO's opinion, the review date:
:func:`piu_lab.criteria.check_approvable`). :func:`criteria_step` plugs the approved criteria
into a screening run: features of the PNRs departing on the run's days, evaluated, routed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select

from piu_lab.access.register import add_years
from piu_lab.criteria import (
    Approval,
    Criterion,
    Status,
    check_approvable,
    evaluate,
    journey_features,
)
from piu_lab.criteria import parse_criterion as _parse
from piu_lab.errors import InvalidRecord
from piu_lab.hits.routing import HIT_COLUMNS, route_criteria_hits
from piu_lab.hits.run import CriteriaStep
from piu_lab.model.hits import CriterionStatus
from piu_lab.store import TABLES, Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_hits import criterion_version

__all__ = [
    "approve",
    "approved_criteria",
    "criteria_step",
    "criterion_versions",
    "latest_version",
    "register_criterion",
]


def register_criterion(store: Store, criterion: Criterion, *, actor: str, at: datetime) -> bool:
    """Store ``criterion`` as written; False when this very version is stored already.
    An approved criterion must pass :func:`check_approvable` on ``at``'s day."""
    if criterion.status is Status.APPROVED:
        check_approvable(criterion, on=at.date())
    c = criterion_version.c
    with store.engine.begin() as conn:
        stored = conn.execute(
            select(c.fingerprint).where(
                c.criterion_id == criterion.id, c.version == criterion.version
            )
        ).scalar_one_or_none()
        if stored == criterion.fingerprint:
            return False
        if stored is not None:
            raise InvalidRecord(
                f"criterion {criterion.id} version {criterion.version} exists with another "
                "content: a change is a new version (R-CRIT-01)",
                errors=("version: already used",),
                criterion_id=criterion.id,
            )
        approval = criterion.approval
        conn.execute(
            criterion_version.insert().values(
                criterion_id=criterion.id,
                version=criterion.version,
                fingerprint=criterion.fingerprint,
                status=CriterionStatus(criterion.status.value.upper()).value,
                body=json.dumps(criterion.to_data(), sort_keys=True, default=str),
                registered_at=naive_utc(at),
                registered_by=actor,
                approved_by=approval.approved_by if approval else None,
                approved_on=approval.approved_on if approval else None,
                next_review=criterion.next_review,
            )
        )
    return True


def criterion_versions(store: Store) -> pd.DataFrame:
    """Every stored version (no body): id, version, status, approval, review date."""
    c = criterion_version.c
    query = select(
        c.criterion_id, c.version, c.status, c.fingerprint, c.registered_at, c.registered_by,
        c.approved_by, c.approved_on, c.next_review,
    ).order_by(c.criterion_id, c.version)  # fmt: skip
    with store.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query)]
    return pd.DataFrame(rows, columns=[col.name for col in query.selected_columns])


def latest_version(store: Store, criterion_id: str) -> Criterion:
    """The newest stored version of one criterion."""
    c = criterion_version.c
    with store.engine.connect() as conn:
        body = conn.execute(
            select(c.body).where(c.criterion_id == criterion_id).order_by(c.version.desc()).limit(1)
        ).scalar_one_or_none()
    if body is None:
        raise InvalidRecord(
            f"no criterion {criterion_id!r} is stored",
            errors=("criterion_id: unknown",),
            criterion_id=criterion_id,
        )
    return _parse(json.loads(str(body)))


def approve(
    store: Store,
    criterion_id: str,
    *,
    actor: str,
    at: datetime,
    dpo_opinion: str,
    dpo_opinion_on: date,
    next_review: date | None = None,
) -> Criterion:
    """Approve the newest version of a criterion as a new version (R-CRIT-02): approved by
    ``actor`` on ``at``'s day after the DPO's opinion, reviewed by ``next_review`` (default:
    one year on); the linter must consent that day. Returns the stored approved version."""
    current = latest_version(store, criterion_id)
    if current.status is Status.APPROVED:
        raise InvalidRecord(
            f"criterion {criterion_id} version {current.version} is approved already",
            errors=("status: approved",),
            criterion_id=criterion_id,
        )
    day = at.date()
    approved = replace(
        current,
        version=current.version + 1,
        status=Status.APPROVED,
        approval=Approval(actor, day, dpo_opinion, dpo_opinion_on),
        next_review=next_review or add_years(day, 1),
        valid_from=max(current.valid_from, day),
    )
    register_criterion(store, approved, actor=actor, at=at)
    return approved


def approved_criteria(store: Store, on: date) -> list[Criterion]:
    """The latest version of each criterion, when approved and valid on ``on``."""
    c = criterion_version.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(c.criterion_id, c.version, c.body).order_by(c.version)).all()
    latest: dict[str, str] = {}
    for criterion_id, _version, body in rows:
        latest[str(criterion_id)] = str(body)
    out = [_parse(json.loads(body)) for body in latest.values()]
    return [crit for crit in out if crit.is_active(on)]


def criteria_step(
    store: Store, days: Sequence[date], criteria: Sequence[Criterion]
) -> CriteriaStep:
    """The run's criteria step: features of the PNRs departing on ``days``, evaluated."""

    def step(travellers: pd.DataFrame, pnr_ids: Sequence[str], now: datetime) -> pd.DataFrame:
        if not criteria:
            return pd.DataFrame(columns=list(HIT_COLUMNS))
        wanted = set(pnr_ids)
        parts: dict[str, list[pd.DataFrame]] = {}
        for day in days:
            for name, frame in store.read_pnr_tables_departing(day).items():
                parts.setdefault(name, []).append(frame[frame["pnr_id"].isin(wanted)])
        tables = {
            name: pd.concat(frames, ignore_index=True).drop_duplicates(
                [c.name for c in TABLES[name].primary_key.columns]
            )  # a PNR departing on several of the days is read once per day
            for name, frames in parts.items()
        }
        features = journey_features(tables)
        fired = evaluate(criteria, features, on=now.date())
        fired = fired[fired["traveller_id"].isin(set(travellers["traveller_id"]))]
        pnrs = tables["pnr"]
        versions = dict(zip(pnrs["pnr_id"].astype(str), pnrs["latest_version"].astype(int),
                            strict=True))  # fmt: skip
        return route_criteria_hits(
            fired.reset_index(drop=True), travellers, run_id="", now=now, pnr_versions=versions
        )

    return step

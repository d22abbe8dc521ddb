"""The human review of hits (R-PRE-02..08, R-CRIT-05): states, the checklist, propagation of
common hits, OCAM tasks, follow-ups and the false-positive memory.

States: ``NEW -> IN_REVIEW -> VALIDATED | REJECTED_FALSE_POSITIVE | REJECTED_DISCRIMINATORY``
(``NEW`` may go straight to a decision). Each step is a new row of the hit's append-only history
(``hit_event``) with the reviewer's identification code; a decision needs a written reason and
the answers of the review checklist, and the answers must agree with the decision (a hit is not
validated by someone who answers that the person is not the one listed). A final state is
final.

* A decision on a hit from a common database or a common criterion counts for every service
  concerned (R-PRE-06): the sibling hits (same passenger-journey, same source) get the same
  state, with ``via_hit`` naming the hit decided and who decided it, and the other services
  are notified.
* A hit validated from the common database of foreign terrorist fighters opens an OCAM
  notification task, which closes only with a transmission reference (R-PRE-07).
* A hit rejected as a false positive is remembered per (source, person) and not raised again
  until the PNR it was built from is deleted (R-PRE-08).
* A validated hit's service records what it did with it (its follow-up, "suite utile").

Access control (who may review which hit) is the session facade's; these functions take an
actor already authorised and check the workflow only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, func, select, update

from piu_lab.errors import HitStateError, InvalidRecord, UnknownHit, WorkflowError
from piu_lab.hits.routing import OUTCOME_LABEL
from piu_lab.model.hits import FINAL_STATUSES, HitStatus
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_hits import (
    follow_up,
    fp_memory,
    hit,
    hit_event,
    notification,
    ocam_task,
    outbox,
)

__all__ = [
    "CHECKLIST",
    "MIN_REASON",
    "Review",
    "close_ocam_task",
    "current_status",
    "decide_hit",
    "record_follow_up",
    "start_review",
]

#: The written review rules every reviewer answers (R-CRIT-05; CJEU C-817/19 ¶¶205-206).
CHECKLIST: Mapping[str, str] = MappingProxyType(
    {
        "same_person": "Is the traveller the person or situation the source describes (name, "
        "date of birth, document; or the conditions of the criterion)?",
        "reasonable_suspicion": "Does the hit give a reasonable suspicion of terrorism or "
        "serious crime (an Annex II offence)?",
        "not_discriminatory": "Is the result free of discrimination: no protected "
        "characteristic (origin, religion, gender, age...) drove it?",
        "data_reliable": "Are the passenger data behind the hit accurate and complete enough?",
    }
)
#: The shortest written reason accepted (characters).
MIN_REASON = 20


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's decision: the final state, the written reason, the checklist answers."""

    status: HitStatus
    reason: str
    checklist: Mapping[str, bool] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What is wrong with the decision (empty: it may be recorded)."""
        found: list[str] = []
        if self.status not in FINAL_STATUSES:
            found.append(f"status: a decision is one of {', '.join(sorted(FINAL_STATUSES))}")
        if len(self.reason.strip()) < MIN_REASON:
            found.append(f"reason: write the reasons (at least {MIN_REASON} characters)")
        missing = [k for k in CHECKLIST if not isinstance(self.checklist.get(k), bool)]
        if missing:
            found.append("checklist: answer " + ", ".join(missing))
        unknown = sorted(set(self.checklist) - set(CHECKLIST))
        if unknown:
            found.append("checklist: unknown question " + ", ".join(unknown))
        if missing or unknown:
            return found
        answers = self.checklist
        if self.status is HitStatus.VALIDATED and not all(answers.values()):
            no = [k for k, v in answers.items() if not v]
            found.append(
                "checklist: a validated hit needs yes to every question, not " + ", ".join(no)
            )
        if self.status is HitStatus.REJECTED_DISCRIMINATORY and answers["not_discriminatory"]:
            found.append("checklist: rejected as discriminatory, yet not_discriminatory is yes")
        if self.status is HitStatus.REJECTED_FALSE_POSITIVE and (
            answers["same_person"] and answers["reasonable_suspicion"]
        ):
            found.append(
                "checklist: a false positive answers no to same_person or reasonable_suspicion"
            )
        return found


def _hit_row(conn: Connection, hit_id: str) -> Any:
    row = conn.execute(select(hit).where(hit.c.hit_id == hit_id)).first()
    if row is None:
        raise UnknownHit(f"no hit {hit_id!r}", hit_id=hit_id)
    return row


def _last(conn: Connection, hit_id: str) -> tuple[int, HitStatus]:
    e = hit_event.c
    row = conn.execute(
        select(e.seq, e.status).where(e.hit_id == hit_id).order_by(e.seq.desc()).limit(1)
    ).first()
    if row is None:  # pragma: no cover - every hit is written with its NEW row
        raise WorkflowError(f"hit {hit_id!r} has no history", hit_id=hit_id)
    return int(row.seq), HitStatus(row.status)


def current_status(store: Store, hit_id: str) -> HitStatus:
    """The state of one hit (the last row of its history)."""
    with store.engine.connect() as conn:
        _hit_row(conn, hit_id)
        return _last(conn, hit_id)[1]


def _append(
    conn: Connection,
    hit_id: str,
    seq: int,
    status: HitStatus,
    actor: str,
    reason: str,
    now: datetime,
    checklist: Mapping[str, bool] | None = None,
    via_hit: str | None = None,
) -> None:
    conn.execute(
        hit_event.insert().values(
            hit_id=hit_id,
            seq=seq,
            at=now,
            actor=actor,
            status=status.value,
            reason=reason,
            checklist=json.dumps(dict(checklist or {}), sort_keys=True),
            via_hit=via_hit,
        )
    )


def start_review(store: Store, hit_id: str, *, actor: str, at: datetime) -> HitStatus:
    """Take a NEW hit into review (a no-op for a hit already in review)."""
    now = naive_utc(at)
    with store.engine.begin() as conn:
        _hit_row(conn, hit_id)
        seq, status = _last(conn, hit_id)
        if status is HitStatus.IN_REVIEW:
            return status
        if status is not HitStatus.NEW:
            raise HitStateError(
                f"hit {hit_id} is {status.value}: a final state is final",
                hit_id=hit_id,
                status=status.value,
            )
        _append(conn, hit_id, seq + 1, HitStatus.IN_REVIEW, actor, "review started", now)
    return HitStatus.IN_REVIEW


def _siblings(conn: Connection, row: Any) -> list[str]:
    """The other services' hits on the same passenger-journey from the same common source."""
    h = hit.c
    query = select(h.hit_id).where(
        h.group_key == row.group_key, h.source_key == row.source_key, h.hit_id != row.hit_id
    )
    return [str(v) for v in conn.execute(query).scalars()]


def _note(
    conn: Connection, now: datetime, recipient: str, kind: str, row: Any, **detail: Any
) -> None:
    nid = f"{kind}|{row.hit_id}|{recipient}"
    exists = conn.execute(
        select(func.count()).where(notification.c.notification_id == nid)
    ).scalar_one()
    if not exists:
        conn.execute(
            notification.insert().values(
                notification_id=nid,
                at=now,
                recipient=recipient,
                kind=kind,
                pnr_id=row.pnr_id,
                hit_id=row.hit_id,
                detail=json.dumps({"group_key": row.group_key, **detail}, sort_keys=True),
            )
        )


def decide_hit(
    store: Store, hit_id: str, review: Review, *, actor: str, service: str, at: datetime
) -> list[str]:
    """Record ``review`` on ``hit_id`` and its consequences; returns the hit ids decided (the
    hit, then the siblings a common decision carried over to)."""
    problems = review.problems()
    if problems:
        raise InvalidRecord(
            f"review of {hit_id}: " + "; ".join(problems),
            errors=tuple(problems),
            hint="R-CRIT-05: a decision needs written reasons and the checklist's answers",
            hit_id=hit_id,
        )
    now = naive_utc(at)
    with store.engine.begin() as conn:
        row = _hit_row(conn, hit_id)
        seq, status = _last(conn, hit_id)
        if status in FINAL_STATUSES:
            raise HitStateError(
                f"hit {hit_id} is {status.value} already: a final state is final",
                hit_id=hit_id,
                status=status.value,
            )
        _append(conn, hit_id, seq + 1, review.status, actor, review.reason, now, review.checklist)
        decided = [hit_id]
        if row.common:
            decided += _carry_over(conn, row, review, actor, service, now)
        if review.status is HitStatus.REJECTED_FALSE_POSITIVE:
            _remember(conn, row, now)
        if review.status is HitStatus.VALIDATED:
            _validated(conn, row, now)
    return decided


def _carry_over(
    conn: Connection, row: Any, review: Review, actor: str, service: str, now: datetime
) -> list[str]:
    """R-PRE-06: the decision on a common hit counts for every service concerned."""
    carried: list[str] = []
    for sibling in _siblings(conn, row):
        seq, status = _last(conn, sibling)
        if status in FINAL_STATUSES:
            continue
        reason = f"decided for all services by {service} ({actor}) on {row.hit_id}"
        _append(conn, sibling, seq + 1, review.status, actor, reason, now, via_hit=row.hit_id)
        other = _hit_row(conn, sibling)
        _note(conn, now, other.service, "common_decided", other, status=review.status.value,
              decided_by=service, via_hit=row.hit_id)  # fmt: skip
        carried.append(sibling)
    return carried


def _remember(conn: Connection, row: Any, now: datetime) -> None:
    """R-PRE-08: not raised again for this (source, person) while the PNR exists."""
    m = fp_memory.c
    held = conn.execute(
        select(func.count()).where(m.source_key == row.source_key, m.person_key == row.person_key)
    ).scalar_one()
    if not held:
        conn.execute(
            fp_memory.insert().values(
                source_key=row.source_key,
                person_key=row.person_key,
                pnr_id=row.pnr_id,
                hit_id=row.hit_id,
                created_at=now,
            )
        )


def _validated(conn: Connection, row: Any, now: datetime) -> None:
    """Disclosure to the service becomes possible; FTF hits open an OCAM task (R-PRE-07)."""
    payload = {"hit_id": row.hit_id, "service": row.service, "label": OUTCOME_LABEL}
    conn.execute(
        outbox.insert().values(
            message_id=f"V{row.hit_id}",
            at=now,
            topic="hit.validated",
            pnr_id=row.pnr_id,
            payload=json.dumps(payload, sort_keys=True),
            delivered_at=None,
        )
    )
    if row.ftf:
        same = select(hit.c.hit_id).where(
            hit.c.group_key == row.group_key, hit.c.source_key == row.source_key
        )
        exists = conn.execute(select(func.count()).where(ocam_task.c.hit_id.in_(same))).scalar_one()
        if not exists:
            conn.execute(
                ocam_task.insert().values(hit_id=row.hit_id, pnr_id=row.pnr_id, opened_at=now)
            )
            _note(conn, now, "ocam", "ocam_notification_due", row)


def close_ocam_task(
    store: Store, hit_id: str, transmission_ref: str, *, actor: str, at: datetime
) -> None:
    """Close the OCAM task of a validated FTF hit with the reference of the transmission."""
    ref = transmission_ref.strip()
    if len(ref) < 3:
        raise InvalidRecord(
            "an OCAM task closes only with the transmission reference (R-PRE-07)",
            errors=("transmission_ref: empty",),
            hit_id=hit_id,
        )
    with store.engine.begin() as conn:
        task = conn.execute(select(ocam_task).where(ocam_task.c.hit_id == hit_id)).first()
        if task is None:
            raise UnknownHit(f"no OCAM task for hit {hit_id!r}", hit_id=hit_id)
        if task.closed_at is not None:
            raise HitStateError(
                f"the OCAM task of {hit_id} is closed already", hit_id=hit_id, status="closed"
            )
        conn.execute(
            update(ocam_task)
            .where(ocam_task.c.hit_id == hit_id)
            .values(transmission_ref=ref, closed_at=naive_utc(at), closed_by=actor)
        )


def record_follow_up(store: Store, hit_id: str, outcome: str, *, actor: str, at: datetime) -> int:
    """Append what the service did with a validated hit; returns the follow-up's number."""
    if len(outcome.strip()) < MIN_REASON:
        raise InvalidRecord(
            f"a follow-up says what was done (at least {MIN_REASON} characters)",
            errors=("outcome: too short",),
            hit_id=hit_id,
        )
    with store.engine.begin() as conn:
        _hit_row(conn, hit_id)
        status = _last(conn, hit_id)[1]
        if status is not HitStatus.VALIDATED:
            raise HitStateError(
                f"hit {hit_id} is {status.value}: only a validated hit has a follow-up",
                hit_id=hit_id,
                status=status.value,
            )
        f = follow_up.c
        seq = (
            int(
                conn.execute(
                    select(func.coalesce(func.max(f.seq), 0)).where(f.hit_id == hit_id)
                ).scalar_one()
            )
            + 1
        )
        conn.execute(
            follow_up.insert().values(
                hit_id=hit_id, seq=seq, at=naive_utc(at), actor=actor, outcome=outcome.strip()
            )
        )
    return seq

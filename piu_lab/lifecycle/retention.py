"""Retention: who may be kept beyond six months, and complete deletion (R-RET-01, R-RET-03).

Two **profiles**:

- ``cjeu-2022`` (the default; CJEU C-817/19 ¶¶ 251-262): at six months the passengers without a
  **retention basis** are deleted; those with one are kept, masked, up to five years. A basis
  is objective material about that passenger: a hit validated by a reviewer, a follow-up
  recorded on such a hit, or a retention decision recorded by hand (a competent authority's
  case, a decision). A co-traveller on the same PNR is deleted unless separately flagged.
- ``directive-2016`` (DIR art. 12): everyone is kept, masked, up to five years.

Five years after registration everything goes, basis or not (R-RET-01).

Deleting is complete: a PNR is deleted with every row that hangs from it (versions, passengers,
documents, segments, contacts, payments, hits and their history, notifications, outbox, OCAM
tasks, follow-ups, the false-positive memory, the assessment marks, sealed values, retention
decisions): every table with a foreign-key path to it, children first (:mod:`.cascade`).
A passenger deleted from a PNR that is kept takes his own rows, his contacts and history
lines, his hits, their false-positive memory and notifications, and his sealed values. API
persons go unless they are a kept passenger (same booking reference and surname). Free pages
are dealt with by the run (:mod:`.run`): SQLite's ``secure_delete`` and a WAL checkpoint,
PostgreSQL's ``VACUUM``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, select, tuple_

from piu_lab.access.masking import is_pseudonym, pseudonyms
from piu_lab.errors import InvalidRecord
from piu_lab.lifecycle.cascade import delete_family
from piu_lab.model.hits import HitStatus
from piu_lab.store import Store, schema
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_hits import follow_up, fp_memory, hit, hit_event, notification
from piu_lab.store.schema_lifecycle import retention_decision, sealed_api, sealed_pnr

__all__ = [
    "RETENTION_KINDS",
    "Deleted",
    "Profile",
    "delete_manifest_persons",
    "delete_manifests",
    "delete_passengers",
    "delete_pnrs",
    "record_retention",
    "retention_basis",
]


class Profile(enum.StrEnum):
    """What happens at six months (R-RET-03)."""

    CJEU_2022 = "cjeu-2022"
    DIRECTIVE_2016 = "directive-2016"


@dataclass(frozen=True, slots=True)
class Deleted:
    """Counts of one deletion call (never a value)."""

    pnrs: int = 0
    passengers: int = 0
    manifests: int = 0
    api_persons: int = 0


def retention_basis(conn: Connection, pnr_ids: Sequence[str]) -> pd.DataFrame:
    """``pnr_id, pax_ref, basis`` of the passengers of ``pnr_ids`` who may be kept beyond six
    months (R-RET-03): a validated hit (``hit:<id>``), a follow-up on one (``case:<id>``) or a
    retention decision (``<kind>:<reference>``). One row per basis."""
    if not pnr_ids:
        return pd.DataFrame(columns=["pnr_id", "pax_ref", "basis"])
    mine = select(hit.c.hit_id).where(hit.c.pnr_id.in_(pnr_ids))
    last = (
        select(hit_event.c.hit_id, func.max(hit_event.c.seq).label("seq"))
        .where(hit_event.c.hit_id.in_(mine))
        .group_by(hit_event.c.hit_id)
        .subquery()
    )
    validated = conn.execute(
        select(hit.c.pnr_id, hit.c.pax_ref, hit.c.hit_id)
        .join(last, last.c.hit_id == hit.c.hit_id)
        .join(
            hit_event,
            and_(hit_event.c.hit_id == last.c.hit_id, hit_event.c.seq == last.c.seq),
        )
        .where(hit.c.pnr_id.in_(pnr_ids), hit_event.c.status == HitStatus.VALIDATED.value)
    ).all()
    cases = conn.execute(
        select(hit.c.pnr_id, hit.c.pax_ref, hit.c.hit_id)
        .join(follow_up, follow_up.c.hit_id == hit.c.hit_id)
        .where(hit.c.pnr_id.in_(pnr_ids))
        .distinct()
    ).all()
    decided = conn.execute(
        select(
            retention_decision.c.pnr_id,
            retention_decision.c.pax_ref,
            retention_decision.c.kind,
            retention_decision.c.reference,
        ).where(retention_decision.c.pnr_id.in_(pnr_ids))
    ).all()
    rows = [
        *((p, x, f"hit:{h}") for p, x, h in validated),
        *((p, x, f"case:{h}") for p, x, h in cases),
        *((p, x, f"{k}:{r}") for p, x, k, r in decided),
    ]
    return pd.DataFrame(rows, columns=["pnr_id", "pax_ref", "basis"]).drop_duplicates()


#: The kinds of a retention decision recorded by hand.
RETENTION_KINDS = ("case", "decision")


def record_retention(
    store: Store,
    pnr_id: str,
    pax_ref: str,
    *,
    kind: str,
    reference: str,
    grounds: str,
    actor: str,
    at: datetime,
) -> None:
    """Record a retention basis for one stored passenger (R-RET-03): a competent authority's
    ``case`` or a ``decision``, with its reference and grounds. Raises ``InvalidRecord`` for a
    bad kind, an empty reference, thin grounds or a passenger that is not stored."""
    problems = []
    if kind not in RETENTION_KINDS:
        problems.append(f"kind must be one of {', '.join(RETENTION_KINDS)}")
    if not reference.strip():
        problems.append("a reference is required")
    if len(grounds.strip()) < 10:
        problems.append("the grounds must say why (at least 10 characters)")
    x = schema.passenger
    with store.engine.begin() as conn:
        found = conn.execute(
            select(x.c.pax_ref).where(x.c.pnr_id == pnr_id, x.c.pax_ref == pax_ref).limit(1)
        ).first()
        if found is None:
            problems.append(f"no passenger {pax_ref!r} on a stored PNR {pnr_id!r}")
        if problems:
            raise InvalidRecord(
                "retention decision refused: " + "; ".join(problems),
                errors=tuple(problems),
                pnr_id=pnr_id,
            )
        conn.execute(
            retention_decision.insert(),
            [
                {
                    "pnr_id": pnr_id,
                    "pax_ref": pax_ref,
                    "reference": reference.strip(),
                    "kind": kind,
                    "grounds": grounds.strip(),
                    "recorded_at": naive_utc(at),
                    "recorded_by": actor,
                }
            ],
        )


def delete_pnrs(conn: Connection, pnr_ids: Sequence[str]) -> int:
    """Delete whole PNRs and everything that hangs from them (cascade); how many went."""
    if not pnr_ids:
        return 0
    return delete_family(conn, schema.pnr, ["pnr_id"], list(pnr_ids))


def delete_passengers(conn: Connection, pairs: Sequence[tuple[str, str]]) -> int:
    """Delete passengers ``(pnr_id, pax_ref)`` of PNRs that are kept: their rows in every
    version, their contacts and history lines, their hits (with events, follow-ups, OCAM
    tasks), the false-positive memory and notifications of those hits, their sealed values.
    Returns how many passengers (distinct pairs) went."""
    if not pairs:
        return 0
    for start in range(0, len(pairs), _CHUNK):
        _delete_passengers(conn, list(pairs[start : start + _CHUNK]))
    return len(set(pairs))


#: Pairs per statement (two parameters each: under PostgreSQL's 65,535 and SQLite's limits).
_CHUNK = 5_000


def _delete_passengers(conn: Connection, keys: list[tuple[str, str]]) -> None:
    hits = [
        h
        for (h,) in conn.execute(
            select(hit.c.hit_id).where(tuple_(hit.c.pnr_id, hit.c.pax_ref).in_(keys))
        ).all()
    ]
    if hits:
        conn.execute(delete(fp_memory).where(fp_memory.c.hit_id.in_(hits)))
        conn.execute(delete(notification).where(notification.c.hit_id.in_(hits)))
        delete_family(conn, hit, ["hit_id"], hits)
    for table in (schema.contact, schema.history):
        conn.execute(delete(table).where(tuple_(table.c.pnr_id, table.c.pax_ref).in_(keys)))
    conn.execute(delete(sealed_pnr).where(tuple_(sealed_pnr.c.pnr_id, sealed_pnr.c.part).in_(keys)))
    conn.execute(
        delete(retention_decision).where(
            tuple_(retention_decision.c.pnr_id, retention_decision.c.pax_ref).in_(keys)
        )
    )
    delete_family(conn, schema.passenger, ["pnr_id", "pax_ref"], keys)


def delete_manifests(conn: Connection, manifest_ids: Sequence[str]) -> int:
    """Delete whole API manifests (legs, persons, documents, sealed values: cascade)."""
    if not manifest_ids:
        return 0
    return delete_family(conn, schema.api_manifest, ["manifest_id"], list(manifest_ids))


def _token(values: pd.Series, key: bytes) -> pd.Series:
    """Surnames as pseudonyms, whether the row is masked already or not (same key, same
    domain: a kept passenger and his API record compare on the token)."""
    clear = ~values.map(is_pseudonym).astype(bool)
    out = values.astype(object).copy()
    if clear.any():
        out[clear] = pseudonyms(values[clear], key, "surname").to_numpy()
    return out


def delete_manifest_persons(
    conn: Connection, manifest_ids: Sequence[str], kept: pd.DataFrame, key: bytes
) -> tuple[int, int]:
    """Under ``cjeu-2022`` at six months: delete the persons of ``manifest_ids`` who are not a
    kept passenger (``kept``: ``record_locator, surname`` of the passengers kept), then the
    manifests left without anyone. Returns (persons deleted, manifests deleted)."""
    if not manifest_ids:
        return 0, 0
    person = schema.api_person
    rows = conn.execute(
        select(
            person.c.manifest_id, person.c.person_no, person.c.record_locator, person.c.surname
        ).where(person.c.manifest_id.in_(manifest_ids))
    ).all()
    names = ["manifest_id", "person_no", "record_locator", "surname"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
    if frame.empty:
        return 0, delete_manifests(conn, manifest_ids)
    frame["token"] = _token(frame["surname"], key)
    wanted = set()
    if not kept.empty:
        wanted = set(zip(kept["record_locator"], _token(kept["surname"], key), strict=True))
    keep = [
        (loc, tok) in wanted
        for loc, tok in zip(frame["record_locator"], frame["token"], strict=True)
    ]
    kept_rows = frame[pd.Series(keep, index=frame.index)]
    kept_pairs = list(
        zip(kept_rows["manifest_id"], kept_rows["person_no"].astype(int), strict=True)
    )
    # Delete everyone of the batch but the kept (few): no parameter per deleted person, so a
    # batch of any size stays under the drivers' parameter limits.
    document = schema.api_document
    gone_api = delete(sealed_api).where(sealed_api.c.manifest_id.in_(manifest_ids))
    gone_doc = delete(document).where(document.c.manifest_id.in_(manifest_ids))
    gone = delete(person).where(person.c.manifest_id.in_(manifest_ids))
    if kept_pairs:
        parts = [(m, str(n)) for m, n in kept_pairs]
        gone_api = gone_api.where(tuple_(sealed_api.c.manifest_id, sealed_api.c.part).not_in(parts))
        gone_doc = gone_doc.where(
            tuple_(document.c.manifest_id, document.c.person_no).not_in(kept_pairs)
        )
        gone = gone.where(tuple_(person.c.manifest_id, person.c.person_no).not_in(kept_pairs))
    for statement in (gone_api, gone_doc, gone):  # children first (see .cascade)
        conn.execute(statement)
    left = {m for (m,) in conn.execute(
        select(person.c.manifest_id).where(person.c.manifest_id.in_(manifest_ids)).distinct()
    ).all()}  # fmt: skip
    empty = [m for m in manifest_ids if m not in left]
    return len(frame) - len(kept_pairs), delete_manifests(conn, empty)

"""Taking in one carrier message: stored entirely or not at all, duplicates stored once, and
the quarantine of what cannot be parsed.

``store_messages`` writes a batch of messages in ONE transaction: their message rows (STORED),
the new PNR versions (each push becomes version latest + 1 of its record locator, R-DATA-04)
and the API manifests. A process killed in the middle leaves nothing of the batch; ingesting
the files again completes it. A message whose content hash equals a STORED message is recorded
as DUPLICATE (with the id of the first) and nothing else is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, select, update

from piu_lab.model import ApiManifest, MessageKind, MessageStatus, Pnr
from piu_lab.store import schema, writes
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_lifecycle import scope_decision, scope_refusal

__all__ = [
    "Incoming",
    "IntakeResult",
    "message_row",
    "purge_quarantine",
    "quarantine",
    "scope_decision_rows",
    "store_messages",
]


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What became of one message: STORED (with the versions given) or DUPLICATE of another."""

    status: MessageStatus
    versions: tuple[tuple[str, int], ...] = ()
    duplicate_of: str | None = None


def message_row(
    *,
    message_id: str,
    kind: MessageKind,
    sha256: str,
    received_at: datetime,
    status: MessageStatus,
    reason: str = "",
    envelope: Mapping[str, Any] | None = None,
    warnings: Sequence[str] = (),
    sensitive_deleted: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    env = dict(envelope or {})
    sent = env.get("sent_at") or None
    return {
        "message_id": message_id,
        "kind": kind.value,
        "sha256": sha256,
        "sender": str(env.get("sender", "")),
        "recipient": str(env.get("recipient", "")),
        "sent_at": naive_utc(datetime.fromisoformat(sent)) if isinstance(sent, str) else None,
        "received_at": naive_utc(received_at),
        "status": status.value,
        "reason": reason,
        "envelope": json.dumps(env, sort_keys=True) if envelope is not None else None,
        "warnings": json.dumps(list(warnings)),
        "sensitive_deleted": json.dumps(dict(sensitive_deleted or {}), sort_keys=True),
    }


def stored_hashes(conn: Connection, hashes: set[str]) -> dict[str, str]:
    """For each content hash already STORED, the id of that message."""
    m = schema.message
    out: dict[str, str] = {}
    ordered = sorted(hashes)
    for start in range(0, len(ordered), 2000):
        query = select(m.c.sha256, m.c.message_id).where(
            and_(
                m.c.sha256.in_(ordered[start : start + 2000]),
                m.c.status == MessageStatus.STORED.value,
            )
        )
        for sha, message_id in conn.execute(query):
            out.setdefault(str(sha), str(message_id))
    return out


def _latest_versions(conn: Connection, pnr_ids: set[str]) -> dict[str, int]:
    p = schema.pnr
    out: dict[str, int] = {}
    ids = sorted(pnr_ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        query = select(p.c.pnr_id, p.c.latest_version).where(p.c.pnr_id.in_(chunk))
        out.update({str(pid): int(v) for pid, v in conn.execute(query)})
    return out


#: One message to take in: its ``message_row``, its PNRs (versions assigned here), its manifest.
Incoming = tuple[dict[str, Any], Sequence[Pnr], ApiManifest | None]


def scope_decision_rows(conn: Connection) -> list[dict[str, Any]]:
    """The scope decisions not revoked (R-SCOPE-02), as stored rows: what the ingest judges
    intra-EU and non-air journeys by."""
    query = select(scope_decision).where(scope_decision.c.revoked_at.is_(None))
    return [dict(row._mapping) for row in conn.execute(query.order_by(scope_decision.c.starts_on))]


def store_messages(
    conn: Connection,
    batch: Sequence[Incoming],
    refusals: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> list[IntakeResult]:
    """Store several parsed messages inside the caller's transaction, in order.

    Each message is stored entirely or not at all: the batch is one transaction, so a failure
    or a kill leaves none of its messages (set-based writes make a batch much faster than a
    transaction per message). A message whose content hash is already STORED, or stored
    earlier in the batch, is recorded as DUPLICATE of the first and nothing else is written.
    Each PNR push becomes version latest + 1 of its record locator (R-DATA-04).
    ``refusals`` (by message id) are the counts of what the scope refused on receipt
    (``scope_refusal`` rows, R-SCOPE-02), written with their message when it is stored.
    """
    first_of = stored_hashes(conn, {str(row["sha256"]) for row, _, _ in batch})
    latest = _latest_versions(conn, {p.pnr_id for _, pnrs, _ in batch for p in pnrs})
    rows: list[dict[str, Any]] = []
    numbered: list[Pnr] = []
    manifests: list[ApiManifest] = []
    results: list[IntakeResult] = []
    refused: list[dict[str, Any]] = []
    for row, pnrs, manifest in batch:
        sha, message_id = str(row["sha256"]), str(row["message_id"])
        if sha in first_of:
            first = first_of[sha]
            rows.append(
                {
                    **row,
                    "status": MessageStatus.DUPLICATE.value,
                    "reason": f"same content as message {first}",
                }
            )
            results.append(IntakeResult(MessageStatus.DUPLICATE, duplicate_of=first))
            continue
        first_of[sha] = message_id
        rows.append({**row, "status": MessageStatus.STORED.value})
        refused += [{**r, "message_id": message_id} for r in (refusals or {}).get(message_id, ())]
        mine: list[tuple[str, int]] = []
        for pnr in pnrs:
            version = latest.get(pnr.pnr_id, 0) + 1
            latest[pnr.pnr_id] = version
            numbered.append(replace(pnr, version=version, message_id=message_id))
            mine.append((pnr.pnr_id, version))
        if manifest is not None:
            manifests.append(replace(manifest, message_id=message_id))
        results.append(IntakeResult(MessageStatus.STORED, versions=tuple(mine)))
    conn.execute(schema.message.insert(), rows)
    if numbered:
        writes.write_pnrs(conn, numbered)
    if manifests:
        writes.write_manifests(conn, manifests)
    if refused:
        conn.execute(scope_refusal.insert(), refused)
    return results


def quarantine(
    conn: Connection,
    row: dict[str, Any],
    *,
    source: str,
    segment: int,
    detail: str,
    scrubbed: str,
    purge_after: datetime,
) -> None:
    """Record an unparseable message with its reason and scrubbed form (one transaction)."""
    conn.execute(schema.message.insert(), {**row, "status": MessageStatus.QUARANTINED.value})
    conn.execute(
        schema.quarantine.insert(),
        {
            "message_id": row["message_id"],
            "source": source,
            "reason": row["reason"],
            "segment": segment,
            "detail": detail,
            "scrubbed": scrubbed,
            "quarantined_at": row["received_at"],
            "purge_after": naive_utc(purge_after),
            "purged_at": None,
        },
    )


def purge_quarantine(conn: Connection, now: datetime) -> int:
    """Drop the scrubbed form of quarantined messages past their purge date; the message row
    and the reason stay, so the trace of what was received remains. Returns how many."""
    q = schema.quarantine
    done = conn.execute(
        update(q)
        .where(and_(q.c.purge_after <= naive_utc(now), q.c.purged_at.is_(None)))
        .values(scrubbed=None, purged_at=naive_utc(now))
    )
    return int(done.rowcount or 0)

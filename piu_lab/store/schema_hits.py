"""Tables of pre-assessment (revision 0005): registered watchlists and criteria, screening runs,
hits with their append-only review history, notifications and the outbox, OCAM tasks,
follow-ups and the false-positive memory (R-PRE-01..09, R-CRIT-01..05).

Every row that concerns a passenger references its PNR with ``ON DELETE CASCADE``: when the
retention rules delete a PNR, its hits, their history, the notifications about it and the
false-positive memory built from it go with it (R-PRE-08, R-RET-01). Hits carry references,
scores and explanations; the values they explain are the passenger's and the list entry's, and
are read through the session facade like every other personal data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from piu_lab.model.hits import CriterionStatus, HitStatus, Listing, ListScope, SourceKind
from piu_lab.store.schema import _enum, _table, _text, _utc, metadata

__all__ = [
    "HIT_TABLES",
    "assessment",
    "criterion_version",
    "follow_up",
    "fp_memory",
    "hit",
    "hit_event",
    "notification",
    "ocam_task",
    "outbox",
    "screening_run",
    "watchlist",
    "watchlist_entry",
]


def _pnr_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["pnr_id"], ["pnr.pnr_id"], ondelete="CASCADE")


def _hit_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["hit_id"], ["hit.hit_id"], ondelete="CASCADE")


def _nullable_text(name: str) -> Column[Any]:
    return _text(name, nullable=True)


#: The registered databases screened against (R-PRE-01): one row per list version.
watchlist = _table(
    "watchlist",
    Column("list_id", String(), primary_key=True),
    Column("version", Integer, primary_key=True),
    _text("name"),
    _text("owner_service"),
    _text("services"),  # comma-separated services the list's hits go to
    _text("legal_basis"),
    _enum("listing", Listing),
    _enum("scope", ListScope),
    _nullable_text("common_db"),  # police_common | ftf_common
    _nullable_text("offence_category"),
    _utc("registered_at"),
    _text("registered_by"),
    Column("entry_count", Integer, nullable=False),
    _text("fingerprint"),
    Column("active", Boolean, nullable=False),
)

#: The entries of each list's active version (replaced when a new version is registered).
watchlist_entry = Table(
    "watchlist_entry",
    metadata,
    Column("list_id", String(), primary_key=True),
    Column("entry_id", String(), primary_key=True),
    Column("version", Integer, nullable=False),
    _text("full_name"),
    _nullable_text("aliases"),
    _nullable_text("date_of_birth"),
    _nullable_text("nationality"),
    _nullable_text("document_number"),
)

#: Every version of every criterion, with its body (JSON) and approval (R-CRIT-01/02).
criterion_version = _table(
    "criterion_version",
    Column("criterion_id", String(), primary_key=True),
    Column("version", Integer, primary_key=True),
    _text("fingerprint"),
    _enum("status", CriterionStatus),
    Column("body", Text, nullable=False),
    _utc("registered_at"),
    _text("registered_by"),
    _nullable_text("approved_by"),
    Column("approved_on", Date, nullable=True),
    Column("next_review", Date, nullable=True),
)

#: One screening run: what it read, what it screened against, what it found (counts only).
screening_run = Table(
    "screening_run",
    metadata,
    Column("run_id", String(), primary_key=True),
    _utc("started_at"),
    _utc("finished_at", nullable=True),
    _text("actor"),
    Column("travellers", Integer, nullable=False),
    Column("hits_new", Integer, nullable=False),
    Column("suppressed", Integer, nullable=False),
    Column("detail", Text, nullable=False),
)

#: Which PNR versions have been screened: the next run takes only the others.
assessment = Table(
    "assessment",
    metadata,
    Column("pnr_id", String(), primary_key=True),
    Column("version", Integer, primary_key=True),
    _text("run_id"),
    _utc("assessed_at"),
    _pnr_fk(),
)

#: An automated match routed to one service; a hit for several services is one row each,
#: tied by ``source_key`` and the passenger-journey ``group_key`` (R-PRE-04..06).
hit = _table(
    "hit",
    Column("hit_id", String(), primary_key=True),
    _text("group_key"),  # pnr_id/pax_ref: the passenger-journey
    _text("pnr_id"),
    _text("pax_ref"),
    Column("pnr_version", Integer, nullable=False),
    _enum("source_kind", SourceKind),
    _text("source_key"),  # list_id:entry_id or criterion:criterion_id
    _nullable_text("list_id"),
    _nullable_text("entry_id"),
    _nullable_text("criterion_id"),
    Column("criterion_version", Integer, nullable=True),
    _text("service"),
    Column("common", Boolean, nullable=False),
    Column("ftf", Boolean, nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    _text("algorithm"),
    _text("person_key"),
    _text("run_id"),
    _utc("created_at"),
    _utc("deadline_at"),
    _pnr_fk(),
    Index(None, "pnr_id"),  # the cascade from pnr looks rows up by it (revision 0007)
    Index(None, "group_key"),
    Index(None, "service"),
    Index(None, "source_key", "person_key"),
)

#: The append-only history of each hit's review (style rule 5): the current status is the
#: last row's. ``via_hit`` names the hit whose validation carried over (R-PRE-06).
hit_event = _table(
    "hit_event",
    Column("hit_id", String(), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    _utc("at"),
    _text("actor"),
    Column("status", String(32), nullable=False, info={"enum": HitStatus}),
    Column("reason", Text, nullable=False),
    Column("checklist", Text, nullable=False),
    _nullable_text("via_hit"),
    _hit_fk(),
)

#: What the views show a service: hits to review, other services' hits on the same PNR
#: (existence only), escalations to the head of unit (R-PRE-05, R-PRE-03).
notification = Table(
    "notification",
    metadata,
    Column("notification_id", String(), primary_key=True),
    _utc("at"),
    _text("recipient"),  # a service, or head_of_unit
    _text("kind"),
    _text("pnr_id"),
    _nullable_text("hit_id"),
    Column("detail", Text, nullable=False),
    _pnr_fk(),
    Index(None, "pnr_id"),  # the cascade from pnr looks rows up by it (revision 0007)
    Index(None, "recipient"),
)

#: Messages for an integration to consume (references only); ``delivered_at`` set by it.
outbox = Table(
    "outbox",
    metadata,
    Column("message_id", String(), primary_key=True),
    _utc("at"),
    _text("topic"),
    _text("pnr_id"),
    Column("payload", Text, nullable=False),
    _utc("delivered_at", nullable=True),
    _pnr_fk(),
    Index(None, "pnr_id"),  # the cascade from pnr looks rows up by it (revision 0007)
)

#: A validated hit from the common FTF database must reach OCAM (R-PRE-07).
ocam_task = Table(
    "ocam_task",
    metadata,
    Column("hit_id", String(), primary_key=True),
    _text("pnr_id"),
    _utc("opened_at"),
    _nullable_text("transmission_ref"),
    _utc("closed_at", nullable=True),
    _nullable_text("closed_by"),
    _hit_fk(),
    _pnr_fk(),
    Index(None, "pnr_id"),  # the cascade from pnr looks rows up by it (revision 0007)
)

#: What the service did with a validated hit ("suite utile"), append-only.
follow_up = Table(
    "follow_up",
    metadata,
    Column("hit_id", String(), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    _utc("at"),
    _text("actor"),
    Column("outcome", Text, nullable=False),
    _hit_fk(),
)

#: A rejected false positive is not raised again for the same (source, person) until the
#: data it was built from are deleted (R-PRE-08): the row goes with its PNR.
fp_memory = Table(
    "fp_memory",
    metadata,
    Column("source_key", String(), primary_key=True),
    Column("person_key", String(), primary_key=True),
    _text("pnr_id"),
    _text("hit_id"),
    _utc("created_at"),
    _pnr_fk(),
    Index(None, "pnr_id"),  # the cascade from pnr looks rows up by it (revision 0007)
)

#: Parent-first order.
HIT_TABLES: tuple[Table, ...] = (
    watchlist,
    watchlist_entry,
    criterion_version,
    screening_run,
    assessment,
    hit,
    hit_event,
    notification,
    outbox,
    ocam_task,
    follow_up,
    fp_memory,
)

"""Tables of the data lifecycle (revision 0006): targeted-search requests and the authorisations
of a court or an independent body (R-SRCH-01/02, R-RET-04).

Requests hold the selectors (the persons or identifiers sought): personal data, read only
through the session facade. Authorisations hold the authority, its reference and decision, the
records in scope and whether unmasking is allowed.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKeyConstraint, String, Table, Text

from piu_lab.store.schema import _text, _utc, metadata

__all__ = ["LIFECYCLE_TABLES", "search_authorisation", "search_request"]

search_request = Table(
    "search_request",
    metadata,
    Column("request_id", String(), primary_key=True),
    _utc("filed_at"),
    _text("filed_by"),
    _text("requesting_service"),
    _text("case_reference"),
    _text("offence_category"),
    Column("selectors", Text, nullable=False),
    Column("grounds", Text, nullable=False),
    Column("urgent", Boolean, nullable=False),
    _utc("urgent_opened_at", nullable=True),
    _text("urgent_opened_by", nullable=True),
)

search_authorisation = Table(
    "search_authorisation",
    metadata,
    Column("authorisation_id", String(), primary_key=True),
    _text("request_id"),
    _text("authority"),
    _text("reference"),
    Column("decided_on", Date, nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("unmask", Boolean, nullable=False),
    Column("scope", Text, nullable=False),
    _utc("recorded_at"),
    _text("recorded_by"),
    _utc("dpo_notified_at", nullable=True),
    ForeignKeyConstraint(["request_id"], ["search_request.request_id"], ondelete="CASCADE"),
)

LIFECYCLE_TABLES: tuple[Table, ...] = (search_request, search_authorisation)

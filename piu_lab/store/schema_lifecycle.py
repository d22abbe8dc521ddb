"""Tables of the data lifecycle: targeted-search requests and the authorisations of a court or
an independent body (revision 0006; R-SRCH-01/02, R-RET-04); sealed storage, retention
decisions, lifecycle runs and scope decisions (revision 0007; R-RET-01..04, R-SCOPE-02).

Requests hold the selectors (the persons or identifiers sought): personal data, read only
through the session facade. Authorisations hold the authority, its reference and decision, the
records in scope and whether unmasking is allowed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from piu_lab.store.schema import _text, _utc, metadata

__all__ = [
    "LIFECYCLE_TABLES",
    "lifecycle_run",
    "retention_decision",
    "scope_decision",
    "scope_refusal",
    "sealed_api",
    "sealed_pnr",
    "sealing_key",
    "search_authorisation",
    "search_request",
]

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

#: A data key of the sealed storage (R-RET-02): AES-256-GCM, itself encrypted ("wrapped") for
#: the unsealing key pair's public half (X25519, an ephemeral key per data key). Masking needs
#: only the public half; unsealing needs the private one, which is never in the database.
sealing_key = Table(
    "sealing_key",
    metadata,
    Column("key_id", String(), primary_key=True),
    _text("recipient"),  # SHA-256 (16 hex) of the public key the data key is wrapped for
    Column("ephemeral_public", LargeBinary, nullable=False),
    Column("wrap_nonce", LargeBinary, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    _utc("created_at"),
)


def _sealed(name: str, subject: str, parent: str) -> Table:
    return Table(
        name,
        metadata,
        Column(subject, String(), primary_key=True),
        Column("part", String(), primary_key=True),
        _text("key_id"),
        Column("nonce", LargeBinary, nullable=False),
        Column("ciphertext", LargeBinary, nullable=False),
        Column("values_sealed", Integer, nullable=False),
        _utc("sealed_at"),
        ForeignKeyConstraint([subject], [f"{parent}.{subject}"], ondelete="CASCADE"),
        ForeignKeyConstraint(["key_id"], ["sealing_key.key_id"]),
    )


#: The identifying values of one masked PNR (all versions), encrypted under a data key, one
#: row per passenger (``part`` = its ``pax_ref``) and one for the PNR's own rows (``part`` =
#: ``*``), so that deleting one passenger deletes his sealed values and no one else's. The
#: normal tables keep keyed pseudonyms in their place. Deleted with the PNR (cascade).
sealed_pnr = _sealed("sealed_pnr", "pnr_id", "pnr")

#: The same for one API manifest (group (f): all API data collected), one row per person.
sealed_api = _sealed("sealed_api", "manifest_id", "api_manifest")

#: A retention basis recorded by hand for one passenger (R-RET-03): a case of a competent
#: authority or a decision; validated hits and their follow-ups count without a row here.
retention_decision = Table(
    "retention_decision",
    metadata,
    Column("pnr_id", String(), primary_key=True),
    Column("pax_ref", String(), primary_key=True),
    Column("reference", String(), primary_key=True),
    _text("kind"),  # case | decision
    Column("grounds", Text, nullable=False),
    _utc("recorded_at"),
    _text("recorded_by"),
    ForeignKeyConstraint(["pnr_id"], ["pnr.pnr_id"], ondelete="CASCADE"),
)

#: One run of the lifecycle (counts only, never a value): what was masked, deleted and kept.
lifecycle_run = Table(
    "lifecycle_run",
    metadata,
    Column("run_id", String(), primary_key=True),
    _utc("started_at"),
    _utc("as_of"),
    _text("profile"),
    _text("actor"),
    Column("counts", Text, nullable=False),
    Index(None, "as_of"),
)

#: A decision that intra-EU journeys, or rail, bus and sea journeys, may be processed
#: (R-SCOPE-02): for all of them under a genuine and present or foreseeable terrorist threat,
#: or for selected routes; limited in time, with its review date. The OCAM level is context.
scope_decision = Table(
    "scope_decision",
    metadata,
    Column("decision_id", String(), primary_key=True),
    _text("legal_basis"),
    _text("threat_assessment"),
    Column("ocam_level", Integer, nullable=False),
    Column("ocam_date", Date, nullable=False),
    _text("ocam_source"),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("next_review", Date, nullable=False),
    Column("sectors", Text, nullable=False),  # JSON list of sectors
    Column("routes", Text, nullable=False),  # JSON list; empty: all journeys of the sectors
    _utc("recorded_at"),
    _text("recorded_by"),
    _utc("revoked_at", nullable=True),
)

#: Journeys refused on receipt for want of an active scope decision (counts, no values).
scope_refusal = Table(
    "scope_refusal",
    metadata,
    Column("message_id", String(), primary_key=True),
    Column("reason", String(), primary_key=True),
    _utc("received_at"),
    _text("sector"),
    Column("pnrs", Integer, nullable=False),
    Column("journeys", Integer, nullable=False),
    Index(None, "received_at"),
)

LIFECYCLE_TABLES: tuple[Table, ...] = (
    search_request,
    search_authorisation,
    sealing_key,
    sealed_pnr,
    sealed_api,
    retention_decision,
    lifecycle_run,
    scope_decision,
    scope_refusal,
)

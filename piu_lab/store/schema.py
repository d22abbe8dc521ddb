"""SQLAlchemy Core tables of the passenger database (R-DATA-01: the schema is the whitelist).

One table per repeating part of the model, and nothing outside Annex I: there is no column for
free text, meal or health SSRs (R-DATA-02, R-SENS-02). API manifests live in their own ``api_*``
tables, apart from PNR data (R-API-01; a separate schema and credentials come with that issue).

Conventions
    * keys: ``pnr.pnr_id`` is ``CARRIER:LOCATOR``; every PNR part is keyed by
      ``(pnr_id, version)`` plus its own ordinal (``pax_ref``, ``seg_no``, ``doc_no``,
      ``item_no``), with composite foreign keys ``ON DELETE CASCADE`` so that deleting a version
      (R-RET-01) takes its parts with it;
    * time: columns named ``*_utc`` or ``*_at`` hold UTC as naive ``TIMESTAMP`` (the store strips
      the zone on the way in and frames put ``UTC`` back on the way out); ``*_local`` columns
      hold the naive wall-clock time at the place; dates are ``DATE``; money is ``NUMERIC``;
    * text is unbounded ``VARCHAR`` (SQLite ignores lengths, so a bound would only make the two
      backends disagree); enum columns are ``VARCHAR(16)``;
    * enums are stored by value (``Sector.AIR`` -> ``'AIR'``) and checked by the database;
    * ``""`` and NULL differ: the model's empty defaults stay ``""``, its ``None`` is NULL; lists
      (bag tags, UMNR languages) are comma-joined text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

from piu_lab.model import (
    CarrierType,
    ContactKind,
    DocumentType,
    Gender,
    HistoryAction,
    LocationKind,
    MessageKind,
    MessageStatus,
    PassengerRole,
    PassengerType,
    PaymentForm,
    PushStage,
    Sector,
    SplitKind,
    TravelStatus,
)

__all__ = [
    "API_TABLES",
    "AUDIT_TABLES",
    "HIT_TABLES",
    "LIFECYCLE_TABLES",
    "PNR_TABLES",
    "STAFF_TABLES",
    "TABLES",
    "is_utc",
    "metadata",
]  # + one name per table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_UTC = {"tz": "UTC"}


def _enum(name: str, values: type[StrEnum]) -> Column[Any]:
    """A short text column holding one value of ``values`` (checked: see :func:`_table`)."""
    return Column(name, String(16), nullable=False, info={"enum": values})


def _table(name: str, *items: Any) -> Table:
    """A table whose enum columns get a CHECK constraint ``ck_<table>_<column>``.

    Written ``col = 'A' OR col = 'B'``: SQLite evaluates ``IN (...)`` in a CHECK by building a
    temporary index for every row, which made bulk inserts several times slower.
    """
    checks = [
        CheckConstraint(" OR ".join(f"{c.name} = '{v.value}'" for v in c.info["enum"]), name=c.name)
        for c in items
        if isinstance(c, Column) and "enum" in c.info
    ]
    return Table(name, metadata, *items, *checks)


def _utc(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, DateTime(), nullable=nullable, info=_UTC)


def _fk(parent: str, *columns: str) -> ForeignKeyConstraint:
    """Composite foreign key on the same-named columns of ``parent``, deleted with it."""
    return ForeignKeyConstraint(
        list(columns), [f"{parent}.{c}" for c in columns], ondelete="CASCADE"
    )


def _key(*, pax: bool = False) -> list[Column[Any]]:
    cols: list[Column[Any]] = [
        Column("pnr_id", String(), primary_key=True),
        Column("version", Integer, primary_key=True),
    ]
    if pax:
        cols.append(Column("pax_ref", String(), primary_key=True))
    return cols


def _text(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, String(), nullable=nullable)


carrier = _table(
    "carrier",
    Column("code", String(), primary_key=True),
    _text("name"),
    _enum("sector", Sector),
    _enum("carrier_type", CarrierType),
    _text("country"),
)

message = _table(
    "message",
    Column("message_id", String(), primary_key=True),
    _enum("kind", MessageKind),
    Column("sha256", String(), nullable=False, index=True),
    _text("sender"),
    _text("recipient"),
    _utc("sent_at", nullable=True),
    _utc("received_at"),
    _enum("status", MessageStatus),
    Column("reason", Text, nullable=False),
    Column("envelope", Text, nullable=True),
    Column("warnings", Text, nullable=False),
    Column("sensitive_deleted", Text, nullable=True),
    Index(None, "status", "received_at"),
)

#: A message that could not be parsed (R-SENS-02: nothing received is lost without a trace):
#: its reason and, until ``purge_after``, its scrubbed canonical form (the shapes of its
#: segments, never a value). Readable only by the technical role (through the facade).
quarantine = _table(
    "quarantine",
    Column("message_id", String(), primary_key=True),
    _text("source"),
    Column("reason", Text, nullable=False),
    Column("segment", Integer, nullable=False),
    _text("detail"),
    Column("scrubbed", Text, nullable=True),
    _utc("quarantined_at"),
    _utc("purge_after"),
    _utc("purged_at", nullable=True),
    ForeignKeyConstraint(["message_id"], ["message.message_id"], ondelete="CASCADE"),
    Index(None, "purge_after"),
)

pnr = _table(
    "pnr",
    Column("pnr_id", String(), primary_key=True),
    _text("carrier"),
    _text("record_locator"),
    _enum("sector", Sector),
    _enum("carrier_type", CarrierType),
    _utc("created_at"),
    _utc("first_received_at"),
    Column("latest_version", Integer, nullable=False),
    _utc("latest_received_at"),
    _utc("masked_at", nullable=True),
    Index(None, "record_locator"),
    Index(None, "first_received_at"),
)

pnr_version = _table(
    "pnr_version",
    Column("pnr_id", String(), primary_key=True),
    Column("version", Integer, primary_key=True),
    _enum("push_stage", PushStage),
    _utc("created_at"),
    _utc("received_at"),
    _text("message_id"),
    Column("party_size", Integer, nullable=False),
    _text("agency_iata_number", nullable=True),
    _text("agency_name", nullable=True),
    _text("agency_city", nullable=True),
    _text("agency_country", nullable=True),
    _text("agency_agent_id", nullable=True),
    _fk("pnr", "pnr_id"),
    Index(None, "message_id"),
    Index(None, "received_at"),
)

passenger = _table(
    "passenger",
    *_key(pax=True),
    Column("pax_no", Integer, nullable=False),
    _text("surname"),
    _text("given_names"),
    _text("title"),
    _enum("passenger_type", PassengerType),
    _enum("travel_status", TravelStatus),
    _text("infant_of", nullable=True),
    _fk("pnr_version", "pnr_id", "version"),
    Index(None, "surname"),
)

minor = _table(
    "minor",
    *_key(pax=True),
    Column("age", Integer, nullable=False),
    _text("languages"),
    _text("departure_guardian_name"),
    _text("departure_guardian_contact"),
    _text("departure_guardian_relation"),
    _text("arrival_guardian_name"),
    _text("arrival_guardian_contact"),
    _text("arrival_guardian_relation"),
    _text("departure_agent"),
    _text("arrival_agent"),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
)


def _document_columns() -> list[Column[Any]]:
    return [
        _enum("doc_type", DocumentType),
        _text("number"),
        _text("issuing_country"),
        Column("expiry_date", Date, nullable=True),
        _text("nationality"),
        Column("date_of_birth", Date, nullable=True),
        _enum("gender", Gender),
        _text("surname"),
        _text("given_names"),
    ]


travel_document = _table(
    "travel_document",
    *_key(pax=True),
    Column("doc_no", Integer, primary_key=True),
    *_document_columns(),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
    Index(None, "number"),
)

segment = _table(
    "segment",
    *_key(),
    Column("seg_no", Integer, primary_key=True),
    _enum("sector", Sector),
    _text("carrier"),
    _text("transport_number"),
    _text("origin"),
    _text("destination"),
    _enum("origin_kind", LocationKind),
    _enum("destination_kind", LocationKind),
    _text("origin_country"),
    _text("destination_country"),
    Column("departure_local", DateTime(), nullable=False),
    Column("arrival_local", DateTime(), nullable=False),
    _utc("departure_utc"),
    _utc("arrival_utc"),
    _text("booking_class"),
    _text("status"),
    _text("operating_carrier", nullable=True),
    _text("operating_number", nullable=True),
    _text("equipment"),
    _fk("pnr_version", "pnr_id", "version"),
    Index(None, "departure_utc"),
    Index(None, "origin"),
    Index(None, "destination"),
    Index(None, "carrier", "transport_number"),
)

ticket = _table(
    "ticket",
    *_key(pax=True),
    Column("item_no", Integer, primary_key=True),
    _text("number"),
    Column("issued_on", Date, nullable=True),
    Column("one_way", Boolean, nullable=False),
    _text("fare_basis"),
    Column("total_amount", Numeric(14, 3), nullable=True),
    _text("currency"),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
    Index(None, "number"),
)

seat = _table(
    "seat",
    *_key(pax=True),
    Column("item_no", Integer, primary_key=True),
    Column("seg_no", Integer, nullable=False),
    _text("seat_number"),
    _text("cabin"),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
)

bag = _table(
    "bag",
    *_key(pax=True),
    Column("item_no", Integer, primary_key=True),
    Column("seg_no", Integer, nullable=False),
    Column("piece_count", Integer, nullable=False),
    Column("weight_kg", Float, nullable=True),
    Column("tag_numbers", Text, nullable=False),
    _text("final_destination"),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
)

frequent_flyer = _table(
    "frequent_flyer",
    *_key(pax=True),
    Column("item_no", Integer, primary_key=True),
    _text("airline"),
    _text("number"),
    _text("tier"),
    _fk("passenger", "pnr_id", "version", "pax_ref"),
    Index(None, "number"),
)

contact = _table(
    "contact",
    *_key(),
    Column("item_no", Integer, primary_key=True),
    _text("pax_ref", nullable=True),
    _enum("kind", ContactKind),
    _text("value"),
    _text("country"),
    _fk("pnr_version", "pnr_id", "version"),
    Index(None, "value"),
)

payment = _table(
    "payment",
    *_key(),
    Column("item_no", Integer, primary_key=True),
    _enum("form", PaymentForm),
    Column("amount", Numeric(14, 3), nullable=True),
    _text("currency"),
    _text("card_type"),
    _text("card_masked"),
    _text("card_holder"),
    _text("billing_address"),
    _fk("pnr_version", "pnr_id", "version"),
)

split_info = _table(
    "split_info",
    *_key(),
    Column("item_no", Integer, primary_key=True),
    _text("related_locator"),
    _enum("kind", SplitKind),
    Column("passenger_count", Integer, nullable=False),
    _fk("pnr_version", "pnr_id", "version"),
)

history = _table(
    "history",
    *_key(),
    Column("item_no", Integer, primary_key=True),
    _utc("occurred_at"),
    _enum("action", HistoryAction),
    Column("heading", Integer, nullable=False),
    _text("item"),
    _text("pax_ref"),
    _fk("pnr_version", "pnr_id", "version"),
)

api_manifest = _table(
    "api_manifest",
    Column("manifest_id", String(), primary_key=True),
    _text("carrier"),
    _text("transport_number"),
    _enum("sector", Sector),
    _utc("received_at"),
    Column("total_count", Integer, nullable=True),
    _text("initial_embarkation"),
    _text("transport_code"),
    _text("message_id"),
    _utc("masked_at", nullable=True),
    Index(None, "carrier", "transport_number"),
    Index(None, "received_at"),
)


api_leg = _table(
    "api_leg",
    Column("manifest_id", String(), primary_key=True),
    Column("leg_no", Integer, primary_key=True),
    _text("carrier"),
    _text("transport_number"),
    _text("departure_port"),
    _text("arrival_port"),
    Column("departure_local", DateTime(), nullable=True),
    Column("arrival_local", DateTime(), nullable=True),
    _fk("api_manifest", "manifest_id"),
)

api_person = _table(
    "api_person",
    Column("manifest_id", String(), primary_key=True),
    Column("person_no", Integer, primary_key=True),
    _enum("role", PassengerRole),
    _text("surname"),
    _text("given_names"),
    _enum("gender", Gender),
    Column("date_of_birth", Date, nullable=True),
    _text("nationality"),
    _text("embarkation"),
    _text("debarkation"),
    _text("border_crossing_point"),
    _text("record_locator"),
    _fk("api_manifest", "manifest_id"),
    Index(None, "surname"),
)

api_document = _table(
    "api_document",
    Column("manifest_id", String(), primary_key=True),
    Column("person_no", Integer, primary_key=True),
    Column("doc_no", Integer, primary_key=True),
    *_document_columns(),
    _fk("api_person", "manifest_id", "person_no"),
    Index(None, "number"),
)

#: The tamper-evident audit log (R-LOG-02): one row per event, chained by SHA-256 over
#: ``prev_hash`` and the event's canonical JSON (see :mod:`piu_lab.audit.chain`). Rows hold
#: references and counts, never passenger values. ``action`` and ``decision`` carry no CHECK:
#: the vocabulary grows with the integration and the chain already makes any change evident.
#: On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (revision 0003). Not in
#: :data:`TABLES`: the generic ``read_table``/``counts`` do not open the log (R-LOG-03).
audit_event = Table(
    "audit_event",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    _utc("at"),
    _text("actor"),
    _text("action"),
    _text("purpose", nullable=True),
    _text("request_id", nullable=True),
    Column("objects", Text, nullable=False),
    Column("record_count", Integer, nullable=False),
    _text("decision"),
    _text("rule_id", nullable=True),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

#: The staff register's append-only change history (R-ACC-01..03, R-HR-01; revision 0004):
#: the register is rebuilt by replaying it (:mod:`piu_lab.access.persist`), never updated in
#: place. ``at`` is the date of the change, ``actor`` and ``subject`` identification codes
#: (``subject`` is a service for code-list updates), ``payload`` the change's JSON (staff
#: data only, never passenger data). On PostgreSQL a trigger refuses UPDATE, DELETE and
#: TRUNCATE. Not in :data:`TABLES`: the generic passenger ``read_table``/``counts`` skip it.
staff_change = Table(
    "staff_change",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("at", Date, nullable=False),
    _text("actor"),
    _text("kind"),
    _text("subject"),
    Column("detail", Text, nullable=False),
    Column("payload", Text, nullable=False),
)

#: PNR tables in insertion (parent-first) order; ``pnr`` is upserted, the rest inserted.
PNR_TABLES: tuple[Table, ...] = (
    pnr,
    pnr_version,
    passenger,
    minor,
    travel_document,
    segment,
    ticket,
    seat,
    bag,
    frequent_flyer,
    contact,
    payment,
    split_info,
    history,
)
API_TABLES: tuple[Table, ...] = (api_manifest, api_leg, api_person, api_document)
AUDIT_TABLES: tuple[Table, ...] = (audit_event,)
STAFF_TABLES: tuple[Table, ...] = (staff_change,)
#: Every table by name, in a parent-first order (what ``read_table`` and ``counts`` accept).
TABLES: dict[str, Table] = {
    t.name: t for t in (carrier, message, quarantine, *PNR_TABLES, *API_TABLES)
}


def is_utc(column: Column[Any]) -> bool:
    """True for timestamp columns that hold UTC (frames give them back zone-aware)."""
    return column.info.get("tz") == "UTC"


# The pre-assessment tables share this metadata (revision 0005); imported last to avoid a cycle.
from piu_lab.store import schema_hits as _schema_hits  # noqa: E402

HIT_TABLES: tuple[Table, ...] = _schema_hits.HIT_TABLES

from piu_lab.store import schema_lifecycle as _schema_lifecycle  # noqa: E402

LIFECYCLE_TABLES: tuple[Table, ...] = _schema_lifecycle.LIFECYCLE_TABLES

"""Initial schema: carriers, message bookkeeping, PNR versions and their parts, API manifests.

Frozen: later changes go in new revisions. Names follow the naming convention of
``piu_lab.store.schema`` (``pk_``, ``fk_``, ``ix_``, ``ck_`` + table + columns); the enum CHECK
constraints spell their values here (not imported from the model) so that this revision stays
what it was when the model changes, written ``col = 'A' OR col = 'B'`` (see
``piu_lab.store.schema._table``).

Revision ID: 0001
Revises:
Create Date: 2026-03-01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _col(name: str, kind: Any, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=nullable)


def _check(table: str, column: str, *values: str) -> sa.CheckConstraint:
    """``ck_<table>_<column>``: the column holds one of ``values``."""
    allowed = " OR ".join(f"{column} = '{v}'" for v in values)
    return sa.CheckConstraint(allowed, name=op.f(f"ck_{table}_{column}"))


def _fk(table: str, parent: str, *columns: str) -> sa.ForeignKeyConstraint:
    """``fk_<table>_<parent>`` on the same-named ``columns``, deleting with the parent."""
    return sa.ForeignKeyConstraint(
        list(columns),
        [f"{parent}.{c}" for c in columns],
        name=op.f(f"fk_{table}_{parent}"),
        ondelete="CASCADE",
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "api_manifest",
        _col("manifest_id", sa.String()),
        _col("carrier", sa.String()),
        _col("transport_number", sa.String()),
        _col("sector", sa.String(16)),
        _col("received_at", sa.DateTime()),
        _col("total_count", sa.Integer(), nullable=True),
        _col("initial_embarkation", sa.String()),
        _col("transport_code", sa.String()),
        _col("message_id", sa.String()),
        _check("api_manifest", "sector", "AIR", "HST", "BUS", "SEA"),
        sa.PrimaryKeyConstraint("manifest_id", name=op.f("pk_api_manifest")),
    )
    _index("api_manifest", "carrier", "transport_number")
    op.create_table(
        "carrier",
        _col("code", sa.String()),
        _col("name", sa.String()),
        _col("sector", sa.String(16)),
        _col("carrier_type", sa.String(16)),
        _col("country", sa.String()),
        _check("carrier", "carrier_type", "CARRIER", "TOUR_OPERATOR"),
        _check("carrier", "sector", "AIR", "HST", "BUS", "SEA"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_carrier")),
    )
    op.create_table(
        "message",
        _col("message_id", sa.String()),
        _col("kind", sa.String(16)),
        _col("sha256", sa.String()),
        _col("sender", sa.String()),
        _col("recipient", sa.String()),
        _col("sent_at", sa.DateTime(), nullable=True),
        _col("received_at", sa.DateTime()),
        _col("status", sa.String(16)),
        _col("reason", sa.Text()),
        _col("envelope", sa.Text(), nullable=True),
        _col("warnings", sa.Text()),
        _col("sensitive_deleted", sa.Text(), nullable=True),
        _check("message", "kind", "PNRGOV", "PAXLST"),
        _check("message", "status", "RECEIVED", "STORED", "QUARANTINED", "DUPLICATE"),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_message")),
    )
    _index("message", "sha256")
    _index("message", "status", "received_at")
    op.create_table(
        "pnr",
        _col("pnr_id", sa.String()),
        _col("carrier", sa.String()),
        _col("record_locator", sa.String()),
        _col("sector", sa.String(16)),
        _col("carrier_type", sa.String(16)),
        _col("created_at", sa.DateTime()),
        _col("first_received_at", sa.DateTime()),
        _col("latest_version", sa.Integer()),
        _col("latest_received_at", sa.DateTime()),
        _check("pnr", "carrier_type", "CARRIER", "TOUR_OPERATOR"),
        _check("pnr", "sector", "AIR", "HST", "BUS", "SEA"),
        sa.PrimaryKeyConstraint("pnr_id", name=op.f("pk_pnr")),
    )
    _index("pnr", "record_locator")
    op.create_table(
        "api_leg",
        _col("manifest_id", sa.String()),
        _col("leg_no", sa.Integer()),
        _col("carrier", sa.String()),
        _col("transport_number", sa.String()),
        _col("departure_port", sa.String()),
        _col("arrival_port", sa.String()),
        _col("departure_local", sa.DateTime(), nullable=True),
        _col("arrival_local", sa.DateTime(), nullable=True),
        _fk("api_leg", "api_manifest", "manifest_id"),
        sa.PrimaryKeyConstraint("manifest_id", "leg_no", name=op.f("pk_api_leg")),
    )
    op.create_table(
        "api_person",
        _col("manifest_id", sa.String()),
        _col("person_no", sa.Integer()),
        _col("role", sa.String(16)),
        _col("surname", sa.String()),
        _col("given_names", sa.String()),
        _col("gender", sa.String(16)),
        _col("date_of_birth", sa.Date(), nullable=True),
        _col("nationality", sa.String()),
        _col("embarkation", sa.String()),
        _col("debarkation", sa.String()),
        _col("border_crossing_point", sa.String()),
        _col("record_locator", sa.String()),
        _check("api_person", "gender", "M", "F", "X", "U"),
        _check("api_person", "role", "PASSENGER", "CREW"),
        _fk("api_person", "api_manifest", "manifest_id"),
        sa.PrimaryKeyConstraint("manifest_id", "person_no", name=op.f("pk_api_person")),
    )
    _index("api_person", "surname")
    op.create_table(
        "pnr_version",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("push_stage", sa.String(16)),
        _col("created_at", sa.DateTime()),
        _col("received_at", sa.DateTime()),
        _col("message_id", sa.String()),
        _col("party_size", sa.Integer()),
        _col("agency_iata_number", sa.String(), nullable=True),
        _col("agency_name", sa.String(), nullable=True),
        _col("agency_city", sa.String(), nullable=True),
        _col("agency_country", sa.String(), nullable=True),
        _col("agency_agent_id", sa.String(), nullable=True),
        _check("pnr_version", "push_stage", "EARLY", "CLOSURE", "AD_HOC"),
        _fk("pnr_version", "pnr", "pnr_id"),
        sa.PrimaryKeyConstraint("pnr_id", "version", name=op.f("pk_pnr_version")),
    )
    _index("pnr_version", "message_id")
    _index("pnr_version", "received_at")
    op.create_table(
        "api_document",
        _col("manifest_id", sa.String()),
        _col("person_no", sa.Integer()),
        _col("doc_no", sa.Integer()),
        _col("doc_type", sa.String(16)),
        _col("number", sa.String()),
        _col("issuing_country", sa.String()),
        _col("expiry_date", sa.Date(), nullable=True),
        _col("nationality", sa.String()),
        _col("date_of_birth", sa.Date(), nullable=True),
        _col("gender", sa.String(16)),
        _col("surname", sa.String()),
        _col("given_names", sa.String()),
        _check("api_document", "doc_type", "P", "I", "V", "R", "C", "F"),
        _check("api_document", "gender", "M", "F", "X", "U"),
        _fk("api_document", "api_person", "manifest_id", "person_no"),
        sa.PrimaryKeyConstraint("manifest_id", "person_no", "doc_no", name=op.f("pk_api_document")),
    )
    _index("api_document", "number")
    op.create_table(
        "contact",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("item_no", sa.Integer()),
        _col("pax_ref", sa.String(), nullable=True),
        _col("kind", sa.String(16)),
        _col("value", sa.String()),
        _col("country", sa.String()),
        _check("contact", "kind", "PHONE", "EMAIL", "ADDRESS"),
        _fk("contact", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "item_no", name=op.f("pk_contact")),
    )
    _index("contact", "value")
    op.create_table(
        "history",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("item_no", sa.Integer()),
        _col("occurred_at", sa.DateTime()),
        _col("action", sa.String(16)),
        _col("heading", sa.Integer()),
        _col("item", sa.String()),
        _col("pax_ref", sa.String()),
        _check("history", "action", "A", "X", "C"),
        _fk("history", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "item_no", name=op.f("pk_history")),
    )
    op.create_table(
        "passenger",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("pax_no", sa.Integer()),
        _col("surname", sa.String()),
        _col("given_names", sa.String()),
        _col("title", sa.String()),
        _col("passenger_type", sa.String(16)),
        _col("travel_status", sa.String(16)),
        _col("infant_of", sa.String(), nullable=True),
        _check("passenger", "passenger_type", "A", "C", "IN"),
        _check(
            "passenger",
            "travel_status",
            "CONFIRMED",
            "CHECKED_IN",
            "BOARDED",
            "NO_SHOW",
            "GO_SHOW",
            "CANCELLED",
        ),
        _fk("passenger", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "pax_ref", name=op.f("pk_passenger")),
    )
    _index("passenger", "surname")
    op.create_table(
        "payment",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("item_no", sa.Integer()),
        _col("form", sa.String(16)),
        _col("amount", sa.Numeric(14, 3), nullable=True),
        _col("currency", sa.String()),
        _col("card_type", sa.String()),
        _col("card_masked", sa.String()),
        _col("card_holder", sa.String()),
        _col("billing_address", sa.String()),
        _check("payment", "form", "CC", "CA", "CK", "IN", "MS", "GR"),
        _fk("payment", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "item_no", name=op.f("pk_payment")),
    )
    op.create_table(
        "segment",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("seg_no", sa.Integer()),
        _col("sector", sa.String(16)),
        _col("carrier", sa.String()),
        _col("transport_number", sa.String()),
        _col("origin", sa.String()),
        _col("destination", sa.String()),
        _col("origin_kind", sa.String(16)),
        _col("destination_kind", sa.String(16)),
        _col("origin_country", sa.String()),
        _col("destination_country", sa.String()),
        _col("departure_local", sa.DateTime()),
        _col("arrival_local", sa.DateTime()),
        _col("departure_utc", sa.DateTime()),
        _col("arrival_utc", sa.DateTime()),
        _col("booking_class", sa.String()),
        _col("status", sa.String()),
        _col("operating_carrier", sa.String(), nullable=True),
        _col("operating_number", sa.String(), nullable=True),
        _col("equipment", sa.String()),
        _check("segment", "destination_kind", "AIRPORT", "STATION", "PORT", "BUS_STOP"),
        _check("segment", "origin_kind", "AIRPORT", "STATION", "PORT", "BUS_STOP"),
        _check("segment", "sector", "AIR", "HST", "BUS", "SEA"),
        _fk("segment", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "seg_no", name=op.f("pk_segment")),
    )
    _index("segment", "carrier", "transport_number")
    _index("segment", "departure_utc")
    _index("segment", "destination")
    _index("segment", "origin")
    op.create_table(
        "split_info",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("item_no", sa.Integer()),
        _col("related_locator", sa.String()),
        _col("kind", sa.String(16)),
        _col("passenger_count", sa.Integer()),
        _check("split_info", "kind", "SPLIT_FROM", "DIVIDED_INTO"),
        _fk("split_info", "pnr_version", "pnr_id", "version"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "item_no", name=op.f("pk_split_info")),
    )
    op.create_table(
        "bag",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("item_no", sa.Integer()),
        _col("seg_no", sa.Integer()),
        _col("piece_count", sa.Integer()),
        _col("weight_kg", sa.Float(), nullable=True),
        _col("tag_numbers", sa.Text()),
        _col("final_destination", sa.String()),
        _fk("bag", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "pax_ref", "item_no", name=op.f("pk_bag")),
    )
    op.create_table(
        "frequent_flyer",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("item_no", sa.Integer()),
        _col("airline", sa.String()),
        _col("number", sa.String()),
        _col("tier", sa.String()),
        _fk("frequent_flyer", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint(
            "pnr_id", "version", "pax_ref", "item_no", name=op.f("pk_frequent_flyer")
        ),
    )
    _index("frequent_flyer", "number")
    op.create_table(
        "minor",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("age", sa.Integer()),
        _col("languages", sa.String()),
        _col("departure_guardian_name", sa.String()),
        _col("departure_guardian_contact", sa.String()),
        _col("departure_guardian_relation", sa.String()),
        _col("arrival_guardian_name", sa.String()),
        _col("arrival_guardian_contact", sa.String()),
        _col("arrival_guardian_relation", sa.String()),
        _col("departure_agent", sa.String()),
        _col("arrival_agent", sa.String()),
        _fk("minor", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "pax_ref", name=op.f("pk_minor")),
    )
    op.create_table(
        "seat",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("item_no", sa.Integer()),
        _col("seg_no", sa.Integer()),
        _col("seat_number", sa.String()),
        _col("cabin", sa.String()),
        _fk("seat", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "pax_ref", "item_no", name=op.f("pk_seat")),
    )
    op.create_table(
        "ticket",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("item_no", sa.Integer()),
        _col("number", sa.String()),
        _col("issued_on", sa.Date(), nullable=True),
        _col("one_way", sa.Boolean()),
        _col("fare_basis", sa.String()),
        _col("total_amount", sa.Numeric(14, 3), nullable=True),
        _col("currency", sa.String()),
        _fk("ticket", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint("pnr_id", "version", "pax_ref", "item_no", name=op.f("pk_ticket")),
    )
    _index("ticket", "number")
    op.create_table(
        "travel_document",
        _col("pnr_id", sa.String()),
        _col("version", sa.Integer()),
        _col("pax_ref", sa.String()),
        _col("doc_no", sa.Integer()),
        _col("doc_type", sa.String(16)),
        _col("number", sa.String()),
        _col("issuing_country", sa.String()),
        _col("expiry_date", sa.Date(), nullable=True),
        _col("nationality", sa.String()),
        _col("date_of_birth", sa.Date(), nullable=True),
        _col("gender", sa.String(16)),
        _col("surname", sa.String()),
        _col("given_names", sa.String()),
        _check("travel_document", "doc_type", "P", "I", "V", "R", "C", "F"),
        _check("travel_document", "gender", "M", "F", "X", "U"),
        _fk("travel_document", "passenger", "pnr_id", "version", "pax_ref"),
        sa.PrimaryKeyConstraint(
            "pnr_id", "version", "pax_ref", "doc_no", name=op.f("pk_travel_document")
        ),
    )
    _index("travel_document", "number")


def downgrade() -> None:
    """Drop every table, children first (their indexes go with them)."""
    children_first = (
        "travel_document ticket seat minor frequent_flyer bag split_info segment "
        "payment passenger history contact api_document pnr_version api_person "
        "api_leg pnr message carrier api_manifest"
    )
    for name in children_first.split():
        op.drop_table(name)

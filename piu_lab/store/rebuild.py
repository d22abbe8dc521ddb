"""Rebuilding model records from the store: one PNR version back as a :class:`Pnr`.

The inverse of :func:`piu_lab.store.frames.pnrs_to_frames`, for one record at a time (a hit
review or a targeted search shows one PNR). Reads go through SQLAlchemy's typed rows, so dates,
times and decimals come back as Python values; ``*_utc``/``*_at`` values get their UTC zone
back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, select

from piu_lab.model import (
    AnnexHeading,
    Bag,
    CarrierType,
    Contact,
    ContactKind,
    DocumentType,
    FrequentFlyer,
    Gender,
    HistoryAction,
    HistoryEntry,
    LocationKind,
    Passenger,
    PassengerType,
    Payment,
    PaymentForm,
    Pnr,
    PushStage,
    Seat,
    Sector,
    Segment,
    SplitInfo,
    SplitKind,
    Ticket,
    TravelAgency,
    TravelDocument,
    TravelStatus,
    UnaccompaniedMinor,
)
from piu_lab.store import schema

__all__ = ["read_pnr"]

Rows = list[RowMapping]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _rows(conn: Connection, table: Table, pnr_id: str, version: int) -> Rows:
    order = [c for c in table.primary_key.columns if c.name not in ("pnr_id", "version")]
    if "pax_no" in table.c:
        order = [table.c.pax_no]
    query = (
        select(table).where(table.c.pnr_id == pnr_id, table.c.version == version).order_by(*order)
    )
    return list(conn.execute(query).mappings())


def _by_pax(rows: Rows) -> Mapping[str, Rows]:
    out: dict[str, Rows] = defaultdict(list)
    for row in rows:
        out[row["pax_ref"]].append(row)
    return out


def _document(r: RowMapping) -> TravelDocument:
    return TravelDocument(
        doc_type=DocumentType(r["doc_type"]),
        number=r["number"],
        issuing_country=r["issuing_country"],
        expiry_date=r["expiry_date"],
        nationality=r["nationality"],
        date_of_birth=r["date_of_birth"],
        gender=Gender(r["gender"]),
        surname=r["surname"],
        given_names=r["given_names"],
    )


def _minor(r: RowMapping) -> UnaccompaniedMinor:
    fields = {k: v for k, v in r.items() if k not in ("pnr_id", "version", "pax_ref")}
    languages = fields.pop("languages")
    return UnaccompaniedMinor(languages=tuple(languages.split(",")) if languages else (), **fields)


def _contact(r: RowMapping) -> Contact:
    return Contact(kind=ContactKind(r["kind"]), value=r["value"], country=r["country"])


def _passenger(r: RowMapping, parts: Mapping[str, Mapping[str, Rows]]) -> Passenger:
    ref = r["pax_ref"]
    minors = parts["minor"].get(ref, [])
    return Passenger(
        pax_ref=ref,
        surname=r["surname"],
        given_names=r["given_names"],
        title=r["title"],
        passenger_type=PassengerType(r["passenger_type"]),
        travel_status=TravelStatus(r["travel_status"]),
        infant_of=r["infant_of"],
        documents=tuple(_document(d) for d in parts["travel_document"].get(ref, [])),
        tickets=tuple(
            Ticket(
                number=t["number"],
                issued_on=t["issued_on"],
                one_way=bool(t["one_way"]),
                fare_basis=t["fare_basis"],
                total_amount=t["total_amount"],
                currency=t["currency"],
            )
            for t in parts["ticket"].get(ref, [])
        ),
        seats=tuple(
            Seat(seg_no=s["seg_no"], seat_number=s["seat_number"], cabin=s["cabin"])
            for s in parts["seat"].get(ref, [])
        ),
        bags=tuple(
            Bag(
                seg_no=b["seg_no"],
                count=b["piece_count"],
                weight_kg=b["weight_kg"],
                tag_numbers=tuple(b["tag_numbers"].split(",")) if b["tag_numbers"] else (),
                final_destination=b["final_destination"],
            )
            for b in parts["bag"].get(ref, [])
        ),
        frequent_flyers=tuple(
            FrequentFlyer(airline=f["airline"], number=f["number"], tier=f["tier"])
            for f in parts["frequent_flyer"].get(ref, [])
        ),
        contacts=tuple(_contact(c) for c in parts["contact"].get(ref, [])),
        minor=_minor(minors[0]) if minors else None,
    )


def _segment(r: RowMapping) -> Segment:
    values: dict[str, Any] = {k: v for k, v in r.items() if k not in ("pnr_id", "version")}
    values["sector"] = Sector(values["sector"])
    values["origin_kind"] = LocationKind(values["origin_kind"])
    values["destination_kind"] = LocationKind(values["destination_kind"])
    values["departure_utc"] = _utc(values["departure_utc"])
    values["arrival_utc"] = _utc(values["arrival_utc"])
    return Segment(**values)


def _payment(r: RowMapping) -> Payment:
    return Payment(
        form=PaymentForm(r["form"]),
        amount=r["amount"],
        currency=r["currency"],
        card_type=r["card_type"],
        card_masked=r["card_masked"],
        card_holder=r["card_holder"],
        billing_address=r["billing_address"],
    )


def _history(r: RowMapping) -> HistoryEntry:
    return HistoryEntry(
        occurred_at=_utc(r["occurred_at"]),
        action=HistoryAction(r["action"]),
        heading=AnnexHeading(r["heading"]),
        item=r["item"],
        pax_ref=r["pax_ref"],
    )


def _agency(v: RowMapping) -> TravelAgency | None:
    if v["agency_iata_number"] is None:
        return None
    return TravelAgency(
        iata_number=v["agency_iata_number"],
        name=v["agency_name"],
        city=v["agency_city"],
        country=v["agency_country"],
        agent_id=v["agency_agent_id"],
    )


def read_pnr(conn: Connection, pnr_id: str, version: int | None = None) -> Pnr | None:
    """Version ``version`` (default: the latest) of ``pnr_id``; None when it is not stored."""
    head = conn.execute(select(schema.pnr).where(schema.pnr.c.pnr_id == pnr_id)).mappings()
    p = head.first()
    if p is None:
        return None
    version = p["latest_version"] if version is None else version
    versions = _rows(conn, schema.pnr_version, pnr_id, version)
    if not versions:
        return None
    v = versions[0]
    parts = {
        name: _by_pax(_rows(conn, schema.TABLES[name], pnr_id, version))
        for name in ("minor", "travel_document", "ticket", "seat", "bag", "frequent_flyer")
    }
    contacts = _rows(conn, schema.contact, pnr_id, version)
    parts["contact"] = _by_pax([c for c in contacts if c["pax_ref"] is not None])
    return Pnr(
        record_locator=p["record_locator"],
        carrier=p["carrier"],
        sector=Sector(p["sector"]),
        created_at=_utc(v["created_at"]),
        received_at=_utc(v["received_at"]),
        version=version,
        push_stage=PushStage(v["push_stage"]),
        carrier_type=CarrierType(p["carrier_type"]),
        passengers=tuple(
            _passenger(r, parts) for r in _rows(conn, schema.passenger, pnr_id, version)
        ),
        segments=tuple(_segment(r) for r in _rows(conn, schema.segment, pnr_id, version)),
        payments=tuple(_payment(r) for r in _rows(conn, schema.payment, pnr_id, version)),
        contacts=tuple(_contact(c) for c in contacts if c["pax_ref"] is None),
        agency=_agency(v),
        splits=tuple(
            SplitInfo(
                related_locator=r["related_locator"],
                kind=SplitKind(r["kind"]),
                passenger_count=r["passenger_count"],
            )
            for r in _rows(conn, schema.split_info, pnr_id, version)
        ),
        history=tuple(_history(r) for r in _rows(conn, schema.history, pnr_id, version)),
        party_size=v["party_size"],
        message_id=v["message_id"],
    )

"""Freeze a :class:`~piu_lab.ingest.pnrgov_items.PnrDraft` into a :class:`~piu_lab.model.Pnr`.

Local times become UTC with the time zone of the place; DOCS found anywhere in the message are
attached to their traveller by reference, then by name, then to the only traveller; a DOCS
whose traveller has no TIF becomes a traveller of its own (GTAS dropped such people). A
traveller without DOCS is still a traveller.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from piu_lab.model import (
    Contact,
    FrequentFlyer,
    HistoryEntry,
    LocationKind,
    Passenger,
    PassengerType,
    Payment,
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

if TYPE_CHECKING:
    from piu_lab.ingest.fields import DocsFields
    from piu_lab.ingest.pnrgov_items import PaxDraft, PnrDraft, SegDraft

__all__ = ["CLOSURE_WINDOW", "build_pnr", "location_kind"]

#: A push received later than this before the first departure is the closure push (R-DATA-04).
CLOSURE_WINDOW = timedelta(hours=6)


def location_kind(code: str) -> LocationKind:
    if code.isdigit() and len(code) == 7:
        return LocationKind.STATION
    if len(code) == 5:
        return LocationKind.PORT
    return LocationKind.AIRPORT


def _segment(draft: PnrDraft, seg_no: int, s: SegDraft) -> Segment | None:
    if s.departure is None or not s.origin or not s.destination:
        draft.warnings.append(f"segment {s.number} TVL: leg without date or places; skipped")
        return None
    here, there = draft.ctx.place(s.origin), draft.ctx.place(s.destination)
    if here is None or there is None:
        draft.warnings.append(f"segment {s.number} TVL: unknown place code; times taken as UTC")
    dep_utc = s.departure.replace(tzinfo=here.tz if here else UTC).astimezone(UTC)
    arrival = s.arrival or s.departure
    arr_utc = arrival.replace(tzinfo=there.tz if there else UTC).astimezone(UTC)
    if arr_utc < dep_utc:  # arrival time given without its date, after midnight
        arrival += timedelta(days=1)
        arr_utc += timedelta(days=1)
    return Segment(
        seg_no=seg_no,
        sector=Sector.AIR if location_kind(s.origin) is LocationKind.AIRPORT else Sector.HST,
        carrier=s.carrier or draft.carrier,
        transport_number=s.transport_number,
        origin=s.origin,
        destination=s.destination,
        origin_kind=location_kind(s.origin),
        destination_kind=location_kind(s.destination),
        origin_country=here.country if here else "",
        destination_country=there.country if there else "",
        departure_local=s.departure,
        arrival_local=arrival,
        departure_utc=dep_utc,
        arrival_utc=arr_utc,
        booking_class=s.booking_class,
        status=s.status,
        operating_carrier=s.operating_carrier if s.operating_carrier != s.carrier else None,
        operating_number=s.operating_number,
        equipment=s.equipment,
    )


def _document(fields: DocsFields) -> TravelDocument | None:
    if fields.doc_type is None or not fields.number:
        return None
    return TravelDocument(
        doc_type=fields.doc_type,
        number=fields.number,
        issuing_country=fields.issuing_country,
        expiry_date=fields.expiry_date,
        nationality=fields.nationality,
        date_of_birth=fields.date_of_birth,
        gender=fields.gender,
        surname=fields.surname,
        given_names=fields.given_names,
    )


def _attach_docs(draft: PnrDraft) -> None:
    for ref, kind, fields in draft.loose_docs:
        owner = draft.find_pax(ref, fields.surname, fields.given_names)
        if owner is None and len(draft.pax) == 1:
            owner = draft.pax[0]
        if owner is None:
            from piu_lab.ingest.pnrgov_items import PaxDraft as _Pax

            ptype = PassengerType.INFANT if fields.infant else PassengerType.ADULT
            owner = _Pax(
                ref or f"D{len(draft.pax) + 1}", fields.surname, fields.given_names, "", ptype
            )
            draft.pax.append(owner)
            draft.warnings.append("a DOCS without its TIF became a traveller of its own")
        owner.docs.append((kind, fields))
    for ref, index, seat in draft.loose_seats:
        owner = draft.find_pax(ref)
        if owner is not None:
            owner.seats.append((index, seat, ""))


def _passenger(p: PaxDraft, index_to_no: dict[int, int], one_way: bool) -> Passenger:
    documents = tuple(d for _, f in p.docs if (d := _document(f)) is not None)
    seats = tuple(
        Seat(seg_no=index_to_no[i], seat_number=seat, cabin=cabin)
        for i, seat, cabin in p.seats
        if i is not None and i in index_to_no
    )
    first_leg = min(index_to_no.values(), default=1)
    bags = list(p.bags)
    if p.excess_bags and not bags:
        from piu_lab.model import Bag

        bags.append(Bag(seg_no=first_leg, count=p.excess_bags))
    tickets = tuple(
        Ticket(
            number=str(t.get("number", "")),
            issued_on=t.get("issued_on"),  # type: ignore[arg-type]
            one_way=one_way,
            fare_basis=p.fare_basis,
            total_amount=t.get("total_amount"),  # type: ignore[arg-type]
            currency=str(t.get("currency", "")),
        )
        for t in p.tickets
        if t.get("number")
    )
    dob = next((f.date_of_birth for _, f in p.docs if f.date_of_birth), None)
    minor = None
    if p.minor_age is not None:
        minor = UnaccompaniedMinor(age=p.minor_age)
    del dob  # the birth date lives on the document (heading 18)
    return Passenger(
        pax_ref=p.ref,
        surname=p.surname or next((f.surname for _, f in p.docs if f.surname), ""),
        given_names=p.given_names,
        title=p.title,
        passenger_type=p.passenger_type,
        travel_status=TravelStatus.CHECKED_IN if p.checked_in else TravelStatus.CONFIRMED,
        documents=documents,
        tickets=tickets,
        seats=seats,
        bags=tuple(
            b if b.seg_no in index_to_no.values() else replace(b, seg_no=first_leg) for b in bags
        ),
        frequent_flyers=tuple(FrequentFlyer(airline=a, number=n, tier=t) for a, n, t in p.ffs if n),
        contacts=tuple(Contact(kind=k, value=v, country=c) for k, v, c in p.contacts),
        minor=minor,
    )


def _payment(raw: dict[str, Any]) -> Payment:
    return Payment(
        form=raw["form"],
        amount=raw.get("amount"),
        card_type=str(raw.get("card_type", "")),
        card_masked=str(raw.get("card_masked", "")),
        card_holder=str(raw.get("card_holder", "")),
        billing_address=str(raw.get("billing_address", "")),
    )


def build_pnr(draft: PnrDraft, *, message_id: str) -> Pnr | None:
    if not draft.locator:
        return None
    _attach_docs(draft)
    if not draft.segs and draft.header_flight is not None:
        draft.segs.append(draft.header_flight)  # no group 5: the flight the message is about
        draft.warnings.append("no itinerary in the PNR: the message's flight (TVL) is used")
    segments: list[Segment] = []
    index_to_no: dict[int, int] = {}
    for i, s in enumerate(draft.segs):
        built = _segment(draft, len(segments) + 1, s)
        if built is not None:
            index_to_no[i] = built.seg_no
            segments.append(built)
    one_way = bool(segments) and segments[0].origin != segments[-1].destination
    passengers = tuple(_passenger(p, index_to_no, one_way) for p in draft.pax)
    created = draft.created_at or draft.fallback_created or draft.ctx.received_at
    received = draft.ctx.received_at
    first_dep = min((s.departure_utc for s in segments), default=None)
    closure = first_dep is not None and received >= first_dep - CLOSURE_WINDOW
    agency = None
    if draft.agency is not None:
        agency = TravelAgency(
            iata_number=draft.agency["iata_number"],
            city=draft.agency["city"].upper(),
            country=draft.agency["country"].upper(),
            agent_id=draft.agency["agent_id"].upper(),
        )
    return Pnr(
        record_locator=draft.locator,
        carrier=draft.carrier,
        sector=segments[0].sector if segments else Sector.AIR,
        created_at=created.replace(tzinfo=UTC) if created.tzinfo is None else created,
        received_at=received,
        push_stage=PushStage.CLOSURE if closure else PushStage.EARLY,
        passengers=passengers,
        segments=tuple(segments),
        payments=tuple(_payment(p) for p in draft.payments),
        contacts=tuple(Contact(kind=k, value=v, country=c) for k, v, c in draft.contacts),
        agency=agency,
        splits=tuple(
            SplitInfo(related_locator=loc, kind=SplitKind.DIVIDED_INTO) for loc in draft.splits
        ),
        history=tuple(
            HistoryEntry(
                occurred_at=(when or received).replace(tzinfo=UTC) if when else received,
                action=action,
                heading=heading,
                item=item,
            )
            for when, action, heading, item in draft.history
        ),
        party_size=sum(1 for p in passengers if p.passenger_type is not PassengerType.INFANT),
        message_id=message_id,
    )


def _unused(_: datetime) -> None:  # pragma: no cover - keeps datetime import for annotations
    return None

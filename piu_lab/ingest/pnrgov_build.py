"""Freeze a :class:`~piu_lab.ingest.pnrgov_items.PnrDraft` into a :class:`~piu_lab.model.Pnr`.

Local times become UTC with the time zone of the place. DOCS found anywhere in the message are
attached to their traveller by reference, then by name (spaces ignored: ``BEL T`` is ``BELT``),
an infant's DOCS (``MI``/``FI`` or a reference ending in ``I``) to the infant; a DOCS whose
traveller has no TIF becomes a traveller of its own (GTAS dropped such people, issue #2082).
A traveller without DOCS is still a traveller. A DOCS without a document number keeps its API
items (birth date, gender, nationality, names; R-DATA-03) as a document of type ``OTHER``
(``F``) with an empty number.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from piu_lab.ingest.fields import TITLES, DocsFields, compact, flight_key
from piu_lab.ingest.pnrgov_items import PaxDraft
from piu_lab.model import (
    Bag,
    Contact,
    DocumentType,
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
    Ticket,
    TravelAgency,
    TravelDocument,
    TravelStatus,
    UnaccompaniedMinor,
)

if TYPE_CHECKING:
    from piu_lab.ingest.pnrgov_items import PnrDraft, SegDraft
    from piu_lab.places import Place

__all__ = ["CLOSURE_WINDOW", "build_pnr", "location_kind"]

#: A push received later than this before the first departure is the closure push (R-DATA-04).
CLOSURE_WINDOW = timedelta(hours=6)
_INFANT = PassengerType.INFANT


_SECTORS = {
    LocationKind.AIRPORT: Sector.AIR,
    LocationKind.STATION: Sector.HST,
    LocationKind.PORT: Sector.SEA,
    LocationKind.BUS_STOP: Sector.BUS,
}


def location_kind(code: str, place: Place | None = None) -> LocationKind:
    """How a place is coded: from the place registry when it knows the code, else from its
    shape (7 digits: a UIC station; 5 characters: a UN/LOCODE port; else an IATA airport)."""
    if place is not None:
        return place.kind
    if code.isdecimal() and len(code) == 7:
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
    kind = location_kind(s.origin, here)
    return Segment(
        seg_no=seg_no,
        sector=_SECTORS[kind],
        carrier=s.carrier or draft.carrier,
        transport_number=s.transport_number,
        origin=s.origin,
        destination=s.destination,
        origin_kind=kind,
        destination_kind=location_kind(s.destination, there),
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
    if not (fields.number or fields.date_of_birth or fields.surname):
        return None
    return TravelDocument(
        doc_type=fields.doc_type or DocumentType.OTHER,
        number=fields.number,
        issuing_country=fields.issuing_country,
        expiry_date=fields.expiry_date,
        nationality=fields.nationality,
        date_of_birth=fields.date_of_birth,
        gender=fields.gender,
        surname=fields.surname,
        given_names=fields.given_names,
    )


def _same_ref(a: str | None, b: str) -> bool:
    return bool(a) and bool(b) and (a == b or (a or "").lstrip("0") == b.lstrip("0"))


def _named(pax: list[PaxDraft], surname: str, given: str) -> PaxDraft | None:
    key, first = compact(surname), compact(given)
    if not key:
        return None
    same = [p for p in pax if compact(p.surname) == key]
    fitting = [p for p in same if first.startswith(compact(p.given_names)) or not p.given_names]
    found = fitting or same
    return found[0] if found else None


def _doc_owner(d: PnrDraft, ref: str, infant: bool, f: DocsFields) -> PaxDraft | None:
    if infant:
        infants = [p for p in d.pax if p.passenger_type is _INFANT]
        return (
            _named(infants, f.surname, f.given_names)
            or next((p for p in infants if _same_ref(p.infant_of, ref)), None)
            or (infants[0] if len(infants) == 1 else None)
        )
    by_ref = d.find_pax(ref) if ref else None
    by_name = _named(d.pax, f.surname, f.given_names)
    if by_ref is not None and (by_name is None or compact(by_ref.surname) == compact(f.surname)):
        return by_ref
    if by_name is not None:
        return by_name
    others = [p for p in d.pax if p.passenger_type is not _INFANT]
    if len(others) == 1:
        only = others[0]
        if not f.surname or compact(f.given_names).startswith(compact(only.given_names)):
            return only
    return None


def _attach(d: PnrDraft) -> None:
    """Attach what was read apart from its traveller: documents, infants, seats, tickets."""
    for adult_ref, surname, given in d.infant_links:
        adult = d.find_pax(adult_ref)
        baby = _named([p for p in d.pax if p.passenger_type is _INFANT], surname, given)
        if adult is not None and baby is not None:
            baby.infant_of = adult.ref
    for ref, infant, fields in d.loose_docs:
        owner = _doc_owner(d, ref, infant, fields)
        if owner is None:
            kind = _INFANT if infant else PassengerType.ADULT
            owner = PaxDraft(f"D{len(d.pax) + 1}", fields.surname, fields.given_names, "", kind)
            adult = d.find_pax(ref) if infant and ref else None
            owner.infant_of = adult.ref if adult is not None else None
            d.pax.append(owner)
            d.warnings.append("a DOCS without its TIF became a traveller of its own")
        key = (fields.doc_type, fields.number, fields.date_of_birth)
        if not any((f.doc_type, f.number, f.date_of_birth) == key for f in owner.docs):
            owner.docs.append(fields)
    for ref, leg, seat in d.loose_seats:
        owner = d.find_pax(ref)
        if owner is not None and not any(s[:2] == (leg, seat) for s in owner.seats):
            owner.seats.append((leg, seat, ""))
    for adult_ref, number in d.infant_tickets:
        baby = next((p for p in d.pax if _same_ref(p.infant_of, adult_ref)), None)
        if baby is not None and not any(t.get("number") == number for t in baby.tickets):
            baby.tickets.append({"number": number})


def _untitle(p: PaxDraft) -> None:
    """``KAYLAMS`` whose DOCS says ``KAYLA``: the glued ``MS`` (or ``DR``) is a title."""
    if p.title or not p.given_names:
        return
    firsts = {compact(f.given_names.split(" ")[0]) for f in p.docs if f.given_names}
    given = compact(p.given_names)
    for title in TITLES:
        if given.endswith(title) and given[: -len(title)] in firsts:
            p.given_names, p.title = p.given_names[: -len(title)].strip(), title
            return


def _passenger(p: PaxDraft, index_to_no: dict[int, int], one_way: bool) -> Passenger:
    _untitle(p)
    documents = tuple(d for f in p.docs if (d := _document(f)) is not None)
    seats: dict[tuple[int, str], str] = {}
    for leg, seat, cabin in p.seats:
        if leg in index_to_no:
            key = (index_to_no[leg], seat)
            seats[key] = seats.get(key) or cabin
    first_leg = min(index_to_no.values(), default=1)
    bags = [
        Bag(
            seg_no=index_to_no.get(b.seg_no - 1, first_leg),
            count=b.count,
            weight_kg=b.weight_kg,
            tag_numbers=b.tag_numbers,
            final_destination=b.final_destination,
        )
        for b in p.bags
    ]
    if p.excess_bags and not bags:
        bags.append(Bag(seg_no=first_leg, count=p.excess_bags))
    tickets = tuple(
        Ticket(
            number=str(t["number"]),
            issued_on=t.get("issued_on"),  # type: ignore[arg-type]
            one_way=one_way,
            fare_basis=p.fare_basis,
            total_amount=t.get("total_amount"),  # type: ignore[arg-type]
            currency=str(t.get("currency", "")),
        )
        for t in p.tickets
        if t.get("number")
    )
    minor = None
    if p.minor is not None:
        m = p.minor
        minor = UnaccompaniedMinor(
            age=m.age,
            languages=m.languages,
            departure_guardian_name=m.departure[0],
            departure_guardian_contact=m.departure[1],
            departure_guardian_relation=m.departure[2],
            arrival_guardian_name=m.arrival[0],
            arrival_guardian_contact=m.arrival[1],
            arrival_guardian_relation=m.arrival[2],
            departure_agent=m.departure_agent,
            arrival_agent=m.arrival_agent,
        )
    return Passenger(
        pax_ref=p.ref,
        surname=p.surname or next((f.surname for f in p.docs if f.surname), ""),
        given_names=p.given_names,
        title=p.title,
        passenger_type=p.passenger_type,
        travel_status=p.status or TravelStatus.CONFIRMED,
        infant_of=p.infant_of,
        documents=documents,
        tickets=tickets,
        seats=tuple(Seat(seg_no=n, seat_number=s, cabin=c) for (n, s), c in seats.items()),
        bags=tuple(bags),
        frequent_flyers=tuple(FrequentFlyer(airline=a, number=n, tier=t) for a, n, t in p.ffs),
        contacts=tuple(Contact(kind=k, value=v, country=c) for k, v, c in _unique(p.contacts)),
        minor=minor,
    )


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _payment(raw: dict[str, Any]) -> Payment:
    return Payment(
        form=raw["form"],
        amount=raw.get("amount"),
        card_type=str(raw.get("card_type", "")),
        card_masked=str(raw.get("card_masked", "")),
        card_holder=str(raw.get("card_holder", "")),
        billing_address=str(raw.get("billing_address", "")),
    )


def _pushed_departure(draft: PnrDraft, segments: list[Segment]) -> datetime | None:
    """When the flight the message is pushed for leaves (its level-0 TVL, found among the
    legs), else the first leg: the closure push comes after it (R-DATA-04)."""
    head = draft.header_flight
    if head is not None:
        for s in segments:
            numbers = {flight_key(s.transport_number), flight_key(s.operating_number or "")}
            if s.origin == head.origin and flight_key(head.transport_number) in numbers:
                return s.departure_utc
    return min((s.departure_utc for s in segments), default=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def build_pnr(draft: PnrDraft, *, message_id: str) -> Pnr | None:
    if not draft.locator:
        return None
    _attach(draft)
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
    known = {p.ref for p in draft.pax}
    for p in draft.pax:
        if p.infant_of is not None and p.infant_of not in known:
            p.infant_of = None
    passengers = tuple(_passenger(p, index_to_no, one_way) for p in draft.pax)
    created = draft.created_at or draft.fallback_created or draft.ctx.received_at
    received = draft.ctx.received_at
    departure = _pushed_departure(draft, segments)
    closure = departure is not None and received >= departure - CLOSURE_WINDOW
    agency = None
    if draft.agency is not None:
        agency = TravelAgency(
            iata_number=draft.agency["iata_number"],
            name=draft.agency["name"],
            city=draft.agency["city"].upper(),
            country=draft.agency["country"].upper(),
            agent_id=draft.agency["agent_id"].upper(),
        )
    return Pnr(
        record_locator=draft.locator,
        carrier=draft.carrier,
        sector=segments[0].sector if segments else Sector.AIR,
        created_at=_aware(created),
        received_at=received,
        push_stage=PushStage.CLOSURE if closure else PushStage.EARLY,
        passengers=passengers,
        segments=tuple(segments),
        payments=tuple(_payment(p) for p in draft.payments),
        contacts=tuple(Contact(kind=k, value=v, country=c) for k, v, c in _unique(draft.contacts)),
        agency=agency,
        splits=tuple(
            SplitInfo(related_locator=loc, kind=kind, passenger_count=count)
            for loc, kind, count in draft.splits
        ),
        history=tuple(
            HistoryEntry(
                occurred_at=_aware(when) if when is not None else received,
                action=action,
                heading=heading,
                item=item,
                pax_ref=ref,
            )
            for when, action, heading, item, ref in draft.history
        ),
        party_size=len(passengers),
        message_id=message_id,
    )

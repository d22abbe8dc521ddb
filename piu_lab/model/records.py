"""Frozen dataclasses for everything the 19 Annex I headings carry (R-DATA-01/02/03).

Each field says, in its metadata, which Annex I heading it carries (``TECHNICAL`` for
bookkeeping without passenger data); ``docs/data-model.md`` is generated from these tags.
There is deliberately no field for anything outside Annex I: no free-text remarks (OSI, RM),
no meal or health SSRs, no third-party contacts, no mileage history (R-DATA-02, R-SENS-02).

Times: ``*_local`` are naive wall-clock times at the place; ``*_utc`` are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from piu_lab.model.annex import TECHNICAL, AnnexHeading, annex
from piu_lab.model.enums import (
    CarrierType,
    ContactKind,
    DocumentType,
    Gender,
    HistoryAction,
    LocationKind,
    PassengerRole,
    PassengerType,
    PaymentForm,
    PushStage,
    Sector,
    SplitKind,
    TravelStatus,
)

__all__ = [
    "ApiLeg",
    "ApiManifest",
    "ApiPerson",
    "Bag",
    "Carrier",
    "Contact",
    "FrequentFlyer",
    "HistoryEntry",
    "Passenger",
    "Payment",
    "Pnr",
    "Seat",
    "Segment",
    "SplitInfo",
    "Ticket",
    "TravelAgency",
    "TravelDocument",
    "UnaccompaniedMinor",
]

H = AnnexHeading


@dataclass(frozen=True, slots=True, kw_only=True)
class Carrier:
    """A transmitting party: an airline, HST or bus carrier, shipping line or tour operator."""

    code: str = field(metadata=annex(H.ITINERARY, "IATA/ICAO or RICS/sector code of the carrier"))
    name: str = field(metadata=annex(TECHNICAL, "carrier's trading name (reference data)"))
    sector: Sector = field(metadata=annex(TECHNICAL, "AIR, HST, BUS or SEA (R-SCOPE-01)"))
    carrier_type: CarrierType = field(
        default=CarrierType.CARRIER, metadata=annex(TECHNICAL, "carrier or tour operator")
    )
    country: str = field(
        default="", metadata=annex(TECHNICAL, "ISO 3166 alpha-2 country of the carrier")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """One leg of the itinerary (heading 7), with its code share (heading 15)."""

    seg_no: int = field(metadata=annex(H.ITINERARY, "order of the leg in the PNR, from 1"))
    sector: Sector = field(metadata=annex(H.ITINERARY, "transport sector of the leg"))
    carrier: str = field(metadata=annex(H.ITINERARY, "marketing carrier code"))
    transport_number: str = field(
        metadata=annex(H.ITINERARY, "flight, train, bus or sailing number")
    )
    origin: str = field(
        metadata=annex(H.ITINERARY, "IATA airport, UIC station or UN/LOCODE port code")
    )
    destination: str = field(metadata=annex(H.ITINERARY, "code of the place of arrival"))
    origin_kind: LocationKind = field(metadata=annex(H.ITINERARY, "how the origin is coded"))
    destination_kind: LocationKind = field(
        metadata=annex(H.ITINERARY, "how the destination is coded")
    )
    origin_country: str = field(metadata=annex(H.ITINERARY, "ISO country of the origin"))
    destination_country: str = field(metadata=annex(H.ITINERARY, "ISO country of the destination"))
    departure_local: datetime = field(
        metadata=annex(H.TRAVEL_DATES, "scheduled departure, local time")
    )
    arrival_local: datetime = field(metadata=annex(H.TRAVEL_DATES, "scheduled arrival, local time"))
    departure_utc: datetime = field(metadata=annex(H.TRAVEL_DATES, "scheduled departure, UTC"))
    arrival_utc: datetime = field(metadata=annex(H.TRAVEL_DATES, "scheduled arrival, UTC"))
    booking_class: str = field(
        default="", metadata=annex(H.ITINERARY, "reservation booking designator")
    )
    status: str = field(
        default="HK", metadata=annex(H.TRAVEL_STATUS, "segment status code (HK, ...)")
    )
    operating_carrier: str | None = field(
        default=None, metadata=annex(H.CODE_SHARE, "operating carrier when it differs (code share)")
    )
    operating_number: str | None = field(
        default=None, metadata=annex(H.CODE_SHARE, "operating carrier's transport number")
    )
    equipment: str = field(default="", metadata=annex(H.ITINERARY, "aircraft or vehicle type"))


@dataclass(frozen=True, slots=True, kw_only=True)
class TravelDocument:
    """API document data (heading 18; SSR DOCS in PNRGOV, DOC/NAD/ATT in PAXLST)."""

    doc_type: DocumentType = field(metadata=annex(H.API, "type of identity document"))
    number: str = field(metadata=annex(H.API, "document number"))
    issuing_country: str = field(metadata=annex(H.API, "ISO alpha-3 issuing state"))
    expiry_date: date | None = field(default=None, metadata=annex(H.API, "expiry date"))
    nationality: str = field(default="", metadata=annex(H.API, "ISO alpha-3 nationality"))
    date_of_birth: date | None = field(default=None, metadata=annex(H.API, "date of birth"))
    gender: Gender = field(default=Gender.UNKNOWN, metadata=annex(H.API, "gender on the document"))
    surname: str = field(default="", metadata=annex(H.API, "family name on the document"))
    given_names: str = field(default="", metadata=annex(H.API, "given names on the document"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    """Heading 13: ticket number, issue date, one-way, automated fare quote."""

    number: str = field(metadata=annex(H.TICKETING, "ticket number (13 digits)"))
    issued_on: date | None = field(
        default=None, metadata=annex(H.RESERVATION_DATE, "ticket issue date")
    )
    one_way: bool = field(default=False, metadata=annex(H.TICKETING, "one-way ticket"))
    fare_basis: str = field(
        default="", metadata=annex(H.TICKETING, "automated fare quote: fare basis")
    )
    total_amount: Decimal | None = field(default=None, metadata=annex(H.TICKETING, "total fare"))
    currency: str = field(default="", metadata=annex(H.TICKETING, "ISO 4217 currency of the fare"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Seat:
    """Heading 14."""

    seg_no: int = field(metadata=annex(H.SEAT, "the leg the seat is on"))
    seat_number: str = field(metadata=annex(H.SEAT, "seat (e.g. 15A, coach 12 seat 45)"))
    cabin: str = field(default="", metadata=annex(H.SEAT, "cabin or coach class"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Bag:
    """Heading 16."""

    seg_no: int = field(metadata=annex(H.BAGGAGE, "the leg the bags are checked for"))
    count: int = field(metadata=annex(H.BAGGAGE, "number of checked pieces"))
    weight_kg: float | None = field(default=None, metadata=annex(H.BAGGAGE, "total weight in kg"))
    tag_numbers: tuple[str, ...] = field(default=(), metadata=annex(H.BAGGAGE, "bag tag numbers"))
    final_destination: str = field(default="", metadata=annex(H.BAGGAGE, "bags checked through to"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """Heading 5: the passenger's own phone, e-mail or postal address (R-DATA-02)."""

    kind: ContactKind = field(metadata=annex(H.ADDRESS_CONTACT, "phone, e-mail or postal address"))
    value: str = field(metadata=annex(H.ADDRESS_CONTACT, "the value, normalised"))
    country: str = field(default="", metadata=annex(H.ADDRESS_CONTACT, "ISO country of an address"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """Heading 6: payment of the ticket only (R-DATA-02); card numbers are masked on receipt."""

    form: PaymentForm = field(metadata=annex(H.PAYMENT, "form of payment"))
    amount: Decimal | None = field(default=None, metadata=annex(H.PAYMENT, "amount paid"))
    currency: str = field(default="", metadata=annex(H.PAYMENT, "ISO 4217 currency"))
    card_type: str = field(
        default="", metadata=annex(H.PAYMENT, "card scheme code (VI, CA, AX...)")
    )
    card_masked: str = field(
        default="", metadata=annex(H.PAYMENT, "card number with all but 4 masked")
    )
    card_holder: str = field(default="", metadata=annex(H.PAYMENT, "name on the card"))
    billing_address: str = field(default="", metadata=annex(H.PAYMENT, "billing address"))


@dataclass(frozen=True, slots=True, kw_only=True)
class FrequentFlyer:
    """Heading 8: status and number only, never the mileage history (R-DATA-02)."""

    airline: str = field(metadata=annex(H.FREQUENT_FLYER, "programme's airline code"))
    number: str = field(metadata=annex(H.FREQUENT_FLYER, "frequent-flyer number"))
    tier: str = field(default="", metadata=annex(H.FREQUENT_FLYER, "loyalty status"))


@dataclass(frozen=True, slots=True, kw_only=True)
class TravelAgency:
    """Heading 9."""

    iata_number: str = field(metadata=annex(H.TRAVEL_AGENCY, "IATA/ARC agency number"))
    name: str = field(default="", metadata=annex(H.TRAVEL_AGENCY, "agency name"))
    city: str = field(default="", metadata=annex(H.TRAVEL_AGENCY, "agency city code"))
    country: str = field(default="", metadata=annex(H.TRAVEL_AGENCY, "agency country"))
    agent_id: str = field(default="", metadata=annex(H.TRAVEL_AGENCY, "booking agent's sign"))


@dataclass(frozen=True, slots=True, kw_only=True)
class SplitInfo:
    """Heading 11."""

    related_locator: str = field(metadata=annex(H.SPLIT_DIVIDED, "record locator of the other PNR"))
    kind: SplitKind = field(metadata=annex(H.SPLIT_DIVIDED, "split from, or divided into"))
    passenger_count: int = field(default=0, metadata=annex(H.SPLIT_DIVIDED, "passengers moved"))


@dataclass(frozen=True, slots=True, kw_only=True)
class UnaccompaniedMinor:
    """Heading 12, the only general remarks allowed (R-DATA-02): the UMNR items."""

    age: int = field(metadata=annex(H.UNACCOMPANIED_MINOR, "age of the minor"))
    languages: tuple[str, ...] = field(
        default=(), metadata=annex(H.UNACCOMPANIED_MINOR, "languages the minor speaks")
    )
    departure_guardian_name: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at departure: name")
    )
    departure_guardian_contact: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at departure: contact")
    )
    departure_guardian_relation: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at departure: relationship")
    )
    arrival_guardian_name: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at arrival: name")
    )
    arrival_guardian_contact: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at arrival: contact")
    )
    arrival_guardian_relation: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "guardian at arrival: relationship")
    )
    departure_agent: str = field(
        default="", metadata=annex(H.UNACCOMPANIED_MINOR, "departure agent")
    )
    arrival_agent: str = field(default="", metadata=annex(H.UNACCOMPANIED_MINOR, "arrival agent"))


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    """Heading 19: one change to an item of headings 1-18 (never a deleted sensitive value)."""

    occurred_at: datetime = field(metadata=annex(H.HISTORY, "when the change was made (UTC)"))
    action: HistoryAction = field(metadata=annex(H.HISTORY, "added, cancelled or changed"))
    heading: AnnexHeading = field(
        metadata=annex(H.HISTORY, "the Annex I heading the change is about")
    )
    item: str = field(metadata=annex(H.HISTORY, "what changed, e.g. 'SEGMENT 2' or 'SEAT 1/15A'"))
    pax_ref: str = field(default="", metadata=annex(H.HISTORY, "passenger the change concerns"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Passenger:
    """A traveller on a PNR (heading 4) with what belongs to them."""

    pax_ref: str = field(metadata=annex(H.NAMES, "passenger reference within the PNR (TIF)"))
    surname: str = field(
        metadata=annex(H.NAMES, "family name as the carrier wrote it (upper case)")
    )
    given_names: str = field(metadata=annex(H.NAMES, "given names as written, without title"))
    title: str = field(default="", metadata=annex(H.NAMES, "MR, MRS, MS, MSTR, MISS, DR..."))
    passenger_type: PassengerType = field(
        default=PassengerType.ADULT, metadata=annex(H.NAMES, "adult, child or infant")
    )
    travel_status: TravelStatus = field(
        default=TravelStatus.CONFIRMED, metadata=annex(H.TRAVEL_STATUS, "travel status")
    )
    infant_of: str | None = field(
        default=None,
        metadata=annex(H.OTHER_TRAVELLERS, "pax_ref of the adult an infant travels with"),
    )
    documents: tuple[TravelDocument, ...] = field(
        default=(), metadata=annex(H.API, "travel documents")
    )
    tickets: tuple[Ticket, ...] = field(default=(), metadata=annex(H.TICKETING, "tickets"))
    seats: tuple[Seat, ...] = field(default=(), metadata=annex(H.SEAT, "seats per leg"))
    bags: tuple[Bag, ...] = field(default=(), metadata=annex(H.BAGGAGE, "checked bags per leg"))
    frequent_flyers: tuple[FrequentFlyer, ...] = field(
        default=(), metadata=annex(H.FREQUENT_FLYER, "loyalty memberships")
    )
    contacts: tuple[Contact, ...] = field(
        default=(), metadata=annex(H.ADDRESS_CONTACT, "own contacts")
    )
    minor: UnaccompaniedMinor | None = field(
        default=None,
        metadata=annex(H.UNACCOMPANIED_MINOR, "UMNR items, for a minor travelling alone"),
    )

    @property
    def full_name(self) -> str:
        """``SURNAME/GIVEN NAMES``, the way carriers write names."""
        return f"{self.surname}/{self.given_names}" if self.given_names else self.surname


@dataclass(frozen=True, slots=True, kw_only=True)
class Pnr:
    """One version (push) of a passenger name record."""

    record_locator: str = field(metadata=annex(H.RECORD_LOCATOR, "the carrier's record locator"))
    carrier: str = field(metadata=annex(H.RECORD_LOCATOR, "carrier that owns the record locator"))
    sector: Sector = field(metadata=annex(TECHNICAL, "transport sector (R-SCOPE-01)"))
    created_at: datetime = field(metadata=annex(H.RESERVATION_DATE, "date of reservation (UTC)"))
    received_at: datetime = field(
        metadata=annex(TECHNICAL, "when the PIU received this push (UTC)")
    )
    version: int = field(default=1, metadata=annex(TECHNICAL, "1 for the first push, then 2, 3..."))
    push_stage: PushStage = field(default=PushStage.EARLY, metadata=annex(TECHNICAL, "which push"))
    carrier_type: CarrierType = field(
        default=CarrierType.CARRIER, metadata=annex(TECHNICAL, "carrier or tour operator")
    )
    passengers: tuple[Passenger, ...] = field(default=(), metadata=annex(H.NAMES, "the travellers"))
    segments: tuple[Segment, ...] = field(default=(), metadata=annex(H.ITINERARY, "the itinerary"))
    payments: tuple[Payment, ...] = field(
        default=(), metadata=annex(H.PAYMENT, "payments of the ticket")
    )
    contacts: tuple[Contact, ...] = field(
        default=(),
        metadata=annex(H.ADDRESS_CONTACT, "contacts of the passengers kept at PNR level"),
    )
    agency: TravelAgency | None = field(
        default=None, metadata=annex(H.TRAVEL_AGENCY, "booking agency")
    )
    splits: tuple[SplitInfo, ...] = field(
        default=(), metadata=annex(H.SPLIT_DIVIDED, "split / divided")
    )
    history: tuple[HistoryEntry, ...] = field(default=(), metadata=annex(H.HISTORY, "changes"))
    party_size: int = field(
        default=0,
        metadata=annex(H.OTHER_TRAVELLERS, "number of travellers on the PNR (group size)"),
    )
    message_id: str = field(
        default="", metadata=annex(TECHNICAL, "id of the message that carried it")
    )

    @property
    def pnr_id(self) -> str:
        """Stable key of the record across versions: ``CARRIER:LOCATOR``."""
        return f"{self.carrier}:{self.record_locator}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiLeg:
    """A leg of a PAXLST manifest (heading 18 / Directive 2004/82 art. 3(2))."""

    carrier: str = field(metadata=annex(H.API, "carrier"))
    transport_number: str = field(metadata=annex(H.API, "flight or transport number"))
    departure_port: str = field(metadata=annex(H.API, "port of departure"))
    arrival_port: str = field(metadata=annex(H.API, "port of arrival"))
    departure_local: datetime | None = field(default=None, metadata=annex(H.API, "departure time"))
    arrival_local: datetime | None = field(default=None, metadata=annex(H.API, "arrival time"))


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiPerson:
    """A passenger or crew member on a PAXLST manifest (heading 18 only)."""

    role: PassengerRole = field(metadata=annex(H.API, "passenger or crew"))
    surname: str = field(metadata=annex(H.API, "family name"))
    given_names: str = field(metadata=annex(H.API, "given names"))
    gender: Gender = field(default=Gender.UNKNOWN, metadata=annex(H.API, "gender"))
    date_of_birth: date | None = field(default=None, metadata=annex(H.API, "date of birth"))
    nationality: str = field(default="", metadata=annex(H.API, "ISO alpha-3 nationality"))
    documents: tuple[TravelDocument, ...] = field(default=(), metadata=annex(H.API, "documents"))
    embarkation: str = field(default="", metadata=annex(H.API, "port of embarkation"))
    debarkation: str = field(default="", metadata=annex(H.API, "port of debarkation"))
    border_crossing_point: str = field(default="", metadata=annex(H.API, "point of entry"))
    record_locator: str = field(
        default="", metadata=annex(H.RECORD_LOCATOR, "PNR locator if given")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiManifest:
    """One PAXLST message: the manifest of one transport."""

    carrier: str = field(metadata=annex(H.API, "carrier"))
    transport_number: str = field(metadata=annex(H.API, "flight or transport number"))
    sector: Sector = field(metadata=annex(TECHNICAL, "transport sector"))
    legs: tuple[ApiLeg, ...] = field(metadata=annex(H.API, "legs, in order"))
    persons: tuple[ApiPerson, ...] = field(metadata=annex(H.API, "passengers and crew"))
    received_at: datetime = field(metadata=annex(TECHNICAL, "when the PIU received it (UTC)"))
    total_count: int | None = field(
        default=None, metadata=annex(H.API, "total persons carried (CNT)")
    )
    initial_embarkation: str = field(
        default="", metadata=annex(H.API, "initial point of embarkation")
    )
    transport_code: str = field(default="", metadata=annex(H.API, "code of transport"))
    message_id: str = field(
        default="", metadata=annex(TECHNICAL, "id of the message that carried it")
    )

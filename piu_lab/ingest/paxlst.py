"""PAXLST (UN/EDIFACT D02B and D05B) into an API manifest: passengers and crew, multi-leg
TDT/LOC, documents. Only the API items of Annex I heading 18 and Directive 2004/82 art. 3(2) are
kept (R-DATA-03); addresses, places of birth, bags, seats and contact segments are deleted on
receipt and counted; anything not understood is a warning, never a silent drop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from piu_lab.ingest.fields import parse_hhmm, parse_yymmdd, split_flight
from piu_lab.ingest.sensitive import Removed
from piu_lab.ingest.syntax import KNOWN_TAGS, RawSegment
from piu_lab.model import (
    ApiLeg,
    ApiManifest,
    ApiPerson,
    DocumentType,
    Gender,
    LocationKind,
    PassengerRole,
    Sector,
    TravelDocument,
)
from piu_lab.places import Place, find_place

__all__ = ["parse_paxlst"]

_GENDER = {"M": Gender.MALE, "F": Gender.FEMALE, "X": Gender.UNSPECIFIED, "U": Gender.UNKNOWN}
_ROLES = {
    "FL": PassengerRole.PASSENGER,
    "DDU": PassengerRole.PASSENGER,
    "DDT": PassengerRole.PASSENGER,
    "COT": PassengerRole.PASSENGER,
    "FM": PassengerRole.CREW,
    "DDC": PassengerRole.CREW,
}
#: Segments read and deliberately not kept (not API items), counted as outside Annex I.
_NOT_KEPT = {"MEA", "FTX", "GEI", "EMP", "CPI", "QTY", "GID", "AUT", "COM", "CTA", "SEL"}
_IGNORED = {"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ", "BGM", "RFF"}


def _when(seg: RawSegment, pivot: date) -> datetime | None:
    """DTM+189:2004241200:201 (CCYYMMDDHHMM or YYMMDDHHMM)."""
    text = seg.get(0, 1)
    digits = text[:12] if len(text) >= 12 and seg.get(0, 2) in {"", "201", "203"} else text
    if len(digits) == 12 and digits[:2] in {"19", "20"} and digits.isdecimal():
        digits = digits[2:]
    if len(digits) < 6:
        return None
    day = parse_yymmdd(digits[:6], pivot)
    if day is None:
        return None
    hh, mm = (parse_hhmm(digits[6:10]) if len(digits) >= 10 else None) or (0, 0)
    return datetime(day.year, day.month, day.day, hh, mm)


@dataclass(slots=True)
class _Person:
    role: PassengerRole
    surname: str
    given_names: str
    gender: Gender = Gender.UNKNOWN
    dob: date | None = None
    nationality: str = ""
    docs: list[dict[str, object]] = field(default_factory=list)
    embarkation: str = ""
    debarkation: str = ""
    border: str = ""
    locator: str = ""


@dataclass(slots=True)
class _Leg:
    carrier: str
    number: str
    code: str = ""  # the code of transport as the TDT writes it (API-DIR art. 3(2))
    origin: str = ""
    destination: str = ""
    departure: datetime | None = None
    arrival: datetime | None = None
    next_departure: datetime | None = None  # a DTM+189 for the next LOC+92 leg


def parse_paxlst(
    segments: Sequence[RawSegment],
    *,
    received_at: datetime,
    message_id: str = "",
    place: Callable[[str], Place | None] = find_place,
) -> tuple[ApiManifest | None, list[str], Removed]:
    """Walk one PAXLST message. Returns the manifest (None without a TDT), warnings, deletions."""
    pivot = received_at.date()
    removed = Removed()
    warnings: list[str] = []
    legs: list[_Leg] = []
    people: list[_Person] = []
    person: _Person | None = None
    crew_list = False
    total: int | None = None
    for seg in segments:
        tag = seg.tag
        if tag == "BGM":
            crew_list = seg.get(0, 0) in {"250", "251"}
        elif tag == "TDT":
            legs.append(_tdt(seg))
        elif tag == "NAD":
            qualifier = seg.get(0, 0).upper()
            if qualifier == "MS" or qualifier not in _ROLES:
                removed.add("outside-annex")  # the reporting party or another party
                person = None
                continue
            names = seg.element(3)
            person = _Person(
                role=_ROLES[qualifier] if not crew_list else PassengerRole.CREW,
                surname=(names[0] if names else "").upper().strip(),
                given_names=" ".join(n for n in names[1:] if n).upper().strip(),
            )
            people.append(person)
            if any(seg.element(i) for i in range(4, len(seg.elements))):
                removed.add("outside-annex")  # the address on NAD: not an API item
        elif tag == "LOC":
            _loc(seg, legs, person, removed)
        elif tag == "DTM":
            _dtm(seg, legs, person, pivot)
        elif tag == "ATT" and person is not None:
            person.gender = _GENDER.get(seg.get(2, 0).upper()[:1], Gender.UNKNOWN)
        elif tag == "NAT" and person is not None:
            person.nationality = seg.get(1, 0).upper()
        elif tag == "DOC" and person is not None:
            code = seg.get(0, 0).upper()[:1]
            doc_type = next((t for t in DocumentType if t.value == code), DocumentType.OTHER)
            person.docs.append({"doc_type": doc_type, "number": seg.get(1, 0).upper()})
        elif tag == "RFF":
            if person is not None and seg.get(0, 0) == "AVF":
                person.locator = seg.get(0, 1).upper()
            elif person is not None:
                removed.add("outside-annex")  # seat, booking and customer references
        elif tag == "CNT":
            count = seg.get(0, 1)
            total = int(count) if count.isdecimal() else None
        elif tag in _NOT_KEPT:
            removed.add("outside-annex")
        elif tag not in _IGNORED:
            name = tag if tag in KNOWN_TAGS else "(unknown tag)"  # a stray value is no tag
            warnings.append(f"segment {seg.number} {name}: segment not understood; deleted")
            removed.add("unknown-segment")
    if not legs:
        warnings.append("no TDT segment: the message names no transport")
        return None, warnings, removed
    manifest = ApiManifest(
        carrier=legs[0].carrier,
        transport_number=legs[0].number,
        sector=_sector(legs[0].origin, place),
        legs=tuple(
            ApiLeg(
                carrier=leg.carrier,
                transport_number=leg.number,
                departure_port=leg.origin,
                arrival_port=leg.destination,
                departure_local=leg.departure,
                arrival_local=leg.arrival,
            )
            for leg in legs
        ),
        persons=tuple(_person(p) for p in people),
        received_at=received_at,
        total_count=total,
        initial_embarkation=legs[0].origin,
        transport_code=legs[0].code,
        message_id=message_id,
    )
    return manifest, warnings, removed


def _tdt(seg: RawSegment) -> _Leg:
    """``TDT+20+UA0989+++UA``: the carrier (element 4, else the start of the journey id) and
    the transport number as written (``0989``; compare numbers with ``fields.flight_key``)."""
    ident = seg.get(1, 0).strip().upper().replace(" ", "")
    carrier = seg.get(4, 0).strip().upper()
    if carrier and ident.startswith(carrier) and len(ident) > len(carrier):
        return _Leg(carrier, ident[len(carrier) :], ident)
    prefix, number = split_flight(ident)
    return _Leg(carrier or prefix, number or ident, ident)


_SECTORS = {
    LocationKind.AIRPORT: Sector.AIR,
    LocationKind.STATION: Sector.HST,
    LocationKind.PORT: Sector.SEA,
    LocationKind.BUS_STOP: Sector.BUS,
}


def _sector(origin: str, place: Callable[[str], Place | None]) -> Sector:
    """The sector of the transport, from the kind of its first port (air when unknown)."""
    found = place(origin) if origin else None
    return _SECTORS[found.kind] if found is not None else Sector.AIR


def _loc(seg: RawSegment, legs: list[_Leg], person: _Person | None, removed: Removed) -> None:
    qualifier, place = seg.get(0, 0), seg.get(1, 0).upper()
    if person is None and legs:
        leg = legs[-1]
        if qualifier == "125":
            leg.origin = place
        elif qualifier == "87":
            leg.destination = place
        elif qualifier == "92":  # progressive routing: LOC+92 in order, one or several TDTs
            if not leg.origin:
                leg.origin = place
            elif not leg.destination:
                leg.destination = place
            elif place != leg.destination:  # a repeated place starts the next pair
                nxt = _Leg(leg.carrier, leg.number, leg.code, leg.destination, place)
                nxt.departure = leg.next_departure
                legs.append(nxt)
        return
    if person is None:
        return
    if qualifier == "178":
        person.embarkation = place
    elif qualifier == "179":
        person.debarkation = place
    elif qualifier == "22":
        person.border = place
    elif qualifier == "91" and person.docs:
        person.docs[-1]["issuing_country"] = place
    else:
        removed.add("outside-annex")  # residence (174), birth place (180): not API items


def _dtm(seg: RawSegment, legs: list[_Leg], person: _Person | None, pivot: date) -> None:
    qualifier = seg.get(0, 0)
    if person is None and legs:
        moment = _when(seg, pivot)
        leg = legs[-1]
        if qualifier == "189" and leg.departure is None:
            leg.departure = moment
        elif qualifier == "189" and leg.arrival is not None:
            leg.next_departure = moment
        elif qualifier == "232":
            leg.arrival = moment
        return
    if person is None:
        return
    if qualifier == "329":
        person.dob = parse_yymmdd(seg.get(0, 1)[:8], pivot, past=True)
    elif qualifier == "36" and person.docs:
        person.docs[-1]["expiry_date"] = parse_yymmdd(seg.get(0, 1)[:8], pivot, past=False)


def _person(p: _Person) -> ApiPerson:
    documents = tuple(
        TravelDocument(
            doc_type=d["doc_type"],  # type: ignore[arg-type]
            number=str(d["number"]),
            issuing_country=str(d.get("issuing_country", "")),
            expiry_date=d.get("expiry_date"),  # type: ignore[arg-type]
            nationality=p.nationality,
            date_of_birth=p.dob,
            gender=p.gender,
            surname=p.surname,
            given_names=p.given_names,
        )
        for d in p.docs
        if d.get("number")
    )
    return ApiPerson(
        role=p.role,
        surname=p.surname,
        given_names=p.given_names,
        gender=p.gender,
        date_of_birth=p.dob,
        nationality=p.nationality,
        documents=documents,
        embarkation=p.embarkation,
        debarkation=p.debarkation,
        border_crossing_point=p.border,
        record_locator=p.locator,
    )

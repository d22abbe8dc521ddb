"""Small builders of synthetic records for the tests (invented people only: TESTPERSON/ALPHA...).

``rich_pnr`` fills every part of a PNR, so that writing it puts rows in every PNR table;
``simple_pnr`` is one leg with ``n_pax`` adults; ``manifest`` is a PAXLST manifest.
Carrier codes (``ZZ``, ``QQ``) and record locators are fictitious. ``scope_decision`` and
``allow_all_journeys`` give a store the scope decision (R-SCOPE-02) without which the intra-EU
flights and the rail, bus and sea journeys of synthetic traffic are refused on receipt.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from piu_lab.access.seed import HEAD_CODE
from piu_lab.ingest.scope import ScopeDecision
from piu_lab.lifecycle.scope import record_decision
from piu_lab.model import (
    AnnexHeading,
    ApiLeg,
    ApiManifest,
    ApiPerson,
    Bag,
    Carrier,
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
    PassengerRole,
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
from piu_lab.store import Store

DAY = date(2026, 3, 2)
NAMES = ("ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC datetime on ``day``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def segment(
    seg_no: int = 1,
    *,
    departure: datetime | None = None,
    origin: str = "BRU",
    destination: str = "LHR",
    origin_country: str = "BE",
    destination_country: str = "GB",
    carrier: str = "ZZ",
    number: str = "101",
    hours: float = 1.5,
) -> Segment:
    dep = departure if departure is not None else at(DAY, 9)
    arr = dep + timedelta(hours=hours)
    return Segment(
        seg_no=seg_no,
        sector=Sector.AIR,
        carrier=carrier,
        transport_number=number,
        origin=origin,
        destination=destination,
        origin_kind=LocationKind.AIRPORT,
        destination_kind=LocationKind.AIRPORT,
        origin_country=origin_country,
        destination_country=destination_country,
        departure_local=(dep + timedelta(hours=1)).replace(tzinfo=None),
        arrival_local=arr.replace(tzinfo=None),
        departure_utc=dep,
        arrival_utc=arr,
        booking_class="Y",
    )


def document(surname: str, given: str, *, number: str = "TP0000001") -> TravelDocument:
    return TravelDocument(
        doc_type=DocumentType.PASSPORT,
        number=number,
        issuing_country="BEL",
        expiry_date=date(2031, 5, 31),
        nationality="BEL",
        date_of_birth=date(1980, 1, 15),
        gender=Gender.FEMALE,
        surname=surname,
        given_names=given,
    )


def passenger(ref: str, given: str = "ALPHA", *, documents: bool = True) -> Passenger:
    docs = (document("TESTPERSON", given, number=f"TP{ref:0>7}"),) if documents else ()
    return Passenger(pax_ref=ref, surname="TESTPERSON", given_names=given, documents=docs)


def simple_pnr(
    locator: str = "TSTAAA",
    *,
    version: int = 1,
    n_pax: int = 1,
    segments: tuple[Segment, ...] | None = None,
    received_at: datetime | None = None,
    carrier: str = "ZZ",
) -> Pnr:
    received = received_at if received_at is not None else at(DAY, 0) - timedelta(days=2)
    return Pnr(
        record_locator=locator,
        carrier=carrier,
        sector=Sector.AIR,
        created_at=at(DAY, 8) - timedelta(days=30),
        received_at=received + timedelta(hours=version - 1),
        version=version,
        push_stage=PushStage.EARLY if version == 1 else PushStage.CLOSURE,
        passengers=tuple(passenger(str(i + 1), NAMES[i % len(NAMES)]) for i in range(n_pax)),
        segments=segments if segments is not None else (segment(),),
        party_size=n_pax,
        message_id=f"MSG-{locator}-{version}",
    )


def rich_pnr(locator: str = "TSTRICH", *, version: int = 1) -> Pnr:
    """A PNR with something in every part: all 14 PNR tables get rows."""
    out = segment(1, departure=at(DAY, 7, 5))
    back = segment(
        2,
        departure=at(DAY + timedelta(days=7), 18, 30),
        origin="LHR",
        destination="BRU",
        origin_country="GB",
        destination_country="BE",
        number="102",
    )
    back = replace(back, operating_carrier="QQ", operating_number="9102", equipment="320")
    adult = Passenger(
        pax_ref="1",
        surname="TESTPERSON",
        given_names="ALPHA MARIE",
        title="MS",
        travel_status=TravelStatus.CHECKED_IN,
        documents=(
            document("TESTPERSON", "ALPHA MARIE"),
            replace(
                document("TESTPERSON", "ALPHA MARIE"),
                doc_type=DocumentType.VISA,
                number="VS123",
                expiry_date=None,
            ),
        ),
        tickets=(
            Ticket(
                number="0571234567890",
                issued_on=DAY - timedelta(days=30),
                fare_basis="YOW",
                total_amount=Decimal("245.37"),
                currency="EUR",
            ),
        ),
        seats=(Seat(seg_no=1, seat_number="12A", cabin="Y"), Seat(seg_no=2, seat_number="3C")),
        bags=(
            Bag(
                seg_no=1,
                count=2,
                weight_kg=31.5,
                tag_numbers=("0571111", "0571112"),
                final_destination="LHR",
            ),
            Bag(seg_no=2, count=0),
        ),
        frequent_flyers=(FrequentFlyer(airline="ZZ", number="ZZ99887766", tier="GOLD"),),
        contacts=(
            Contact(kind=ContactKind.EMAIL, value="alpha@example.invalid"),
            Contact(kind=ContactKind.PHONE, value="+3225550100", country="BE"),
        ),
    )
    infant = Passenger(
        pax_ref="2",
        surname="TESTPERSON",
        given_names="BRAVO",
        passenger_type=PassengerType.INFANT,
        infant_of="1",
    )
    minor = Passenger(
        pax_ref="3",
        surname="TESTPERSON",
        given_names="CHARLIE",
        title="MSTR",
        passenger_type=PassengerType.CHILD,
        minor=UnaccompaniedMinor(
            age=11,
            languages=("NL", "FR"),
            departure_guardian_name="TESTGUARD/DELTA",
            departure_guardian_contact="+3225550101",
            departure_guardian_relation="FATHER",
            arrival_guardian_name="TESTGUARD/ECHO",
            arrival_guardian_contact="+442075550102",
            arrival_guardian_relation="AUNT",
            departure_agent="AGENT1",
            arrival_agent="AGENT2",
        ),
        documents=(
            replace(
                document("TESTPERSON", "CHARLIE", number="TP7654321"),
                gender=Gender.MALE,
                date_of_birth=date(2014, 6, 1),
            ),
        ),
    )
    return Pnr(
        record_locator=locator,
        carrier="ZZ",
        sector=Sector.AIR,
        created_at=datetime(2026, 1, 30, 10, 15, tzinfo=timezone(timedelta(hours=1))),
        received_at=at(DAY, 7) - timedelta(days=2),
        version=version,
        push_stage=PushStage.EARLY,
        carrier_type=CarrierType.CARRIER,
        passengers=(adult, infant, minor),
        segments=(out, back),
        payments=(
            Payment(
                form=PaymentForm.CARD,
                amount=Decimal("490.74"),
                currency="EUR",
                card_type="VI",
                card_masked="XXXXXXXXXXXX1111",
                card_holder="TESTPERSON/ALPHA",
                billing_address="1 TEST STREET BRUSSELS",
            ),
            Payment(form=PaymentForm.CASH),
        ),
        contacts=(Contact(kind=ContactKind.ADDRESS, value="1 TEST STREET BRUSSELS", country="BE"),),
        agency=TravelAgency(
            iata_number="12345675", name="TEST TRAVEL", city="BRU", country="BE", agent_id="AB"
        ),
        splits=(
            SplitInfo(related_locator="TSTSPLT", kind=SplitKind.SPLIT_FROM, passenger_count=1),
        ),
        history=(
            HistoryEntry(
                occurred_at=at(DAY, 6) - timedelta(days=3),
                action=HistoryAction.ADDED,
                heading=AnnexHeading.SEAT,
                item="SEAT 1/12A",
                pax_ref="1",
            ),
            HistoryEntry(
                occurred_at=at(DAY, 6) - timedelta(days=2),
                action=HistoryAction.CHANGED,
                heading=AnnexHeading.ITINERARY,
                item="SEGMENT 2",
            ),
        ),
        party_size=3,
        message_id=f"MSG-{locator}-{version}",
    )


def manifest(
    number: str = "101", *, message_id: str = "PAX-1", n_persons: int = 2, crew: int = 1
) -> ApiManifest:
    persons = [
        ApiPerson(
            role=PassengerRole.PASSENGER,
            surname="TESTPERSON",
            given_names=NAMES[i % len(NAMES)],
            gender=Gender.MALE,
            date_of_birth=date(1975, 1, 1) + timedelta(days=400 * i),
            nationality="BEL",
            documents=(document("TESTPERSON", NAMES[i % len(NAMES)], number=f"AP{i:07d}"),),
            embarkation="BRU",
            debarkation="LHR",
            record_locator="TSTAAA",
        )
        for i in range(n_persons)
    ]
    persons += [
        ApiPerson(role=PassengerRole.CREW, surname="TESTCREW", given_names=NAMES[i])
        for i in range(crew)
    ]
    return ApiManifest(
        carrier="ZZ",
        transport_number=number,
        sector=Sector.AIR,
        legs=(
            ApiLeg(
                carrier="ZZ",
                transport_number=number,
                departure_port="BRU",
                arrival_port="LHR",
                departure_local=datetime(2026, 3, 2, 10, 0),
                arrival_local=datetime(2026, 3, 2, 10, 30),
            ),
        ),
        persons=tuple(persons),
        received_at=at(DAY, 8),
        total_count=n_persons + crew,
        initial_embarkation="BRU",
        transport_code="ZZ101",
        message_id=message_id,
    )


def carrier(code: str = "ZZ", name: str = "TEST AIR") -> Carrier:
    return Carrier(code=code, name=name, sector=Sector.AIR, country="BE")


#: The window of the tests' scope decision: every day the tests' traffic is received on.
SCOPE_FROM, SCOPE_UNTIL = date(2024, 1, 1), date(2028, 12, 31)
ALL_SECTORS = (Sector.AIR, Sector.HST, Sector.BUS, Sector.SEA)


def scope_decision(
    decision_id: str = "SCOPE-TEST-ALL",
    *,
    starts_on: date = SCOPE_FROM,
    ends_on: date = SCOPE_UNTIL,
    sectors: tuple[Sector, ...] = ALL_SECTORS,
    routes: tuple[str, ...] = (),
    ocam_level: int = 3,
    next_review: date | None = None,
) -> ScopeDecision:
    """A valid decision (R-SCOPE-02): by default all intra-EU flights and all rail, bus and sea
    journeys received from 2024 to 2028, under a threat assessment at OCAM level 3."""
    return ScopeDecision(
        decision_id=decision_id,
        legal_basis="Law of 25 December 2016 on passenger data (test decision)",
        threat_assessment="OCAM-TEST-2024-001",
        ocam_level=ocam_level,
        ocam_date=starts_on - timedelta(days=1),
        ocam_source="OCAM general threat level notice (test)",
        starts_on=starts_on,
        ends_on=ends_on,
        next_review=next_review
        if next_review is not None
        else min(starts_on + timedelta(days=90), ends_on),
        sectors=sectors,
        routes=routes,
    )


def allow_all_journeys(store: Store, decision: ScopeDecision | None = None) -> ScopeDecision:
    """Record ``decision`` (default :func:`scope_decision`) as the head of unit, straight into
    the register (no session): what a test's store needs before taking in synthetic traffic
    with its intra-EU, rail, bus and sea journeys (R-SCOPE-02)."""
    chosen = decision if decision is not None else scope_decision()
    record_decision(store, chosen, actor=HEAD_CODE, at=datetime(2024, 1, 1, tzinfo=UTC))
    return chosen

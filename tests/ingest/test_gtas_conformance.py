"""Conformance with GTAS: every value GTAS's parser tests assert on its own fixtures
(``shared/docs/peer-gtas.md`` §4.1), reproduced on our parser.

Where our design differs on purpose the test says so and asserts our behaviour instead:

* the PNR ``REF`` (GTAS "reservation reference", e.g. 43576) is outside Annex I: deleted on
  receipt and counted (R-DATA-01, R-SENS-02), not kept;
* DOCO's place of issue and date of issue are not API items (R-DATA-03): deleted and counted;
* e-mails are normalised (trimmed, lower case: ``molly_louunt+50bb@gmail.com``) where GTAS keeps
  ``" MOLLY_LOUUNT+50BB@GMAIL.COM"`` with its leading space;
* flight numbers are stored as written (``972``); GTAS pads them to four digits (``0972``),
  which :func:`piu_lab.ingest.fields.flight_key` gives for comparisons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from piu_lab.ingest.fields import (
    flight_key,
    parse_phones,
    parse_text_date,
    parse_yymmdd,
    seat_of,
    split_flight,
)
from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.model import (
    ContactKind,
    DocumentType,
    PassengerRole,
    PassengerType,
    Pnr,
    TravelStatus,
)
from tests.ingest.gtas import RECEIVED_AT, needs_fixtures, read

pytestmark = needs_fixtures


def only_pnr(name: str) -> tuple[Pnr, MessageOutcome]:
    (outcome,) = read(name)
    assert outcome.error is None
    (parsed,) = outcome.pnrs
    return parsed.pnr, outcome


def phones(pnr: Pnr) -> list[str]:
    """Every phone of the PNR in message order (GTAS keeps one list per PNR)."""
    contacts = [*pnr.contacts, *(c for p in pnr.passengers for c in p.contacts)]
    return [c.value for c in contacts if c.kind is ContactKind.PHONE]


# -- pnrMessageExample.txt -------------------------------------------------------------------
def test_example_origin_is_the_first_itinerary_leg_not_the_message_flight() -> None:
    """GTAS: PNR origin = WDH (first GR5 TVL), not FRA (the level-0 TVL)."""
    pnr, _ = only_pnr("pnrgov/pnrMessageExample.txt")
    assert pnr.segments[0].origin == "WDH"
    assert [s.origin for s in pnr.segments] == ["WDH", "ADD", "FRA"]


def test_example_seat_from_ssd_has_cabin_class_y() -> None:
    """GTAS: pax[0] seat from SSD has cabin class Y (the SSR SEAT seats have none): heading 14."""
    pnr, _ = only_pnr("pnrgov/pnrMessageExample.txt")
    seats = pnr.passengers[0].seats
    assert [(s.seg_no, s.seat_number, s.cabin) for s in seats] == [(3, "22C", "Y")]


def test_example_total_bag_count_is_18() -> None:
    """GTAS: total bag count 18 (TBD pieces of every leg, heading 16)."""
    pnr, _ = only_pnr("pnrgov/pnrMessageExample.txt")
    assert sum(b.count for p in pnr.passengers for b in p.bags) == 18


# -- pnrMessagePg77.txt / Pg76 ---------------------------------------------------------------
def test_pg77_reservation_date_and_record_locator() -> None:
    """GTAS: create date = date booked = 2013-05-23 18:13:48 (RCI), locator W9TEND (heading
    1 and 2)."""
    pnr, _ = only_pnr("pnrgov/pnrMessagePg77.txt")
    assert pnr.created_at == datetime(2013, 5, 23, 18, 13, 48, tzinfo=UTC)
    assert pnr.record_locator == "W9TEND"
    assert pnr.carrier == "TZ"


def test_pg77_reservation_ref_is_deleted_and_counted_not_kept() -> None:
    """GTAS keeps the REF 43576 as the reservation reference; it is outside Annex I here, so
    R-DATA-01/R-SENS-02: deleted on receipt and counted (with TXD: 2 items outside Annex I).
    The traveller's reference 43576 comes from its TIF, which carries the same number."""
    pnr, outcome = only_pnr("pnrgov/pnrMessagePg77.txt")
    assert outcome.pnrs[0].removed["outside-annex"] == 2
    assert [p.pax_ref for p in pnr.passengers] == ["43576"]


def test_pg76_date_booked_comes_from_rci() -> None:
    """GTAS: date booked 2013-02-15 (RCI ``150213``), not the ``DAT+710:140213``."""
    pnr, _ = only_pnr("pnrgov/pnrMessagePg76.txt")
    assert pnr.created_at.date() == date(2013, 2, 15)


# -- code shares -----------------------------------------------------------------------------
def test_modify_pg77_two_code_shares_by_tra_and_by_second_tvl() -> None:
    """GTAS: 2 code shares: SQ5678 operated as 1524 (TRA, PNRGOV >= 14.1) and DL8976 operated
    as 0972 (second TVL, before 14.1): heading 15."""
    pnr, _ = only_pnr("pnrgov/modifyPnr77ForCodeShare.txt")
    shares = [
        (s.carrier, s.transport_number, s.operating_carrier, s.operating_number)
        for s in pnr.segments
        if s.operating_number
    ]
    assert shares == [("SQ", "5678", "SK", "1524"), ("DL", "8976", "KL", "972")]
    assert flight_key(shares[1][3]) == "0972"


def test_operating_first_code_shares_are_read_by_the_message_flight() -> None:
    """The IATA guide's p.75 example writes the operating number first (KE:SQ+609, then 303);
    the message's own flight SQ609 tells, and the legs are read KE303 operated as SQ609."""
    (outcome,) = read("pnrgov/pnrMessagePg75.txt")
    legs = [p.pnr.segments[0] for p in outcome.pnrs]
    assert [
        (s.carrier, s.transport_number, s.operating_carrier, s.operating_number) for s in legs
    ] == [
        ("KE", "303", "SQ", "609"),
        ("OZ", "752", "SQ", "609"),
    ]
    (_, other) = read("pnrgov/no_pnr_history.edi")[0].pnrs[:2]
    assert (other.pnr.segments[0].carrier, other.pnr.segments[0].operating_number) == ("LH", "8203")


# -- bags, e-mail, phones, seats, documents --------------------------------------------------
def test_big_message_has_bags() -> None:
    """GTAS: bigMessagePnr.txt bag list not empty."""
    pnr, _ = only_pnr("pnrgov/bigMessagePnr.txt")
    assert any(p.bags for p in pnr.passengers)


def test_edge_email_is_decoded_and_normalised() -> None:
    """GTAS: " MOLLY_LOUUNT+50BB@GMAIL.COM" (``..`` = ``_``, ``//`` = ``@``, ``?+`` released).
    Ours: the same address trimmed and lower-cased (heading 5)."""
    pnr, _ = only_pnr("pnrgov/pnrEdge.txt")
    emails = [c.value for c in pnr.passengers[0].contacts if c.kind is ContactKind.EMAIL]
    assert emails == ["molly_louunt+50bb@gmail.com"]


@pytest.mark.parametrize(
    ("name", "second"),
    [
        ("pnrgov/pnrPhoneCTC_M.txt", "123456789"),
        ("pnrgov/pnrPhoneCTCM.txt", "123456789"),
        ("pnrgov/pnrAddressPhoneCTCM.txt", "5432109876"),
    ],
)
def test_phone_formats(name: str, second: str) -> None:
    """GTAS: phone[0] is the ADD phone, phone[1] the CTC M / CTCM one (digits only)."""
    pnr, _ = only_pnr(name)
    assert phones(pnr)[:2] == ["8675309", second]


def test_seat_formats_two_seats_incl_nsst_074e() -> None:
    """GTAS: pax[0] has 2 seats, the second 74E (NSST ``074E``, leading zero trimmed)."""
    pnr, outcome = only_pnr("pnrgov/pnrSeatFormats.txt")
    pax = pnr.passengers[0]
    assert pax.pax_ref == "1"
    assert [s.seat_number for s in pax.seats] == ["36K", "74E"]
    # the NSST names SFO-IAD, a city pair not in the itinerary: kept on the leg to IAD, noted
    assert all(s.seg_no == 1 for s in pax.seats)
    assert any("city pair not in the itinerary" in w for w in outcome.pnrs[0].warnings)


def test_doco_visa_number_and_type_kept_place_and_date_of_issue_deleted() -> None:
    """GTAS: documents[1] (DOCO) number 8675309, type V, issuing place OTHER PLACE, issue date
    2006-12-22. Place and date of issue (and place of birth) are not API items (R-DATA-03):
    deleted and counted (3 with the REF and TXD: 5 outside Annex I), never stored."""
    pnr, outcome = only_pnr("pnrgov/pnrWithDoco.txt")
    docs = pnr.passengers[0].documents
    assert [(d.doc_type, d.number) for d in docs] == [
        (DocumentType.PASSPORT, "602120901"),
        (DocumentType.VISA, "8675309"),
    ]
    assert docs[1].expiry_date is None
    assert outcome.pnrs[0].removed == {"outside-annex": 5}
    assert "OTHER PLACE" not in repr(pnr)
    assert "HERE VA" not in repr(pnr)
    assert "2006, 12, 22" not in repr(pnr)


def test_prefixes_and_booking_detail_bags() -> None:
    """GTAS: total bags 4; bag[0] airline UA, destination KWI, not on the prime flight."""
    pnr, _ = only_pnr("pnrgov/pnrWithPrefixesAndBookingDetailBags.txt")
    bags = [b for p in pnr.passengers for b in p.bags]
    assert sum(b.count for b in bags) == 4
    first = pnr.passengers[0].bags[0]
    assert first.tag_numbers[0].startswith("UA")
    assert first.final_destination == "KWI"
    leg = pnr.segments[first.seg_no - 1]
    assert (leg.carrier, leg.transport_number) != ("UA", "988")  # the message's flight
    assert pnr.passengers[0].given_names == "YORDA"  # the glued title is a title


@pytest.mark.parametrize(
    "name",
    ["pnrgov/pnrBadFormat.txt", "pnrgov/pnrNoOrgMsg.txt", "pnrgov/danglingMetaCharacter.txt"],
)
def test_malformed_messages_parse(name: str) -> None:
    """GTAS: these must parse without exception (trailing free text after UNZ, no MSG/ORG,
    custom separators ``-`` and ``*``)."""
    outcomes = read(name)
    assert all(o.error is None for o in outcomes)
    assert sum(len(o.pnrs) for o in outcomes) == 1


def test_bigbig_has_47_pnrs() -> None:
    """GTAS (PnrUtilsTest): bigbigPnr.txt holds 47 PNRs, one per SRC."""
    (outcome,) = read("pnrgov/bigbigPnr.txt")
    assert len(outcome.pnrs) == 47


def test_split_pnr_travellers_without_docs_are_travellers() -> None:
    """GTAS creates no passenger without DOCS (issue #2082); here they are travellers."""
    (outcome,) = read("pnrgov/pnr_split.edi")
    first, second = (p.pnr for p in outcome.pnrs)
    assert [p.surname for p in first.passengers] == ["TESTSURNAMEONE", "TESTSURNAMEONE"]
    assert all(not p.documents for p in first.passengers)
    assert [s.related_locator for s in second.splits] == ["ZLMXXX"]


def test_infant_is_its_own_traveller_with_its_documents() -> None:
    """infant.edi: the infant (TIF type IN) gets the DOCS with gender FI, linked to its adult."""
    pnr, _ = only_pnr("pnrgov/infant.edi")
    adult, infant = pnr.passengers
    assert infant.passenger_type is PassengerType.INFANT
    assert infant.infant_of == adult.pax_ref
    assert [d.number for d in infant.documents] == ["512731999"]
    assert [d.number for d in adult.documents] == ["509229987"]
    assert adult.travel_status is TravelStatus.CHECKED_IN


# -- PAXLST ----------------------------------------------------------------------------------
def legs(name: str) -> list[tuple[str, str, str, str]]:
    (outcome,) = read(name)
    assert outcome.manifest is not None
    return [
        (leg.carrier, leg.transport_number, leg.departure_port, leg.arrival_port)
        for leg in outcome.manifest.legs
    ]


def test_apis_message_has_two_legs() -> None:
    """GTAS: apisMessage.txt has 2 flights (two TDTs with LOC+92)."""
    assert legs("paxlst/apisMessage.txt") == [
        ("AA", "123", "ATL", "ORD"),
        ("AA", "124", "ORD", "JFK"),
    ]


def test_progressive_flight_has_three_legs() -> None:
    """GTAS: multiple_flight_leg_apis.txt, progressive flight MIA-IAD-JFK-CDG."""
    route = legs("paxlst/multiple_flight_leg_apis.txt")
    assert [r[2] for r in route] + [route[-1][3]] == ["MIA", "IAD", "JFK", "CDG"]


def test_crew_list_is_crew() -> None:
    """GTAS: BGM 250 is a crew list (NAD+FM): 8 crew, no passenger."""
    (outcome,) = read("paxlst/Test1.txt")
    assert outcome.manifest is not None
    roles = [p.role for p in outcome.manifest.persons]
    assert roles == [PassengerRole.CREW] * 8


def test_cr_only_file_with_a_non_ascii_byte() -> None:
    """Test3.txt: 260 travellers, CR-only line ends, a 0x87 byte in a surname (Mac Roman: á)."""
    (outcome,) = read("paxlst/Test3.txt")
    assert outcome.manifest is not None
    persons = outcome.manifest.persons
    assert len(persons) == 260
    assert "NOVÁK" in {p.surname for p in persons}
    assert any("not UTF-8" in w for w in outcome.warnings)


def test_custom_separators() -> None:
    """airline2.edi: ``*`` element separator, ``$`` terminator, ``UNG `` with a stray space."""
    (outcome,) = read("paxlst/airline2.edi")
    assert outcome.manifest is not None
    assert len(outcome.manifest.persons) == 10
    assert legs("paxlst/airline2.edi") == [("TN", "506", "BRE", "YEU")]


PAXLST = (
    "UNA:+.? 'UNB+UNOA:4+AIR1+DHS+070218:1545+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
    "{tdt}NAD+FL+++DOE:JANE'ATT+2++F'DTM+329:800101'CNT+42:1'UNT+9+1'UNZ+1+1'"
)


def manifest_legs(tdt: str) -> list[tuple[str, str, str, str]]:
    data = PAXLST.format(tdt=tdt).encode()
    (outcome,) = read_message_file(data, source="inline", received_at=RECEIVED_AT)
    assert outcome.manifest is not None, outcome.warnings
    return [
        (leg.carrier, leg.transport_number, leg.departure_port, leg.arrival_port)
        for leg in outcome.manifest.legs
    ]


@pytest.mark.parametrize("written", ["UA0123+++UA", "UA123+++UA", "UA 123+++UA", "UA0123"])
def test_flight_number_padding_equivalents(written: str) -> None:
    """GTAS pads flight numbers to 4 digits (``0123``); we keep them as written and compare
    with :func:`flight_key`, so every spelling is the same flight."""
    ((carrier, number, *_),) = manifest_legs(f"TDT+20+{written}'LOC+125+JFK'LOC+87+ANC'")
    assert carrier == "UA"
    assert flight_key(number) == "0123"


def test_loc_92_pairs_in_one_or_two_tdts_give_the_same_legs() -> None:
    """GTAS: LOC+92 pairs in one or in two TDTs give the same 2 legs (JFK-ANC, ANC-ICN)."""
    expected = [("UA", "0123", "JFK", "ANC"), ("UA", "0123", "ANC", "ICN")]
    one = "TDT+20+UA0123+++UA'LOC+92+JFK'LOC+92+ANC'LOC+92+ANC'LOC+92+ICN'"
    short = "TDT+20+UA0123+++UA'LOC+92+JFK'LOC+92+ANC'LOC+92+ICN'"
    two = "TDT+20+UA0123+++UA'LOC+92+JFK'LOC+92+ANC'TDT+20+UA0123+++UA'LOC+92+ANC'LOC+92+ICN'"
    assert manifest_legs(one) == manifest_legs(short) == manifest_legs(two) == expected


# -- GTAS utility tests ----------------------------------------------------------------------
def test_flight_designators_split_like_gtas() -> None:
    """GTAS: UA0341 -> UA/0341, Z445 -> Z4/45, 3ZZ1 -> 3ZZ/1."""
    assert split_flight("UA0341") == ("UA", "0341")
    assert split_flight("Z445") == ("Z4", "45")
    assert split_flight("3ZZ1") == ("3ZZ", "1")


def test_two_digit_birth_years_lie_in_the_past() -> None:
    """GTAS: a 2-digit birth year landing in the future is a century earlier (39 -> 1939)."""
    pivot = date(2024, 1, 15)
    assert parse_text_date("01JAN39", pivot, past=True) == date(1939, 1, 1)
    assert parse_text_date("01JAN11", pivot, past=True) == date(2011, 1, 1)
    assert parse_yymmdd("390101", pivot, past=True) == date(1939, 1, 1)


def test_phones_keep_digits_and_seats_lose_leading_zeros() -> None:
    """GTAS: phone normalisation keeps digits only; seat 012B is 12B."""
    assert parse_phones("+1 (555) 123-4567") == ["15551234567"]
    assert seat_of("012B") == "12B"

"""The value decoders: DOCS and DOCO (R-DATA-03: only the API items), the IATA e-mail
encoding, phones, UMNR items (R-DATA-02, heading 12), seats, titles, cards, flight numbers and
two-digit years."""

from __future__ import annotations

from datetime import date

import pytest

from piu_lab.ingest.fields import (
    compact,
    decode_email,
    flight_key,
    mask_card,
    parse_ddmmyy,
    parse_doco,
    parse_docs,
    parse_minor,
    parse_phones,
    seat_of,
    split_flight,
    split_title,
)
from piu_lab.model import DocumentType, Gender

PIVOT = date(2024, 1, 15)


def test_docs_all_api_items() -> None:
    f = parse_docs("/P/GBR/123456789/GBR/12JUL64/M/23AUG29/SMITH/JOHN/PAUL/H", PIVOT)
    assert (f.doc_type, f.issuing_country, f.number, f.nationality) == (
        DocumentType.PASSPORT,
        "GBR",
        "123456789",
        "GBR",
    )
    assert (f.date_of_birth, f.gender, f.infant, f.expiry_date) == (
        date(1964, 7, 12),
        Gender.MALE,
        False,
        date(2029, 8, 23),
    )
    assert (f.surname, f.given_names) == ("SMITH", "JOHN PAUL")  # the /H flag is not a name


def test_docs_without_document_and_with_fillers() -> None:
    f = parse_docs("/////05FEB53/F//DORON/NINA", PIVOT)
    assert (f.doc_type, f.number, f.date_of_birth, f.surname) == (
        None,
        "",
        date(1953, 2, 5),
        "DORON",
    )
    filler = parse_docs("/P/USA/003112888/0/07MAR68/M/09SEP29/SHANTINATH/KIP", PIVOT)
    assert filler.nationality == ""  # "0" is not a country


def test_docs_infant_and_titles() -> None:
    infant = parse_docs("/P/GBR/512731999/GBR/20SEP12/FI/25OCT17/BELT/SOPHY OLIVIA/", PIVOT)
    assert infant.infant
    assert infant.gender is Gender.FEMALE
    assert parse_docs("/P//3//21OCT42/M/08JAN24/PHILIPPS/MATTHIASMR/TIM", PIVOT).given_names == (
        "MATTHIAS TIM"
    )
    assert parse_docs("/P/CO/5/CO/30MAY76/F/31OCT15/X/TESTNAMEONE MRS", PIVOT).given_names == (
        "TESTNAMEONE"
    )


def test_doco_keeps_api_items_and_counts_the_rest() -> None:
    """R-DATA-03: type, number and country are API items; place of birth, place and date of
    issue are not (counted, never kept)."""
    doco = parse_doco(" HERE VA/V/8675309/OTHER PLACE/22DEC06/LI")
    assert (doco.doc_type, doco.number, doco.issuing_country, doco.not_api) == (
        DocumentType.VISA,
        "8675309",
        "LI",
        3,
    )
    assert parse_doco("//V/123/////").not_api == 0  # an empty place of birth shifts nothing


@pytest.mark.parametrize(
    ("written", "email"),
    [
        ("MOLLY..LOUUNT+50BB//GMAIL.COM", "molly_louunt+50bb@gmail.com"),
        (" JEAN./LUC//EXAMPLE.BE extra", "jean-luc@example.be"),
        ("ALREADY@EXAMPLE.BE", "already@example.be"),
        ("", ""),
    ],
)
def test_iata_email_encoding(written: str, email: str) -> None:
    assert decode_email(written) == email


def test_phones() -> None:
    assert parse_phones("H5555555555 W 1 555 555 5555") == ["5555555555", "15555555555"]
    assert parse_phones("EK CTC M 5432109876") == ["5432109876"]
    assert parse_phones("MEX045 81 8396 1000 M") == ["0458183961000"]
    assert parse_phones("12345") == []


def test_unaccompanied_minor_items() -> None:
    """R-DATA-02 heading 12: age, languages, guardians (name, contact, relation), agents."""
    m = parse_minor(
        "UM08/LANG NL FR/DEP PEETERS/ANNA +32475123456 MOTHER/ARR PEETERS/JAN "
        "+3225550001 FATHER/AGT SN AGENT 1234/SN AGENT 5678"
    )
    assert (m.age, m.languages) == (8, ("NL", "FR"))
    assert m.departure == ("PEETERS/ANNA", "+32475123456", "MOTHER")
    assert m.arrival == ("PEETERS/JAN", "+3225550001", "FATHER")
    assert (m.departure_agent, m.arrival_agent) == ("SN AGENT 1234", "SN AGENT 5678")
    assert parse_minor("UM 11").age == 11


@pytest.mark.parametrize(
    ("written", "seat"),
    [
        ("074E", "74E"),
        ("12A", "12A"),
        ("09-019", "09-019"),
        ("12", "12"),
        ("7001", "7001"),
        ("XXX", ""),
        ("", ""),
        ("ZQVWX", ""),
    ],
)
def test_seats_of_every_sector(written: str, seat: str) -> None:
    assert seat_of(written) == seat


@pytest.mark.parametrize(
    ("given", "split"),
    [
        ("JOHNMR", ("JOHN", "MR")),
        ("ISABELLE MRS", ("ISABELLE", "MRS")),
        ("LIMR", ("LI", "MR")),
        ("WILLIAMS", ("WILLIAMS", "")),
        ("MRS", ("MRS", "")),
        ("KONG CHUN MRS", ("KONG CHUN", "MRS")),
    ],
)
def test_titles(given: str, split: tuple[str, str]) -> None:
    assert split_title(given) == split


def test_cards_are_masked_but_the_last_four() -> None:
    assert mask_card("4111111111111111") == "XXXXXXXXXXXX1111"
    assert mask_card("372395XXXXX9581") == "XXXXXXXXXXX9581"


def test_flight_numbers() -> None:
    assert split_flight("UA 0341") == ("UA", "0341")
    assert flight_key("972") == flight_key("0972") == "0972"
    assert flight_key("12A") == "0012A"


def test_two_digit_travel_and_expiry_years_stay_near_the_pivot() -> None:
    assert parse_ddmmyy("061210", PIVOT) == date(2010, 12, 6)
    assert parse_ddmmyy("310299", PIVOT) is None  # not a date
    assert compact("BEL T") == compact("belt") == "BELT"

"""Decoders for the values inside PNRGOV and PAXLST elements: dates, names, documents (DOCS,
DOCO), contacts (IATA e-mail encoding, phones), UMNR items, cards and flight numbers.

Each decoder is forgiving (a bad value becomes ``None`` or ``""`` and the caller notes it) and
never logs the value it could not read. Only the API items of Annex I heading 18 are decoded
from DOCS/DOCO (R-DATA-03); the parts that are not API items are counted, never kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from piu_lab.model import DocumentType, Gender

__all__ = [
    "TITLES",
    "DocoFields",
    "DocsFields",
    "MinorFields",
    "compact",
    "decode_email",
    "flight_key",
    "mask_card",
    "parse_ddmmyy",
    "parse_doco",
    "parse_docs",
    "parse_hhmm",
    "parse_minor",
    "parse_phones",
    "parse_text_date",
    "parse_yymmdd",
    "seat_of",
    "split_flight",
    "split_title",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
#: Titles carriers write after given names (``ISABELLE MRS``).
TITLES = ("MSTR", "MISS", "MRS", "DR", "MR", "MS", "PROF", "SIR", "REV", "CAPT", "CHD", "INF")
#: Titles also glued to them (``JOHNMR``); not MS or DR, which end many names (WILLIAMS).
GLUED_TITLES = ("MSTR", "MISS", "MRS", "MR")
_TITLE_SPACED = re.compile(rf"^(?P<name>.+?)\s+(?P<title>{'|'.join(TITLES)})$")
_TITLE_GLUED = re.compile(rf"^(?P<name>[A-Z .'-]*?[A-Z]{{2,}})(?P<title>{'|'.join(GLUED_TITLES)})$")


_TEXT_DATE = re.compile(r"(\d{1,2})([A-Z]{3})(\d{2}|\d{4})")
_NOT_CARD = re.compile(r"[^0-9X*]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_LETTERS = re.compile(r"[A-Z]+")
_NOT_DIGIT = re.compile(r"\D")
_FLIGHT = re.compile(r"^0*(\d+)(.*)$")


def _century(yy: int, pivot: date, *, past: bool) -> int:
    """Four-digit year: birth dates lie in the past, expiry and travel dates near the pivot."""
    year = 2000 + yy
    if past:
        return year if year <= pivot.year else year - 100
    return year if year <= pivot.year + 50 else year - 100


@lru_cache(maxsize=4096)
def parse_ddmmyy(text: str, pivot: date) -> date | None:
    """``061210`` -> 2010-12-06 (PNRGOV dates)."""
    text = text.strip()
    if len(text) != 6 or not text.isdecimal():
        return None
    try:
        return date(_century(int(text[4:]), pivot, past=False), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None


def parse_yymmdd(text: str, pivot: date, *, past: bool = False) -> date | None:
    """``720907`` -> 1972-09-07 (PAXLST DTM 329 birth dates are in the past)."""
    text = text.strip()
    if len(text) == 8 and text.isdecimal():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    if len(text) != 6 or not text.isdecimal():
        return None
    try:
        return date(_century(int(text[:2]), pivot, past=past), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_hhmm(text: str) -> tuple[int, int] | None:
    text = text.strip()
    if len(text) < 4 or not text[:4].isdecimal():
        return None
    hh, mm = int(text[:2]), int(text[2:4])
    return (hh, mm) if hh < 24 and mm < 60 else None


def parse_datetime(day: str, hhmm: str, pivot: date) -> datetime | None:
    """PNRGOV ``ddmmyy`` and ``hhmm`` as a naive datetime (time 00:00 when absent)."""
    parsed = parse_ddmmyy(day, pivot)
    if parsed is None:
        return None
    clock = parse_hhmm(hhmm) or (0, 0)
    return datetime(parsed.year, parsed.month, parsed.day, *clock)


def parse_text_date(text: str, pivot: date, *, past: bool) -> date | None:
    """``12JUL64`` / ``12JUL1964`` (DOCS dates)."""
    match = _TEXT_DATE.fullmatch(text.strip().upper())
    if match is None or match.group(2) not in _MONTHS:
        return None
    day, month, year = int(match.group(1)), _MONTHS[match.group(2)], match.group(3)
    full = int(year) if len(year) == 4 else _century(int(year), pivot, past=past)
    try:
        return date(full, month, day)
    except ValueError:
        return None


def split_title(given: str) -> tuple[str, str]:
    """``JOHNMR`` / ``ISABELLE MRS`` -> (``JOHN``, ``MR``); a name that is only a title stays."""
    given = " ".join(given.upper().split())
    match = _TITLE_SPACED.match(given) or _TITLE_GLUED.match(given)
    if match is None:
        return given, ""
    return match.group("name").strip(), match.group("title")


def mask_card(number: str) -> str:
    """Keep the last four digits of a card number, mask everything else (heading 6)."""
    digits = _NOT_CARD.sub("", number.upper())
    if len(digits) <= 4:
        return "X" * len(digits)
    return "X" * (len(digits) - 4) + digits[-4:]


@dataclass(frozen=True, slots=True)
class DocsFields:
    """What an SSR DOCS free text carries (R-DATA-03: all of it is an API item).

    ``/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITH/JOHN/PAUL``: type, issuing state, number,
    nationality, birth date, gender (``MI``/``FI`` for an infant), expiry, surname, first and
    second given names (a trailing ``/H``, the primary-holder flag, is not a name).
    """

    doc_type: DocumentType | None
    issuing_country: str
    number: str
    nationality: str
    date_of_birth: date | None
    gender: Gender
    infant: bool
    expiry_date: date | None
    surname: str
    given_names: str


_GENDERS = {
    "M": Gender.MALE,
    "F": Gender.FEMALE,
    "MI": Gender.MALE,
    "FI": Gender.FEMALE,
    "X": Gender.UNSPECIFIED,
    "U": Gender.UNKNOWN,
    "UI": Gender.UNKNOWN,
}
_COUNTRY = re.compile(r"^[A-Z]{2,3}$")


def _country(text: str) -> str:
    """An ISO 3166 alpha-2/3 code, or ``""`` (``0`` and other fillers are not countries)."""
    text = text.strip().upper()
    return text if _COUNTRY.match(text) else ""


_DOC_TYPES = {t.value: t for t in DocumentType}


def _doc_type(code: str) -> DocumentType | None:
    code = code.strip()[:1].upper()
    if not code:
        return None
    return _DOC_TYPES.get(code, DocumentType.OTHER)


def _slash_parts(text: str, n: int) -> list[str]:
    """The ``/``-separated parts of an SSR free text (one leading ``/`` dropped), padded."""
    text = text.strip()
    parts = [p.strip() for p in (text[1:] if text.startswith("/") else text).split("/")]
    return parts + [""] * (n - len(parts))


def parse_docs(text: str, pivot: date) -> DocsFields:
    """Decode the DOCS free text; missing parts are empty or None."""
    parts = _slash_parts(text, 10)
    gender_code = parts[5].upper().replace(" ", "")
    given, _ = split_title(" ".join(p for p in parts[8:10] if p))
    words = given.split(" ")
    first, _ = split_title(words[0]) if given else ("", "")
    if given and first:  # a title glued to the first given name (MOLLYMRS) is not a name
        given = " ".join([first, *words[1:]])
    return DocsFields(
        doc_type=_doc_type(parts[0]),
        issuing_country=_country(parts[1]),
        number=parts[2].upper().replace(" ", ""),
        nationality=_country(parts[3]),
        date_of_birth=parse_text_date(parts[4], pivot, past=True),
        gender=_GENDERS.get(gender_code, Gender.UNKNOWN),
        infant=gender_code in {"MI", "FI", "UI"},
        expiry_date=parse_text_date(parts[6], pivot, past=False),
        surname=parts[7].upper(),
        given_names=given,
    )


@dataclass(frozen=True, slots=True)
class DocoFields:
    """What an SSR DOCO (other document, usually a visa) carries, split by R-DATA-03.

    ``/place of birth/type/number/place of issue/date of issue/country of application/I``:
    type, number and the country the document is for are API items (the issuing state of a
    visa); place of birth, place of issue and date of issue are not, and are only counted.
    """

    doc_type: DocumentType | None
    number: str
    issuing_country: str
    infant: bool
    not_api: int  # how many non-API parts were present (deleted on receipt)


def parse_doco(text: str) -> DocoFields:
    parts = _slash_parts(text, 7)
    return DocoFields(
        doc_type=_doc_type(parts[1]),
        number=parts[2].upper().replace(" ", ""),
        issuing_country=_country(parts[5]),
        infant=parts[6].upper() == "I",
        not_api=sum(1 for p in (parts[0], parts[3], parts[4]) if p),
    )


def compact(name: str) -> str:
    """A name without spaces, dots, hyphens or apostrophes, for matching (``BEL T`` = ``BELT``)."""
    return _NOT_ALNUM.sub("", name.upper())


_EMAIL_CODES = {"//": "@", "..": "_", "./": "-"}
_EMAIL = re.compile(r"//|\./|\.\.")


def decode_email(text: str) -> str:
    """An e-mail as PNR free text writes it (IATA: ``//`` = ``@``, ``..`` = ``_``, ``./`` =
    ``-``), normalised to lower case without surrounding space: ``MOLLY..LOUUNT+50BB//GMAIL.COM``
    -> ``molly_louunt+50bb@gmail.com``. A value that already has an ``@`` is only lower-cased."""
    value = text.strip().split(" ", 1)[0] if text.strip() else ""
    if "@" not in value:
        value = _EMAIL.sub(lambda m: _EMAIL_CODES[m.group(0)], value)
    return value.lower()


def parse_phones(text: str) -> list[str]:
    """The phone numbers of a free text, digits only (GTAS normalises them the same way).

    Letters separate numbers (``H5555555555 W 15555555555``: home, work); a run with fewer
    than six digits is not a phone number.
    """
    out = []
    for chunk in _LETTERS.split(text.upper()):
        digits = _NOT_DIGIT.sub("", chunk)
        if len(digits) >= 6:
            out.append(digits)
    return out


@dataclass(frozen=True, slots=True)
class MinorFields:
    """The UMNR items (heading 12, R-DATA-02), from the SSR UMNR free text.

    ``UM08/LANG NL FR/DEP <name> <contact> <relation>/ARR <name> <contact> <relation>/AGT
    <departure agent>/<arrival agent>``; names may themselves contain ``/``.
    """

    age: int
    languages: tuple[str, ...] = ()
    departure: tuple[str, str, str] = ("", "", "")
    arrival: tuple[str, str, str] = ("", "", "")
    departure_agent: str = ""
    arrival_agent: str = ""


_MINOR_PARTS = re.compile(r"/(?=(?:LANG|DEP|ARR|AGT) )")
_AGE = re.compile(r"^\s*UM\s?(\d{1,2})\b")


def _guardian(text: str) -> tuple[str, str, str]:
    """``<name> <contact> <relation>``: the relation is the last word, the contact the word
    before it when it holds a digit or an ``@``."""
    words = text.split()
    if len(words) >= 3 and any(c.isdecimal() or c == "@" for c in words[-2]):
        return " ".join(words[:-2]), words[-2], words[-1]
    return " ".join(words), "", ""


def parse_minor(text: str) -> MinorFields:
    text = " ".join(text.upper().split())
    match = _AGE.match(text)
    parts = _MINOR_PARTS.split(text)
    age = int(match.group(1)) if match else 0
    fields: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition(" ")
        fields[key] = value.strip()
    dep_agent, _, arr_agent = fields.get("AGT", "").partition("/")
    return MinorFields(
        age=age,
        languages=tuple(fields.get("LANG", "").split()),
        departure=_guardian(fields.get("DEP", "")),
        arrival=_guardian(fields.get("ARR", "")),
        departure_agent=dep_agent.strip(),
        arrival_agent=arr_agent.strip(),
    )


def split_flight(text: str) -> tuple[str, str]:
    """``UA0341`` -> (``UA``, ``0341``); ``Z445`` -> (``Z4``, ``45``); ``3ZZ1`` -> (``3ZZ``,
    ``1``): a carrier has three characters when the third is a letter (ICAO), else two."""
    text = text.strip().upper().replace(" ", "")
    size = 3 if len(text) > 3 and text[2].isalpha() else 2
    return text[:size], text[size:]


def flight_key(number: str) -> str:
    """A flight number for comparing: digits zero-padded to four, suffix kept (``989`` ->
    ``0989``, ``0006`` -> ``0006``, ``12A`` -> ``0012A``). Stored numbers stay as written."""
    match = _FLIGHT.match(number.strip().upper())
    if match is None:
        return number.strip().upper()
    return f"{int(match.group(1)):04d}{match.group(2)}"


_SEAT = re.compile(r"^(?:0*(\d{1,3}[A-Z])|(\d{1,3}-\d{1,3})|(\d{1,4}))$")


def seat_of(text: str) -> str:
    """A seat number (heading 14), or ``""`` for a placeholder (``XXX``): an aircraft seat
    without leading zeros (``074E`` -> ``74E``), a coach and seat (``09-019``), or a bus or
    cabin number (``12``, ``7001``) as written."""
    match = _SEAT.match(text.strip().upper())
    if match is None:
        return ""
    return next(g for g in match.groups() if g)

"""Small PNRGOV messages written for the tests, with places to put extra segments.

One PNR (``SN:TSTLOC``), two travellers (``TESTER/ALICE MRS`` with a passport, an e-mail and
a mobile, and ``TESTER/BOB MR``), one leg BRU-JFK, a ticket, a card payment with its sponsor,
an agency, one history item. Segments are written with the synth writer's ``seg`` (pydifact's
service characters and release rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.synth.edifact import esc, interchange, seg

RECEIVED_AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LOCATOR = "TSTLOC"


def ssr(code: str, text: str = "", ref: str = "", leg: bool = False) -> str:
    where = ("BRU", "JFK") if leg else ("", "")
    refs = ("", "", ref) if ref else ()
    head = (code, "HK", "1", "SN", "", "", *where, esc(text))
    return seg("SSR", head, *((refs,) if refs else ()))


def pnrgov_segments(
    *,
    group1: Sequence[str] = (),
    traveller: Sequence[str] = (),
    travellers: Sequence[str] = (),
    leg: Sequence[str] = (),
    history: Sequence[str] = (),
    tail: Sequence[str] = (),
) -> list[str]:
    """The message body (UNH...), extra segments placed in the PNR group, the first
    traveller's group, after the second traveller (more travellers), the leg's group, the
    history group, and after the history."""
    return [
        seg("UNH", "1", ("PNRGOV", "13", "1", "IA"), "SN501/020326/1000"),
        seg("MSG", ("", "22")),
        seg("ORG", ("SN", "BRU")),
        seg("TVL", ("020326", "1000", "020326", "1230"), "BRU", "JFK", "SN", "501"),
        seg("EQN", "1"),
        seg("SRC"),
        seg("RCI", ("SN", LOCATOR, "", "010226", "101500")),
        seg("DAT", ("700", "010226", "1015")),
        *group1,
        seg(
            "ORG",
            ("SN", "BRU"),
            ("12345675", "BRU"),
            "",
            "",
            "T",
            ("BE", "EUR"),
            "4321BR",
            "ZUID VOYAGES",
        ),
        seg("ADD", "", ("700", "RUE DE LA LOI 1", "BRUXELLES", "", "", "BE", "1000")),
        seg("TIF", "TESTER", ("ALICE MRS", "A", "1")),
        seg("FTI", ("SN", "123456789", "", "", "GOLD")),
        seg("IFT", ("4", "28", "", "SN"), "CTCM 32475000001"),
        seg("IFT", ("4", "28", "", "SN"), "CTCE ALICE..TESTER//EXAMPLE.BE"),
        seg("FAR", "N", "", "", "", "", "YRTSN"),
        ssr("DOCS", "/P/BEL/EA1234567/BEL/01JAN80/F/01JAN30/TESTER/ALICE", "1"),
        *traveller,
        seg("TKT", ("0821234567890", "T", "1")),
        seg("MON", ("T", "250.00", "EUR")),
        seg("PTK", "NR", "", "010226", "SN"),
        seg("FOP", ("CC", "", "250.00", "VI", "XXXXXXXXXXXX1111")),
        seg("IFT", ("4", "43"), "ALICE TESTER", esc("RUE DE LA LOI 1, 1000 BRUXELLES, BE")),
        seg("TIF", "TESTER", ("BOB MR", "A", "2")),
        *travellers,
        seg("TVL", ("020326", "1000", "020326", "1230"), "BRU", "JFK", "SN", ("501", "Y")),
        seg("RPI", "2", "HK"),
        seg("APD", "332"),
        seg(
            "SSR",
            ("SEAT", "HK", "2", "SN", "", "", "BRU", "JFK"),
            ("12A", "", "1"),
            ("12B", "", "2"),
        ),
        *leg,
        seg("ABI", "4", "", "", "", "SN"),
        seg("DAT", ("ZT", "150226", "0900")),
        seg("SAC", "", "", "A"),
        seg("IFT", ("4", "19"), "SEAT 1/12A", "1"),
        *history,
        *tail,
    ]


def pnrgov_message(**places: Sequence[str]) -> bytes:
    body = pnrgov_segments(**places)
    return interchange(
        syntax=("IATA", "1"),
        sender="SN",
        recipient="BEPIU",
        prepared=datetime(2026, 2, 28, 10, 0),
        control="TEST1",
        group=None,
        messages=[body],
    ).encode("ascii")


def read_bytes(data: bytes) -> list[MessageOutcome]:
    return read_message_file(data, source="test.edi", received_at=RECEIVED_AT)


def journey_pnr(
    locator: str, legs: Sequence[tuple[str, str, str]], *, pax: int = 1, carrier: str = "SN"
) -> list[str]:
    """One PNR (SRC group) with ``pax`` travellers (``TESTER/PAXn MR``, no document) and its
    legs ``(origin, destination, number)``: airports (IATA), stations (UIC), bus stops or ports
    (UN/LOCODE); the sector follows the kind of place."""
    out = [
        seg("SRC"),
        seg("RCI", (carrier, locator, "", "010226", "101500")),
        seg("DAT", ("700", "010226", "1015")),
    ]
    out += [seg("TIF", "TESTER", (f"PAX{i + 1} MR", "A", str(i + 1))) for i in range(pax)]
    out += [
        seg("TVL", ("020326", "1000", "020326", "1230"), o, d, carrier, (n, "Y"))
        for o, d, n in legs
    ]
    return out


def flight_message(
    pnrs: Sequence[Sequence[str]],
    *,
    transport: tuple[str, str, str] = ("BRU", "MAD", "501"),
    sent: datetime = datetime(2026, 3, 1, 10, 0),
    carrier: str = "SN",
) -> bytes:
    """A PNRGOV message for one transport (``transport``: origin, destination, number) with
    the PNRs given (see :func:`journey_pnr`), sent (UNB) at ``sent``."""
    origin, destination, number = transport
    body = [
        seg("UNH", "1", ("PNRGOV", "13", "1", "IA"), f"{carrier}{number}/020326/1000"),
        seg("MSG", ("", "22")),
        seg("ORG", (carrier, "BRU")),
        seg("TVL", ("020326", "1000", "020326", "1230"), origin, destination, carrier, number),
        seg("EQN", str(len(pnrs))),
        *(s for pnr in pnrs for s in pnr),
    ]
    return interchange(
        syntax=("IATA", "1"),
        sender=carrier,
        recipient="BEPIU",
        prepared=sent,
        control="SCOPE1",
        group=None,
        messages=[body],
    ).encode("ascii")

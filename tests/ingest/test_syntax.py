"""The syntax layer and the message layer: every repair is made and noted (never a silent
drop), notes and errors name places (segment numbers, tags, lines) and never values, and one
bad message of a file is quarantined while the others are read (R-SENS-02)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from piu_lab.ingest.message import split_messages
from piu_lab.ingest.reader import read_message_file, scrub
from piu_lab.ingest.syntax import decode, tokenise
from piu_lab.model import MessageKind
from tests.ingest.messages import pnrgov_message

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ENVELOPE = "UNB+IATA:1+SN+BEPIU+260228:1000+1'UNH+1+PNRGOV:13:1:IA'"


def tags(data: bytes | str) -> list[str]:
    return [s.tag for s in tokenise(data).segments]


def codes(data: bytes | str) -> set[str]:
    return {n.code for n in tokenise(data).notes}


def test_custom_service_characters_from_una() -> None:
    tok = tokenise("UNA:-.? *UNB-IATA:1-DL*UNH-1-PNRGOV:13:1:IA*TIF-DOE-JANE:A:1*UNT-3-1*")
    assert tok.service.element == "-"
    assert tok.service.terminator == "*"
    assert tok.segments[2].elements == (("DOE",), ("JANE", "A", "1"))


def test_malformed_una_falls_back_to_the_defaults_with_a_note() -> None:
    tok = tokenise("UNA:+\\*'\nUNB+IATA:1+1A'UNH+1+PNRGOV:11:1:IA'")
    assert [s.tag for s in tok.segments] == ["UNB", "UNH"]
    assert "una" in {n.code for n in tok.notes}


def test_una_terminator_never_used_means_the_apostrophe() -> None:
    tok = tokenise("UNA:+.\\*\u2019 UNB+IATA:1+1A'UNH+1+PNRGOV:11:1:IA'SRC'")
    assert [s.tag for s in tok.segments] == ["UNB", "UNH", "SRC"]
    assert "una" in {n.code for n in tok.notes}


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n", "", "\n\n"])
def test_every_line_end_gives_the_same_segments(end: str) -> None:
    base = pnrgov_message().decode()
    lines = base.replace("\n", end)
    flat = tokenise(base.replace("\n", "")).segments
    assert [(s.tag, s.elements) for s in tokenise(lines).segments] == [
        (s.tag, s.elements) for s in flat
    ]


def test_wrapped_segments_are_joined_with_or_without_the_space_the_break_stood_for() -> None:
    """A line cut at a fixed width (>= 60) lost no character; a short line broke at a space."""
    long_head = "SSR+DOCS:HK::DL:::::/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITHJ"
    text = f"{ENVELOPE}{long_head}\nR/JOHN'ADD++702:45 HIGH\nSTREET:SLOUGH'"
    tok = tokenise(text)
    ssr, add = tok.segments[2:4]
    assert ssr.get(0, 8).endswith("/SMITHJR/JOHN")
    assert add.get(1, 1) == "45 HIGH STREET"
    assert [n.code for n in tok.notes] == ["wrapped", "wrapped"]


def test_missing_terminator_before_a_new_line_segment() -> None:
    """An LTS line without its terminator, the next line starting a known segment."""
    text = f"{ENVELOPE}LTS+4/Z/1AINV RM SQ\nLTS+0/5/C/5/AP AMADEUS-H'SRC'"
    assert tags(text)[2:] == ["LTS", "LTS", "SRC"]
    assert "missing-terminator" in codes(text)


def test_glued_segments_are_split() -> None:
    """``RPI+1+HKIFT+4:19+...`` (PNRGOV guide p.77) and ``...+9TIF+KIM:I+...`` (p.75)."""
    tok = tokenise(
        f"{ENVELOPE}RPI+1+HKIFT+4:19+GN FROM A TO B'ORG+1A:MUC+1+B+C+D+E+F+G+9TIF+KIM:I+K:A:3'"
    )
    assert [(s.tag, s.elements) for s in tok.segments[2:4]] == [
        ("RPI", (("1",), ("HK",))),
        ("IFT", (("4", "19"), ("GN FROM A TO B",))),
    ]
    assert [s.tag for s in tok.segments[4:]] == ["ORG", "TIF"]
    assert tok.segments[5].elements == (("KIM", "I"), ("K", "A", "3"))
    assert "glued" in {n.code for n in tok.notes}


def test_typographic_quote_ending_a_line_is_the_terminator() -> None:
    text = f"{ENVELOPE}SSR+DOCS:HK:1:SQ:::::/P/KR/JR1/KR/10SEP72/M/05JUL16/PARK/SE\u2019\nTVL+1'"
    assert tags(text)[2:] == ["SSR", "TVL"]
    assert "stray-terminator" in codes(text)
    assert tags(f"{ENVELOPE}IFT+4:28+O\u2019BRIEN'")[2:] == ["IFT"]  # inside a value: a quote


def test_junk_before_and_after_the_interchange_is_noted_not_read() -> None:
    text = f"GARBAGE ZQVW\n{ENVELOPE}SRC'UNZ+1+1'\n\nModify ZQVW above'"
    tok = tokenise(text)
    assert [s.tag for s in tok.segments] == ["UNB", "UNH", "SRC", "UNZ"]
    assert {"leading-junk", "trailing-junk"} <= {n.code for n in tok.notes}
    assert not any("ZQVW" in n.text for n in tok.notes)


def test_text_that_is_not_a_segment_is_noted_without_its_value() -> None:
    tok = tokenise(f"{ENVELOPE}this is ZQVW'SRC'")
    assert [s.tag for s in tok.segments] == ["UNB", "UNH", "SRC"]
    assert [n.code for n in tok.notes] == ["not-a-segment"]
    assert "ZQVW" not in repr(tok.notes)


def test_released_characters_and_pydifact_component_rules() -> None:
    tok = tokenise(f"{ENVELOPE}IFT+4:28+A?+B?:C??D?'E+F::+G:::'")
    ift = tok.segments[2]
    assert ift.elements == (("4", "28"), ("A+B:C?D'E",), ("F",), ("G",))


def test_non_utf8_bytes_are_read_as_the_encoding_with_more_letters() -> None:
    mac, note = decode(b"NAD+FL+++Nov\x87k'")[0], decode(b"NAD+FL+++Nov\x87k'")[2]
    assert "Novák" in mac
    assert "mac_roman" in note[0].text
    windows = decode("NAD+FL+++Müller'".encode("cp1252"))[0]
    assert "Müller" in windows
    assert "\x02" not in decode(b"\x02UNB+IATA\x03")[0]


def test_content_hash_ignores_the_envelope() -> None:
    """A carrier re-sending the same content under a new envelope is a duplicate."""
    one = pnrgov_message()
    other = one.replace(b"TEST1", b"OTHER").replace(b"UNH+1+", b"UNH+7+")
    changed = one.replace(b"TESTER+BOB", b"TESTER+ROB")
    digest = [split_messages(tokenise(x))[0].sha256 for x in (one, other, changed)]
    assert digest[0] == digest[1] != digest[2]


def test_one_bad_message_is_quarantined_and_the_others_are_read() -> None:
    """R-SENS-02: an unknown message type and segments outside any message are quarantined
    each with the segment and position; the good message of the same file is read."""
    good = pnrgov_message().decode()
    body = good.split("UNB", 1)[1].split("UNZ", 1)[0]
    text = "UNB" + body + "UNH+2+INVOIC:D:96A:UN'BGM+380'UNT+3+2'" + "NAD+ZQVW+X'UNZ+3+1'"
    outcomes = read_message_file(text.encode(), source="mixed", received_at=NOW)
    assert [o.kind for o in outcomes] == [
        MessageKind.PNRGOV,
        MessageKind.UNKNOWN,
        MessageKind.UNKNOWN,
    ]
    assert outcomes[0].error is None
    assert len(outcomes[0].pnrs) == 1
    errors = [o.error for o in outcomes[1:]]
    assert all(e is not None and e.segment > 0 and e.position for e in errors)
    assert "ZQVW" not in repr([(e.message, e.position) for e in errors if e])
    assert all(o.scrubbed and "ZQVW" not in o.scrubbed for o in outcomes[1:])


def test_scrub_keeps_shapes_never_values() -> None:
    tok = tokenise(pnrgov_message())
    shapes = scrub(tok.segments)
    assert "TIF+6+9:1:1" in shapes  # TESTER+ALICE MRS:A:1
    assert "TESTER" not in shapes
    assert "ALICE" not in shapes


def test_an_empty_or_envelope_only_file_is_one_quarantined_outcome() -> None:
    for data in (b"", b"   \n", b"UNB+IATA:1+SN'UNZ+0+1'"):
        (outcome,) = read_message_file(data, source="empty", received_at=NOW)
        assert outcome.error is not None
        assert outcome.error.position

"""EDIFACT syntax as files in the wild carry it: bytes in, segments out, with every repair noted.

pydifact is the authority on the syntax: the service characters follow its ``Characters``
(UNA), and a test checks that :func:`tokenise` yields exactly what pydifact's ``Parser`` yields
(tags and elements) on every clean input. The hot path does not call pydifact's
character-by-character tokenizer, which reads about 1 MB/s: released characters are first
replaced by stand-ins, then the text splits with ``str.split`` (about 8 times faster;
``benchmarks/bench_ingest_parse.py``).

Repairs (each one a :class:`SyntaxNote`, never a silent drop: R-SENS-02): non-UTF-8 bytes,
control characters (STX/ETX/NUL, BOM), junk before ``UNA``/``UNB`` or after ``UNZ``, a
malformed ``UNA`` or one whose terminator is never used, CR, LF or CRLF line ends, segments
wrapped over several lines, a typographic quote (U+2019) used as the terminator at the end of
a line, a missing terminator before a segment that starts a new line, two segments glued
together without a terminator (``...+HKIFT+4:19...``), text that is not a segment. Notes name
the segment number and the line, never a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "DEFAULT_SERVICE",
    "KNOWN_TAGS",
    "RawSegment",
    "ServiceChars",
    "SyntaxNote",
    "Tokenised",
    "decode",
    "tokenise",
]


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six UNA service characters."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    terminator: str = "'"

    @classmethod
    def from_una(cls, six: str) -> ServiceChars:
        return cls(six[0], six[1], six[2], six[3], six[4], six[5])

    def una(self) -> str:
        return (
            f"UNA{self.component}{self.element}{self.decimal}{self.release}"
            f"{self.reserved}{self.terminator}"
        )


DEFAULT_SERVICE = ServiceChars()


@dataclass(frozen=True, slots=True)
class SyntaxNote:
    """A repair or an oddity of the syntax, with where it was (segment number, line)."""

    code: str
    text: str
    segment: int = 0
    line: int = 0


class RawSegment(NamedTuple):
    """A segment: its tag and data elements, each a tuple of (unescaped) components; its
    number in the file (from 1) and the line it starts on. Immutable (a named tuple: the
    hot path makes a quarter of a million of them per second)."""

    tag: str
    elements: tuple[tuple[str, ...], ...]
    number: int
    line: int

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of element ``element`` (both from 0), or ``""``."""
        try:
            return self.elements[element][component]
        except IndexError:
            return ""

    def element(self, element: int) -> tuple[str, ...]:
        return self.elements[element] if element < len(self.elements) else ()


@dataclass(frozen=True, slots=True)
class Tokenised:
    """A whole file: its segments, its service characters, its encoding and the repairs made."""

    segments: tuple[RawSegment, ...]
    service: ServiceChars
    encoding: str
    notes: tuple[SyntaxNote, ...]


#: Segment tags of PNRGOV, PAXLST and the envelope: a line that starts with one of them followed
#: by the element separator starts a segment, and one glued to the end of a value is a segment
#: whose terminator was lost.
KNOWN_TAGS = frozenset(
    (
        *("UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"),
        *("ABI", "ADD", "APD", "DAT", "EBD", "EQN", "ERC", "FAR", "FOP", "FTI", "IFT", "LTS"),
        *("MON", "MSG", "ORG", "PTK", "RCI", "REF", "RPI", "SAC", "SRC", "SSD", "SSR", "TBD"),
        *("TIF", "TKT", "TRA", "TRI", "TVL", "TXD"),
        *("BGM", "RFF", "NAD", "COM", "CTA", "TDT", "LOC", "DTM", "ATT", "MEA", "GEI", "FTX"),
        *("NAT", "DOC", "CPI", "QTY", "GID", "AUT", "CNT", "EMP"),
    )
)
#: The most data elements each short PNRGOV segment carries (PNRGOV 11.1 to 15.1). A segment
#: with more, one of which ends with a known tag, is two segments glued together.
# fmt: off
MAX_ELEMENTS = {
    "SRC": 0, "RPI": 2, "TRA": 2, "TRI": 2, "APD": 3, "LTS": 1, "FTI": 2, "REF": 2, "SAC": 3,
    "EQN": 2, "TIF": 3, "ORG": 9, "ABI": 5, "DAT": 5, "EBD": 3, "SSD": 7, "MSG": 2, "TKT": 3,
    "PTK": 8,
}
# fmt: on

#: For the fast path: each known tag and the most elements it may have before it is looked at
#: as two glued segments.
_LIMITS = {tag: MAX_ELEMENTS.get(tag, 1 << 30) for tag in KNOWN_TAGS}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_START = re.compile(r"UNA([^\r\n]{6})\s*UNB|UNA[^\r\n]{0,8}\s*UNB|UNB")
_TAG = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_STRAY = re.compile("[\u2018\u2019](?=[ \t]*(?:\n|$))")
#: A physical line at least this long that breaks inside a segment was cut at a fixed width, in
#: the middle of a token; a shorter one was broken at a space, which the break stood for.
WRAP_WIDTH = 60


def _letters(text: str) -> int:
    """How many of the non-ASCII characters of ``text`` are letters."""
    return sum(1 for c in text if ord(c) > 127 and c.isalpha())


def decode(data: bytes) -> tuple[str, str, list[SyntaxNote]]:
    """Bytes to text: UTF-8; else Windows-1252 or Mac Roman, whichever reads more of the
    non-ASCII bytes as letters (names are what carry them)."""
    notes: list[SyntaxNote] = []
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        windows = data.decode("cp1252", errors="replace")
        mac = data.decode("mac_roman")
        text, encoding = (
            (mac, "mac_roman")
            if _letters(mac) > _letters(windows)
            else (
                windows,
                "cp1252",
            )
        )
        notes.append(
            SyntaxNote(
                "encoding", f"not UTF-8 (first bad byte at offset {err.start}), read as {encoding}"
            )
        )
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        notes.append(SyntaxNote("control", "control characters (STX/ETX/NUL/BOM) removed"))
    return cleaned, encoding, notes


@lru_cache(maxsize=32)
def _release_pair(release: str) -> re.Pattern[str]:
    return re.compile(f"{re.escape(release)}(.)", re.DOTALL)


#: Stand-ins for a released release character, terminator, element and component separator
#: (control characters, which :func:`decode` removes from every input).
_STAND_INS = "\x01\x02\x03\x04"


def _hide_released(body: str, sc: ServiceChars) -> tuple[str, dict[int, str] | None]:
    """Replace every released character (``?+``, ``?'``...) by a stand-in, so the text splits
    on its separators with ``str.split`` at C speed; the map puts them back. A release before
    any other character stands for that character."""
    release = sc.release
    if release not in body:
        return body, None
    chars = (release, sc.terminator, sc.element, sc.component)
    for stand_in, char in zip(_STAND_INS, chars, strict=True):
        body = body.replace(release + char, stand_in)
    if release in body:
        body = _release_pair(release).sub(r"\1", body)
    return body, {ord(s): c for s, c in zip(_STAND_INS, chars, strict=True)}


def _find_start(text: str, notes: list[SyntaxNote]) -> tuple[int, ServiceChars]:
    match = _START.search(text)
    if match is None:
        return 0, DEFAULT_SERVICE
    if text[: match.start()].strip():
        notes.append(SyntaxNote("leading-junk", "text before UNA/UNB ignored"))
    if not match.group(0).startswith("UNA"):
        return match.start(), DEFAULT_SERVICE
    six = match.group(1)
    if six is None or not _una_ok(six):
        notes.append(SyntaxNote("una", "malformed UNA service string; the defaults are used"))
        return match.end() - 3, DEFAULT_SERVICE
    declared = ServiceChars.from_una(six)
    body = text[match.end() - 3 :]
    if declared.terminator not in body and DEFAULT_SERVICE.terminator in body:
        notes.append(SyntaxNote("una", "the UNA terminator is never used; the apostrophe is"))
        declared = ServiceChars.from_una(six[:5] + DEFAULT_SERVICE.terminator)
    return match.end() - 3, declared


def _una_ok(six: str) -> bool:
    """Separators, release and terminator distinct, none a letter, digit or white space."""
    key = six[0] + six[1] + six[3] + six[5]
    return len(set(key)) == 4 and not any(c.isalnum() or c.isspace() for c in key)


def _starts_segment(line: str, sc: ServiceChars) -> bool:
    """A continuation line that is a segment of its own (its predecessor lost its terminator)."""
    return len(line) > 3 and line[:3] in KNOWN_TAGS and line[3] == sc.element


def _pieces(text: str, first_col: int, sc: ServiceChars) -> tuple[list[str], list[str]]:
    """Cut a segment spanning lines into segment texts: wrapped lines are joined (see
    ``WRAP_WIDTH``); a line that starts a known segment, any line after a blank line and any
    line after ``UNZ`` start a new text. Returns the texts and the codes of the repairs made."""
    lines = text.split("\n")
    out = [lines[0]]
    repairs: list[str] = []
    previous_len = first_col + len(lines[0])
    blank = False
    for raw_line in lines[1:]:
        line = raw_line.strip()
        if not line:
            blank = True
            continue
        current = out[-1]
        if _starts_segment(line, sc):
            out.append(line)
            repairs.append("missing-terminator")
        elif blank or current.startswith("UNZ"):
            out.append(line)  # not a continuation: the caller reports what it is
        elif (
            previous_len >= WRAP_WIDTH
            or current.endswith((sc.element, sc.component))
            or line.startswith((sc.element, sc.component))
        ):
            out[-1] = current + line
            repairs.append("wrapped")
        else:
            out[-1] = current + " " + line
            repairs.append("wrapped")
        blank = False
        previous_len = len(raw_line)
    return out, repairs


def _elements(
    text: str, sc: ServiceChars, restore: dict[int, str] | None = None
) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """The tag and the elements of one segment text whose released characters are hidden
    (see :func:`_hide_released`); ``restore`` puts them back in each component. As pydifact
    does, trailing empty components of a composite are dropped (``ET:400539:::`` is
    ``ET:400539``); empty elements are kept."""
    comp = sc.component
    raw = text.split(sc.element)
    tag = raw[0]
    if len(tag) != 3 or tag not in KNOWN_TAGS:
        tag = _tag(tag, comp)
    elements: tuple[tuple[str, ...], ...]
    if comp not in text:
        elements = tuple([(e,) for e in raw[1:]])
    elif comp + sc.element in text or text.endswith(comp):
        elements = tuple([tuple(e.rstrip(comp).split(comp)) for e in raw[1:]])
    else:
        elements = tuple([tuple(e.split(comp)) for e in raw[1:]])
    if restore is not None and (
        "\x01" in text or "\x02" in text or "\x03" in text or "\x04" in text
    ):
        elements = tuple([tuple([c.translate(restore) for c in e]) for e in elements])
    return tag, elements


def _tag(head: str, comp: str) -> str:
    return head.split(comp, 1)[0].strip().upper()


def _unglue(
    tag: str, elements: tuple[tuple[str, ...], ...]
) -> list[tuple[str, tuple[tuple[str, ...], ...]]] | None:
    """Split a segment that swallowed the next one (``RPI+1+HKIFT+4:19+...``), or None."""
    limit = MAX_ELEMENTS.get(tag)
    if limit is None or len(elements) <= limit:
        return None
    for i, element in enumerate(elements[: limit + 1]):
        value = element[-1] if element else ""
        if len(value) < 4 or value[-3:] not in KNOWN_TAGS:
            continue
        head = (*elements[:i], (*element[:-1], value[:-3]))
        rest = elements[i + 1 :]
        new_tag = value[-3:]
        return [(tag, head), *(_unglue(new_tag, rest) or [(new_tag, rest)])]
    return None


def _segment_text(
    text: str,
    seg_line: int,
    seg_col: int,
    sc: ServiceChars,
    restore: dict[int, str] | None,
    segments: list[RawSegment],
    notes: list[SyntaxNote],
) -> bool:
    """One segment text, with the repairs it may need (over several lines, glued, not a
    segment). Appends what it finds; returns True at ``UNZ`` (the end of the interchange)."""
    texts = [text]
    if "\n" in text:
        texts, repairs = _pieces(text, seg_col, sc)
        number = len(segments) + 1
        for code in sorted(set(repairs)):
            what = (
                "segment wrapped over lines joined"
                if code == "wrapped"
                else "segment terminator missing at a line end; a new segment starts there"
            )
            notes.append(SyntaxNote(code, what, number, seg_line))
    for index, piece in enumerate(texts):
        tag, elements = _elements(piece, sc, restore)
        if not _TAG.match(tag):
            notes.append(
                SyntaxNote("not-a-segment", "text that is not a segment ignored", 0, seg_line)
            )
            continue
        if tag == "UNA":
            continue
        parts = _unglue(tag, elements)
        if parts is not None:
            notes.append(
                SyntaxNote(
                    "glued",
                    "segment terminator missing between two segments on a line; split",
                    len(segments) + 1,
                    seg_line,
                )
            )
        for part_tag, part_elements in parts or [(tag, elements)]:
            segments.append(RawSegment(part_tag, part_elements, len(segments) + 1, seg_line))
        if tag == "UNZ":
            if index < len(texts) - 1:
                notes.append(SyntaxNote("trailing-junk", "text after UNZ ignored", 0, seg_line))
            return True
    return False


def _one_per_line(
    body: str,
    line: int,
    sc: ServiceChars,
    restore: dict[int, str] | None,
    encoding: str,
    notes: list[SyntaxNote],
) -> Tokenised:
    """The fast path of :func:`tokenise` for the usual layout (each segment on a line of its
    own, or all on one line): no line break inside a segment, so no wrap to repair."""
    pieces = body.replace(sc.terminator + "\n", sc.terminator).split(sc.terminator)
    segments: list[RawSegment] = []
    append = segments.append
    limits = _LIMITS
    new = tuple.__new__
    end = len(pieces)
    for at, text in enumerate(pieces):
        if text[:1] in " \t":
            text = text.lstrip(" \t")
        if not text:
            continue
        tag, elements = _elements(text, sc, restore)
        if len(elements) <= limits.get(tag, -1):
            if tag != "UNA":
                append(new(RawSegment, (tag, elements, len(segments) + 1, line + at)))
            if tag == "UNZ":
                end = at
                break
        elif _segment_text(text, line + at, 0, sc, restore, segments, notes):
            end = at
            break
    if any(rest.strip() for rest in pieces[end + 1 :]):
        notes.append(SyntaxNote("trailing-junk", "text after UNZ ignored", 0, line + end + 1))
    return Tokenised(tuple(segments), sc, encoding, tuple(notes))


def tokenise(data: bytes | str) -> Tokenised:
    """Tokenise a whole file into segments, repairing what files in the wild break."""
    if isinstance(data, bytes):
        text, encoding, notes = decode(data)
    else:
        text, encoding, notes = _CONTROL.sub("", data), "str", []
        if len(text) != len(data):
            notes.append(SyntaxNote("control", "control characters (STX/ETX/NUL/BOM) removed"))
    start, sc = _find_start(text, notes)
    body = text[start:]
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1)
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    if sc.terminator == "'" and ("\u2019" in body or "\u2018" in body):
        fixed, n = _STRAY.subn("'", body)
        if n:
            notes.append(
                SyntaxNote(
                    "stray-terminator",
                    f"{n} typographic quote(s) ending a line read as the segment terminator",
                )
            )
            body = fixed
    body, restore = _hide_released(body, sc)
    if body.count("\n") == body.count(sc.terminator + "\n"):  # one segment a line: no wrap
        return _one_per_line(body, line, sc, restore, encoding, notes)
    pieces = body.split(sc.terminator)
    segments: list[RawSegment] = []
    end, pos = len(pieces), 0  # pos: where the piece starts in the body
    for at, raw in enumerate(pieces):
        text = raw.lstrip()
        lead, breaks = len(raw) - len(text), raw.count("\n")
        seg_line = line + raw.count("\n", 0, lead)
        line, start_at, pos = line + breaks, pos + lead, pos + len(raw) + 1
        text = text.rstrip("\n\t")
        if not text:
            continue
        line_start = body.rfind("\n", 0, start_at) + 1
        seg_col = start_at - line_start + (col if line_start == 0 else 0)
        if _segment_text(text, seg_line, seg_col, sc, restore, segments, notes):
            end = at
            break
    if any(rest.strip() for rest in pieces[end + 1 :]):
        notes.append(SyntaxNote("trailing-junk", "text after UNZ ignored", 0, line))
    return Tokenised(tuple(segments), sc, encoding, tuple(notes))

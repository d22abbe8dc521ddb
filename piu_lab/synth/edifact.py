"""EDIFACT syntax for the writers, with pydifact as the authority on the service characters.

The service string advice (``UNA:+.? '``) and the release rules (``?`` before ``? : + '``)
come from pydifact's :class:`~pydifact.control.Characters` and are applied by a translation
table built from its ``escaped_syntax_dic``. Segments are joined here rather than built as
pydifact ``Segment`` objects for its ``Serializer``, which is about five times slower for the
5.6 million segments of a Belgian day (``benchmarks/bench_synth.py`` measures both on the same
segments and checks the output is identical); the tests parse every written file back with
pydifact's parser and compare :func:`seg` with :func:`serialize_with_pydifact`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pydifact.control.characters import Characters
from pydifact.segments import Segment as PydifactSegment
from pydifact.serializer import Serializer

__all__ = [
    "CHARS",
    "UNA",
    "Element",
    "ddmmmyy",
    "ddmmyy",
    "esc",
    "hhmm",
    "interchange",
    "seg",
    "serialize_with_pydifact",
    "yymmdd",
]

CHARS = Characters(decimal_point=".")  # type: ignore[no-untyped-call]
UNA: str = CHARS.service_string_advice
_TABLE = str.maketrans(CHARS.escaped_syntax_dic)
_SPECIAL = re.compile("[" + re.escape("".join(CHARS.escaped_syntax_dic)) + "]")
_SEP = CHARS.data_separator
_COMP = CHARS.component_separator
_TERM = CHARS.segment_terminator
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

#: A data element: a simple value, or the components of a composite. Values are escaped.
Element = str | tuple[str, ...]


def esc(value: str) -> str:
    """``value`` with pydifact's release character before every service character."""
    return value.translate(_TABLE) if _SPECIAL.search(value) else value


def seg(tag: str, *elements: Element) -> str:
    """One segment, terminated; trailing empty components and elements are dropped.

    Every value must already be escaped with :func:`esc` (codes built from safe alphabets
    need not be).
    """
    parts = [tag]
    for element in elements:
        if element.__class__ is tuple:
            end = len(element)
            while end and not element[end - 1]:
                end -= 1
            parts.append(_COMP.join(element[:end]))
        else:
            parts.append(element)  # type: ignore[arg-type]
    end = len(parts)
    while end > 1 and not parts[end - 1]:
        end -= 1
    return _SEP.join(parts[:end]) + _TERM


def interchange(
    *,
    syntax: tuple[str, str],
    sender: str,
    recipient: str,
    prepared: datetime,
    control: str,
    group: tuple[str, str, Element] | None,
    messages: Sequence[Sequence[str]],
    application: str = "",
) -> str:
    """A whole interchange: UNA, UNB, [UNG], the messages (each UNH..UNT), [UNE], UNZ.

    ``group`` is (message type, controlling agency, version) of the functional group;
    ``messages`` are the segments of each message between its UNH and UNT (UNH included,
    UNT added here with the segment count).
    """
    stamp = (prepared.strftime("%y%m%d"), prepared.strftime("%H%M"))
    out = [UNA, seg("UNB", syntax, sender, recipient, stamp, control, "", application)]
    if group is not None:
        kind, agency, version = group
        out.append(seg("UNG", kind, sender, recipient, stamp, control, agency, version))
    for body in messages:
        reference = body[0].split(_SEP)[1]
        out.extend(body)
        out.append(seg("UNT", str(len(body) + 1), reference))
    if group is not None:
        out.append(seg("UNE", str(len(messages)), control))
    out.append(seg("UNZ", "1" if group is not None else str(len(messages)), control))
    return "\n".join(out) + "\n"


def serialize_with_pydifact(segments: Iterable[tuple[str, list[str | list[str]]]]) -> str:
    """The same segments written by pydifact's own ``Serializer`` (for tests and benchmarks).

    Values here are unescaped: pydifact escapes them.
    """
    built = [PydifactSegment(tag, *elements) for tag, elements in segments]
    return str(Serializer(CHARS).serialize(built, with_una_header=True, break_lines=True))


def ddmmyy(d: date | datetime) -> str:
    return f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"


def yymmdd(d: date | datetime) -> str:
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"


def hhmm(d: datetime) -> str:
    return f"{d.hour:02d}{d.minute:02d}"


def ddmmmyy(d: date) -> str:
    """The SSR DOCS date form: 12JUL84."""
    return f"{d.day:02d}{_MONTHS[d.month - 1]}{d.year % 100:02d}"

"""Messages inside a file: the interchange envelope, one slice per UNH..UNT, and its identity.

A message whose type is not PNRGOV or PAXLST, or a run of segments outside any message (its
UNH lost), is a slice of its own that carries the reason it must be quarantined: the other
messages of the file are still read (nothing received is lost, R-SENS-02).

A file may hold several interchanges and several messages. Each message is identified by a
SHA-256 over its content (the segments between UNH and UNT, without the envelope's control
references), so a carrier re-sending the same content under a new envelope is recognised as a
duplicate and stored once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from piu_lab.errors import MessageParseError
from piu_lab.ingest.fields import parse_hhmm
from piu_lab.ingest.syntax import KNOWN_TAGS, RawSegment, SyntaxNote, Tokenised
from piu_lab.model import MessageKind

__all__ = ["Envelope", "MessageSlice", "content_hash", "split_messages"]


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the envelope says: who sent it to whom, when, which message type and version."""

    sender: str
    recipient: str
    sent_at: datetime | None
    interchange_ref: str
    message_ref: str
    message_type: str
    version: str
    function: str

    def as_dict(self) -> dict[str, str]:
        return {
            "sender": self.sender,
            "recipient": self.recipient,
            "sent_at": self.sent_at.isoformat() if self.sent_at else "",
            "interchange_ref": self.interchange_ref,
            "message_ref": self.message_ref,
            "message_type": self.message_type,
            "version": self.version,
            "function": self.function,
        }


@dataclass(frozen=True, slots=True)
class MessageSlice:
    """One message of a file: its kind, envelope, segments (UNH..UNT) and content hash."""

    kind: MessageKind
    envelope: Envelope
    segments: tuple[RawSegment, ...]
    sha256: str
    notes: tuple[SyntaxNote, ...]
    error: MessageParseError | None = None  # set when the slice can only be quarantined


def content_hash(segments: tuple[RawSegment, ...] | list[RawSegment]) -> str:
    """SHA-256 over the content segments (``TAG+a:b+c'`` each), envelope segments and their
    references left out: the same content under a new envelope is the same message."""
    text = "".join(
        [
            f"{seg.tag}+{'+'.join(map(':'.join, seg.elements))}'" if seg.elements else f"{seg.tag}'"
            for seg in segments
            if seg.tag not in _ENVELOPE
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_ENVELOPE = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


def _unb_time(seg: RawSegment) -> datetime | None:
    day, clock = seg.get(3, 0), seg.get(3, 1)
    if len(day) == 6 and day.isdecimal():
        hh, mm = parse_hhmm(clock) or (0, 0)
        try:
            return datetime(2000 + int(day[:2]), int(day[2:4]), int(day[4:]), hh, mm, tzinfo=UTC)
        except ValueError:
            return None
    return None


def _kind(unh: RawSegment) -> tuple[MessageKind, str, MessageParseError | None]:
    ident = unh.element(1)
    name = (ident[0] if ident else "").upper()
    version = ":".join(ident[1:3]) if len(ident) > 2 else ""
    for kind in (MessageKind.PNRGOV, MessageKind.PAXLST):
        if name == kind.value:
            return kind, version, None
    error = MessageParseError(
        f"segment {unh.number}: message type is not PNRGOV or PAXLST",
        segment=unh.number,
        position="UNH message identifier",
        hint="only PNRGOV and PAXLST messages are taken in",
    )
    return MessageKind.UNKNOWN, version, error


def _named(seg: RawSegment) -> str:
    """A segment's tag for a message text: only a known tag (an unknown one may be a value)."""
    return seg.tag if seg.tag in KNOWN_TAGS else "a segment"


def split_messages(tok: Tokenised) -> list[MessageSlice]:
    """Cut a tokenised file into messages (UNH..UNT). A run of segments outside any message
    (its UNH lost) becomes a slice of its own with an error, so it is quarantined while the
    other messages of the file are read; a file without any segment raises
    :class:`MessageParseError`."""
    if not tok.segments:
        raise MessageParseError(
            "no EDIFACT segment found", position="start of file", hint="is this an EDIFACT file?"
        )
    unb: RawSegment | None = None
    function = ""
    out: list[MessageSlice] = []
    current: list[RawSegment] | None = None
    orphans: list[RawSegment] = []
    file_notes = list(tok.notes)
    for seg in tok.segments:
        if seg.tag == "UNB":
            unb = seg
        elif seg.tag == "UNH":
            if orphans:
                out.append(_orphans(orphans, unb, file_notes))
                orphans = []
            if current is not None:
                file_notes.append(SyntaxNote("unclosed", "message not closed by UNT", seg.number))
                out.append(_slice(current, unb, function, file_notes))
            current, function = [seg], ""
        elif current is not None:
            current.append(seg)
            if seg.tag in {"MSG", "BGM"} and not function:
                function = ":".join(p for p in seg.element(0) if p) or seg.get(0, 0)
            if seg.tag == "UNT":
                out.append(_slice(current, unb, function, file_notes))
                current = None
        elif seg.tag not in {"UNG", "UNE", "UNZ"}:
            orphans.append(seg)
    if current is not None:
        file_notes.append(SyntaxNote("unclosed", "message not closed by UNT", current[-1].number))
        out.append(_slice(current, unb, function, file_notes))
    if orphans:
        out.append(_orphans(orphans, unb, file_notes))
    if not out:
        raise MessageParseError("no message (UNH) in the file", position="UNH missing")
    return out


def _envelope(
    unb: RawSegment | None, message_ref: str, kind: str, version: str, fn: str
) -> Envelope:
    return Envelope(
        sender=unb.get(1, 0) if unb else "",
        recipient=unb.get(2, 0) if unb else "",
        sent_at=_unb_time(unb) if unb else None,
        interchange_ref=unb.get(4, 0) if unb else "",
        message_ref=message_ref,
        message_type=kind,
        version=version,
        function=fn,
    )


def _orphans(
    segments: list[RawSegment], unb: RawSegment | None, notes: list[SyntaxNote]
) -> MessageSlice:
    first, last = segments[0].number, segments[-1].number
    error = MessageParseError(
        f"segment {first}: {len(segments)} segment(s) outside a message (no UNH before them)",
        segment=first,
        position=f"{_named(segments[0])} before UNH",
        hint="every message must open with UNH",
    )
    mine = tuple(n for n in notes if n.segment == 0 or first <= n.segment <= last)
    envelope = _envelope(unb, "", MessageKind.UNKNOWN.value, "", "")
    return MessageSlice(
        MessageKind.UNKNOWN, envelope, tuple(segments), content_hash(segments), mine, error
    )


def _slice(
    segments: list[RawSegment], unb: RawSegment | None, function: str, notes: list[SyntaxNote]
) -> MessageSlice:
    unh = segments[0]
    kind, version, error = _kind(unh)
    first, last = unh.number, segments[-1].number
    unt = segments[-1] if segments[-1].tag == "UNT" else None
    mine = [n for n in notes if n.segment == 0 or first <= n.segment <= last]
    if unt is not None and unt.get(0, 0).isdecimal() and int(unt.get(0, 0)) != len(segments):
        mine.append(SyntaxNote("count", "UNT segment count differs from the segments", last))
    envelope = _envelope(unb, unh.get(0, 0), kind.value, version, function)
    return MessageSlice(kind, envelope, tuple(segments), content_hash(segments), tuple(mine), error)

"""Messages inside a file: the interchange envelope, one slice per UNH..UNT, and its identity.

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
from piu_lab.ingest.syntax import RawSegment, SyntaxNote, Tokenised
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


def content_hash(segments: tuple[RawSegment, ...] | list[RawSegment]) -> str:
    """SHA-256 over the content segments, envelope segments and references left out."""
    digest = hashlib.sha256()
    for seg in segments:
        if seg.tag in {"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"}:
            continue
        digest.update(seg.tag.encode())
        for element in seg.elements:
            digest.update(b"+" + ":".join(element).encode("utf-8", "surrogatepass"))
        digest.update(b"'")
    return digest.hexdigest()


def _unb_time(seg: RawSegment) -> datetime | None:
    day, clock = seg.get(3, 0), seg.get(3, 1)
    if len(day) == 6 and day.isdigit():
        try:
            hh, mm = (int(clock[:2]), int(clock[2:4])) if len(clock) >= 4 else (0, 0)
            return datetime(2000 + int(day[:2]), int(day[2:4]), int(day[4:]), hh, mm, tzinfo=UTC)
        except ValueError:
            return None
    return None


def _kind(unh: RawSegment) -> tuple[MessageKind, str]:
    ident = unh.element(1)
    name = (ident[0] if ident else "").upper()
    version = ":".join(ident[1:3]) if len(ident) > 2 else ""
    for kind in MessageKind:
        if name == kind.value:
            return kind, version
    raise MessageParseError(
        f"segment {unh.number}: message type is not PNRGOV or PAXLST",
        segment=unh.number,
        position="UNH message identifier",
        hint="only PNRGOV and PAXLST messages are taken in",
    )


def split_messages(tok: Tokenised) -> list[MessageSlice]:
    """Cut a tokenised file into messages; raise :class:`MessageParseError` if none is there."""
    if not tok.segments:
        raise MessageParseError(
            "no EDIFACT segment found", position="start of file", hint="is this an EDIFACT file?"
        )
    unb: RawSegment | None = None
    function = ""
    out: list[MessageSlice] = []
    current: list[RawSegment] | None = None
    file_notes = list(tok.notes)
    for seg in tok.segments:
        if seg.tag == "UNB":
            unb = seg
        elif seg.tag == "UNH":
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
            raise MessageParseError(
                f"segment {seg.number}: {seg.tag} outside a message (no UNH before it)",
                segment=seg.number,
                position=f"{seg.tag} before UNH",
                hint="every message must open with UNH",
            )
    if current is not None:
        file_notes.append(SyntaxNote("unclosed", "message not closed by UNT", current[-1].number))
        out.append(_slice(current, unb, function, file_notes))
    if not out:
        raise MessageParseError("no message (UNH) in the file", position="UNH missing")
    return out


def _slice(
    segments: list[RawSegment], unb: RawSegment | None, function: str, notes: list[SyntaxNote]
) -> MessageSlice:
    unh = segments[0]
    kind, version = _kind(unh)
    first, last = unh.number, segments[-1].number
    unt = segments[-1] if segments[-1].tag == "UNT" else None
    mine = [n for n in notes if n.segment == 0 or first <= n.segment <= last]
    if unt is not None and unt.get(0, 0).isdigit() and int(unt.get(0, 0)) != len(segments):
        mine.append(SyntaxNote("count", "UNT segment count differs from the segments", last))
    envelope = Envelope(
        sender=unb.get(1, 0) if unb else "",
        recipient=unb.get(2, 0) if unb else "",
        sent_at=_unb_time(unb) if unb else None,
        interchange_ref=unb.get(4, 0) if unb else "",
        message_ref=unh.get(0, 0),
        message_type=kind.value,
        version=version,
        function=function,
    )
    return MessageSlice(kind, envelope, tuple(segments), content_hash(segments), tuple(mine))

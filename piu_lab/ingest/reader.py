"""From the bytes of a file to filtered records, one outcome per message: the pure part of the
ingest (no database). Every message either parses (its PNRs or its manifest, with what was
deleted on receipt and the warnings) or is to be quarantined with the reason; nothing received
is lost without a trace (R-SENS-02: the raw message itself is never kept unfiltered).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from piu_lab.errors import MessageParseError
from piu_lab.ingest.message import Envelope, MessageSlice, split_messages
from piu_lab.ingest.paxlst import parse_paxlst
from piu_lab.ingest.pnrgov import ParsedPnr, parse_pnrgov
from piu_lab.ingest.sensitive import Removed
from piu_lab.ingest.syntax import RawSegment, SyntaxNote, tokenise
from piu_lab.model import ApiManifest, MessageKind, pnr_problems
from piu_lab.places import Place, find_place

__all__ = ["MessageOutcome", "read_message_file", "scrub"]


@dataclass(frozen=True, slots=True)
class MessageOutcome:
    """What one message of a file became (before storing)."""

    source: str
    index: int
    kind: MessageKind | None
    sha256: str
    envelope: Envelope | None
    pnrs: tuple[ParsedPnr, ...]
    manifest: ApiManifest | None
    removed: dict[str, int]
    warnings: tuple[str, ...]
    error: MessageParseError | None
    scrubbed: str  # the canonical, filtered form kept with a quarantined message

    @property
    def message_id(self) -> str:
        return f"{self.sha256[:32]}"

    @property
    def parsed(self) -> bool:
        return self.error is None


def _note_text(note: SyntaxNote) -> str:
    where = f"segment {note.segment}: " if note.segment else ""
    return f"{where}{note.text}"


def scrub(segments: tuple[RawSegment, ...] | list[RawSegment]) -> str:
    """The canonical form of what could be read, with every value replaced by its shape.

    Kept with a quarantined message so a technician can see its structure (tags, element and
    component counts, lengths) without any passenger value or sensitive code reaching the
    quarantine table.
    """
    lines = []
    for seg in segments:
        shapes = "+".join(":".join(f"{len(c)}" for c in el) for el in seg.elements)
        lines.append(f"{seg.number:>5} {seg.tag}+{shapes}")
    return "\n".join(lines)


def _quarantined(
    piece: MessageSlice,
    source: str,
    index: int,
    error: MessageParseError,
    warnings: tuple[str, ...],
) -> MessageOutcome:
    """The outcome of a message that goes to quarantine: its reason and scrubbed shape."""
    return MessageOutcome(
        source,
        index,
        piece.kind,
        piece.sha256,
        piece.envelope,
        (),
        None,
        {},
        warnings,
        error,
        scrub(piece.segments),
    )


def _parse_slice(
    piece: MessageSlice,
    *,
    source: str,
    index: int,
    received_at: datetime,
    place: Callable[[str], Place | None],
) -> MessageOutcome:
    warnings = [_note_text(n) for n in piece.notes]
    if piece.error is not None:  # not a message we can read: quarantined with the reason
        return _quarantined(piece, source, index, piece.error, tuple(warnings))
    message_id = piece.sha256[:32]
    removed = Removed()
    pnrs: tuple[ParsedPnr, ...] = ()
    manifest = None
    error: MessageParseError | None = None
    if piece.kind is MessageKind.PNRGOV:
        parsed, more, header_removed = parse_pnrgov(
            piece.segments, received_at=received_at, place=place, message_id=message_id
        )
        warnings += more
        removed.merge(header_removed)
        good: list[ParsedPnr] = []
        for number, p in enumerate(parsed, start=1):
            problems = pnr_problems(p.pnr)
            if problems:  # named by its place in the message, never by its locator
                warnings.append(f"PNR {number} of the message not stored: " + "; ".join(problems))
                continue
            good.append(p)
            for cat, n in p.removed.items():
                removed.add(cat, n)
        pnrs = tuple(good)
        if not pnrs:
            error = MessageParseError(
                "no storable PNR in the message",
                position="SRC/RCI/TVL",
                hint="each PNR needs a record locator (RCI) and a dated leg (TVL)",
            )
    else:
        manifest, more, removed = parse_paxlst(
            piece.segments, received_at=received_at, message_id=message_id, place=place
        )
        warnings += more
        if manifest is None:
            error = MessageParseError("no transport (TDT) in the manifest", position="TDT missing")
    return MessageOutcome(
        source=source,
        index=index,
        kind=piece.kind,
        sha256=piece.sha256,
        envelope=piece.envelope,
        pnrs=pnrs,
        manifest=manifest,
        removed=removed.as_dict(),
        warnings=tuple(warnings),
        error=error,
        scrubbed=scrub(piece.segments) if error else "",
    )


def _unreadable(
    data: bytes, source: str, error: MessageParseError, segments: tuple[RawSegment, ...]
) -> MessageOutcome:
    digest = hashlib.sha256(data).hexdigest()
    return MessageOutcome(source, 1, None, digest, None, (), None, {}, (), error, scrub(segments))


def _receipt(piece: MessageSlice, received_at: datetime, *, replay: bool) -> datetime:
    """When a replayed feed (recorded or synthetic) was received: its envelope's send time."""
    sent = piece.envelope.sent_at
    return sent if replay and sent is not None else received_at


def read_message_file(
    data: bytes,
    *,
    source: str,
    received_at: datetime,
    place: Callable[[str], Place | None] = find_place,
    replay: bool = False,
) -> list[MessageOutcome]:
    """Parse and filter every message of a file; a file that cannot be cut into messages
    becomes one quarantined outcome, and so does a message that cannot be read. Nothing
    escapes: whatever goes wrong, the message is quarantined with the reason (the segment and
    position, or the kind of failure), never lost and never logged with its values.

    ``replay`` takes each message's envelope time (UNB) as its time of receipt, for replaying
    a recorded or synthetic feed (push stages and versions then follow the feed's own clock).
    """
    try:
        tok = tokenise(data)
    except Exception as err:
        failure = MessageParseError(
            f"the file could not be read ({type(err).__name__})", position="syntax"
        )
        return [_unreadable(data, source, failure, ())]
    try:
        pieces = split_messages(tok)
    except MessageParseError as err:
        return [_unreadable(data, source, err, tok.segments)]
    out = []
    for index, piece in enumerate(pieces, start=1):
        try:
            out.append(
                _parse_slice(
                    piece,
                    source=source,
                    index=index,
                    received_at=_receipt(piece, received_at, replay=replay),
                    place=place,
                )
            )
        except Exception as err:
            failure = MessageParseError(
                f"message {index} could not be parsed ({type(err).__name__})",
                position="unexpected structure",
            )
            out.append(_quarantined(piece, source, index, failure, ()))
    return out

"""PNRGOV (IATA/WCO, versions 10.1 to 15.1) segment groups into PNR records.

A tolerant walker rather than a strict grammar: real messages put segments where the guide
does not (GTAS lost 7 % of a production sample that way, and drops passengers whose DOCS sits
outside group 2). Every segment is either mapped to an Annex I heading, deleted on receipt and
counted by category (R-SENS-01..03, R-DATA-02), or recorded as a warning with its number: no
segment is dropped silently. One PNR per ``SRC``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from piu_lab.ingest import pnrgov_items as items
from piu_lab.ingest.pnrgov_items import PnrDraft, PnrgovContext
from piu_lab.ingest.sensitive import Removed, load_table
from piu_lab.ingest.syntax import RawSegment
from piu_lab.model import Pnr
from piu_lab.places import Place, find_place

__all__ = ["ParsedPnr", "parse_pnrgov"]


@dataclass(frozen=True, slots=True)
class ParsedPnr:
    """One PNR of a message, filtered, with what was deleted and what was odd."""

    pnr: Pnr
    removed: dict[str, int]
    warnings: tuple[str, ...]


_ENVELOPE = {"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"}


def parse_pnrgov(
    segments: Sequence[RawSegment],
    *,
    received_at: datetime,
    place: Callable[[str], Place | None] = find_place,
    message_id: str = "",
) -> tuple[list[ParsedPnr], list[str], Removed]:
    """Walk the segments of one PNRGOV message (UNH..UNT).

    Returns the PNRs, the message-level warnings and the message-level deletions (segments
    before the first ``SRC`` that carry nothing the PIU may keep).
    """
    table = load_table()
    pivot = received_at.date() if isinstance(received_at, datetime) else date.today()
    ctx = PnrgovContext(pivot=pivot, received_at=received_at, place=place, table=table)
    header_removed = Removed()
    header_warnings: list[str] = []
    drafts: list[PnrDraft] = []
    draft: PnrDraft | None = None
    header_flight: items.SegDraft | None = None
    for seg in segments:
        tag = seg.tag
        if tag in _ENVELOPE:
            continue
        if tag == "SRC":
            draft = PnrDraft(ctx, first_segment=seg.number, header_flight=header_flight)
            drafts.append(draft)
            continue
        if draft is None:
            if tag == "TVL" and header_flight is None:
                header_flight = items.seg_draft(seg, pivot)
            items.header_segment(ctx, seg, header_warnings, header_removed)
            continue
        draft.feed(seg)
    if not drafts:
        header_warnings.append("no SRC segment: the message carries no PNR")
    parsed = []
    for d in drafts:
        pnr = d.build(message_id=message_id)
        if pnr is None:
            header_warnings.append(
                f"segment {d.first_segment}: PNR without a record locator (RCI) skipped"
            )
            header_removed.merge(d.removed)
            continue
        parsed.append(ParsedPnr(pnr, d.removed.as_dict(), tuple(d.warnings)))
    return parsed, header_warnings, header_removed


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

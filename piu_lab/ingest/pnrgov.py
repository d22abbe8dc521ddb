"""PNRGOV (IATA/WCO, versions 10.1 to 15.1) segment groups into PNR records.

A tolerant walker rather than a strict grammar: real messages put segments where the guide
does not (GTAS lost 7 % of a production sample that way, and drops passengers whose DOCS sits
outside group 2). Every segment is either mapped to an Annex I heading (R-DATA-01), deleted on
receipt and counted by category (R-SENS-01..03, R-DATA-02), or recorded as a warning with its
number: no segment is dropped silently. One PNR per ``SRC``.

This module walks the message and holds the rules of groups 5 to 9 (itinerary, code share,
check-in, seats, bags, split PNR, non-air services); groups 1 to 4 are in
:mod:`piu_lab.ingest.pnrgov_items`, SSRs and history in :mod:`piu_lab.ingest.pnrgov_ssr`.

PNRGOV conventions read here: a code share before 14.1 is the marketing flight's ``TVL``
(``MKT:OPR`` + marketing number) followed by ``TVL+++++<operating number>``; from 14.1 a ``TRA``
names the operating carrier and number. Some writers (the guide's own example on p. 75) put
the operating number first and the marketing one on the second ``TVL``: the message's own
flight (its level-0 ``TVL``) tells, see :func:`_operating_first`. ``TRI``'s first element is
the travel status at closure (``BD`` boarded, ``NS`` no-show, ``CI`` checked in, ``GS``
go-show); a ``TRI`` without one inside a check-in group (``DAT`` after the leg) means checked
in. ``EQN`` of a split says ``SPF`` (split from) or ``DIV`` (divided into).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from piu_lab.ingest.fields import flight_key, parse_datetime, parse_hhmm, seat_of
from piu_lab.ingest.pnrgov_build import build_pnr
from piu_lab.ingest.pnrgov_items import PaxDraft, PnrDraft, PnrgovContext, SegDraft, tag_name
from piu_lab.ingest.pnrgov_ssr import handle_ssr, history_item
from piu_lab.ingest.sensitive import Removed, load_table
from piu_lab.ingest.syntax import RawSegment
from piu_lab.model import Bag, HistoryAction, Pnr, SplitKind, TravelStatus
from piu_lab.places import Place, find_place

__all__ = ["ParsedPnr", "parse_pnrgov", "seg_draft"]


@dataclass(frozen=True, slots=True)
class ParsedPnr:
    """One PNR of a message, filtered, with what was deleted and what was odd."""

    pnr: Pnr
    removed: dict[str, int]
    warnings: tuple[str, ...]


_ENVELOPE = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})
#: Segments read and deliberately not kept (not an Annex I item): counted.
_NOT_KEPT = frozenset({"REF", "TXD", "ERC", "PTS"})
_TRI = {
    "BD": TravelStatus.BOARDED,
    "NS": TravelStatus.NO_SHOW,
    "CI": TravelStatus.CHECKED_IN,
    "GS": TravelStatus.GO_SHOW,
}
_LB = 0.45359237
_ACTIONS = {a.value: a for a in HistoryAction}


def seg_draft(seg: RawSegment, pivot: date) -> SegDraft:
    """A TVL: ``dep date:dep time[:arr date]:arr time+origin+destination+carrier[:operating]
    +number[:class]`` (the arrival date is often left out, sometimes its place too)."""
    day, clock, arr_day, arr_clock = (seg.get(0, i) for i in range(4))
    if not arr_clock and len(arr_day) == 4:  # dep date:dep time:arr time (level 0)
        arr_day, arr_clock = "", arr_day
    departure = parse_datetime(day, clock, pivot)
    arrival = parse_datetime(arr_day or day, arr_clock, pivot) if parse_hhmm(arr_clock) else None
    return SegDraft(
        number=seg.number,
        carrier=seg.get(3, 0).strip().upper(),
        transport_number=seg.get(4, 0).strip().upper(),
        origin=seg.get(1, 0).strip().upper(),
        destination=seg.get(2, 0).strip().upper(),
        departure=departure,
        arrival=arrival,
        booking_class=seg.get(4, 1).strip().upper(),
        operating_carrier=seg.get(3, 1).strip().upper() or None,
    )


# -- group 5: the itinerary ------------------------------------------------------------------
def _tvl(d: PnrDraft, seg: RawSegment) -> None:
    if not seg.get(0, 0) and not seg.get(1, 0) and seg.get(4, 0) and d.segs:
        d.segs[-1].operating_number = seg.get(4, 0).strip().upper()  # code share before 14.1
        d.segs[-1].second_tvl = True
        if seg.get(3, 0):
            d.segs[-1].operating_carrier = seg.get(3, 0).strip().upper()
        return
    d.segs.append(seg_draft(seg, d.ctx.pivot))
    d.state = "flight"
    d.current = d.checkin = None
    d.checkin_group = d.after_fop = False
    d.pending_status = None


def _tra(d: PnrDraft, seg: RawSegment) -> None:
    if d.segs:
        d.segs[-1].operating_carrier = seg.get(0, 0).strip().upper() or None
        d.segs[-1].operating_number = seg.get(1, 0).strip().upper() or None


def _rpi(d: PnrDraft, seg: RawSegment) -> None:
    if d.segs and seg.get(1, 0).strip():
        d.segs[-1].status = seg.get(1, 0).strip().upper()


def _apd(d: PnrDraft, seg: RawSegment) -> None:
    if d.segs:
        d.segs[-1].equipment = seg.get(0, 0).strip().upper()


# -- groups 6 and 7: check-in, seats, bags ---------------------------------------------------
def _tri(d: PnrDraft, seg: RawSegment) -> None:
    d.state = "checkin"
    code = seg.get(0, 0).strip().upper()
    d.pending_status = _TRI.get(code) or (TravelStatus.CHECKED_IN if d.checkin_group else None)
    ref = seg.get(1, 3).strip()
    d.checkin = d.find_pax(ref) if ref else None


def _checked_in(d: PnrDraft) -> PaxDraft | None:
    """The traveller of the current check-in group, its status applied."""
    pax = d.checkin
    if pax is not None and d.pending_status is not None:
        pax.status = d.pending_status
    return pax


def _ssd(d: PnrDraft, seg: RawSegment) -> None:
    pax = _checked_in(d) if d.state == "checkin" else None
    seat = seat_of(seg.get(0, 0))
    if pax is None or not seat or not d.segs:
        return  # "XXX": no seat given
    leg, cabin = len(d.segs) - 1, seg.get(4, 0).strip().upper()
    pax.seats = [s for s in pax.seats if s[0] != leg]  # the seat at check-in replaces any other
    pax.seats.append((leg, seat, cabin))


def _tag_numbers(elements: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """``carrier code:number:consecutive count:destination`` -> every tag number."""
    out: list[str] = []
    for el in elements:
        if len(el) < 2 or not el[1].strip():
            continue
        start = f"{el[0].strip()}{el[1].strip()}"
        count = int(el[2]) if len(el) > 2 and el[2].isdecimal() and 0 < int(el[2]) <= 99 else 1
        if not start.isdecimal():
            out.append(start)
            continue
        out.extend(f"{int(start) + i:0{len(start)}d}" for i in range(count))
    return tuple(out)


def _tbd(d: PnrDraft, seg: RawSegment) -> None:
    owner = _checked_in(d) if d.state == "checkin" else d.current
    count = seg.get(1, 0).strip()
    if owner is None or not count.isdecimal():
        d.warn(seg, "bag details without a traveller; not kept")
        return
    raw_weight, unit = seg.get(1, 1).strip(), seg.get(1, 2).strip()
    weight: float | None = None
    if raw_weight.replace(".", "", 1).isdecimal() and float(raw_weight) > 0:
        weight = round(float(raw_weight) * (_LB if unit == "701" else 1.0), 1)
    tags = seg.elements[4:]
    destination = next((el[3].strip() for el in tags if len(el) > 3 and el[3].strip()), "")
    owner.bags.append(
        Bag(
            seg_no=max(len(d.segs), 1),  # a leg index + 1 until the legs are numbered
            count=int(count),
            weight_kg=weight,
            tag_numbers=_tag_numbers(tags),
            final_destination=destination.upper() if len(destination) in (3, 5) else "",
        )
    )


# -- groups 8 to 12 --------------------------------------------------------------------------
def _eqn(d: PnrDraft, seg: RawSegment) -> None:
    d.state = "split"
    d.current = d.checkin = None
    kind = seg.get(0, 1).strip().upper()
    d.split_kind = SplitKind.SPLIT_FROM if kind == "SPF" else SplitKind.DIVIDED_INTO
    count = seg.get(0, 0).strip()
    d.split_count = int(count) if count.isdecimal() else 0


def _msg(d: PnrDraft, seg: RawSegment) -> None:
    d.state = "other"  # group 9: non-air services (hotel, car...) are not Annex I
    d.current = d.checkin = None


def _abi(d: PnrDraft, seg: RawSegment) -> None:
    d.state = "history"
    d.current = d.checkin = None
    d.hist_time = None
    d.hist_action = HistoryAction.CHANGED


def _sac(d: PnrDraft, seg: RawSegment) -> None:
    code = (seg.get(2, 0) or seg.get(0, 0)).strip().upper()
    d.hist_action = _ACTIONS.get(code, HistoryAction.CHANGED)


Handler = Callable[[PnrDraft, RawSegment], None]
_HANDLERS: dict[str, Handler] = {
    "RCI": PnrDraft.on_rci,
    "DAT": PnrDraft.on_dat,
    "ORG": PnrDraft.on_org,
    "ADD": PnrDraft.on_add,
    "IFT": PnrDraft.on_ift,
    "EBD": PnrDraft.on_ebd,
    "TIF": PnrDraft.on_tif,
    "FTI": PnrDraft.on_fti,
    "FAR": PnrDraft.on_far,
    "TKT": PnrDraft.on_tkt,
    "MON": PnrDraft.on_mon,
    "PTK": PnrDraft.on_ptk,
    "FOP": PnrDraft.on_fop,
    "SSR": handle_ssr,
    "TVL": _tvl,
    "TRA": _tra,
    "RPI": _rpi,
    "APD": _apd,
    "TRI": _tri,
    "SSD": _ssd,
    "TBD": _tbd,
    "EQN": _eqn,
    "MSG": _msg,
    "ABI": _abi,
    "SAC": _sac,
}
_HISTORY_CONTROL = frozenset({"ABI", "DAT", "SAC", "EQN", "MSG"})


def _operating_first(drafts: list[PnrDraft], header: SegDraft | None) -> bool:
    """Whether the code shares of this message write the operating flight number on the first
    TVL and the marketing one on the second (as the IATA guide's own example on p. 75 does),
    rather than the reverse (its text, 5.28.2/5.28.3, and GTAS). The message's own flight (the
    level-0 TVL, an operating flight) decides: a code-share leg operated by that carrier whose
    first number is that flight's number was written operating-first. Such legs are swapped
    back; with no evidence the guide's text is followed."""
    if header is None:
        return False
    own = flight_key(header.transport_number)
    shares = [
        s
        for d in drafts
        for s in d.segs
        if s.second_tvl and s.operating_carrier == header.carrier and s.operating_number
    ]
    first = sum(1 for s in shares if flight_key(s.transport_number) == own)
    second = sum(1 for s in shares if flight_key(s.operating_number or "") == own)
    if first <= second:
        return False
    for s in (s for d in drafts for s in d.segs if s.second_tvl):
        if s.operating_number:
            s.transport_number, s.operating_number = s.operating_number, s.transport_number
    return True


def feed(d: PnrDraft, seg: RawSegment) -> None:
    """Apply one segment of a PNR (after its ``SRC``) to the draft."""
    tag = seg.tag
    if tag == "LTS":  # a line of the reservation system's free-text history: never kept
        d.delete_text(" ".join(":".join(e) for e in seg.elements))
        return
    if d.state == "history" and tag not in _HISTORY_CONTROL:
        history_item(d, seg)
        return
    if d.state == "other" and tag not in _HISTORY_CONTROL:
        d.removed.add("outside-annex")
        return
    handler = _HANDLERS.get(tag)
    if handler is not None:
        handler(d, seg)
    elif tag in _NOT_KEPT:
        d.removed.add("outside-annex")
    else:
        d.warn(seg, "segment not understood; deleted")
        d.removed.add("unknown-segment")


def _header_segment(
    table_ctx: PnrgovContext, seg: RawSegment, warnings: list[str], removed: Removed
) -> None:
    """A segment before the first SRC: message header (MSG, ORG, TVL level 0, EQN) or not."""
    if seg.tag in {"MSG", "ORG", "TVL", "EQN", "DAT"}:
        return  # the header of the message: the flight and the sender, no personal data
    table = table_ctx.table
    if seg.tag in {"IFT", "LTS", "SSR"}:
        text = " ".join(":".join(e) for e in seg.elements)
        code = table.code_category(seg.get(0, 0)) if seg.tag == "SSR" else None
        removed.add(code or table.text_category(text) or "free-text")
        return
    warnings.append(f"segment {seg.number} {tag_name(seg)}: unexpected before the first SRC")
    removed.add("unknown-segment")


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
    pivot = received_at.date()
    ctx = PnrgovContext(pivot=pivot, received_at=received_at, place=place, table=load_table())
    header_removed = Removed()
    header_warnings: list[str] = []
    drafts: list[PnrDraft] = []
    draft: PnrDraft | None = None
    header_flight: SegDraft | None = None
    for seg in segments:
        tag = seg.tag
        if tag in _ENVELOPE:
            continue
        if tag == "SRC":
            draft = PnrDraft(ctx, first_segment=seg.number, header_flight=header_flight)
            drafts.append(draft)
        elif draft is not None:
            feed(draft, seg)
        else:
            if tag == "TVL" and header_flight is None:
                header_flight = seg_draft(seg, pivot)
            _header_segment(ctx, seg, header_warnings, header_removed)
    if not drafts:
        header_warnings.append("no SRC segment: the message carries no PNR")
    if _operating_first(drafts, header_flight):
        header_warnings.append(
            "code shares give the operating flight number first (the message's own flight "
            "shows it); read accordingly"
        )
    parsed = []
    for d in drafts:
        pnr = build_pnr(d, message_id=message_id)
        if pnr is None:
            header_warnings.append(
                f"segment {d.first_segment} SRC: PNR without a record locator (RCI) skipped"
            )
            header_removed.merge(d.removed)
            continue
        parsed.append(ParsedPnr(pnr, d.removed.as_dict(), tuple(d.warnings)))
    return parsed, header_warnings, header_removed

"""The versions of one PNR (early push, closure push, split-off PNR) and where they are kept.

:mod:`piu_lab.synth.records` fills a :class:`Draft` per PNR (its parts and the travellers as
seen at each push); :func:`emit_versions` turns it into frozen :class:`~piu_lab.model.Pnr`
versions, stores them per transport and push in the :class:`RecordSink`, and files the
sensitive items and the ground-truth appearances under the right ``(pnr_id, version,
pax_ref)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from piu_lab.model import (
    AnnexHeading,
    Contact,
    HistoryAction,
    HistoryEntry,
    Passenger,
    Payment,
    Pnr,
    PushStage,
    Segment,
    SplitInfo,
    SplitKind,
    TravelAgency,
    TravelStatus,
)
from piu_lab.synth.schedule import Transport

__all__ = ["Draft", "Journey", "RecordSink", "changes", "emit_versions", "minute"]

H = AnnexHeading


@dataclass(frozen=True, slots=True)
class Journey:
    """A traveller on a transport (closure version), for the ground truth."""

    pnr_id: str
    pax_ref: str
    person: int
    transport: int  # index in the run's transports


@dataclass
class RecordSink:
    """Everything the record builder produces over a run."""

    early: dict[int, list[Pnr]] = field(default_factory=lambda: defaultdict(list))
    closure: dict[int, list[Pnr]] = field(default_factory=lambda: defaultdict(list))
    sensitive: dict[tuple[str, int, str], tuple[str, ...]] = field(default_factory=dict)
    journeys: list[Journey] = field(default_factory=list)
    appearances: list[tuple[int, str, str]] = field(default_factory=list)  # person, pnr, ref


@dataclass
class Draft:
    """One PNR being built: its shared parts and its travellers at each push."""

    transport: Transport
    ti: int  # index of the transport in the run
    state: int  # 0 both pushes, 1 closure only, 2 early only
    locator: str
    created: datetime
    early_at: datetime
    closure_at: datetime
    segs_early: tuple[Segment, ...]
    segs_final: tuple[Segment, ...]
    payment: Payment
    contacts: tuple[Contact, ...]
    agency: TravelAgency | None
    remarks: tuple[str, ...]
    hist_early: list[HistoryEntry] = field(default_factory=list)
    hist_final: list[HistoryEntry] = field(default_factory=list)
    pax_early: list[Passenger] = field(default_factory=list)
    pax_final: list[Passenger] = field(default_factory=list)
    split_pax: list[Passenger] = field(default_factory=list)
    # per traveller of each list: (person, sensitive items)
    who_early: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    who_final: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    who_split: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)

    @property
    def carrier(self) -> str:
        return self.transport.carrier

    @property
    def pnr_id(self) -> str:
        return f"{self.transport.carrier}:{self.locator}"

    def message_id(self, stage: PushStage) -> str:
        suffix = "1" if stage is PushStage.EARLY else "2"
        return f"{self.transport.day:%y%m%d}{self.ti:05d}{suffix}"


def minute(base: datetime, hours: float) -> datetime:
    """``base`` moved by ``hours``, to the minute."""
    return base + timedelta(minutes=round(hours * 60.0))


def changes(
    ref: str,
    seat_e: str,
    seat_f: str,
    bags_e: int,
    bags_f: int,
    docs_e: bool,
    docs_f: bool,
    status: TravelStatus,
    added: bool,
    when: datetime,
) -> list[HistoryEntry]:
    """History entries (heading 19) for what changed for one traveller between the pushes."""
    out: list[HistoryEntry] = []

    def add(action: HistoryAction, heading: AnnexHeading, item: str) -> None:
        out.append(
            HistoryEntry(occurred_at=when, action=action, heading=heading, item=item, pax_ref=ref)
        )

    if added:
        add(HistoryAction.ADDED, H.NAMES, f"NAME {ref}")
    if seat_f and seat_f != seat_e:
        action = HistoryAction.CHANGED if seat_e else HistoryAction.ADDED
        add(action, H.SEAT, f"SEAT {ref}/{seat_f}")
    if bags_f != bags_e:
        add(HistoryAction.ADDED, H.BAGGAGE, f"BAG {ref}/{bags_f}PC")
    if docs_f and not docs_e:
        add(HistoryAction.ADDED, H.API, f"DOCS {ref}")
    if status is not TravelStatus.CONFIRMED:
        add(HistoryAction.CHANGED, H.TRAVEL_STATUS, f"STATUS {ref}/{status.value}")
    return out


def _pnr(
    d: Draft,
    locator: str,
    version: int,
    stage: PushStage,
    passengers: list[Passenger],
    history: tuple[HistoryEntry, ...],
    splits: tuple[SplitInfo, ...] = (),
) -> Pnr:
    early = stage is PushStage.EARLY
    return Pnr(
        record_locator=locator,
        carrier=d.carrier,
        sector=d.transport.sector,
        created_at=d.created,
        received_at=d.early_at if early else d.closure_at,
        version=version,
        push_stage=stage,
        passengers=tuple(passengers),
        segments=d.segs_early if early else d.segs_final,
        payments=(d.payment,),
        contacts=d.contacts,
        agency=d.agency,
        splits=splits,
        history=history,
        party_size=len(passengers),
        message_id=d.message_id(stage),
    )


def _file(
    sink: RecordSink,
    d: Draft,
    pnr: Pnr,
    who: list[tuple[int, tuple[str, ...]]],
    journeys: bool,
) -> None:
    for p, (person, items) in zip(pnr.passengers, who, strict=True):
        sink.appearances.append((person, pnr.pnr_id, p.pax_ref))
        if items:
            sink.sensitive[(pnr.pnr_id, pnr.version, p.pax_ref)] = items
        if journeys:
            sink.journeys.append(Journey(pnr.pnr_id, p.pax_ref, person, d.ti))
    if d.remarks:
        sink.sensitive[(pnr.pnr_id, pnr.version, "")] = d.remarks


def emit_versions(d: Draft, sink: RecordSink, split_locator: str) -> None:
    """Store the versions of ``d``; ``split_locator`` names the PNR a split creates."""
    version = 0
    if d.state in (0, 2):
        version = 1
        history = tuple(sorted(d.hist_early, key=lambda h: h.occurred_at))
        early = _pnr(d, d.locator, 1, PushStage.EARLY, d.pax_early, history)
        sink.early[d.ti].append(early)
        _file(sink, d, early, d.who_early, journeys=False)
    if d.state == 2:
        return
    version += 1
    splits: tuple[SplitInfo, ...] = ()
    when = minute(d.early_at, 3.0)
    if d.split_pax:
        splits = (
            SplitInfo(
                related_locator=split_locator,
                kind=SplitKind.DIVIDED_INTO,
                passenger_count=len(d.split_pax),
            ),
        )
        d.hist_final.append(
            HistoryEntry(
                occurred_at=when,
                action=HistoryAction.ADDED,
                heading=H.SPLIT_DIVIDED,
                item=f"SPLIT {split_locator}",
            )
        )
    history = tuple(sorted(d.hist_early, key=lambda h: h.occurred_at)) + tuple(
        sorted(d.hist_final, key=lambda h: h.occurred_at)
    )
    final = _pnr(d, d.locator, version, PushStage.CLOSURE, d.pax_final, history, splits)
    sink.closure[d.ti].append(final)
    _file(sink, d, final, d.who_final, journeys=True)
    if not d.split_pax:
        return
    moved = [replace(p, pax_ref=str(n), infant_of=None) for n, p in enumerate(d.split_pax, start=1)]
    other = _pnr(
        d,
        split_locator,
        1,
        PushStage.CLOSURE,
        moved,
        (
            HistoryEntry(
                occurred_at=when,
                action=HistoryAction.ADDED,
                heading=H.SPLIT_DIVIDED,
                item=f"SPLIT FROM {d.locator}",
            ),
        ),
        (
            SplitInfo(
                related_locator=d.locator,
                kind=SplitKind.SPLIT_FROM,
                passenger_count=len(moved),
            ),
        ),
    )
    sink.closure[d.ti].append(other)
    _file(sink, d, other, d.who_split, journeys=True)

"""Every PNR version is valid, and the closure push shows what happened since the early one."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from piu_lab.model import (
    HistoryAction,
    LocationKind,
    PassengerType,
    PaymentForm,
    Pnr,
    PushStage,
    Sector,
    SplitKind,
    TravelStatus,
    check_pnr,
    pnr_problems,
)
from piu_lab.synth import SynthTraffic


def versions(traffic: SynthTraffic) -> dict[str, list[Pnr]]:
    out: dict[str, list[Pnr]] = defaultdict(list)
    for pnr in traffic.pnrs:
        out[pnr.pnr_id].append(pnr)
    return out


def test_every_pnr_is_valid(small: SynthTraffic, week: SynthTraffic) -> None:
    for traffic in (small, week):
        problems = {p.pnr_id: pnr_problems(p) for p in traffic.pnrs if pnr_problems(p)}
        assert problems == {}
        assert check_pnr(traffic.pnrs[0]) is traffic.pnrs[0]


def test_two_pushes_per_transport(small: SynthTraffic) -> None:
    stages: dict[str, list[PushStage]] = defaultdict(list)
    for push in small.pushes:
        stages[push.transport.key].append(push.stage)
        carried = small.pnrs[push.first : push.first + push.count]
        assert all(p.push_stage is push.stage for p in carried)
        assert all(p.message_id == push.message_id for p in carried)
        assert all(p.received_at == push.received_at for p in carried)
        t = push.transport
        if push.stage is PushStage.EARLY:
            shift = timedelta(minutes=t.early_shift_min)
            assert push.received_at == t.departure_utc - shift - timedelta(hours=48)
        else:
            assert push.received_at > t.departure_utc
    assert all(v == [PushStage.EARLY, PushStage.CLOSURE] for v in stages.values())
    assert len(stages) == len(small.transports)
    received = [p.received_at for p in small.pnrs]
    assert received == sorted(received)


def test_versions_number_the_pushes(week: SynthTraffic) -> None:
    kinds: Counter[tuple[tuple[int, PushStage], ...]] = Counter()
    for pnr_versions in versions(week).values():
        kinds[tuple((p.version, p.push_stage) for p in pnr_versions)] += 1
    both = ((1, PushStage.EARLY), (2, PushStage.CLOSURE))
    assert set(kinds) == {both, ((1, PushStage.CLOSURE),), ((1, PushStage.EARLY),)}
    total = sum(kinds.values())
    assert kinds[both] / total > 0.85  # booked ahead and flown
    assert kinds[((1, PushStage.CLOSURE),)] > 0  # booked within 48 h, or split off
    assert kinds[((1, PushStage.EARLY),)] > 0  # cancelled before closure


def test_closure_differs_from_early(week: SynthTraffic) -> None:
    changed = Counter[str]()
    pairs = [v for v in versions(week).values() if len(v) == 2]
    for early, final in pairs:
        assert early.record_locator == final.record_locator
        assert early.created_at == final.created_at
        assert len(final.history) > len(early.history)
        assert final.history[: len(early.history)] == early.history
        e = {p.pax_ref: p for p in early.passengers}
        f = {p.pax_ref: p for p in final.passengers}
        if set(e) - set(f):
            changed["cancelled traveller"] += 1
        if set(f) - set(e):
            changed["added traveller"] += 1
        for ref in set(e) & set(f):
            if e[ref].seats != f[ref].seats:
                changed["seat"] += 1
            if e[ref].bags != f[ref].bags:
                changed["bags"] += 1
            if e[ref].travel_status != f[ref].travel_status:
                changed["status"] += 1
            if len(f[ref].documents) > len(e[ref].documents):
                changed["documents"] += 1
        if early.segments != final.segments:
            changed["retimed"] += 1
        if final.splits:
            changed["split"] += 1
    assert changed["status"] / len(pairs) > 0.9
    assert changed["seat"] / len(pairs) > 0.5
    for kind in ("bags", "documents", "cancelled traveller", "added traveller", "split"):
        assert changed[kind] > 0, kind


def test_travel_status_at_closure(week: SynthTraffic) -> None:
    statuses = Counter(
        p.travel_status
        for pnr in week.pnrs
        if pnr.push_stage is PushStage.CLOSURE
        for p in pnr.passengers
    )
    total = sum(statuses.values())
    assert statuses[TravelStatus.BOARDED] / total > 0.9
    assert 0.005 < statuses[TravelStatus.NO_SHOW] / total < 0.06
    assert statuses[TravelStatus.CONFIRMED] == 0
    early = Counter(
        p.travel_status
        for pnr in week.pnrs
        if pnr.push_stage is PushStage.EARLY
        for p in pnr.passengers
    )
    assert set(early) <= {TravelStatus.CONFIRMED, TravelStatus.CHECKED_IN}


def test_split_pnrs_point_at_each_other(week: SynthTraffic) -> None:
    latest = {p.pnr_id: p for p in week.pnrs}
    splits = [p for p in latest.values() if p.splits]
    assert splits
    for pnr in splits:
        info = pnr.splits[0]
        other = latest[f"{pnr.carrier}:{info.related_locator}"]
        back = other.splits[0]
        assert back.related_locator == pnr.record_locator
        assert {info.kind, back.kind} == {SplitKind.SPLIT_FROM, SplitKind.DIVIDED_INTO}


def test_booking_features(week: SynthTraffic) -> None:
    closure = [p for p in week.pnrs if p.push_stage is PushStage.CLOSURE]
    travellers = [t for p in closure for t in p.passengers]
    infants = [t for t in travellers if t.passenger_type is PassengerType.INFANT]
    assert infants
    assert all(i.infant_of for i in infants)
    assert any(t.passenger_type is PassengerType.CHILD for t in travellers)
    assert any(s.operating_carrier for p in closure for s in p.segments)  # code shares
    assert any(p.agency is not None for p in closure)
    forms = Counter(pay.form for p in closure for pay in p.payments)
    assert forms[PaymentForm.CARD] / sum(forms.values()) > 0.8
    masked = [pay.card_masked for p in closure for pay in p.payments if pay.card_masked]
    assert all(m[:12] == "X" * 12 and m[12:].isdigit() and len(m) == 16 for m in masked)
    one_way = Counter(t.one_way for x in travellers for t in x.tickets)
    assert 0.1 < one_way[True] / sum(one_way.values()) < 0.6
    bags = [b for x in travellers for b in x.bags]
    assert bags
    assert all(len(b.tag_numbers) == b.count for b in bags)
    assert any(x.frequent_flyers for x in travellers)
    assert sum(1 for p in closure if p.party_size >= 10) >= 0  # groups are rare
    titles = Counter(x.title for x in travellers)
    assert {"MR", "MRS", "MS"} <= set(titles)
    assert all(x.surname == x.surname.upper() and x.surname.isascii() for x in travellers)


def test_sectors_and_location_kinds(small: SynthTraffic) -> None:
    kinds = {
        Sector.AIR: {LocationKind.AIRPORT},
        Sector.HST: {LocationKind.STATION},
        Sector.BUS: {LocationKind.BUS_STOP},
        Sector.SEA: {LocationKind.PORT},
    }
    for pnr in small.pnrs:
        for seg in pnr.segments:
            assert {seg.origin_kind, seg.destination_kind} <= kinds[seg.sector]
    for t in small.transports:
        assert "BE" in (t.origin.country, t.destination.country)
        assert t.arrival_utc > t.departure_utc


def test_history_names_what_changed(week: SynthTraffic) -> None:
    actions = Counter(
        (h.action, h.heading.name) for p in week.pnrs if p.version == 2 for h in p.history
    )
    assert actions[(HistoryAction.ADDED, "SEAT")] > 0
    assert actions[(HistoryAction.CHANGED, "TRAVEL_STATUS")] > 0
    assert actions[(HistoryAction.ADDED, "BAGGAGE")] > 0
    assert actions[(HistoryAction.CANCELLED, "NAMES")] > 0
    assert actions[(HistoryAction.ADDED, "TICKETING")] > 0


def test_unaccompanied_minors_only_carry_umnr_items(week: SynthTraffic) -> None:
    minors = [p for pnr in week.pnrs for p in pnr.passengers if p.minor is not None]
    for p in minors:
        assert p.passenger_type in (PassengerType.CHILD, PassengerType.ADULT)
        assert 5 <= p.minor.age <= 15  # type: ignore[union-attr]
        assert p.title in ("MSTR", "MISS")

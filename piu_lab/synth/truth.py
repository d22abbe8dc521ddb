"""Ground truth written beside the traffic: what an engine should find.

* ``watchlist_hits``: planted watchlisted travellers (pnr_id, pax_ref, entry_id, list_id,
  variant_kind, person_id);
* ``networks``: travellers of different PNRs sharing a phone, e-mail, card or agency
  (network_id, pnr_id, pax_ref, shared identifier kind);
* ``criteria``: every journey that fits one of :data:`CRITERIA` in its closure version
  (criterion_name, pnr_id, pax_ref, planted), evaluated on the records themselves;
* ``persons``: the synthetic person behind each PNR traveller (person_id, pnr_id, pax_ref).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from piu_lab.model import PaymentForm, Pnr, PushStage, Sector, Segment, TravelStatus
from piu_lab.synth.context import Context
from piu_lab.synth.plant import Planted
from piu_lab.synth.records import RecordSink
from piu_lab.synth.schedule import Transport
from piu_lab.synth.traffic import Push

__all__ = ["CRITERIA", "build_truth", "is_third_party"]


def _outside(ctx: Context, seg: Segment) -> bool:
    ref = ctx.ref
    inside = ref.country(seg.origin_country).schengen
    return not (inside and ref.country(seg.destination_country).schengen)


def is_third_party(pnr: Pnr) -> bool:
    """The card holder is none of the travellers (names compared word by word)."""
    holder = set(pnr.payments[0].card_holder.split()) if pnr.payments else set()
    if not holder:
        return False
    for p in pnr.passengers:
        words = set(f"{p.surname} {p.given_names}".split())
        if words <= holder or holder <= words:
            return False
    return True


def _one_way(pnr: Pnr) -> bool:
    return any(t.one_way for p in pnr.passengers for t in p.tickets)


def _c1(ctx: Context, pnr: Pnr, seg: Segment) -> bool:
    late = (seg.departure_utc - pnr.created_at).total_seconds() < 48 * 3600
    cash = any(pay.form is PaymentForm.CASH for pay in pnr.payments)
    return late and cash and _one_way(pnr) and _outside(ctx, seg)


def _c2(ctx: Context, pnr: Pnr, seg: Segment) -> bool:
    if _one_way(pnr) or not _outside(ctx, seg) or not is_third_party(pnr):
        return False
    if (seg.departure_utc - pnr.created_at).total_seconds() > 7 * 86400:
        return False
    first, last = pnr.segments[0], pnr.segments[-1]
    return (last.arrival_utc - first.departure_utc).total_seconds() <= 4 * 86400


def _c3(ctx: Context, pnr: Pnr, seg: Segment) -> bool:
    if seg.sector is not Sector.AIR or not _one_way(pnr):
        return False
    if (seg.arrival_utc - seg.departure_utc).total_seconds() < 360 * 60:
        return False
    if (seg.departure_utc - pnr.created_at).total_seconds() > 72 * 3600:
        return False
    return not any(b.count for p in pnr.passengers for b in p.bags)


#: name -> (description, test on a closure version and its anchored segment)
CRITERIA: dict[str, tuple[str, Callable[[Context, Pnr, Segment], bool]]] = {
    "ONE_WAY_CASH_LATE_BOOKING": (
        "one-way ticket paid cash, booked less than 48 h before departure, extra-Schengen route",
        _c1,
    ),
    "THIRD_PARTY_CARD_SHORT_STAY": (
        "return trip of at most 4 days booked within a week, paid with the card of someone "
        "not travelling, extra-Schengen route",
        _c2,
    ),
    "LONG_HAUL_ONE_WAY_NO_BAG": (
        "one-way long-haul flight (6 h or more) booked less than 72 h before, no checked bag",
        _c3,
    ),
}


def _anchor(pnr: Pnr, t: Transport) -> Segment:
    for seg in pnr.segments:
        number = seg.operating_number or seg.transport_number
        if number == t.number and seg.origin == t.origin.code:
            return seg
    return pnr.segments[0]


def build_truth(
    ctx: Context,
    transports: list[Transport],
    sink: RecordSink,
    pushes: tuple[Push, ...],
    pnrs: tuple[Pnr, ...],
    hits: pd.DataFrame,
    planted: Planted,
) -> dict[str, pd.DataFrame]:
    planted_criteria = set(planted.criteria)
    rows: list[tuple[str, str, str, bool]] = []
    for push in pushes:
        if push.stage is not PushStage.CLOSURE:
            continue
        for pnr in pnrs[push.first : push.first + push.count]:
            seg = _anchor(pnr, push.transport)
            for name, (_, test) in CRITERIA.items():
                if test(ctx, pnr, seg):
                    flag = (name, pnr.pnr_id) in planted_criteria
                    rows.extend(
                        (name, pnr.pnr_id, p.pax_ref, flag)
                        for p in pnr.passengers
                        if p.travel_status is not TravelStatus.CANCELLED
                    )
    criteria = pd.DataFrame(rows, columns=["criterion_name", "pnr_id", "pax_ref", "planted"])
    networks = pd.DataFrame(
        planted.networks, columns=["network_id", "pnr_id", "pax_ref", "shared_kind"]
    )
    seen: set[tuple[str, str]] = set()
    persons: list[tuple[str, str, str]] = []
    for pid, pnr_id, ref in sink.appearances:
        if (pnr_id, ref) not in seen:
            seen.add((pnr_id, ref))
            persons.append((ctx.people.person_id(pid), pnr_id, ref))
    return {
        "watchlist_hits": hits,
        "networks": networks,
        "criteria": criteria,
        "persons": pd.DataFrame(persons, columns=["person_id", "pnr_id", "pax_ref"]),
    }

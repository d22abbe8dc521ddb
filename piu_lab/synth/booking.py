"""The bookings of one day, drawn as arrays: parties, lead times, tickets, payment, seats, bags.

One PNR is anchored on one transport of the day (its other legs, a connection beyond the hub
or the other half of a return ticket, are itinerary segments outside Belgium or on other days).
Its ``state`` says which pushes carry it: 0 both, 1 only the closure push (booked within 48 h),
2 only the early push (cancelled before closure). Every random draw is a numpy array; the
records are built from these arrays in :mod:`piu_lab.synth.records`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from piu_lab.model import PaymentForm, Sector
from piu_lab.synth.context import Context
from piu_lab.synth.parties import Parties, assign_parties
from piu_lab.synth.reference import distance_km
from piu_lab.synth.schedule import Transport

__all__ = ["FORMS", "DayPlan", "Status", "plan_day"]

FORMS = (
    PaymentForm.CARD,
    PaymentForm.CASH,
    PaymentForm.INVOICE,
    PaymentForm.MISCELLANEOUS,
    PaymentForm.GOVERNMENT,
    PaymentForm.CHEQUE,
)
_FORM_P = {
    "fsc": (0.86, 0.015, 0.07, 0.045, 0.008, 0.002),
    "lcc": (0.97, 0.003, 0.0, 0.027, 0.0, 0.0),
    "leisure": (0.90, 0.02, 0.0, 0.08, 0.0, 0.0),
    "hst": (0.93, 0.02, 0.03, 0.02, 0.0, 0.0),
    "bus": (0.85, 0.12, 0.0, 0.03, 0.0, 0.0),
    "sea": (0.92, 0.03, 0.02, 0.03, 0.0, 0.0),
}
# size of a party: 1..9 travellers
_SIZE_P = {
    "fsc": (0.60, 0.24, 0.06, 0.06, 0.02, 0.01, 0.005, 0.003, 0.002),
    "lcc": (0.48, 0.32, 0.08, 0.08, 0.02, 0.01, 0.005, 0.003, 0.002),
    "leisure": (0.22, 0.46, 0.11, 0.14, 0.04, 0.02, 0.005, 0.003, 0.002),
}
#      kind: (late share, median lead days, sigma, agency share, one-way share, fare per km,
#             no-show rate, checked-bag share, family share, repeat share)
_KIND = {
    "fsc": (0.08, 21.0, 1.2, 0.35, 0.30, 0.11, 0.035, 0.45, 0.35, 0.10),
    "lcc": (0.05, 30.0, 1.0, 0.02, 0.45, 0.06, 0.02, 0.30, 0.45, 0.03),
    "leisure": (0.02, 70.0, 0.7, 0.30, 0.08, 0.09, 0.01, 0.75, 0.75, 0.01),
    "hst": (0.15, 10.0, 1.2, 0.12, 0.50, 0.12, 0.05, 0.0, 0.30, 0.08),
    "bus": (0.15, 7.0, 1.2, 0.02, 0.60, 0.04, 0.06, 0.0, 0.25, 0.02),
    "sea": (0.04, 30.0, 0.9, 0.15, 0.30, 0.15, 0.02, 0.0, 0.50, 0.02),
}
_ECONOMY = np.array(list("YBMHKLQTVS"))
_BUSINESS = np.array(list("JCDZ"))


class Status:
    """Travel status at flight closure (codes of ``DayPlan.status``)."""

    BOARDED, NO_SHOW, CHECKED_IN, GO_SHOW = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class DayPlan:
    day_index: int
    transports: list[Transport]
    # per PNR
    transport: np.ndarray
    size: np.ndarray
    lead_h: np.ndarray
    state: np.ndarray
    one_way: np.ndarray
    onward: list[str]  # airport beyond the hub ("" for a direct journey)
    stay_days: np.ndarray
    form: np.ndarray  # index into FORMS
    third_party: np.ndarray
    agency: np.ndarray  # index into Context.agencies or -1
    partner: list[str]  # marketing carrier of a code-share booking, or ""
    locator: list[str]
    fare: np.ndarray  # per traveller, EUR
    booking_class: list[str]
    change: np.ndarray  # 0 none, 1 a traveller cancelled, 2 a traveller added, 3 split
    first: np.ndarray  # first traveller row
    count: np.ndarray  # traveller rows
    umnr: np.ndarray
    # per traveller
    parties: Parties
    status: np.ndarray
    checked_in_early: np.ndarray
    seat_early: list[str]
    seat_final: list[str]
    bags_early: np.ndarray
    bags: np.ndarray
    bag_weight: np.ndarray
    docs_early: np.ndarray
    docs_final: np.ndarray
    id_card: np.ndarray
    ticket: list[str]
    removed: np.ndarray  # cancelled between the pushes (only in the early version)
    split: np.ndarray  # moved to a new PNR at closure
    name_variant: np.ndarray  # 0 as on the passport, 1 middle name dropped, 2 order swapped


def _party_sizes(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    p = np.array(_SIZE_P.get(kind, _SIZE_P["fsc"]))
    sizes = rng.choice(np.arange(1, 10), size=n + 8, p=p / p.sum())
    groups = rng.random(len(sizes)) < 0.003
    sizes[groups] = rng.integers(10, 31, int(groups.sum()))
    total = np.cumsum(sizes)
    cut = int(np.searchsorted(total, n)) + 1
    sizes = sizes[:cut].copy()
    sizes[-1] -= int(total[cut - 1]) - n
    return np.asarray(sizes[sizes > 0], dtype=np.int64)


def _seat_labels(t: Transport) -> list[str]:
    if t.sector is Sector.HST:
        return [f"{c:02d}-{s:03d}" for c in range(1, t.seats // 60 + 2) for s in range(1, 61)]
    if t.sector is Sector.BUS:
        return [str(s) for s in range(1, t.seats + 1)]
    if t.sector is Sector.SEA:
        return [f"{d}{c:03d}" for d in (7, 8, 9) for c in range(1, t.seats // 3 + 1)]
    wide = t.equipment in ("788", "789", "332", "333", "339", "77W", "763", "359")
    letters = "ABCDEFGHK" if wide else "ACDF" if t.seats <= 120 else "ABCDEF"
    rows = -(-t.seats // len(letters))
    return [f"{r}{c}" for r in range(1, rows + 1) for c in letters]


def _bookings(
    ctx: Context, rng: np.random.Generator, transports: list[Transport]
) -> dict[str, Any]:
    """Per-PNR arrays: party, lead time, push state, ticket, payment, agency, code share."""
    sizes, owner, extra = [], [], []
    for ti, t in enumerate(transports):
        kept = _party_sizes(rng, t.kind, t.passengers)
        cancelled = _party_sizes(rng, t.kind, max(1, round(t.passengers * 0.04)))
        sizes += [kept, cancelled]
        owner += [np.full(len(kept) + len(cancelled), ti)]
        extra += [np.zeros(len(kept), dtype=bool), np.ones(len(cancelled), dtype=bool)]
    size = np.concatenate(sizes)
    transport = np.concatenate(owner)
    cancelled = np.concatenate(extra)
    n = len(size)
    kinds = [t.kind for t in transports]
    kp = np.array([_KIND[k] for k in kinds])[transport]
    late = rng.random(n) < kp[:, 0]
    lead_h = np.where(
        late,
        rng.uniform(1.5, 47.5, n),
        np.clip(np.exp(rng.normal(np.log(kp[:, 1]), kp[:, 2])) * 24.0, 49.0, 330 * 24.0),
    )
    lead_h[cancelled] = np.maximum(lead_h[cancelled], 60.0)
    state = np.where(cancelled, 2, np.where(lead_h < 48.0, 1, 0))
    agency = np.where(
        rng.random(n) < kp[:, 3],
        rng.choice(len(ctx.agency_p), size=n, p=ctx.agency_p),
        -1,
    )
    form = np.zeros(n, dtype=np.int64)
    kind_of = np.array(kinds)[transport]
    for kind in sorted(set(kinds)):
        mask = kind_of == kind
        form[mask] = rng.choice(len(FORMS), size=int(mask.sum()), p=_FORM_P[kind])
    form[(agency >= 0) & (rng.random(n) < 0.15)] = 2
    u_change = rng.random(n)
    change = np.where(
        state != 0,
        0,
        np.where(
            (size >= 2) & (u_change < 0.012),
            1,
            np.where(u_change > 0.995, 2, np.where((size >= 2) & (u_change < 0.016), 3, 0)),
        ),
    )
    stay = np.where(
        kp[:, 1] > 30,
        rng.integers(5, 16, n),
        np.where(rng.random(n) < 0.4, rng.integers(1, 6, n), rng.integers(6, 40, n)),
    )
    one_way = rng.random(n) < kp[:, 4]
    business = rng.random(n) < np.where(kp[:, 5] >= 0.11, 0.08, 0.0)
    dist = np.array([distance_km(t.origin, t.destination) for t in transports])[transport]
    fare = (25.0 + dist * kp[:, 5]) * np.exp(rng.normal(0.0, 0.35, n))
    fare = np.round(fare * np.where(one_way, 1.0, 1.8) * np.where(business, 3.0, 1.0), 2)
    eco = _ECONOMY[rng.integers(0, len(_ECONOMY), n)]
    biz = _BUSINESS[rng.integers(0, len(_BUSINESS), n)]
    u_onward = rng.random(n)
    u_partner = rng.random(n)
    onward, partner, cls = [], [], []
    for i in range(n):
        t = transports[int(transport[i])]
        onward.append(
            t.beyond[int(u_onward[i] * 1000) % len(t.beyond)]
            if t.beyond and u_onward[i] < 0.22
            else ""
        )
        partner.append(
            t.partners[int(u_partner[i] * 997) % len(t.partners)]
            if t.partners and u_partner[i] < 0.15
            else ""
        )
        cls.append(str(biz[i]) if business[i] else str(eco[i]) if t.kind != "lcc" else "Y")
    return {
        "transport": transport,
        "size": size,
        "lead_h": lead_h,
        "state": state,
        "one_way": one_way,
        "onward": onward,
        "stay_days": stay,
        "form": form,
        "third_party": rng.random(n) < 0.03,
        "agency": agency,
        "partner": partner,
        "fare": fare,
        "booking_class": cls,
        "change": change,
        "umnr": (size == 1) & (rng.random(n) < 0.0012) & ~cancelled,
        "family": (size >= 2) & (rng.random(n) < kp[:, 8]),
        "kp": kp,
    }


def _seats(
    rng: np.random.Generator,
    transports: list[Transport],
    rows_of: np.ndarray,
    bounds: np.ndarray,
    infant: np.ndarray,
    active: np.ndarray,
    boarded: np.ndarray,
    pushed_early: np.ndarray,
) -> tuple[list[str], list[str]]:
    """Seats at the early push (chosen at booking, a third of travellers) and at closure
    (everyone who checked in; 15 % of early choices changed at check-in)."""
    x = len(infant)
    seat_early = [""] * x
    seat_final = [""] * x
    wants_early = ((rng.random(x) < 0.35) & ~infant & pushed_early).tolist()
    changes_seat = (rng.random(x) < 0.15).tolist()
    infant_l, active_l, boarded_l = infant.tolist(), active.tolist(), boarded.tolist()
    for ti, t in enumerate(transports):
        rows = rows_of[bounds[ti] : bounds[ti + 1]].tolist()
        labels = _seat_labels(t)
        perm = rng.permutation(len(labels)).tolist()
        spare = len(perm) - len(rows)
        cursor = 0
        for r in rows:
            if infant_l[r] or cursor >= len(perm):
                continue
            label = labels[perm[cursor]]
            cursor += 1
            if active_l[r] and boarded_l[r]:
                seat_final[r] = label
            if wants_early[r]:
                seat_early[r] = label
                if changes_seat[r] and spare > 0:
                    seat_early[r] = labels[perm[len(perm) - 1 - cursor % spare]]
                if active_l[r] and not boarded_l[r]:
                    seat_final[r] = seat_early[r]
    return seat_early, seat_final


def plan_day(ctx: Context, day_index: int, transports: list[Transport]) -> DayPlan:
    """Every booking of the day's ``transports`` and every traveller on them, as arrays."""
    rng = ctx.streams.rng(100, day_index)
    pnr = _bookings(ctx, rng, transports)
    kp = pnr.pop("kp")
    family = pnr.pop("family")
    transport = pnr["transport"]
    home = [
        ctx.ref.place(far).country if far else transports[int(ti)].foreign.country
        for far, ti in zip(pnr["onward"], transport.tolist(), strict=True)
    ]
    parties = assign_parties(
        ctx,
        rng,
        transport,
        pnr["size"],
        family,
        pnr["umnr"],
        pnr["change"] == 2,
        home,
        np.where(kp[:, 8] > 0.7, 0.88, 0.62),
        kp[:, 9],
    )
    n = len(transport)
    locators: list[str] = [""] * n
    carrier_of = np.array([t.carrier for t in transports])[transport]
    for code in sorted({t.carrier for t in transports}):
        idx = np.flatnonzero(carrier_of == code).tolist()
        for i, loc in zip(idx, ctx.new_locators(rng, code, len(idx)), strict=True):
            locators[i] = loc
    count = np.bincount(parties.pnr, minlength=n)
    pnr.update(locator=locators, count=count, first=np.cumsum(count) - count)
    travellers = _travellers(ctx, rng, transports, pnr, parties, kp)
    return DayPlan(day_index=day_index, transports=transports, parties=parties, **pnr, **travellers)


def _travellers(
    ctx: Context,
    rng: np.random.Generator,
    transports: list[Transport],
    pnr: dict[str, Any],
    parties: Parties,
    kp: np.ndarray,
) -> dict[str, Any]:
    """Per-traveller arrays: status at closure, documents, bags, seats, tickets."""
    transport, state, count, size = pnr["transport"], pnr["state"], pnr["count"], pnr["size"]
    change, lead_h = pnr["change"], pnr["lead_h"]
    x = len(parties.pnr)
    xp = parties.pnr
    xk = kp[xp]
    infant = parties.ptype == 2
    # status at closure
    u = rng.random(x)
    status = np.where(u < xk[:, 6], Status.NO_SHOW, Status.BOARDED)
    status[(u > 0.997) & (status == Status.BOARDED)] = Status.CHECKED_IN
    air = np.array([t.sector is Sector.AIR for t in transports])[transport]
    go_show = (lead_h < 3.0) & air & (state == 1)
    status[go_show[xp]] = Status.GO_SHOW
    removed = (change[xp] == 1) & (parties.pos == count[xp] - 1)  # never the lead
    split = (change[xp] == 3) & (parties.pos == size[xp] - 1) & ~infant
    checked_in_early = (rng.random(x) < 0.05) & (state[xp] == 0)
    # documents and bags
    schengen = np.array(
        [
            ctx.ref.country(t.origin.country).schengen
            and ctx.ref.country(t.destination.country).schengen
            for t in transports
        ]
    )[transport]
    docs_early = rng.random(x) < np.where(schengen[xp], 0.25, 0.6)
    docs_final = docs_early | ~schengen[xp] | (rng.random(x) < np.where(air[xp], 0.55, 0.2))
    nationality_eu = np.array(
        [ctx.people.id_card[int(p)] != "" for p in parties.person], dtype=bool
    )
    id_card = schengen[xp] & nationality_eu & (rng.random(x) < 0.65)
    has_bag = (rng.random(x) < xk[:, 7]) & ~infant
    bags = np.where(has_bag, rng.choice([1, 2, 3], size=x, p=[0.8, 0.17, 0.03]), 0)
    bag_weight = np.round(bags * np.clip(rng.normal(18.0, 4.0, x), 5.0, 32.0), 1)
    bags_early = np.where((bags > 0) & (rng.random(x) < 0.45), 1, 0)
    rows_of = np.argsort(transport[xp], kind="stable")
    bounds = np.searchsorted(transport[xp][rows_of], np.arange(len(transports) + 1))
    active = (state[xp] != 2) & ~removed
    boarded = status != Status.NO_SHOW
    seat_early, seat_final = _seats(
        rng, transports, rows_of, bounds, infant, active, boarded, state[xp] != 1
    )
    tickets = [""] * x
    for ti, t in enumerate(transports):
        rows = rows_of[bounds[ti] : bounds[ti + 1]]
        for r, number in zip(rows, ctx.ticket_numbers(t.numeric, len(rows)), strict=True):
            tickets[int(r)] = number
    variant = np.zeros(x, dtype=np.int64)
    has_middle = np.array([ctx.people.middle[int(p)] != "" for p in parties.person], dtype=bool)
    eastern = np.array(
        [ctx.pools.cultures[ctx.people.culture[int(p)]].eastern for p in parties.person],
        dtype=bool,
    )
    uv = rng.random(x)
    variant[has_middle & (uv < 0.03)] = 1
    variant[eastern & (uv > 0.94)] = 2
    return {
        "status": status,
        "checked_in_early": checked_in_early,
        "seat_early": seat_early,
        "seat_final": seat_final,
        "bags_early": bags_early,
        "bags": bags,
        "bag_weight": bag_weight,
        "docs_early": docs_early,
        "docs_final": docs_final,
        "id_card": id_card,
        "ticket": tickets,
        "removed": removed,
        "split": split,
        "name_variant": variant,
    }

"""What is planted in the traffic for the matching, network and criteria engines to find.

* Watchlisted travellers: persons chosen among the day's travellers (and a few frequent
  travellers, so some hits repeat over PNRs); their entries are written in
  :mod:`piu_lab.synth.watchlists` under a spelling or date-of-birth variant.
* Networks: distinct travellers on different transports sharing a phone, an e-mail, a card
  or a small travel agency.
* Criteria: journeys changed to fit a criterion of :mod:`piu_lab.synth.truth` (the truth frame
  lists every journey that fits, planted or not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from piu_lab.model import TravelAgency
from piu_lab.synth.booking import DayPlan
from piu_lab.synth.context import Context

__all__ = ["NETWORK_KINDS", "Planted", "plant_day"]

NETWORK_KINDS = ("phone", "email", "card", "agency")


@dataclass
class Planted:
    persons: set[int] = field(default_factory=set)
    order: list[int] = field(default_factory=list)
    networks: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, pnr, ref, kind
    criteria: list[tuple[str, str]] = field(default_factory=list)  # criterion, pnr_id

    def add(self, pid: int) -> None:
        if pid not in self.persons:
            self.persons.add(pid)
            self.order.append(pid)

    def preselect(self, ctx: Context, total: int) -> None:
        """Some frequent travellers are watchlisted too (their hits repeat over PNRs)."""
        rng = ctx.streams.rng(400)
        k = min(len(ctx.frequent), max(1, total // 8))
        w = 1.0 / (np.arange(len(ctx.frequent)) + 10.0)
        for idx in rng.choice(len(ctx.frequent), size=k, replace=False, p=w / w.sum()):
            self.add(int(ctx.frequent[int(idx)]))


def _schengen_route(ctx: Context, plan: DayPlan) -> np.ndarray:
    flags = [
        ctx.ref.country(t.origin.country).schengen
        and ctx.ref.country(t.destination.country).schengen
        for t in plan.transports
    ]
    out: np.ndarray = np.array(flags, dtype=bool)[plan.transport]
    return out


def _make_late(plan: DayPlan, i: int, hours: float) -> None:
    """Turn PNR ``i`` into a booking made ``hours`` before departure (closure push only)."""
    plan.lead_h[i] = hours
    plan.state[i] = 1
    plan.change[i] = 0
    rows = slice(int(plan.first[i]), int(plan.first[i] + plan.count[i]))
    plan.removed[rows] = False
    plan.split[rows] = False


def plant_day(ctx: Context, plan: DayPlan, planted: Planted) -> dict[int, dict[str, object]]:
    """Plant the day's watchlisted travellers, networks and criteria journeys.

    Returns, per PNR index, the shared identifiers the record builder must use.
    """
    rng = ctx.streams.rng(500, plan.day_index)
    params = ctx.config.params
    parties = plan.parties
    xp = parties.pnr
    live = (plan.state[xp] != 2) & ~plan.removed & ~plan.split & (parties.ptype == 0)
    live &= ~parties.frequent & ~plan.umnr[xp]
    candidates = np.flatnonzero(live)
    k = min(len(candidates), params.planted_hits_per_day)
    for r in rng.choice(candidates, size=k, replace=False):
        planted.add(int(parties.person[int(r)]))
    overrides: dict[int, dict[str, object]] = {}
    usable = np.flatnonzero((plan.state != 2) & ~plan.umnr)
    taken: set[int] = set()
    for n in range(params.networks_per_day):
        kind = NETWORK_KINDS[(plan.day_index * params.networks_per_day + n) % len(NETWORK_KINDS)]
        size = int(rng.integers(3, 6))
        picks: list[int] = []
        seen_t: set[int] = set()
        for i in rng.permutation(usable)[: size * 20]:
            ti = int(plan.transport[int(i)])
            if ti in seen_t or int(i) in taken:
                continue
            picks.append(int(i))
            seen_t.add(ti)
            if len(picks) == size:
                break
        if len(picks) < 2:
            continue
        net_id = f"N{plan.day_index:03d}{n:03d}"
        value = _shared_value(ctx, rng, kind, net_id)
        for i in picks:
            taken.add(i)
            overrides[i] = {kind: value}
            carrier = plan.transports[int(plan.transport[i])].carrier
            planted.networks.append((net_id, f"{carrier}:{plan.locator[i]}", "1", kind))
    outside = ~_schengen_route(ctx, plan)
    per = max(1, params.criteria_per_day // 3)
    # C1: one-way, cash, booked less than 48 h before departure, extra-Schengen route
    pool = [int(i) for i in rng.permutation(np.flatnonzero(outside & (plan.state != 2)))]
    pool = [i for i in pool if i not in taken][: per * 2]
    for i in pool[:per]:
        _make_late(plan, i, float(rng.uniform(3.0, 40.0)))
        plan.one_way[i] = True
        plan.form[i] = 1
        plan.agency[i] = -1
        taken.add(i)
        planted.criteria.append(("ONE_WAY_CASH_LATE_BOOKING", _pnr_id(plan, i)))
    # C2: card of someone not travelling, return after a short stay, extra-Schengen route
    for i in [i for i in pool[per:] if i not in taken][:per]:
        plan.third_party[i] = True
        plan.one_way[i] = False
        plan.stay_days[i] = int(rng.integers(1, 3))
        plan.form[i] = 0
        if plan.lead_h[i] > 6 * 24:
            plan.lead_h[i] = float(rng.uniform(50.0, 140.0))
        taken.add(i)
        planted.criteria.append(("THIRD_PARTY_CARD_SHORT_STAY", _pnr_id(plan, i)))
    # C3: long haul, one-way, booked within a week, nobody checks a bag
    long_haul = np.array([t.duration_min >= 360 for t in plan.transports], dtype=bool)
    pool3 = np.flatnonzero(long_haul[plan.transport] & (plan.state != 2))
    for i in [int(i) for i in rng.permutation(pool3) if int(i) not in taken][:per]:
        plan.one_way[i] = True
        if plan.lead_h[i] > 70.0:
            hours = float(rng.uniform(5.0, 70.0))
            if hours < 48.0:
                _make_late(plan, i, hours)
            else:
                plan.lead_h[i] = hours
        rows = slice(int(plan.first[i]), int(plan.first[i] + plan.count[i]))
        plan.bags[rows] = 0
        plan.bags_early[rows] = 0
        plan.bag_weight[rows] = 0.0
        taken.add(i)
        planted.criteria.append(("LONG_HAUL_ONE_WAY_NO_BAG", _pnr_id(plan, i)))
    return overrides


def _pnr_id(plan: DayPlan, i: int) -> str:
    return f"{plan.transports[int(plan.transport[i])].carrier}:{plan.locator[i]}"


def _shared_value(ctx: Context, rng: np.random.Generator, kind: str, net_id: str) -> object:
    digits = "".join(str(int(d)) for d in rng.integers(0, 10, 9))
    if kind == "phone":
        return f"+324{7 + int(digits[0]) % 3}{digits[1:8]}"
    if kind == "email":
        words = ("nightowl", "bluefalcon", "sunrise", "atlas", "karavan", "delta")
        return f"{words[int(digits[0]) % len(words)]}{digits[1:4]}@protonmail.com"
    if kind == "card":
        holder = int(digits[:6]) % max(1, len(ctx.people))
        name = f"{ctx.people.given(holder)} {ctx.people.surname[holder]}"
        return ("VI" if int(digits[0]) % 2 else "CA", digits[1:5], name)
    number = int(digits[:7]) + 1_000_000
    agency = TravelAgency(
        iata_number=f"{number}{number % 7}",
        name=f"EXPRESS SERVICES {net_id[-3:]}",
        city="BRU",
        country="BE",
        agent_id=f"{digits[7:]}XX",
    )
    ctx.agencies = (*ctx.agencies, agency)
    return len(ctx.agencies) - 1

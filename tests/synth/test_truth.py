"""The planted ground truth is consistent with the traffic it describes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache

import pandas as pd
import pytest

from piu_lab.model import ContactKind, PaymentForm, Pnr, PushStage
from piu_lab.synth import SynthTraffic
from piu_lab.synth.names import female_surname, load_names
from piu_lab.synth.truth import CRITERIA, is_third_party
from piu_lab.synth.watchlists import VARIANT_KINDS
from tests.synth.helpers import levenshtein, passengers_by_ref


@lru_cache(maxsize=1)
def groups() -> dict[str, set[int]]:
    """Every spelling (with feminine surname forms) -> the variant groups it belongs to."""
    pools = load_names()
    out: dict[str, set[int]] = defaultdict(set)
    for gid, group in enumerate(pools.surname_groups):
        for name in group:
            for rule in ("", "polish", "russian"):
                out[female_surname(name, rule)].add(gid)
    for gid, group in enumerate(pools.given_groups):
        for name in group:
            out[name].add(100_000 + gid)
    return out


def same_group(a: str, b: str) -> bool:
    return bool(groups().get(a, set()) & groups().get(b, set()))


def _is_variant(kind: str, entry: pd.Series, surname: str, given: str, dob: date | None) -> bool:
    e_sur, e_giv, e_dob = entry["surname"], entry["given_names"], entry["date_of_birth"]
    names_equal = e_sur == surname and e_giv == given
    if kind == "exact":
        return names_equal and (dob is None or e_dob == dob.isoformat())
    if kind == "transliteration":
        if names_equal:
            return False
        if e_sur != surname:
            return same_group(e_sur, surname) and e_giv == given
        ew, gw = e_giv.split(), given.split()
        while ew and gw and ew[-1] == gw[-1]:  # the same middle name
            ew, gw = ew[:-1], gw[:-1]
        return same_group(" ".join(ew), " ".join(gw))
    if kind == "typo":
        distance = levenshtein(e_sur, surname) + levenshtein(e_giv, given)
        return 1 <= distance <= 2
    if kind == "swapped_order":
        return (given == e_sur or given.startswith(e_sur + " ")) and e_giv == surname
    if kind == "missing_middle_name":
        a, b = set(e_giv.split()), set(given.split())
        return e_sur == surname and (a < b or b < a)
    if kind == "dob_year_only":
        return names_equal and (dob is None or e_dob == f"{dob.year:04d}")
    if kind == "dob_day_month_swapped":
        ok = dob is None or (e_dob == f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}")
        return names_equal and ok and (dob is None or dob.day != dob.month)
    if kind == "alias":
        return f"{surname}/{given}" in entry["aliases"] and not names_equal
    raise AssertionError(kind)


@pytest.mark.parametrize("fixture", ["small", "week"])
def test_planted_travellers_are_real_variants(fixture: str, request: pytest.FixtureRequest) -> None:
    traffic: SynthTraffic = request.getfixturevalue(fixture)
    hits = traffic.truth["watchlist_hits"]
    assert len(hits) >= traffic.config.params.planted_hits_per_day * traffic.config.days
    assert set(hits["variant_kind"]) <= set(VARIANT_KINDS)
    if fixture == "week":
        assert set(hits["variant_kind"]) == set(VARIANT_KINDS)
    entries = traffic.watchlists.set_index("entry_id")
    travellers = passengers_by_ref(traffic.pnrs)
    for row in hits.itertuples():
        p = travellers[(row.pnr_id, row.pax_ref)]
        entry = entries.loc[row.entry_id]
        assert entry["list_id"] == row.list_id
        dob = p.documents[0].date_of_birth if p.documents else None
        assert _is_variant(row.variant_kind, entry, p.surname, p.given_names, dob), row


def test_some_watchlisted_people_travel_more_than_once(week: SynthTraffic) -> None:
    hits = week.truth["watchlist_hits"]
    per_person = hits.groupby("person_id")["pnr_id"].nunique()
    assert per_person.max() >= 2
    assert hits.groupby("person_id")["list_id"].nunique().max() >= 2  # multiple hits


def _latest(traffic: SynthTraffic) -> dict[str, Pnr]:
    return {p.pnr_id: p for p in traffic.pnrs}


def _identifier(pnr: Pnr, kind: str) -> str:
    lead = pnr.passengers[0]
    if kind in ("phone", "email"):
        want = ContactKind.PHONE if kind == "phone" else ContactKind.EMAIL
        return next(c.value for c in lead.contacts if c.kind is want)
    if kind == "card":
        pay = pnr.payments[0]
        assert pay.form is PaymentForm.CARD
        return f"{pay.card_type}{pay.card_masked}{pay.card_holder}"
    assert pnr.agency is not None
    return pnr.agency.iata_number


def test_networks_share_an_identifier(week: SynthTraffic) -> None:
    networks = week.truth["networks"]
    persons = week.truth["persons"].set_index(["pnr_id", "pax_ref"])["person_id"]
    latest = _latest(week)
    assert networks["network_id"].nunique() >= 7 * week.config.params.networks_per_day - 2
    assert set(networks["shared_kind"]) == {"phone", "email", "card", "agency"}
    for _, group in networks.groupby("network_id"):
        assert len(group) >= 2
        assert group["pnr_id"].is_unique
        assert group["shared_kind"].nunique() == 1
        kind = group["shared_kind"].iloc[0]
        values = {_identifier(latest[pid], kind) for pid in group["pnr_id"]}
        assert len(values) == 1, (kind, values)
        people = {
            persons[(pid, ref)] for pid, ref in zip(group["pnr_id"], group["pax_ref"], strict=True)
        }
        assert len(people) == len(group)  # different travellers


def test_criteria_rows_fit_their_criterion(small: SynthTraffic, week: SynthTraffic) -> None:
    for traffic in (small, week):
        crit = traffic.truth["criteria"]
        assert set(crit["criterion_name"]) <= set(CRITERIA)
        planted = crit[crit["planted"]]
        assert {"ONE_WAY_CASH_LATE_BOOKING", "THIRD_PARTY_CARD_SHORT_STAY"} <= set(
            planted["criterion_name"]
        )
        latest = _latest(traffic)
        for row in crit.itertuples():
            pnr = latest[row.pnr_id]
            assert pnr.push_stage is PushStage.CLOSURE
            assert row.pax_ref in {p.pax_ref for p in pnr.passengers}
            one_way = all(t.one_way for p in pnr.passengers for t in p.tickets)
            if row.criterion_name == "ONE_WAY_CASH_LATE_BOOKING":
                assert one_way
                assert pnr.payments[0].form is PaymentForm.CASH
                assert any(
                    (s.departure_utc - pnr.created_at).total_seconds() < 48 * 3600
                    for s in pnr.segments
                )
            elif row.criterion_name == "THIRD_PARTY_CARD_SHORT_STAY":
                assert not one_way
                assert is_third_party(pnr)
            else:
                assert one_way
                assert not any(b.count for p in pnr.passengers for b in p.bags)


def test_persons_link_every_traveller(week: SynthTraffic) -> None:
    persons = week.truth["persons"]
    assert not persons.duplicated(["pnr_id", "pax_ref"]).any()
    keys = set(zip(persons["pnr_id"], persons["pax_ref"], strict=True))
    assert keys == {(pnr.pnr_id, p.pax_ref) for pnr in week.pnrs for p in pnr.passengers}
    assert persons.groupby("person_id")["pnr_id"].nunique().max() >= 3  # repeat travellers
    travellers = passengers_by_ref(week.pnrs)
    seen: dict[str, tuple[date | None, str]] = {}
    for row in persons.itertuples():
        p = travellers[(row.pnr_id, row.pax_ref)]
        if p.documents:
            facts = (p.documents[0].date_of_birth, p.documents[0].nationality)
            assert seen.setdefault(row.person_id, facts) == facts

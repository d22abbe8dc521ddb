"""Who travels on each booking: leads, families, companions, infants, unaccompanied minors.

Leads and companions live in Belgium or at the far end of the journey; their name culture
follows their country of residence (``countries.csv``). Families share a surname and a
nationality; a few travellers come from a pool of frequent travellers and so appear on
several PNRs, on several carriers and days (never twice on the same transport).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from piu_lab.synth.context import Context
from piu_lab.synth.people import PersonBatch

__all__ = ["Parties", "assign_parties", "make_frequent_pool"]


@dataclass(frozen=True, slots=True)
class Parties:
    """One row per traveller of the day, grouped by PNR (rows of a PNR are contiguous)."""

    pnr: np.ndarray  # PNR index
    pos: np.ndarray  # 0 = lead; pax_ref is pos + 1
    person: np.ndarray  # person id
    ptype: np.ndarray  # 0 adult, 1 child, 2 infant
    infant_of: np.ndarray  # pos of the adult an infant sits with, or -1
    added: np.ndarray  # bool: joined the booking after the early push
    frequent: np.ndarray  # bool: drawn from the frequent travellers' pool


def _mix(ctx: Context, code: str) -> np.ndarray:
    """Culture weights of the residents of a country (one weight per culture)."""
    out: np.ndarray = np.zeros(len(ctx.pools.cultures))
    for key, w in ctx.ref.country(code).mix:
        out[ctx.pools.by_key[key]] += w
    out /= out.sum()
    return out


def _cultures(
    ctx: Context, countries: list[str], rng: np.random.Generator, far: list[str] | None = None
) -> np.ndarray:
    """A name culture per person from their country of residence; Belgian residents travelling
    to or from ``far`` are partly of its diaspora (30 % of the mix)."""
    far = far if far is not None else countries
    out = np.zeros(len(countries), dtype=np.int64)
    keys = np.array([f"{c}:{f}" for c, f in zip(countries, far, strict=True)])
    for key in sorted(set(keys.tolist())):
        code, other = key.split(":")
        p = _mix(ctx, code)
        if code == "BE" and other != "BE":
            p = 0.7 * p + 0.3 * _mix(ctx, other)
        mask = keys == key
        out[mask] = rng.choice(len(p), size=int(mask.sum()), p=p)
    return out


def _adult_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(rng.normal(42.0, 14.0, n), 18.0, 88.0)


def make_frequent_pool(ctx: Context, size: int) -> None:
    """Frequent travellers (business and family visits), shared by every day of the run."""
    rng = ctx.streams.rng(2)
    homes = [
        "BE" if u < 0.75 else c
        for u, c in zip(
            rng.random(size),
            rng.choice(["FR", "NL", "DE", "GB", "TR", "MA", "CD", "US"], size),
            strict=True,
        )
    ]
    batch = PersonBatch(
        culture=_cultures(ctx, homes, rng),
        residence=homes,
        city=[""] * size,
        male=rng.random(size) < 0.62,
        age=np.clip(rng.normal(45.0, 10.0, size), 22.0, 75.0),
        family_of=np.full(size, -1, dtype=np.int64),
    )
    ctx.frequent = ctx.people.add(rng, batch)


def assign_parties(
    ctx: Context,
    rng: np.random.Generator,
    p_transport: np.ndarray,
    p_size: np.ndarray,
    p_family: np.ndarray,
    p_umnr: np.ndarray,
    p_added: np.ndarray,
    p_home: list[str],
    p_be_share: np.ndarray,
    p_repeat: np.ndarray,
) -> Parties:
    """Persons for every seat booked; ``p_home`` is the foreign country of each booking."""
    n_pnr = len(p_size)
    sizes = p_size + p_added.astype(np.int64)
    pnr = np.repeat(np.arange(n_pnr), sizes)
    starts = np.cumsum(sizes) - sizes
    pos = np.arange(len(pnr)) - np.repeat(starts, sizes)
    added = pos >= np.repeat(p_size, sizes)
    fam = p_family[pnr] & ~added
    lead = pos == 0
    member = fam & (pos >= 1)
    independent = ~member
    n = len(pnr)
    # residence of the lead, shared by the whole booking
    lead_be = rng.random(n_pnr) < p_be_share
    home = np.array(["BE" if b else h for b, h in zip(lead_be, p_home, strict=True)])
    residence = home[pnr]
    # frequent travellers (adults travelling on their own account)
    use_pool = independent & (rng.random(n) < p_repeat[pnr]) & ~p_umnr[pnr]
    person = np.full(n, -1, dtype=np.int64)
    if len(ctx.frequent):
        w = 1.0 / (np.arange(len(ctx.frequent)) + 10.0)
        person[use_pool] = ctx.frequent[
            rng.choice(len(ctx.frequent), size=int(use_pool.sum()), p=w / w.sum())
        ]
        key = p_transport[pnr].astype(np.int64) * 10_000_000_000 + person
        order = np.argsort(key, kind="stable")
        dup = np.zeros(n, dtype=bool)
        dup[order[1:]] = (key[order][1:] == key[order][:-1]) & use_pool[order][1:]
        use_pool &= ~dup
    else:
        use_pool[:] = False
    person[~use_pool] = -1
    # new independent persons
    new = independent & ~use_pool
    idx = np.flatnonzero(new)
    res_new = [str(r) for r in residence[idx]]
    far = [p_home[int(i)] for i in pnr[idx]]
    culture = _cultures(ctx, res_new, rng, far)
    # companions share the lead's culture more often than not
    ages = _adult_ages(rng, len(idx))
    umnr_rows = p_umnr[pnr[idx]] & lead[idx]
    ages[umnr_rows] = rng.uniform(6.0, 14.9, int(umnr_rows.sum()))
    male = rng.random(len(idx)) < 0.55
    cities = [p_home_city(ctx, r) for r in res_new]
    person[idx] = ctx.people.add(
        rng,
        PersonBatch(
            culture=culture,
            residence=res_new,
            city=cities,
            male=male,
            age=ages,
            family_of=np.full(len(idx), -1, dtype=np.int64),
        ),
    )
    # family members: spouse, then children or other relatives
    lead_person = person[starts][pnr]
    midx = np.flatnonzero(member)
    parent = lead_person[midx]
    people = ctx.people
    parent_male = np.array([people.male[int(p)] for p in parent], dtype=bool)
    spouse = pos[midx] == 1
    child = ~spouse & (rng.random(len(midx)) < 0.8)
    m_age = np.where(
        child,
        rng.uniform(2.0, 17.9, len(midx)),
        np.clip(rng.normal(40.0, 12.0, len(midx)), 18.0, 85.0),
    )
    m_male = np.where(spouse, ~parent_male, rng.random(len(midx)) < 0.5)
    person[midx] = people.add(
        rng,
        PersonBatch(
            culture=np.array([people.culture[int(p)] for p in parent], dtype=np.int64),
            residence=[people.residence[int(p)] for p in parent],
            city=[people.address[int(p)][1] for p in parent],
            male=m_male,
            age=m_age,
            family_of=parent,
        ),
    )
    ptype = np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(member | (p_umnr[pnr] & lead)):
        age_days = (ctx.config.start - people.dob[int(person[i])]).days
        ptype[i] = 1 if age_days < 12 * 365.25 else 0
    # infants on the lap of the lead of some family bookings
    with_infant = np.flatnonzero(p_family & (rng.random(n_pnr) < 0.07))
    inf_parent = person[starts[with_infant]]
    inf_person = people.add(
        rng,
        PersonBatch(
            culture=np.array([people.culture[int(p)] for p in inf_parent], dtype=np.int64),
            residence=[people.residence[int(p)] for p in inf_parent],
            city=[people.address[int(p)][1] for p in inf_parent],
            male=rng.random(len(with_infant)) < 0.5,
            age=rng.uniform(0.1, 1.9, len(with_infant)),
            family_of=inf_parent,
        ),
    )
    all_pnr = np.concatenate([pnr, with_infant])
    all_pos = np.concatenate([pos, sizes[with_infant]])
    order = np.lexsort((all_pos, all_pnr))
    return Parties(
        pnr=all_pnr[order],
        pos=all_pos[order],
        person=np.concatenate([person, inf_person])[order],
        ptype=np.concatenate([ptype, np.full(len(with_infant), 2)])[order],
        infant_of=np.concatenate([np.full(n, -1), np.zeros(len(with_infant), dtype=np.int64)])[
            order
        ],
        added=np.concatenate([added, np.zeros(len(with_infant), dtype=bool)])[order],
        frequent=np.concatenate([use_pool, np.zeros(len(with_infant), dtype=bool)])[order],
    )


def p_home_city(ctx: Context, country: str) -> str:
    """A plausible city of residence abroad: the main airport city of that country."""
    if country == "BE":
        return ""
    return _CITY.get(country, "")


_CITY = {
    "FR": "PARIS", "NL": "AMSTERDAM", "DE": "BERLIN", "GB": "LONDON", "ES": "MADRID",
    "IT": "ROMA", "PT": "LISBOA", "TR": "ISTANBUL", "MA": "CASABLANCA", "CD": "KINSHASA",
    "US": "NEW YORK", "CA": "MONTREAL", "IE": "DUBLIN", "PL": "WARSZAWA", "RO": "BUCURESTI",
    "GR": "ATHINA", "IL": "TEL AVIV", "AE": "DUBAI", "QA": "DOHA", "EG": "CAIRO", "TN": "TUNIS",
    "DZ": "ALGER", "SN": "DAKAR", "CI": "ABIDJAN", "RW": "KIGALI", "ET": "ADDIS ABABA",
    "IN": "NEW DELHI", "CN": "BEIJING", "CH": "ZURICH", "AT": "WIEN", "SE": "STOCKHOLM",
}  # fmt: skip

"""Watchlists of the competent services, with the planted travellers hidden among their entries.

One frame, one row per entry: ``entry_id, list_id, surname, given_names, full_name`` (written
``SURNAME/GIVEN NAMES`` like carriers write names), ``aliases`` (a list of such full names),
``date_of_birth`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or null: services often know only part
of it), ``nationality`` (ISO alpha-3 or null), ``document_number`` (or null) and
``offence_category``. Most entries are synthetic people who never travel; a planted traveller
appears under one variant kind of :data:`VARIANT_KINDS` (the hit truth says which).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from piu_lab.synth.context import Context
from piu_lab.synth.names import draw_groups, draw_variant, female_surname, typo
from piu_lab.synth.plant import Planted
from piu_lab.synth.records import RecordSink

__all__ = ["COLUMNS", "VARIANT_KINDS", "build_watchlists"]

COLUMNS = (
    "entry_id", "list_id", "surname", "given_names", "full_name", "aliases", "date_of_birth",
    "nationality", "document_number", "offence_category",
)  # fmt: skip
VARIANT_KINDS = (
    "exact", "transliteration", "typo", "swapped_order", "missing_middle_name",
    "dob_year_only", "dob_day_month_swapped", "alias",
)  # fmt: skip
_VARIANT_P = np.array([0.12, 0.22, 0.15, 0.1, 0.1, 0.14, 0.1, 0.07])
_OFFENCES = {
    "BE-POLICE-COMMON": ("DRUG TRAFFICKING", "VIOLENT THEFT", "HUMAN TRAFFICKING", "FRAUD",
                         "ARREST WARRANT", "PARENTAL ABDUCTION", "ORGANISED CRIME", "MURDER"),
    "BE-VSSE": ("TERRORISM", "VIOLENT EXTREMISM", "ESPIONAGE", "INTERFERENCE"),
    "BE-SGRS-ADIV": ("ESPIONAGE", "TERRORISM", "PROLIFERATION", "SABOTAGE"),
    "BE-CUSTOMS": ("DRUG TRAFFICKING", "CASH SMUGGLING", "TOBACCO SMUGGLING", "ARMS TRAFFICKING",
                   "COUNTERFEIT GOODS"),
    "BE-FTF-COMMON": ("FOREIGN TERRORIST FIGHTER", "HOMEGROWN TERRORIST FIGHTER",
                      "HATE PROPAGANDIST", "POTENTIALLY VIOLENT EXTREMIST"),
}  # fmt: skip
_CULTURES = {
    "BE-POLICE-COMMON": "be_nl:25 be_fr:22 maghreb:14 balkan:8 romanian:6 west_african:5 "
    "central_african:5 turkish:4 french:3 dutch:3 slavic_east:3 latam:2",
    "BE-VSSE": "maghreb:20 mashreq:18 slavic_east:18 chinese:10 persian:8 turkish:8 be_nl:6 "
    "be_fr:6 balkan:6",
    "BE-SGRS-ADIV": "slavic_east:30 chinese:20 persian:15 mashreq:15 turkish:10 be_fr:5 be_nl:5",
    "BE-CUSTOMS": "latam:15 west_african:15 maghreb:15 balkan:10 be_nl:10 be_fr:10 dutch:10 "
    "turkish:5 chinese:5 central_african:5",
    "BE-FTF-COMMON": "maghreb:40 mashreq:15 be_fr:10 be_nl:8 balkan:8 east_african:6 "
    "slavic_east:5 turkish:5 central_african:3",
}
_PAIRS = (("BE-FTF-COMMON", "BE-VSSE"), ("BE-POLICE-COMMON", "BE-CUSTOMS"))


def _dob_text(d: date, how: int) -> str | None:
    if how == 0:
        return d.isoformat()
    if how == 1:
        return f"{d.year:04d}"
    if how == 2:
        return f"{d.year:04d}-{d.month:02d}"
    return None


def _background(
    ctx: Context, rng: np.random.Generator, list_id: str, n: int
) -> list[dict[str, object]]:
    pools = ctx.pools
    mix = [part.split(":") for part in _CULTURES[list_id].split()]
    keys = [pools.by_key[k] for k, _ in mix]
    w = np.array([float(v) for _, v in mix])
    culture = np.array(keys)[rng.choice(len(keys), size=n, p=w / w.sum())]
    male = rng.random(n) < 0.8
    sur = np.zeros(n, dtype=np.int64)
    first = np.zeros(n, dtype=np.int64)
    middle = np.full(n, -1, dtype=np.int64)
    for ci in np.unique(culture):
        c = pools.cultures[int(ci)]
        m = culture == ci
        k = int(m.sum())
        # surnames drawn alike, not by frequency: drawn like the travellers' (Zipf), 11 % of a
        # Belgian day's travellers were exact namesakes of a listed person and a third of them
        # hit, two orders of magnitude above what PIUs report (0.02-0.3 % of journeys)
        sur[m] = draw_groups(rng, c.surnames, k, uniform=True)
        f = np.where(male[m], draw_groups(rng, c.male, k), draw_groups(rng, c.female, k))
        first[m] = f
        second = np.where(male[m], draw_groups(rng, c.male, k), draw_groups(rng, c.female, k))
        middle[m] = np.where((rng.random(k) < c.middle_prob + 0.1) & (second != f), second, -1)
    sv = draw_variant(rng, pools.surname_groups, sur)
    fv = draw_variant(rng, pools.given_groups, first)
    mv = draw_variant(rng, pools.given_groups, np.maximum(middle, 0))
    ages = np.clip(rng.normal(36.0, 11.0, n), 18.0, 80.0)
    how = rng.choice(4, size=n, p=[0.7, 0.15, 0.05, 0.1])
    has_doc = rng.random(n) < 0.3
    n_alias = rng.choice(4, size=n, p=[0.5, 0.3, 0.15, 0.05])
    offences = _OFFENCES[list_id]
    off = rng.integers(0, len(offences), n)
    digits = rng.integers(0, 10, size=(n, 9))
    out: list[dict[str, object]] = []
    today = ctx.config.start
    for j in range(n):
        c = pools.cultures[int(culture[j])]
        sgroup = pools.surname_groups[int(sur[j])]
        surname = sgroup[int(sv[j])]
        if not male[j]:
            surname = female_surname(surname, c.gendered)
        fgroup = pools.given_groups[int(first[j])]
        given = fgroup[int(fv[j])]
        if middle[j] >= 0:
            given = f"{given} {pools.given_groups[int(middle[j])][int(mv[j])]}"
        rest = given.partition(" ")[2]
        other_given = fgroup[(int(fv[j]) + 1) % len(fgroup)] + (f" {rest}" if rest else "")
        candidates = [
            f"{sgroup[(int(sv[j]) + 1) % len(sgroup)]}/{given}",  # another spelling
            f"{given}/{surname}",  # order swapped
            f"ABU {given.split()[0]}/{surname}"  # a kunya
            if c.key in ("maghreb", "mashreq")
            else f"{surname}/{other_given}",
        ]
        full = f"{surname}/{given}"
        aliases = [a for a in dict.fromkeys(candidates[: int(n_alias[j])]) if a != full]
        dob = date.fromordinal(today.toordinal() - int(ages[j] * 365.25))
        nat = c.nationalities[int(rng.integers(len(c.nationalities)))]
        out.append(
            {
                "list_id": list_id,
                "surname": surname,
                "given_names": given,
                "aliases": aliases,
                "date_of_birth": _dob_text(dob, int(how[j])),
                "nationality": nat if j % 9 else None,
                "document_number": "".join(map(str, digits[j])) if has_doc[j] else None,
                "offence_category": offences[int(off[j])],
            }
        )
    return out


def _planted_entry(
    ctx: Context, rng: np.random.Generator, pid: int, kind: str
) -> tuple[str, dict[str, object]]:
    """The entry under which person ``pid`` is watchlisted, and the kind actually used."""
    p = ctx.people
    pools = ctx.pools
    surname, first, middle = p.surname[pid], p.first[pid], p.middle[pid]
    given = f"{first} {middle}" if middle else first
    dob = p.dob[pid]
    sgroup = pools.surname_groups[p.sur_g[pid]]
    fgroup = pools.given_groups[p.first_g[pid]]
    dob_text: str | None = dob.isoformat()
    aliases: list[str] = []
    if kind == "transliteration" and len(sgroup) < 2 and len(fgroup) < 2:
        kind = "typo"
    if kind == "dob_day_month_swapped" and (dob.day > 12 or dob.day == dob.month):
        kind = "dob_year_only"
    if kind == "transliteration":
        if len(sgroup) > 1 and (len(fgroup) < 2 or rng.random() < 0.6):
            other = sgroup[(p.sur_v[pid] + 1 + int(rng.integers(len(sgroup) - 1))) % len(sgroup)]
            male = p.male[pid]
            culture = pools.cultures[p.culture[pid]]
            surname = other if male else female_surname(other, culture.gendered)
        else:
            first = fgroup[(p.first_v[pid] + 1 + int(rng.integers(len(fgroup) - 1))) % len(fgroup)]
            given = f"{first} {middle}" if middle else first
    elif kind == "typo":
        if rng.random() < 0.7:
            surname = typo(surname, rng)
        else:
            given = typo(given, rng)
    elif kind == "swapped_order":
        surname, given = first, p.surname[pid]
    elif kind == "missing_middle_name":
        if middle:
            given = first
        else:
            culture = pools.cultures[p.culture[pid]]
            ids = culture.male if p.male[pid] else culture.female
            k = int(rng.integers(len(ids)))
            extra = pools.given_groups[int(ids[k])][0]
            if extra == first:
                extra = pools.given_groups[int(ids[(k + 1) % len(ids)])][0]
            given = f"{first} {extra}"
    elif kind == "dob_year_only":
        dob_text = f"{dob.year:04d}"
    elif kind == "dob_day_month_swapped":
        dob_text = f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"
    elif kind == "alias":
        stranger = int(rng.integers(len(p)))
        aliases.append(f"{surname}/{given}")
        surname, given = p.surname[stranger], p.given(stranger)
    return kind, {
        "surname": surname,
        "given_names": given,
        "aliases": aliases,
        "date_of_birth": dob_text,
        "nationality": p.nationality[pid] if rng.random() < 0.85 else None,
        "document_number": p.passport[pid] if rng.random() < 0.25 else None,
    }


def build_watchlists(
    ctx: Context, planted: Planted, sink: RecordSink
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The watchlists frame and the truth of planted hits (one row per PNR traveller hit)."""
    rng = ctx.streams.rng(600)
    rows: list[dict[str, object]] = []
    for list_id, size in ctx.config.params.watchlist_sizes:
        rows.extend(_background(ctx, rng, list_id, size))
    planted_rows: list[tuple[int, int, str]] = []  # (row index, person, kind)
    lists = [lid for lid, _ in ctx.config.params.watchlist_sizes]
    for n, pid in enumerate(planted.order):
        kind = VARIANT_KINDS[int(rng.choice(len(VARIANT_KINDS), p=_VARIANT_P / _VARIANT_P.sum()))]
        targets = list(_PAIRS[n % 2]) if rng.random() < 0.15 else [lists[n % len(lists)]]
        for list_id in targets:
            used, entry = _planted_entry(ctx, rng, pid, kind)
            offences = _OFFENCES[list_id]
            entry["list_id"] = list_id
            entry["offence_category"] = offences[int(rng.integers(len(offences)))]
            planted_rows.append((len(rows), pid, used))
            rows.append(entry)
    order = rng.permutation(len(rows))
    counters: dict[str, int] = {}
    ids: list[str] = [""] * len(rows)
    for new_pos in range(len(rows)):
        row = rows[int(order[new_pos])]
        lid = str(row["list_id"])
        counters[lid] = counters.get(lid, 0) + 1
        ids[int(order[new_pos])] = f"{lid}-{counters[lid]:06d}"
    for k, row in enumerate(rows):
        row["entry_id"] = ids[k]
        row["full_name"] = f"{row['surname']}/{row['given_names']}"
    frame = pd.DataFrame([rows[int(i)] for i in order], columns=list(COLUMNS))
    by_person: dict[int, list[tuple[str, str]]] = {}
    for person, pnr_id, ref in sink.appearances:
        if person in planted.persons:
            by_person.setdefault(person, []).append((pnr_id, ref))
    hits = [
        {
            "pnr_id": pnr_id,
            "pax_ref": ref,
            "entry_id": ids[row_ix],
            "list_id": rows[row_ix]["list_id"],
            "variant_kind": kind,
            "person_id": ctx.people.person_id(pid),
        }
        for row_ix, pid, kind in planted_rows
        for pnr_id, ref in sorted(set(by_person.get(pid, [])))
    ]
    columns = ["pnr_id", "pax_ref", "entry_id", "list_id", "variant_kind", "person_id"]
    return frame, pd.DataFrame(hits, columns=columns)

"""Data carriers send that the PIU must delete on receipt (R-SENS-01..03, R-DATA-02).

Special meals, health and assistance codes, free-text forms of them, third-party emergency
contacts (PCTC), languages, OSI and RM remarks. The model has no field for any of them, so they
are kept aside in ``SynthTraffic.sensitive``: ``(pnr_id, version, pax_ref) -> ("SSR MOML",
"SSR SPML HALAL MEAL", "OSI YY ...", "RM ...")`` (``pax_ref`` is ``""`` for remarks about the
whole booking). Only the EDIFACT writer reads that mapping, so the ingest filter has real work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from piu_lab.synth.people import People

__all__ = ["SENSITIVE_CODES", "SensitiveDraw", "draw_sensitive"]

# code -> rate per traveller (R-SENS-03 table; a few per cent special meals, ~1 % wheelchairs)
_MEALS = {
    "MOML": 0.010, "KSML": 0.002, "HNML": 0.003, "AVML": 0.004, "VJML": 0.0005,
    "VOML": 0.0005, "VGML": 0.006, "VLML": 0.004, "DBML": 0.002, "GFML": 0.002,
    "LSML": 0.0008, "LFML": 0.0005, "BLML": 0.0005, "NLML": 0.0005, "RVML": 0.0003,
    "JPML": 0.0003, "SFML": 0.0003, "FPML": 0.0003,
}  # fmt: skip
_ASSIST = {
    "WCHR": 0.007, "WCHS": 0.0015, "WCHC": 0.001, "WCOB": 0.0002, "WCMP": 0.0002,
    "WCBD": 0.0001, "MEDA": 0.0004, "STCR": 0.00005, "BLND": 0.0003, "DEAF": 0.0003,
    "DPNA": 0.0002, "MAAS": 0.002, "OXYG": 0.0002, "SVAN": 0.0002, "ESAN": 0.0001,
}  # fmt: skip
SENSITIVE_CODES = (
    *_MEALS,
    *_ASSIST,
    "SPML",
    "OTHS",
    "PCTC",
    "LANG",
    "DEPA",
    "DEPU",
    "CHML",
    "BBML",
)
_SPML = (
    "HALAL MEAL",
    "KOSHER",
    "NO PORK",
    "NUT ALLERGY PLS",
    "HINDU NO BEEF",
    "VEGAN PLS",
    "JAIN MEAL",
    "NO ALCOHOL IN MEAL",
    "LACTOSE FREE",
)
_OTHS = (
    "WHEELCHAIR TO AIRCRAFT DOOR",
    "PAX NEEDS WHEELCHAIR",
    "PREGNANT 28 WEEKS",
    "PAX ON DIALYSIS",
    "CARRIES INSULIN",
    "ELDERLY PAX NEEDS ASSISTANCE",
)
_MAAS = ("ELDERLY PAX", "PREGNANT 30 WKS", "FIRST TIME FLYER", "REDUCED MOBILITY")
_LANG = ("SPEAKS ARABIC ONLY", "SPEAKS TURKISH ONLY", "NO ENGLISH", "SPEAKS TIGRINYA ONLY")
_RELATIONS = ("MOTHER", "FATHER", "SPOUSE", "SISTER", "BROTHER", "FRIEND", "SON", "DAUGHTER")
_OSI = (
    "OSI YY VIP PAX",
    "OSI YY PLS CALL PAX: SCHEDULE CHANGE?",
    "OSI YY PAX'S MOTHER TRAVELS ON OTHER PNR",
    "OSI YY TCP 3 WITH OTHER PNR",
    "OSI YY PAX DISABLED VETERAN",
    "OSI YY FREQUENT CUSTOMER 10+ TRIPS",
    "OSI YY CTCB 3225551234 OFFICE",
    "OSI YY MEMBER OF TRADE UNION DELEGATION",
)
_RM = (
    "RM CORPORATE ACCOUNT ACME+PARTNERS",
    "RM PAX REQ AISLE SEAT",
    "RM PAYMENT BY BANK TRANSFER RECEIVED",
    "RM PAX IS PREGNANT",
    "RM HONEYMOON - PLS UPGRADE IF POSSIBLE",
    "RM PILGRIMAGE GROUP",
    "RM CLIENT PREFERS HALAL MEALS",
    "RM NOTE: PAX HAS MOBILITY ISSUES",
    "RM 50% DEPOSIT PAID",
)


@dataclass(frozen=True, slots=True)
class SensitiveDraw:
    """Per traveller row and per PNR: the items of the early and of the closure version."""

    early: dict[int, tuple[str, ...]]
    final: dict[int, tuple[str, ...]]
    pnr: dict[int, tuple[str, ...]]


def draw_sensitive(
    rng: np.random.Generator,
    people: People,
    persons: np.ndarray,
    ptype: np.ndarray,
    n_pnr: int,
) -> SensitiveDraw:
    n = len(persons)
    early: dict[int, list[str]] = {}
    final: dict[int, list[str]] = {}
    u_meal = rng.random(n)
    cum = 0.0
    for code, rate in _MEALS.items():
        rows = np.flatnonzero((u_meal >= cum) & (u_meal < cum + rate))
        cum += rate
        for r in rows.tolist():
            item = f"SSR {code}"
            early.setdefault(r, []).append(item)
            final.setdefault(r, []).append(item)
    spml = np.flatnonzero(rng.random(n) < 0.002)
    pick = rng.integers(0, len(_SPML), len(spml))
    for r, k in zip(spml.tolist(), pick.tolist(), strict=True):
        item = f"SSR SPML {_SPML[k]}"
        early.setdefault(r, []).append(item)
        final.setdefault(r, []).append(item)
    for r in np.flatnonzero((ptype == 1) & (rng.random(n) < 0.15)).tolist():
        final.setdefault(r, []).append("SSR CHML")
    for r in np.flatnonzero((ptype == 2) & (rng.random(n) < 0.2)).tolist():
        final.setdefault(r, []).append("SSR BBML")
    u_assist = rng.random(n)
    late = rng.random(n) < 0.3
    cum = 0.0
    for code, rate in _ASSIST.items():
        rows = np.flatnonzero((u_assist >= cum) & (u_assist < cum + rate))
        cum += rate
        for r in rows.tolist():
            text = f" {_MAAS[r % len(_MAAS)]}" if code == "MAAS" else ""
            item = f"SSR {code}{text}"
            final.setdefault(r, []).append(item)
            if not late[r]:
                early.setdefault(r, []).append(item)
    oths = np.flatnonzero(rng.random(n) < 0.0015)
    for r in oths.tolist():
        final.setdefault(r, []).append(f"SSR OTHS {_OTHS[r % len(_OTHS)]}")
    adults = ptype == 0
    pctc = np.flatnonzero(adults & (rng.random(n) < 0.09))
    other = rng.integers(0, max(1, len(people)), len(pctc))
    for r, o in zip(pctc.tolist(), other.tolist(), strict=True):
        contact = int(o)
        phone = people.phone[contact].lstrip("+") or "32475000000"
        rel = _RELATIONS[(r + contact) % len(_RELATIONS)]
        item = f"SSR PCTC {people.surname[contact]} {people.first[contact]}/{phone}.{rel}"
        early.setdefault(r, []).append(item)
        final.setdefault(r, []).append(item)
    for r in np.flatnonzero(adults & (rng.random(n) < 0.002)).tolist():
        item = f"SSR LANG {_LANG[r % len(_LANG)]}"
        early.setdefault(r, []).append(item)
        final.setdefault(r, []).append(item)
    for r in np.flatnonzero(adults & (rng.random(n) < 0.00005)).tolist():
        final.setdefault(r, []).append("SSR DEPU" if r % 2 else "SSR DEPA")
    remarks: dict[int, list[str]] = {}
    for i in np.flatnonzero(rng.random(n_pnr) < 0.03).tolist():
        remarks.setdefault(i, []).append(_OSI[i % len(_OSI)])
    for i in np.flatnonzero(rng.random(n_pnr) < 0.05).tolist():
        remarks.setdefault(i, []).append(_RM[i % len(_RM)])
    return SensitiveDraw(
        early={k: tuple(v) for k, v in early.items()},
        final={k: tuple(v) for k, v in final.items()},
        pnr={k: tuple(v) for k, v in remarks.items()},
    )

"""Synthetic people: identity, documents, contacts, cards and loyalty numbers, in columns.

A person id is an index into :class:`People`. Persons are made in batches (every random draw
of a batch is a numpy array; only the final strings are built in Python) and never change:
a repeat traveller shows the same name, date of birth, passport, phone and card on every PNR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from piu_lab.synth.names import NamePools, draw_groups, draw_variant, female_surname
from piu_lab.synth.reference import Reference

__all__ = ["People", "PersonBatch"]

_EU3 = {
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE", "NOR", "CHE", "ISL",
}  # fmt: skip
_DOMAINS = {
    "BE": ("GMAIL.COM", "HOTMAIL.COM", "OUTLOOK.COM", "SKYNET.BE", "TELENET.BE", "PROXIMUS.BE"),
    "FR": ("GMAIL.COM", "ORANGE.FR", "FREE.FR", "HOTMAIL.FR", "LAPOSTE.NET"),
    "DE": ("GMAIL.COM", "GMX.DE", "WEB.DE", "T-ONLINE.DE"),
    "NL": ("GMAIL.COM", "HOTMAIL.NL", "KPNMAIL.NL", "ZIGGO.NL"),
    "IT": ("GMAIL.COM", "LIBERO.IT", "ALICE.IT"),
    "CN": ("QQ.COM", "163.COM", "126.COM"),
}
_GENERIC_DOMAINS = ("GMAIL.COM", "HOTMAIL.COM", "YAHOO.COM", "OUTLOOK.COM", "ICLOUD.COM")
_BE_CITIES = (
    ("BRUXELLES", "1000"), ("BRUSSEL", "1030"), ("ANDERLECHT", "1070"), ("SCHAERBEEK", "1030"),
    ("MOLENBEEK", "1080"), ("ANTWERPEN", "2000"), ("GENT", "9000"), ("CHARLEROI", "6000"),
    ("LIEGE", "4000"), ("BRUGGE", "8000"), ("NAMUR", "5000"), ("LEUVEN", "3000"),
    ("MECHELEN", "2800"), ("AALST", "9300"), ("HASSELT", "3500"), ("MONS", "7000"),
    ("KORTRIJK", "8500"), ("OOSTENDE", "8400"), ("WATERLOO", "1410"), ("GENK", "3600"),
)  # fmt: skip
_STREETS = {
    "BE": ("RUE DE LA LOI", "KERKSTRAAT", "STATIONSSTRAAT", "CHAUSSEE DE WAVRE", "AVENUE LOUISE",
           "DORPSSTRAAT", "RUE NEUVE", "MOLENSTRAAT", "RUE HAUTE", "NIEUWSTRAAT"),
    "FR": ("RUE DE LA REPUBLIQUE", "AVENUE JEAN JAURES", "RUE VICTOR HUGO", "BOULEVARD VOLTAIRE"),
    "": ("MAIN STREET", "STATION ROAD", "CENTRAL AVENUE", "PARK LANE", "MARKET STREET"),
}  # fmt: skip
_FF = ("SN", "LH", "LX", "TK", "QR", "EK", "AF", "KL", "BA", "IB", "TP", "SK", "ET", "AT", "UA")
_FF_P = np.array([30, 14, 4, 10, 6, 6, 8, 6, 5, 2, 3, 2, 2, 1, 1], dtype=float)
_TIERS = ("BASE", "SILVER", "GOLD", "PLATINUM")
_CARDS = ("VI", "CA", "AX", "DC", "TP")


@dataclass(frozen=True, slots=True)
class PersonBatch:
    """What to make: one row per new person."""

    culture: np.ndarray  # culture index
    residence: list[str]  # ISO alpha-2
    city: list[str]  # city of residence for foreign residents ("" for Belgian ones)
    male: np.ndarray  # bool
    age: np.ndarray  # years (float)
    family_of: np.ndarray  # person id whose surname and nationality are shared, or -1


class People:
    """Every synthetic person of a run, column by column."""

    def __init__(self, ref: Reference, pools: NamePools, today: date) -> None:
        self.ref = ref
        self.pools = pools
        self.today = today
        self.culture: list[int] = []
        self.male: list[bool] = []
        self.dob: list[date] = []
        self.sur_g: list[int] = []
        self.sur_v: list[int] = []
        self.first_g: list[int] = []
        self.first_v: list[int] = []
        self.middle_g: list[int] = []
        self.middle_v: list[int] = []
        self.surname: list[str] = []
        self.first: list[str] = []
        self.middle: list[str] = []
        self.nationality: list[str] = []
        self.residence: list[str] = []
        self.passport: list[str] = []
        self.id_card: list[str] = []
        self.expiry: list[date] = []
        self.phone: list[str] = []
        self.email: list[str] = []
        self.address: list[tuple[str, str, str]] = []  # street, city, postcode
        self.card: list[tuple[str, str]] = []  # scheme, last four digits
        self.ff: list[tuple[str, str, str]] = []  # airline, number, tier (or empty)

    def __len__(self) -> int:
        return len(self.surname)

    def given(self, pid: int) -> str:
        middle = self.middle[pid]
        return f"{self.first[pid]} {middle}" if middle else self.first[pid]

    def person_id(self, pid: int) -> str:
        return f"P{pid:08d}"

    def add(self, rng: np.random.Generator, batch: PersonBatch) -> np.ndarray:
        """Make the persons of ``batch``; returns their ids."""
        n = len(batch.culture)
        start = len(self)
        if n == 0:
            return np.arange(start, start, dtype=np.int64)
        pools = self.pools
        fam = batch.family_of
        sur_g = np.zeros(n, dtype=np.int64)
        first_g = np.zeros(n, dtype=np.int64)
        middle_g = np.full(n, -1, dtype=np.int64)
        nat_draw = rng.random(n)
        nationality: list[str] = [""] * n
        for ci in np.unique(batch.culture):
            c = pools.cultures[int(ci)]
            mask = batch.culture == ci
            k = int(mask.sum())
            sur_g[mask] = draw_groups(rng, c.surnames, k)
            males = batch.male[mask]
            firsts = np.where(males, draw_groups(rng, c.male, k), draw_groups(rng, c.female, k))
            first_g[mask] = firsts
            second = np.where(males, draw_groups(rng, c.male, k), draw_groups(rng, c.female, k))
            has_middle = (rng.random(k) < c.middle_prob) & (second != firsts)
            middle_g[mask] = np.where(has_middle, second, -1)
            nats = rng.choice(len(c.nationalities), size=k, p=c.nationality_p)
            for row, idx in zip(np.flatnonzero(mask).tolist(), nats.tolist(), strict=True):
                nationality[row] = c.nationalities[idx]
        sur_v = draw_variant(rng, pools.surname_groups, sur_g)
        first_v = draw_variant(rng, pools.given_groups, first_g)
        middle_v = draw_variant(rng, pools.given_groups, np.maximum(middle_g, 0))
        for j in np.flatnonzero(fam >= 0).tolist():
            parent = int(fam[j])
            sur_g[j], sur_v[j] = self.sur_g[parent], self.sur_v[parent]
        age_days = (batch.age * 365.25 + rng.integers(0, 365, n)).astype(np.int64)
        dobs = [self.today - timedelta(days=int(d)) for d in age_days]
        expiry_days = rng.integers(40, 3650, n)
        digits = rng.integers(0, 10, size=(n, 12))
        card_scheme = rng.choice(len(_CARDS), size=n, p=[0.55, 0.35, 0.07, 0.02, 0.01])
        ff_has = rng.random(n) < 0.22
        ff_air = rng.choice(len(_FF), size=n, p=_FF_P / _FF_P.sum())
        ff_tier = rng.choice(4, size=n, p=[0.6, 0.25, 0.12, 0.03])
        mail_style = rng.integers(0, 5, n)
        tagged = rng.random(n) < 0.01
        street_no = rng.integers(1, 240, n)
        be_city = rng.integers(0, len(_BE_CITIES), n)
        for j in range(n):
            culture = pools.cultures[int(batch.culture[j])]
            male = bool(batch.male[j])
            parent = int(fam[j])
            residence = batch.residence[j]
            if parent >= 0:
                nat = self.nationality[parent]
                residence = self.residence[parent]
            elif residence != "BE" and nat_draw[j] < 0.8:
                nat = self.ref.country(residence).alpha3
            else:
                nat = nationality[j]
            surname = pools.surname_groups[int(sur_g[j])][int(sur_v[j])]
            if not male:
                surname = female_surname(surname, culture.gendered)
            first = pools.given_groups[int(first_g[j])][int(first_v[j])]
            middle = (
                pools.given_groups[int(middle_g[j])][int(middle_v[j])] if middle_g[j] >= 0 else ""
            )
            d = "".join(map(str, digits[j]))
            adult = batch.age[j] >= 16
            self.culture.append(culture.index)
            self.male.append(male)
            self.dob.append(dobs[j])
            self.sur_g.append(int(sur_g[j]))
            self.sur_v.append(int(sur_v[j]))
            self.first_g.append(int(first_g[j]))
            self.first_v.append(int(first_v[j]))
            self.middle_g.append(int(middle_g[j]))
            self.middle_v.append(int(middle_v[j]))
            self.surname.append(surname)
            self.first.append(first)
            self.middle.append(middle)
            self.nationality.append(nat)
            self.residence.append(residence)
            self.passport.append(_passport(nat, d))
            self.id_card.append(_id_card(nat, d) if nat in _EU3 else "")
            self.expiry.append(self.today + timedelta(days=int(expiry_days[j])))
            if parent >= 0 and not adult:
                self.phone.append("")
                self.email.append("")
                self.address.append(self.address[parent])
                self.card.append(("", ""))
                self.ff.append(("", "", ""))
                continue
            dial = self.ref.country(residence).dial
            mobile = f"4{7 + int(digits[j][0]) % 3}{d[1:8]}" if residence == "BE" else d[:9]
            self.phone.append(f"+{dial}{mobile}" if adult else "")
            self.email.append(
                _email(first, surname, int(mail_style[j]), d, residence, bool(tagged[j]))
                if adult
                else ""
            )
            if parent >= 0:
                self.address.append(self.address[parent])
            else:
                self.address.append(
                    _address(residence, batch.city[j], int(street_no[j]), int(be_city[j]), d)
                )
            self.card.append((_CARDS[int(card_scheme[j])], d[8:12]) if adult else ("", ""))
            self.ff.append(
                (_FF[int(ff_air[j])], f"{d}{d[: int(digits[j][3]) % 3]}", _TIERS[int(ff_tier[j])])
                if adult and ff_has[j]
                else ("", "", "")
            )
        return np.arange(start, start + n, dtype=np.int64)


def _passport(nat: str, d: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    a, b = letters[int(d[0:2]) % 23], letters[int(d[2:4]) % 23]
    if nat == "BEL":
        return f"E{a}{d[4:10]}"
    if nat in ("FRA", "MAR", "DZA", "TUN"):
        return f"{d[0:2]}{a}{b}{d[4:9]}"
    if nat in ("GBR", "USA", "IRL", "IND", "CAN"):
        return f"{a}{d[1:9]}" if nat == "IND" else d[:9]
    if nat in ("DEU", "NLD", "AUT", "CHE", "ITA", "ESP"):
        return f"{a}{b}{d[2:9]}"
    return f"{a}{d[0:8]}"


def _id_card(nat: str, d: str) -> str:
    if nat == "BEL":
        return f"59{d[2:12]}"
    return f"ID{d[:9]}"


def _email(first: str, surname: str, style: int, d: str, residence: str, tag: bool) -> str:
    f = "".join(c for c in first if c.isalpha())
    s = "".join(c for c in surname if c.isalpha())
    local = (
        f"{f}.{s}",
        f"{f[0]}{s}",
        f"{s}.{f}{d[:2]}",
        f"{f}{d[2:5]}",
        f"{f}_{s}",
    )[style]
    if tag:
        local += "+TRAVEL"
    domains = _DOMAINS.get(residence, _GENERIC_DOMAINS)
    return f"{local}@{domains[int(d[5]) % len(domains)]}".lower()


def _address(residence: str, city: str, number: int, be_city: int, d: str) -> tuple[str, str, str]:
    streets = _STREETS.get(residence, _STREETS[""])
    street = f"{streets[int(d[6]) % len(streets)]} {number}"
    if residence == "BE":
        town, postcode = _BE_CITIES[be_city]
        return street, town, postcode
    return street, city or "CENTRE", d[7:12]

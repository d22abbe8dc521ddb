"""Which journeys may be taken in (R-SCOPE-02; CJEU C-817/19 operative point 7, ¶¶ 163-175;
DIR art. 2): pure, no database.

* An **extra-EU flight** may be processed for all its passengers: a PNR (or an API manifest)
  is always in scope when one of its air legs starts or ends outside the European Union (the
  27 member states of ``data/eu_member_states.json``). The PNR comes with its complete
  itinerary (Annex I heading 7), so its intra-EU legs come with it.
* **Everything else** - every leg between member states, and every rail (HST), bus or sea
  journey, which Belgian law adds to the directive's flights - may be processed only under a
  :class:`ScopeDecision` active on the day of receipt (UTC) that names its sector and, when the
  decision selects routes, one of its legs' routes: ``"AAA-BBB"`` (either direction) or a
  single place (``"AAA"``, either end of a leg). A decision without routes covers all journeys
  of its sectors: the Court allows that only under a genuine and present or foreseeable
  terrorist threat, so it needs an OCAM level above 1.
* A leg whose country is unknown does not make a journey extra-EU (fail closed).

Outside a decision the journey is **refused**: not stored, only counted (:class:`ScopeRefusal`,
no value), per PNR within a message (a PNRGOV message for one flight carries many PNRs) and per
manifest. The OCAM level is context that justifies and limits a decision (R-RISK-01); it is
never a passenger feature.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from piu_lab.errors import ScopeError
from piu_lab.ingest.reader import MessageOutcome
from piu_lab.model import ApiManifest, Pnr, Sector
from piu_lab.places import Place, find_place

__all__ = [
    "OCAM_LEVELS",
    "Ground",
    "Leg",
    "Reason",
    "ScopeDecision",
    "ScopeRefusal",
    "ScopeRules",
    "Verdict",
    "apply_scope",
    "decision_from_row",
    "decision_row",
    "eu_member_states",
    "is_decision_id",
    "manifest_legs",
    "pnr_legs",
    "receipt_day",
]

#: The OCAM threat levels (R-RISK-01): 1 low (no threat) to 4 very serious (imminent).
OCAM_LEVELS = range(1, 5)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
_CODE = r"[A-Z0-9]{3,7}"
_ROUTE = re.compile(rf"({_CODE})(?:-({_CODE}))?")


def is_decision_id(text: object) -> bool:
    """A decision id is a code: letters, digits and ``._:/-``, no spaces, at most 64."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


@cache
def eu_member_states() -> frozenset[str]:
    """The ISO alpha-2 codes of the 27 member states (``data/eu_member_states.json``)."""
    text = resources.files("piu_lab.ingest").joinpath("data/eu_member_states.json")
    members = json.loads(text.read_text("utf-8"))["members"]
    return frozenset(str(code) for code in members)


class Reason(StrEnum):
    """Why a journey was refused (the ``reason`` of a ``scope_refusal`` row)."""

    #: no decision active on the day of receipt names the journey's sector
    NO_DECISION = "no_decision"
    #: decisions for the sector are active, but they select routes the journey does not use
    ROUTE_NOT_SELECTED = "route_not_selected"


class Ground(StrEnum):
    """Why a journey was let in."""

    EXTRA_EU_AIR = "extra_eu_air"
    DECISION = "decision"


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg as scope sees it: its sector, its two places and their countries."""

    sector: Sector
    origin: str
    destination: str
    origin_country: str
    destination_country: str

    @property
    def extra_eu_air(self) -> bool:
        """An air leg with a known end outside the European Union."""
        eu = eu_member_states()
        ends = (self.origin_country, self.destination_country)
        return self.sector is Sector.AIR and any(c and c.upper() not in eu for c in ends)


def _route_problem(route: str, place: Callable[[str], Place | None] | None) -> str | None:
    match = _ROUTE.fullmatch(route) if isinstance(route, str) else None
    if match is None:
        return f"routes: {route!r} is neither AAA-BBB nor a single place code (upper case)"
    codes = [c for c in match.groups() if c]
    if len(codes) == 2 and codes[0] == codes[1]:
        return f"routes: {route!r} goes nowhere"
    unknown = [c for c in codes if place is not None and place(c) is None]
    return f"routes: {', '.join(unknown)} is no known place" if unknown else None


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    """A decision that intra-EU flights, or rail, bus and sea journeys, may be processed
    (R-SCOPE-02): for all journeys of its ``sectors`` (``routes`` empty) under a genuine and
    present or foreseeable terrorist threat, or for selected routes or places; limited to
    ``starts_on``..``ends_on`` (inclusive) and reviewed by ``next_review``. Construction
    validates and raises :class:`~piu_lab.errors.ScopeError` listing every problem.

    ``ocam_level`` (1-4, with its date and source) is the context that justifies the decision
    (R-RISK-01): never a feature of a passenger.
    """

    decision_id: str
    legal_basis: str
    threat_assessment: str
    ocam_level: int
    ocam_date: date
    ocam_source: str
    starts_on: date
    ends_on: date
    next_review: date
    sectors: tuple[Sector, ...]
    routes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        found = self.problems()
        if found:
            raise ScopeError(
                f"scope decision {self.decision_id!r} refused: " + "; ".join(found),
                errors=tuple(found),
                decision_id=self.decision_id,
                fields=tuple(sorted({p.split(":", 1)[0] for p in found})),
            )

    def problems(self, place: Callable[[str], Place | None] | None = None) -> list[str]:
        """Every problem, as ``field: what is wrong`` (no passenger value: there is none);
        with ``place``, also the route codes that name no known place (checked when a decision
        is recorded, not when a stored one is read back)."""
        found: list[str] = []
        if not is_decision_id(self.decision_id):
            found.append("decision_id: a code of letters, digits and ._:/- (no spaces)")
        for name in ("legal_basis", "threat_assessment", "ocam_source"):
            value = getattr(self, name)
            if not isinstance(value, str) or len(value.strip()) < 3:
                found.append(f"{name}: missing (at least 3 characters)")
        level = self.ocam_level
        if isinstance(level, bool) or not isinstance(level, int) or level not in OCAM_LEVELS:
            found.append(f"ocam_level: {level!r} is not an OCAM level (1 to 4)")
        elif level == 1 and not self.routes:
            found.append(
                "routes: OCAM level 1 means no threat: a decision for all journeys needs a "
                "genuine and present or foreseeable terrorist threat, else select routes"
            )
        if self.ends_on < self.starts_on:
            found.append("ends_on: before starts_on (a decision is limited in time)")
        if not self.starts_on <= self.next_review <= self.ends_on:
            found.append("next_review: not between starts_on and ends_on")
        if self.ocam_date > self.starts_on:
            found.append("ocam_date: after starts_on (the assessment justifies the decision)")
        if not self.sectors or not all(isinstance(s, Sector) for s in self.sectors):
            found.append("sectors: at least one of AIR (intra-EU), HST, BUS, SEA")
        elif len(set(self.sectors)) != len(self.sectors):
            found.append("sectors: a sector named twice")
        for route in self.routes:
            problem = _route_problem(route, place)
            if problem:
                found.append(problem)
        return found

    @property
    def all_journeys(self) -> bool:
        """Every journey of the sectors (no route selected)."""
        return not self.routes

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def covers(self, leg: Leg) -> bool:
        """The leg's sector is named and, if routes are selected, the leg is on one of them."""
        if leg.sector not in self.sectors:
            return False
        if not self.routes:
            return True
        ends = {leg.origin.upper(), leg.destination.upper()}
        for route in self.routes:
            codes = route.split("-")
            # "AAA-BBB": the leg joins both places (either direction); "AAA": either end
            if (len(codes) == 2 and set(codes) == ends) or (len(codes) == 1 and codes[0] in ends):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a journey may be taken in: its ``ground`` or the ``reason`` it was refused."""

    allowed: bool
    ground: Ground | None = None
    reason: Reason | None = None
    decision_id: str = ""


@dataclass(frozen=True, slots=True)
class ScopeRules:
    """The decisions in force (revoked ones left out): what :func:`apply_scope` judges by."""

    decisions: tuple[ScopeDecision, ...] = ()

    def judge(self, legs: Iterable[Leg], *, on: date, sector: Sector) -> Verdict:
        """The verdict on one PNR or manifest received on ``on`` (UTC day)."""
        legs = tuple(legs)
        if any(leg.extra_eu_air for leg in legs):
            return Verdict(True, ground=Ground.EXTRA_EU_AIR)
        # a journey without legs (a manifest without ports) is judged by its sector alone
        judged = legs or (Leg(sector, "", "", "", ""),)
        sectors = {leg.sector for leg in judged}
        named = [d for d in self.decisions if d.active_on(on) and sectors & set(d.sectors)]
        for decision in named:
            if any(decision.covers(leg) for leg in judged):
                return Verdict(True, ground=Ground.DECISION, decision_id=decision.decision_id)
        reason = Reason.ROUTE_NOT_SELECTED if named else Reason.NO_DECISION
        return Verdict(False, reason=reason)


@dataclass(frozen=True, slots=True)
class ScopeRefusal:
    """What one message had refused for one reason: counts only, never a value. ``journeys``
    counts the travellers of the refused PNRs (or the persons of a refused manifest)."""

    reason: Reason
    sector: str
    pnrs: int
    journeys: int
    manifests: int = 0


def pnr_legs(pnr: Pnr) -> tuple[Leg, ...]:
    return tuple(
        Leg(s.sector, s.origin, s.destination, s.origin_country, s.destination_country)
        for s in pnr.segments
    )


def manifest_legs(
    manifest: ApiManifest, place: Callable[[str], Place | None] = find_place
) -> tuple[Leg, ...]:
    """The legs of a PAXLST manifest, their countries from the ports' codes."""

    def country(code: str) -> str:
        found = place(code) if code else None
        return found.country if found is not None else ""

    return tuple(
        Leg(
            manifest.sector,
            leg.departure_port,
            leg.arrival_port,
            country(leg.departure_port),
            country(leg.arrival_port),
        )
        for leg in manifest.legs
    )


def receipt_day(received_at: datetime) -> date:
    """The UTC day of receipt (a naive time is UTC already)."""
    return received_at.astimezone(UTC).date() if received_at.tzinfo else received_at.date()


def apply_scope(
    outcome: MessageOutcome,
    rules: ScopeRules,
    received_at: datetime,
    place: Callable[[str], Place | None] = find_place,
) -> tuple[MessageOutcome, tuple[ScopeRefusal, ...]]:
    """The message with only its in-scope PNRs (or without its manifest when refused), and
    what was refused, per reason. A message that did not parse is returned as it is."""
    if outcome.error is not None:
        return outcome, ()
    on = receipt_day(received_at)
    refused: dict[Reason, list[tuple[Sector, int, int]]] = {}
    kept = []
    for parsed in outcome.pnrs:
        pnr = parsed.pnr
        verdict = rules.judge(pnr_legs(pnr), on=on, sector=pnr.sector)
        if verdict.allowed:
            kept.append(parsed)
        elif verdict.reason is not None:
            refused.setdefault(verdict.reason, []).append((pnr.sector, len(pnr.passengers), 0))
    manifest = outcome.manifest
    if manifest is not None:
        verdict = rules.judge(manifest_legs(manifest, place), on=on, sector=manifest.sector)
        if not verdict.allowed and verdict.reason is not None:
            refused.setdefault(verdict.reason, []).append(
                (manifest.sector, len(manifest.persons), 1)
            )
            manifest = None
    if not refused:
        return outcome, ()
    counts = tuple(
        ScopeRefusal(
            reason=reason,
            sector=",".join(sorted({sector.value for sector, _, _ in items})),
            pnrs=sum(1 for _, _, m in items if not m),
            journeys=sum(n for _, n, _ in items),
            manifests=sum(m for _, _, m in items),
        )
        for reason, items in sorted(refused.items())
    )
    return replace(outcome, pnrs=tuple(kept), manifest=manifest), counts


def decision_row(decision: ScopeDecision) -> dict[str, Any]:
    """The ``scope_decision`` columns the decision fills (the caller adds who and when)."""
    return {
        "decision_id": decision.decision_id,
        "legal_basis": decision.legal_basis,
        "threat_assessment": decision.threat_assessment,
        "ocam_level": decision.ocam_level,
        "ocam_date": decision.ocam_date,
        "ocam_source": decision.ocam_source,
        "starts_on": decision.starts_on,
        "ends_on": decision.ends_on,
        "next_review": decision.next_review,
        "sectors": json.dumps([s.value for s in decision.sectors]),
        "routes": json.dumps(list(decision.routes)),
    }


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def decision_from_row(row: Mapping[str, Any]) -> ScopeDecision:
    """A stored decision back as the object (validated again)."""
    return ScopeDecision(
        decision_id=str(row["decision_id"]),
        legal_basis=str(row["legal_basis"]),
        threat_assessment=str(row["threat_assessment"]),
        ocam_level=int(row["ocam_level"]),
        ocam_date=_day(row["ocam_date"]),
        ocam_source=str(row["ocam_source"]),
        starts_on=_day(row["starts_on"]),
        ends_on=_day(row["ends_on"]),
        next_review=_day(row["next_review"]),
        sectors=tuple(Sector(s) for s in json.loads(str(row["sectors"]))),
        routes=tuple(str(r) for r in json.loads(str(row["routes"]))),
    )

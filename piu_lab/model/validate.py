"""Validation at the edges: what a PNR must satisfy before it may be stored.

Parsers and generators build :class:`~piu_lab.model.Pnr` values; the store calls
:func:`check_pnr` before writing. Problems name the field and its place, never the value of a
passenger's data (errors and logs must not leak personal data).
"""

from __future__ import annotations

import re

from piu_lab.errors import InvalidRecord
from piu_lab.model.enums import LocationKind
from piu_lab.model.records import Pnr, Segment

__all__ = ["check_pnr", "location_code_ok", "pnr_problems"]

_LOCATOR = re.compile(r"^[A-Z0-9]{5,20}$")
_CARRIER = re.compile(r"^[A-Z0-9]{2,4}$")
_LOCATION = {
    LocationKind.AIRPORT: re.compile(r"^[A-Z]{3}$"),
    LocationKind.STATION: re.compile(r"^\d{7}$"),
    LocationKind.PORT: re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$"),
    LocationKind.BUS_STOP: re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$"),
}


def location_code_ok(code: str, kind: LocationKind) -> bool:
    """IATA airport (3 letters), UIC station (7 digits) or UN/LOCODE (5 characters)."""
    return bool(_LOCATION[kind].match(code))


def _segment_problems(seg: Segment, where: str) -> list[str]:
    out: list[str] = []
    if not _CARRIER.match(seg.carrier):
        out.append(f"{where}.carrier: not a carrier code")
    if not seg.transport_number:
        out.append(f"{where}.transport_number: empty")
    if not location_code_ok(seg.origin, seg.origin_kind):
        out.append(f"{where}.origin: not a valid {seg.origin_kind.value} code")
    if not location_code_ok(seg.destination, seg.destination_kind):
        out.append(f"{where}.destination: not a valid {seg.destination_kind.value} code")
    if seg.departure_utc.tzinfo is None or seg.arrival_utc.tzinfo is None:
        out.append(f"{where}.departure_utc/arrival_utc: must be aware UTC datetimes")
    elif seg.arrival_utc < seg.departure_utc:
        out.append(f"{where}.arrival_utc: before departure")
    return out


def pnr_problems(pnr: Pnr) -> tuple[str, ...]:
    """Every problem of ``pnr``, each naming the field and where it is; empty when valid."""
    out: list[str] = []
    if not _LOCATOR.match(pnr.record_locator):
        out.append("record_locator: 5-20 upper-case letters or digits expected")
    if not _CARRIER.match(pnr.carrier):
        out.append("carrier: 2-4 upper-case letters or digits expected")
    if pnr.version < 1:
        out.append("version: must be 1 or more")
    if pnr.created_at.tzinfo is None or pnr.received_at.tzinfo is None:
        out.append("created_at/received_at: must be aware UTC datetimes")
    if not pnr.segments:
        out.append("segments: a PNR needs at least one leg")
    seg_nos = [s.seg_no for s in pnr.segments]
    if len(set(seg_nos)) != len(seg_nos):
        out.append("segments.seg_no: duplicated")
    for seg in pnr.segments:
        out.extend(_segment_problems(seg, f"segments[{seg.seg_no}]"))
    refs = [p.pax_ref for p in pnr.passengers]
    if len(set(refs)) != len(refs):
        out.append("passengers.pax_ref: duplicated")
    known = set(seg_nos)
    for pax in pnr.passengers:
        where = f"passengers[{pax.pax_ref}]"
        if not pax.surname.strip():
            out.append(f"{where}.surname: empty")
        if pax.infant_of is not None and pax.infant_of not in refs:
            out.append(f"{where}.infant_of: names no passenger of this PNR")
        for seat in pax.seats:
            if seat.seg_no not in known:
                out.append(f"{where}.seats: seg_no {seat.seg_no} is not a leg of this PNR")
        for bag in pax.bags:
            if bag.seg_no not in known:
                out.append(f"{where}.bags: seg_no {bag.seg_no} is not a leg of this PNR")
            if bag.count < 0:
                out.append(f"{where}.bags.count: negative")
    return tuple(out)


def check_pnr(pnr: Pnr) -> Pnr:
    """Return ``pnr`` unchanged, or raise :class:`InvalidRecord` listing every problem."""
    problems = pnr_problems(pnr)
    if problems:
        raise InvalidRecord(
            f"PNR version {pnr.version} of carrier {pnr.carrier} is invalid: {len(problems)} "
            "problem(s)",
            errors=problems,
            hint="see error.errors for each field",
            carrier=pnr.carrier,
            version=pnr.version,
        )
    return pnr

"""The dry-run report of ``piu-lab ingest --dry-run --json``: one JSON document describing every
message, what it became and what it carried after the Annex I filter. Documented field by field
in ``docs/ingest-report.md``; the golden files of the parser tests are written in this form.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from piu_lab.ingest.pnrgov import ParsedPnr
from piu_lab.ingest.reader import MessageOutcome
from piu_lab.model import ApiManifest, ApiPerson, Passenger, TravelDocument

__all__ = ["REPORT_VERSION", "message_json", "report_json"]

REPORT_VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _document(doc: TravelDocument) -> dict[str, Any]:
    return {
        "type": doc.doc_type.value,
        "number": doc.number,
        "issuing_country": doc.issuing_country or None,
        "expiry": _day(doc.expiry_date),
        "nationality": doc.nationality or None,
        "date_of_birth": _day(doc.date_of_birth),
        "gender": doc.gender.value,
    }


def _passenger(p: Passenger) -> dict[str, Any]:
    first = p.documents[0] if p.documents else None
    return {
        "pax_ref": p.pax_ref,
        "surname": p.surname,
        "given_names": p.given_names,
        "title": p.title or None,
        "passenger_type": p.passenger_type.name.lower(),
        "infant_of": p.infant_of,
        "travel_status": p.travel_status.value.lower(),
        "date_of_birth": _day(first.date_of_birth) if first else None,
        "gender": first.gender.value if first else None,
        "documents": [_document(d) for d in p.documents],
        "seats": [
            {"segment": s.seg_no, "seat": s.seat_number, "cabin": s.cabin or None} for s in p.seats
        ],
        "bags": sum(b.count for b in p.bags),
        "tickets": [t.number for t in p.tickets],
        "frequent_flyer": [f"{f.airline}{f.number}" for f in p.frequent_flyers],
        "contacts": [{"kind": c.kind.value.lower(), "value": c.value} for c in p.contacts],
        "unaccompanied_minor": p.minor is not None,
    }


def _pnr(parsed: ParsedPnr) -> dict[str, Any]:
    pnr = parsed.pnr
    return {
        "record_locator": pnr.record_locator,
        "carrier": pnr.carrier,
        "sector": pnr.sector.value,
        "created_at": _moment(pnr.created_at),
        "push_stage": pnr.push_stage.value.lower(),
        "passengers": [_passenger(p) for p in pnr.passengers],
        "segments": [
            {
                "carrier": s.carrier,
                "number": s.transport_number,
                "origin": s.origin,
                "destination": s.destination,
                "departure": _moment(s.departure_local),
                "arrival": _moment(s.arrival_local),
                "departure_utc": _moment(s.departure_utc),
                "operating_carrier": s.operating_carrier,
                "operating_number": s.operating_number,
                "status": s.status,
            }
            for s in pnr.segments
        ],
        "bag_count": sum(b.count for p in pnr.passengers for b in p.bags),
        "payments": [
            {"form": pay.form.name.lower(), "card": pay.card_masked or None} for pay in pnr.payments
        ],
        "agency": {"iata_number": pnr.agency.iata_number, "name": pnr.agency.name or None}
        if pnr.agency
        else None,
        "contacts": [{"kind": c.kind.value.lower(), "value": c.value} for c in pnr.contacts],
        "splits": [s.related_locator for s in pnr.splits],
        "history": [
            {"heading": int(h.heading), "action": h.action.name.lower(), "item": h.item}
            for h in pnr.history
        ],
        "removed": dict(parsed.removed),
        "warnings": list(parsed.warnings),
    }


def _traveller(person: ApiPerson) -> dict[str, Any]:
    return {
        "role": person.role.value.lower(),
        "surname": person.surname,
        "given_names": person.given_names,
        "date_of_birth": _day(person.date_of_birth),
        "gender": person.gender.value,
        "nationality": person.nationality or None,
        "documents": [_document(d) for d in person.documents],
        "record_locator": person.record_locator or None,
    }


def _legs(manifest: ApiManifest) -> list[dict[str, Any]]:
    return [
        {
            "carrier": leg.carrier,
            "number": leg.transport_number,
            "origin": leg.departure_port,
            "destination": leg.arrival_port,
            "departure": _moment(leg.departure_local),
            "arrival": _moment(leg.arrival_local),
        }
        for leg in manifest.legs
    ]


def message_json(outcome: MessageOutcome, status: str | None = None) -> dict[str, Any]:
    """One message of the report. ``status``: parsed, duplicate or quarantined."""
    if status is None:
        status = "parsed" if outcome.error is None else "quarantined"
    error = None
    if outcome.error is not None:
        error = {
            "reason": outcome.error.message,
            "segment": outcome.error.segment or None,
            "position": outcome.error.position or None,
        }
    return {
        "source": outcome.source,
        "index": outcome.index,
        "type": outcome.kind.value if outcome.kind else None,
        "status": status,
        "sha256": outcome.sha256,
        "envelope": outcome.envelope.as_dict() if outcome.envelope else None,
        "error": error,
        "warnings": list(outcome.warnings),
        "removed": dict(outcome.removed),
        "pnrs": [_pnr(p) for p in outcome.pnrs],
        "legs": _legs(outcome.manifest) if outcome.manifest else [],
        "manifest": {
            "sector": outcome.manifest.sector.value,
            "transport_code": outcome.manifest.transport_code or None,
            "total_count": outcome.manifest.total_count,
        }
        if outcome.manifest
        else None,
        "travellers": [_traveller(p) for p in outcome.manifest.persons] if outcome.manifest else [],
    }


def report_json(items: Iterable[tuple[MessageOutcome, str]]) -> dict[str, Any]:
    """The whole report: ``{"version", "messages": [...], "totals": {...}}``."""
    messages = [message_json(outcome, status) for outcome, status in items]
    totals = {"messages": len(messages), "parsed": 0, "duplicate": 0, "quarantined": 0}
    for m in messages:
        totals[m["status"]] += 1
    totals["pnrs"] = sum(len(m["pnrs"]) for m in messages)
    totals["travellers"] = sum(len(m["travellers"]) for m in messages)
    return {"version": REPORT_VERSION, "messages": messages, "totals": totals}

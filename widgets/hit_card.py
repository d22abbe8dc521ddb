"""One hit as its reviewer reads it (HTML): the traveller as the PNR holds them beside the list
entry, or the criterion's conditions that fired; the explanation, the history, the deadline.

Masked values (six months after the PNR's registration, R-RET-02) arrive from the facade as
``api.MASKED`` and show as the text ``<masked>``, with a note saying so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

import piu_lab.api as api
from widgets.common import esc, frame_html

__all__ = ["card_html", "hours_text", "status_text"]

_TRAVELLER = (
    ("surname", "Surname"),
    ("given_names", "Given names"),
    ("date_of_birth", "Date of birth"),
    ("gender", "Gender"),
    ("nationality", "Nationality"),
    ("doc_type", "Document type"),
    ("number", "Document number"),
    ("issuing_country", "Issued by"),
    ("expiry_date", "Document expiry"),
    ("travel_status", "Travel status"),
)
_ENTRY = (
    ("full_name", "Name on the list"),
    ("aliases", "Aliases"),
    ("date_of_birth", "Date of birth"),
    ("nationality", "Nationality"),
    ("document_number", "Document number"),
    ("list_id", "List"),
    ("source_entry", "Entry"),
    ("version", "List version"),
)


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return esc(", ".join(str(v) for v in value)) or "<i>none</i>"
    if isinstance(value, pd.Timestamp):
        return esc(value.date().isoformat())
    return esc(value)


def _rows(pairs: tuple[tuple[str, str], ...], record: Mapping[str, Any]) -> str:
    cells = "".join(
        f"<tr><th>{esc(label)}</th><td>{_value(record.get(key))}</td></tr>"
        for key, label in pairs
        if key in record
    )
    return f'<div class="piu-table"><table>{cells}</table></div>'


def hours_text(hours: object) -> str:
    if not isinstance(hours, int | float) or math.isnan(float(hours)):
        return ""
    if hours < 0:
        return f"deadline passed {abs(float(hours)):.1f} h ago (BREACHED)"
    return f"{float(hours):.1f} h left before the 24-hour deadline"


def status_text(hit: Mapping[str, object]) -> str:
    """One line: the hit, its status, and its deadline or who decided it when."""
    status = str(hit.get("status", "?"))
    head = f"Hit {hit.get('hit_id')}: {status}"
    if status in ("NEW", "IN_REVIEW"):
        return f"{head}, {hours_text(hit.get('hours_left'))}"
    by, at = hit.get("status_by"), hit.get("status_at")
    late = " (decided after the deadline)" if bool(hit.get("breached")) else ""
    return f"{head} by {by} at {str(at)[:16]}{late}"


def _traveller(card: api.HitCard) -> dict[str, Any]:
    frame = card.traveller
    if frame.empty:
        return {}
    latest = frame.sort_values("version").iloc[-1]
    return {str(k): v for k, v in latest.items()}


def _source(card: api.HitCard) -> str:
    hit = card.hit
    if hit.get("source_kind") == "WATCHLIST":
        title = f"List entry ({esc(hit.get('list_id'))})"
        body = _rows(_ENTRY, card.entry) if card.entry else "<i>masked or no longer listed</i>"
        return f"<div><h4>{title}</h4>{body}</div>"
    title = f"Criterion {esc(hit.get('criterion_id'))} v{esc(hit.get('criterion_version'))}"
    if card.fired:
        fired = pd.DataFrame(list(card.fired))
        body = frame_html(fired, ["field", "op", "value", "actual", "path"])
    else:
        body = "<i>the conditions are masked</i>"
    return f"<div><h4>{title}: the conditions that fired</h4>{body}</div>"


def card_html(card: api.HitCard) -> str:
    """The whole card of one hit (escaped HTML)."""
    hit = card.hit
    traveller = _traveller(card)
    masked = api.MASKED in {str(v) for v in (*traveller.values(), hit.get("explanation"))}
    note = (
        '<div class="piu-note">Some values are masked (six months after the PNR was registered, '
        f"R-RET-02): they show as {esc(api.MASKED)}.</div>"
        if masked
        else ""
    )
    others = [s for s in str(hit.get("services_on_journey") or "").split(",") if s]
    facts = (
        f"<b>{esc(card.label)}</b> · {esc(hit.get('source_kind'))} hit · score "
        f"{esc(hit.get('score'))} · {esc(hit.get('kind'))} · service {esc(hit.get('service'))}"
        + (" · FTF" if bool(hit.get("ftf")) else "")
        + f"<br>Services with hits on this passenger-journey: {esc(', '.join(others))}"
        + f"<br>PNR {esc(hit.get('pnr_id'))}, passenger {esc(hit.get('pax_ref'))}"
    )
    traveller_html = _rows(_TRAVELLER, traveller) if traveller else "<i>not stored</i>"
    side = (
        '<div class="piu-side">'
        f"<div><h4>Traveller (as the PNR holds them)</h4>{traveller_html}</div>"
        f"{_source(card)}</div>"
    )
    explanation = f"<h4>Explanation</h4><div>{esc(hit.get('explanation'))}</div>"
    history = frame_html(card.history, ["seq", "at", "actor", "status", "reason"])
    return f"{note}<div>{facts}</div>{side}{explanation}<h4>History</h4>{history}"

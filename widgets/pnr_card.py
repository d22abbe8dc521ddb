"""The PNR card: all Annex I data of one PNR and every version received, masked as the policy
says (``session.pnr``: R-DATA-01, R-RET-02).

Masked values show as the text ``<masked>`` (or as keyed pseudonyms ``P:...`` under criteria
analysis) and a note names the masked field groups. CSS classes: ``piu-open-pnr`` (a PNR id)
with the button "Open PNR", ``piu-pnr-card`` (the card), ``piu-refusal`` (a refusal).
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from piu_lab.model import AnnexHeading
from widgets.common import banner, esc, frame_html, guarded, set_message

__all__ = ["GROUP_LABELS", "TABLES", "PnrCard", "pnr_html"]

_H = AnnexHeading
#: The PNR tables in the order of the card, with the Annex I headings each carries.
TABLES: tuple[tuple[str, tuple[AnnexHeading, ...]], ...] = (
    ("pnr", (_H.RECORD_LOCATOR, _H.RESERVATION_DATE)),
    ("pnr_version", (_H.RESERVATION_DATE, _H.TRAVEL_AGENCY)),
    ("passenger", (_H.NAMES, _H.TRAVEL_STATUS, _H.OTHER_TRAVELLERS)),
    ("minor", (_H.UNACCOMPANIED_MINOR,)),
    ("travel_document", (_H.API,)),
    ("segment", (_H.TRAVEL_DATES, _H.ITINERARY, _H.CODE_SHARE)),
    ("ticket", (_H.TICKETING,)),
    ("seat", (_H.SEAT,)),
    ("bag", (_H.BAGGAGE,)),
    ("frequent_flyer", (_H.FREQUENT_FLYER,)),
    ("contact", (_H.ADDRESS_CONTACT,)),
    ("payment", (_H.PAYMENT,)),
    ("split_info", (_H.SPLIT_DIVIDED,)),
    ("history", (_H.HISTORY,)),
)
#: The masked field groups (DIR art. 12(2)(a)-(f)) in words.
GROUP_LABELS = {
    api.FieldGroup.NAMES: "names",
    api.FieldGroup.ADDRESS_CONTACT: "address and contact information",
    api.FieldGroup.PAYMENT: "payment information",
    api.FieldGroup.FREQUENT_FLYER: "frequent flyer information",
    api.FieldGroup.GENERAL_REMARKS: "general remarks",
    api.FieldGroup.API_DATA: "API data (documents)",
}


def masked_note(record: api.PnrRecord) -> str:
    """The note of a masked card (empty when nothing is masked)."""
    if not record.masked:
        return ""
    groups = ", ".join(GROUP_LABELS[g] for g in api.FieldGroup if g in record.masked)
    return (
        f"Masked: this PNR was registered on {record.registered_at:%Y-%m-%d}, more than six "
        f"months ago, so its {groups} are masked (R-RET-02) and show as {api.MASKED}. "
        "Unmasking needs a targeted search under an authorisation that allows it (R-RET-04)."
    )


def pnr_html(record: api.PnrRecord, *, with_note: bool = True) -> str:
    """Every table of the record, version by version (escaped HTML)."""
    parts = []
    note = masked_note(record)
    if note and with_note:
        parts.append(f'<div class="piu-note">{esc(note)}</div>')
    head = record.tables["pnr"]
    versions = record.tables["pnr_version"]
    parts.append(
        f"<h3>PNR {esc(record.pnr_id)}</h3>registered {record.registered_at:%Y-%m-%d %H:%M} UTC, "
        f"{len(versions)} version(s) received"
        + (f", masked on {head['masked_at'].iloc[0]:%Y-%m-%d}" if _masked_at(head) else "")
    )
    for name, headings in TABLES:
        frame = record.tables.get(name)
        if frame is None or frame.empty:
            continue
        shown = frame.drop(columns=[c for c in ("pnr_id",) if c in frame.columns])
        sort = [c for c in ("version", "pax_ref", "seg_no", "item_no") if c in shown.columns]
        shown = shown.sort_values(sort) if sort else shown
        labels = "; ".join(f"{h.value}. {h.label}" for h in headings)
        parts.append(
            f"<h4>{esc(name.replace('_', ' '))} <small>(Annex I: {esc(labels)})</small></h4>"
            + frame_html(shown)
        )
    return "".join(parts)


def _masked_at(head: pd.DataFrame) -> bool:
    return "masked_at" in head.columns and bool(head["masked_at"].notna().any())


class PnrCard:
    """Open a PNR by id and show its card (``session.pnr``, audited by the facade)."""

    def __init__(self, session: api.Session, *, show_banner: bool = True) -> None:
        self.session = session
        self.record: api.PnrRecord | None = None
        self.pnr_id = w.Text(placeholder="PNR id, e.g. SN:ABC123", description="PNR")
        self.pnr_id.add_class("piu-open-pnr")
        self.open_button = w.Button(description="Open PNR", button_style="info")
        self.note = w.HTML()
        self.body = w.HTML()
        self.message = w.HTML()
        self.card = w.VBox([self.note, self.body])
        self.card.add_class("piu-pnr-card")
        self.open_button.on_click(lambda _b: self.open(self.pnr_id.value))
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            w.HTML("<h3>PNR card</h3>"),
            w.HBox([self.pnr_id, self.open_button]),
            self.message,
            self.card,
        ]
        self.widget = w.VBox(parts)

    def open(self, pnr_id: str) -> api.PnrRecord | None:
        """Show ``pnr_id``; a refusal or an unknown PNR shows in the page."""
        pnr_id = pnr_id.strip()
        set_message(self.message)
        self.note.value = self.body.value = ""
        if not pnr_id:
            set_message(self.message, "Refused: give a PNR id to open.", kind="refusal")
            return None
        record = guarded(self.message, lambda: self.session.pnr(pnr_id))
        self.record = record
        if record is None:
            return None
        self.pnr_id.value = pnr_id
        note = masked_note(record)
        self.note.value = f'<div class="piu-note">{esc(note)}</div>' if note else ""
        self.body.value = pnr_html(record, with_note=False)
        return record

    @property
    def text(self) -> str:
        """The card's HTML (what the page shows)."""
        return f"{self.note.value}{self.body.value}"

    @property
    def refused(self) -> bool:
        return "piu-refusal" in self.message._dom_classes

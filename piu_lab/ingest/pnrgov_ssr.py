"""SSR segments (wherever they sit in a PNRGOV message) and history items (groups 10-12).

SSR codes are classified by the DPO-reviewed table first (R-SENS-03): a meal, health or other
sensitive code is deleted on receipt and counted, never stored, indexed or logged. The codes
that carry Annex I data (DOCS, DOCO, DOCA, FQTV, CTCE/CTCM..., SEAT, TKNE, UMNR, INFT, CHLD)
are mapped; any other code is outside Annex I: deleted, counted, and named in a warning.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from piu_lab.ingest.fields import parse_docs
from piu_lab.ingest.syntax import RawSegment
from piu_lab.model import AnnexHeading, ContactKind

if TYPE_CHECKING:
    from piu_lab.ingest.pnrgov_items import PnrDraft

__all__ = ["handle_ssr", "history_item"]

_HISTORY_HEADINGS = {
    "TVL": AnnexHeading.ITINERARY,
    "RPI": AnnexHeading.TRAVEL_STATUS,
    "TIF": AnnexHeading.NAMES,
    "TBD": AnnexHeading.BAGGAGE,
    "SSD": AnnexHeading.SEAT,
    "FOP": AnnexHeading.PAYMENT,
    "TKT": AnnexHeading.TICKETING,
    "ADD": AnnexHeading.ADDRESS_CONTACT,
    "FTI": AnnexHeading.FREQUENT_FLYER,
    "APD": AnnexHeading.ITINERARY,
    "TRA": AnnexHeading.CODE_SHARE,
}
_SSR_HEADINGS = {
    "SEAT": AnnexHeading.SEAT,
    "NSST": AnnexHeading.SEAT,
    "RQST": AnnexHeading.SEAT,
    "DOCS": AnnexHeading.API,
    "DOCO": AnnexHeading.API,
    "DOCA": AnnexHeading.ADDRESS_CONTACT,
    "FQTV": AnnexHeading.FREQUENT_FLYER,
    "CTCE": AnnexHeading.ADDRESS_CONTACT,
    "CTCM": AnnexHeading.ADDRESS_CONTACT,
    "CTCH": AnnexHeading.ADDRESS_CONTACT,
    "TKNE": AnnexHeading.TICKETING,
    "UMNR": AnnexHeading.UNACCOMPANIED_MINOR,
    "INFT": AnnexHeading.OTHER_TRAVELLERS,
    "CHLD": AnnexHeading.NAMES,
}
_SEAT = re.compile(r"^0*(\d{1,3}[A-Z])$")
_AGE = re.compile(r"UM\s?(\d{1,2})")


def _free_text(seg: RawSegment) -> str:
    """The free text of an SSR: component 8 of the first element and anything after it."""
    head = seg.element(0)
    return ":".join(head[8:]) if len(head) > 8 else ""


def _ref(seg: RawSegment) -> str:
    """The traveller reference of an SSR (``+::43578``)."""
    for el in seg.elements[1:]:
        if len(el) > 2 and el[2]:
            return el[2].rstrip("I")
    return ""


def handle_ssr(draft: PnrDraft, seg: RawSegment) -> None:
    code = seg.get(0, 0).upper().replace(" ", "")
    category = draft.ctx.table.code_category(code)
    if category is not None:
        draft.removed.add(category)
        return
    text = _free_text(seg)
    if code in {"DOCS", "DOCO"}:
        _docs(draft, seg, code, text)
    elif code == "DOCA":
        _doca(draft, seg, text)
    elif code == "FQTV":
        owner = draft.find_pax(_ref(seg)) or draft.current
        number = text.strip().lstrip("/")
        if owner is not None and number:
            owner.ffs.append((seg.get(0, 3), number.upper(), ""))
    elif code in {"CTCE", "CTCM", "CTCH", "CTCB", "CTCP"}:
        owner = draft.find_pax(_ref(seg)) or draft.current
        kind = ContactKind.EMAIL if code == "CTCE" else ContactKind.PHONE
        value = text.strip().lstrip("/")
        value = (
            value.replace("//", "@").lower()
            if kind is ContactKind.EMAIL
            else re.sub(r"\D", "", value)
        )
        if value:
            target = owner.contacts if owner is not None else draft.contacts
            target.append((kind, value, ""))
    elif code in {"SEAT", "NSST", "RQST"}:
        _seats(draft, seg)
    elif code == "TKNE":
        owner = draft.find_pax(_ref(seg)) or draft.current
        number = re.sub(r"\D", "", text)[:13]
        if owner is not None and number and not any(t.get("number") for t in owner.tickets):
            owner.tickets.append({"number": number})
    elif code == "UMNR":
        owner = draft.find_pax(_ref(seg)) or draft.current
        match = _AGE.search(text.upper())
        if owner is not None:
            owner.minor_age = int(match.group(1)) if match else 0
    elif code in {"INFT", "CHLD"}:
        pass  # the infant or child has its own TIF; the SSR repeats its name and birth date
    elif code in {"OTHS", "OSI"} or not code:
        draft.delete_text(text)
    else:
        draft.warn(seg, f"SSR {code[:4]} is outside Annex I; deleted")
        draft.removed.add("outside-annex")


def _docs(draft: PnrDraft, seg: RawSegment, code: str, text: str) -> None:
    if code == "DOCO":
        parts = [p.strip().upper() for p in text.lstrip("/").split("/")] + [""] * 6
        # /place of birth/type/number/place of issue/date of issue/country: keep type, number,
        # country (heading 18); place of birth and date of issue are not API items
        fields = parse_docs(f"/{parts[1]}/{parts[5]}/{parts[2]}", draft.ctx.pivot)
        if parts[0] or parts[3] or parts[4]:
            draft.removed.add("outside-annex")
    else:
        fields = parse_docs(text, draft.ctx.pivot)
    if not (fields.number or fields.surname or fields.date_of_birth):
        draft.warn(seg, f"SSR {code} without document, name or birth date; deleted")
        draft.removed.add("outside-annex")
        return
    draft.loose_docs.append((_ref(seg), code, fields))


def _doca(draft: PnrDraft, seg: RawSegment, text: str) -> None:
    parts = [p.strip().upper() for p in text.lstrip("/").split("/")]
    address = ", ".join(p for p in parts[2:] if p)
    owner = draft.find_pax(_ref(seg)) or draft.current
    if owner is None or not address:
        draft.removed.add("outside-annex")
        return
    owner.contacts.append((ContactKind.ADDRESS, address, parts[1] if len(parts) > 1 else ""))


def _seats(draft: PnrDraft, seg: RawSegment) -> None:
    origin, destination = seg.get(0, 6).upper(), seg.get(0, 7).upper()
    index = draft.seg_index(origin, destination) if origin else len(draft.segs) - 1
    for el in seg.elements[1:]:
        match = _SEAT.match(el[0].upper()) if el else None
        if match is None:
            continue
        ref = el[2] if len(el) > 2 else ""
        owner = draft.find_pax(ref) if ref else draft.current
        if owner is None:
            draft.loose_seats.append((ref, index, match.group(1)))
        else:
            owner.seats.append((index, match.group(1), ""))


def history_item(draft: PnrDraft, seg: RawSegment) -> None:
    """An item of a history group: which heading changed and how, never a sensitive value."""
    tag = seg.tag
    if tag == "SSR":
        code = seg.get(0, 0).upper()
        category = draft.ctx.table.code_category(code)
        if category is not None:
            draft.removed.add(category)
            return
        heading = _SSR_HEADINGS.get(code)
        item = f"SSR {code}"
    elif tag in {"IFT", "LTS"}:
        draft.delete_text(" ".join(" ".join(e) for e in seg.elements))
        return
    else:
        heading = _HISTORY_HEADINGS.get(tag)
        item = tag
        if tag == "TVL":
            item = f"TVL {seg.get(1, 0)}-{seg.get(2, 0)} {seg.get(3, 0)}{seg.get(4, 0)}".upper()
    if heading is None:
        draft.warn(seg, "history item not understood; deleted")
        draft.removed.add("unknown-segment")
        return
    draft.history.append((draft.hist_time, draft.hist_action, heading, item))

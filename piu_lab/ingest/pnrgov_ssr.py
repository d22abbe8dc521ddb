"""SSR segments (wherever they sit in a PNRGOV message) and history items (groups 10-12).

SSR codes are classified by the DPO-reviewed table first (R-SENS-03): a meal, health or other
sensitive code is deleted on receipt and counted under its category, never stored, indexed or
logged; a generic code (``SPML``, ``OTHS``...) is counted under the protected category its free
text reveals (``SPML`` ``HALAL MEAL`` counts as religion). The codes that carry Annex I data
are mapped: DOCS, DOCO, DOCA (heading 18 and 5), FQTV (heading 8: the number only, never the
mileage, R-DATA-02), CTCE/CTCM... (heading 5), SEAT/NSST/RQST (14), TKNE (13), UMNR (12, the
unaccompanied-minor items only), INFT (17). Any other code is outside Annex I: deleted, counted,
and named in a warning by its segment number only (a code may itself be revealing).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from piu_lab.ingest.fields import (
    DocsFields,
    decode_email,
    parse_doco,
    parse_docs,
    parse_minor,
    parse_phones,
    seat_of,
)
from piu_lab.ingest.syntax import RawSegment
from piu_lab.model import AnnexHeading, ContactKind, DocumentType, Gender

if TYPE_CHECKING:
    from piu_lab.ingest.pnrgov_items import PnrDraft

__all__ = ["GENERIC_CATEGORIES", "handle_ssr", "history_item", "ssr_category"]

_HISTORY_HEADINGS = {
    "TVL": (AnnexHeading.ITINERARY, "SEGMENT"),
    "RPI": (AnnexHeading.TRAVEL_STATUS, "STATUS"),
    "TIF": (AnnexHeading.NAMES, "NAME"),
    "TBD": (AnnexHeading.BAGGAGE, "BAG"),
    "SSD": (AnnexHeading.SEAT, "SEAT"),
    "FOP": (AnnexHeading.PAYMENT, "PAYMENT"),
    "TKT": (AnnexHeading.TICKETING, "TICKET"),
    "ADD": (AnnexHeading.ADDRESS_CONTACT, "ADDRESS"),
    "FTI": (AnnexHeading.FREQUENT_FLYER, "FREQUENT FLYER"),
    "APD": (AnnexHeading.ITINERARY, "EQUIPMENT"),
    "TRA": (AnnexHeading.CODE_SHARE, "CODE SHARE"),
    "RCI": (AnnexHeading.RECORD_LOCATOR, "RECORD LOCATOR"),
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
#: History items written as text (IFT+4:19): ``<KEYWORD> <what>``, e.g. ``SEAT 1/15A``. Only
#: these keywords and these characters are kept; any other history text is free text.
_ITEM = re.compile(r"^(NAME|SEAT|BAG|DOCS|STATUS|SEGMENT|TICKET|SPLIT)(?: [A-Z0-9/ _.-]{0,40})?$")
_ITEM_HEADINGS = {
    "NAME": AnnexHeading.NAMES,
    "SEAT": AnnexHeading.SEAT,
    "BAG": AnnexHeading.BAGGAGE,
    "DOCS": AnnexHeading.API,
    "STATUS": AnnexHeading.TRAVEL_STATUS,
    "SEGMENT": AnnexHeading.ITINERARY,
    "TICKET": AnnexHeading.TICKETING,
    "SPLIT": AnnexHeading.SPLIT_DIVIDED,
}
#: Table categories that say "some free text" rather than what it reveals: refined by the text.
GENERIC_CATEGORIES = frozenset({"special-meal", "free-text", "outside-annex", "group-name"})
_TICKET = re.compile(r"(INF)?(\d{13})")
_INFANT_DATE = re.compile(r"[\s/]*\d{1,2}[A-Z]{3}\d{2,4}.*$")
_WORDS = re.compile(r"[/\s]+")
_SEAT_TEXT = re.compile(r"\d{1,3}[A-Z]")
_PHONE_CODES = frozenset({"CTCM", "CTCH", "CTCP"})
_SEAT_CODES = frozenset({"SEAT", "NSST", "RQST"})


def _free_text(seg: RawSegment) -> str:
    """The free text of an SSR: component 8 of the first element and anything after it."""
    head = seg.element(0)
    return ":".join(head[8:]) if len(head) > 8 else ""


def _ref(seg: RawSegment) -> tuple[str, bool]:
    """The traveller reference of an SSR (``+::43578``) and whether it names the infant
    travelling with that traveller (``43578I``)."""
    for el in seg.elements[1:]:
        if len(el) > 2 and el[2].strip():
            ref = el[2].strip()
            return (ref[:-1], True) if ref.endswith("I") and ref[:-1].strip() else (ref, False)
    return "", False


def ssr_category(draft: PnrDraft, code: str, text: str) -> str | None:
    """The deletion category of an SSR (R-SENS-03), or None when its code may be kept."""
    table = draft.ctx.table
    category = table.code_category(code)
    if category is None:
        return None
    if category in GENERIC_CATEGORIES:
        return table.text_category(text) or category
    return category


def handle_ssr(draft: PnrDraft, seg: RawSegment) -> None:
    code = seg.get(0, 0).upper().replace(" ", "")
    text = _free_text(seg)
    category = ssr_category(draft, code, text)
    if category is not None:
        draft.removed.add(category)
        return
    ref, infant = _ref(seg)
    if not ref and draft.current is not None and draft.state == "pax":
        ref = draft.current.ref
    if code == "DOCS":
        fields = parse_docs(text, draft.ctx.pivot)
        if not (fields.number or fields.surname or fields.date_of_birth):
            draft.warn(seg, "SSR DOCS without document, name or birth date; deleted")
            draft.removed.add("outside-annex")
            return
        draft.loose_docs.append((ref, infant or fields.infant, fields))
    elif code == "DOCO":
        _doco(draft, seg, ref, infant, text)
    elif code == "DOCA":
        _doca(draft, ref, text)
    elif code == "FQTV":
        _fqtv(draft, seg, ref, text)
    elif code == "CTCE" or code in _PHONE_CODES:
        owner = draft.find_pax(ref)
        target = owner.contacts if owner is not None else draft.contacts
        if code == "CTCE":
            email = decode_email(text.strip().lstrip("/"))
            if email:
                target.append((ContactKind.EMAIL, email, ""))
        else:
            target.extend((ContactKind.PHONE, p, "") for p in parse_phones(text)[:1])
    elif code in _SEAT_CODES:
        _seats(draft, seg)
    elif code == "TKNE":
        _tkne(draft, ref, text)
    elif code == "UMNR":
        owner = draft.find_pax(ref)
        if owner is not None:
            owner.minor = parse_minor(text)
    elif code == "INFT":
        name = _INFANT_DATE.sub("", text.strip().upper())
        surname, _, given = name.partition("/")
        draft.infant_links.append((ref, surname.strip(), given.strip()))
    elif code == "CHLD":
        return  # the child has a TIF of its own; the SSR repeats it
    else:
        draft.warn(seg, "SSR code outside Annex I; deleted")
        draft.removed.add(draft.ctx.table.text_category(text) or "outside-annex")


def _doco(draft: PnrDraft, seg: RawSegment, ref: str, infant: bool, text: str) -> None:
    doco = parse_doco(text)
    if doco.not_api:
        draft.removed.add("outside-annex", doco.not_api)  # place of birth / of issue, issue date
    if not doco.number:
        draft.warn(seg, "SSR DOCO without document number; deleted")
        draft.removed.add("outside-annex")
        return
    fields = DocsFields(
        doc_type=doco.doc_type or DocumentType.OTHER,
        issuing_country=doco.issuing_country,
        number=doco.number,
        nationality="",
        date_of_birth=None,
        gender=Gender.UNKNOWN,
        infant=doco.infant,
        expiry_date=None,
        surname="",
        given_names="",
    )
    draft.loose_docs.append((ref, infant or doco.infant, fields))


def _doca(draft: PnrDraft, ref: str, text: str) -> None:
    """``/R|D/country/street/city/state/postcode``: the passenger's own address (heading 5)."""
    parts = [p.strip().upper() for p in text.strip().lstrip("/").split("/")] + [""] * 7
    town = " ".join(p for p in (parts[5], parts[3]) if p)
    address = ", ".join(p for p in (parts[2], town, parts[4]) if p)
    owner = draft.find_pax(ref)
    if owner is None or not address:
        draft.removed.add("outside-annex")
        return
    owner.contacts.append((ContactKind.ADDRESS, address, parts[1]))


def _fqtv(draft: PnrDraft, seg: RawSegment, ref: str, text: str) -> None:
    """The frequent-flyer number only (heading 8); mileage or history text is deleted."""
    owner = draft.find_pax(ref)
    words = _WORDS.split(text.strip().upper())
    words = [w for w in words if w]
    if owner is None or not words:
        draft.removed.add("outside-annex")
        return
    number, airline = words[0], seg.get(0, 3).strip().upper()
    if len(number) > 4 and number[:2].isalpha() and any(c.isdigit() for c in number[2:]):
        airline, number = number[:2], number[2:]
    if not any(f[1] == number for f in owner.ffs):
        owner.ffs.append((airline, number, ""))
    if len(words) > 1:
        draft.removed.add("outside-annex")  # mileage, transactions: not heading 8 (R-DATA-02)


def _leg(draft: PnrDraft, seg: RawSegment) -> int | None:
    """The leg an SSR names by its city pair (components 6 and 7), else the current leg."""
    origin, destination = seg.get(0, 6).strip().upper(), seg.get(0, 7).strip().upper()
    if not origin:
        return len(draft.segs) - 1 if draft.segs else None
    for i, s in enumerate(draft.segs):
        if s.origin == origin and s.destination == destination:
            return i
    for i, s in enumerate(draft.segs):
        if s.destination == destination or s.origin == origin:
            draft.warn(
                seg, "seat on a city pair not in the itinerary; kept on the leg sharing a city"
            )
            return i
    draft.warn(seg, "seat on a leg not in the itinerary; not kept")
    return None


def _seats(draft: PnrDraft, seg: RawSegment) -> None:
    leg: int | None = -2  # not looked up yet
    for el in seg.elements[1:]:
        seat = seat_of(el[0]) if el else ""
        if not seat:
            continue  # "XXX" or empty: no seat
        if leg == -2:
            leg = _leg(draft, seg)
        if leg is None:
            return
        ref = el[2].strip() if len(el) > 2 else ""
        owner = draft.find_pax(ref) if ref else draft.current
        if owner is None:
            draft.loose_seats.append((ref, leg, seat))
        elif not any(s[0] == leg and s[1] == seat for s in owner.seats):
            owner.seats.append((leg, seat, ""))
    if leg == -2 and _SEAT_TEXT.search(_free_text(seg)):
        draft.warn(seg, "seat text without traveller references; not kept")


def _tkne(draft: PnrDraft, ref: str, text: str) -> None:
    match = _TICKET.search(text.replace(" ", ""))
    if match is None:
        return  # a ticket number already given by TKT, or none
    if match.group(1):
        draft.infant_tickets.append((ref, match.group(2)))
        return
    owner = draft.find_pax(ref)
    if owner is not None and not any(t.get("number") for t in owner.tickets):
        owner.tickets.append({"number": match.group(2)})


def history_item(draft: PnrDraft, seg: RawSegment) -> None:
    """An item of a history group: which heading changed and how, never a sensitive value."""
    tag = seg.tag
    ref = ""
    if tag == "SSR":
        code = seg.get(0, 0).upper().replace(" ", "")
        category = ssr_category(draft, code, _free_text(seg))
        if category is not None:
            draft.removed.add(category)
            return
        heading = _SSR_HEADINGS.get(code)
        item = f"SSR {code}" if heading is not None else ""
        ref = _ref(seg)[0]
    elif tag == "IFT":
        text = " ".join(seg.element(1)).strip().upper()
        match = _ITEM.match(text) if seg.get(0, 1) == "19" else None
        if match is None:
            draft.delete_text(" ".join(" ".join(e) for e in seg.elements[1:]))
            return
        heading, item, ref = _ITEM_HEADINGS[match.group(1)], text, seg.get(2, 0).strip()
    else:
        heading, word = _HISTORY_HEADINGS.get(tag, (None, ""))
        item = word
        if tag == "TVL":
            route = f"{seg.get(1, 0)}-{seg.get(2, 0)} {seg.get(3, 0)}{seg.get(4, 0)}"
            item = f"SEGMENT {route.strip().upper()}"
        elif tag == "TIF":
            ref = seg.get(1, 2).strip()
            item = f"NAME {ref}".strip()
    if heading is None:
        draft.warn(seg, "history item not understood; deleted")
        draft.removed.add("outside-annex" if tag == "SSR" else "unknown-segment")
        return
    draft.history.append((draft.hist_time, draft.hist_action, heading, item, ref))

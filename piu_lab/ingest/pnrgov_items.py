"""The PNR being read (:class:`PnrDraft`) and the rules of PNRGOV groups 1 to 4: the PNR
(RCI, DAT, ORG, ADD, IFT, EBD), its travellers (TIF, FTI, FAR), their tickets (TKT, MON, PTK)
and the forms of payment (FOP, sponsor IFT).

A :class:`PnrDraft` collects one PNR (one ``SRC`` group) in mutable form;
:func:`piu_lab.ingest.pnrgov_build.build_pnr` freezes it into a :class:`~piu_lab.model.Pnr`.
Every segment maps to an Annex I heading (R-DATA-01) or is deleted on receipt and counted by
category (R-SENS-02/03, R-DATA-02). Warnings name the segment number and tag, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from piu_lab.ingest.fields import (
    DocsFields,
    MinorFields,
    compact,
    decode_email,
    mask_card,
    parse_datetime,
    parse_phones,
    split_title,
)
from piu_lab.ingest.sensitive import Removed, SensitiveTable
from piu_lab.ingest.syntax import KNOWN_TAGS, RawSegment
from piu_lab.model import (
    AnnexHeading,
    Bag,
    ContactKind,
    HistoryAction,
    PassengerType,
    PaymentForm,
    SplitKind,
    TravelStatus,
)
from piu_lab.places import Place

__all__ = ["PaxDraft", "PnrDraft", "PnrgovContext", "SegDraft", "money", "tag_name"]


@dataclass(frozen=True, slots=True)
class PnrgovContext:
    pivot: date
    received_at: datetime
    place: Callable[[str], Place | None]
    table: SensitiveTable


@dataclass(slots=True)
class SegDraft:
    number: int  # segment number in the message, for warnings
    carrier: str
    transport_number: str
    origin: str
    destination: str
    departure: datetime | None
    arrival: datetime | None
    booking_class: str = ""
    status: str = "HK"
    operating_carrier: str | None = None
    operating_number: str | None = None
    equipment: str = ""
    second_tvl: bool = False  # the operating number came from a second TVL (before 14.1)


@dataclass(slots=True)
class PaxDraft:
    ref: str
    surname: str
    given_names: str
    title: str
    passenger_type: PassengerType
    has_infant: bool = False
    infant_of: str | None = None
    status: TravelStatus | None = None
    docs: list[DocsFields] = field(default_factory=list)
    tickets: list[dict[str, object]] = field(default_factory=list)
    seats: list[tuple[int, str, str]] = field(default_factory=list)  # (leg index, seat, cabin)
    bags: list[Bag] = field(default_factory=list)
    ffs: list[tuple[str, str, str]] = field(default_factory=list)  # (airline, number, tier)
    contacts: list[tuple[ContactKind, str, str]] = field(default_factory=list)
    minor: MinorFields | None = None
    fare_basis: str = ""
    excess_bags: int = 0


Contacts = list[tuple[ContactKind, str, str]]
#: ``CTCE``/``CTCM``... in free text: the passenger's own contacts (heading 5: e-mail, mobile,
#: home, unspecified phone, address). ``CTCB`` (an employer's phone), ``CTCT`` (the travel
#: agent's) and ``CTCR`` (refused) are not the passenger's own (R-DATA-02).
_CONTACT_TEXT = re.compile(r"\bCTC\s?([EMHPA])\b\s*(.*)")
_FORMS = {f.value: f for f in PaymentForm}
_PAX_TYPES = {
    "A": PassengerType.ADULT,
    "C": PassengerType.CHILD,
    "CH": PassengerType.CHILD,
    "CHD": PassengerType.CHILD,
    "IN": PassengerType.INFANT,
    "INF": PassengerType.INFANT,
}
_AGENCY_NAME = re.compile(r"[A-Z].*\s.*[A-Z]")
_FOP_CODE = re.compile(r"^[A-Z]{2}$")  # CC, CA, CK, MS, IN, GR...: any other two letters is MS


def tag_name(seg: RawSegment) -> str:
    return seg.tag if seg.tag in KNOWN_TAGS else "(unknown tag)"


def money(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


def address_of(parts: tuple[str, ...]) -> str:
    """``ADD`` C031 ``purpose:street:city:state:?:country:postcode[:phone]`` as one line:
    ``STREET, POSTCODE CITY[, STATE]`` (the country is kept beside it)."""
    street, city, state = (parts[i].strip() if len(parts) > i else "" for i in (1, 2, 3))
    postcode = parts[6].strip() if len(parts) > 6 else ""
    town = " ".join(p for p in (postcode, city) if p)
    return ", ".join(p for p in (street, town, state) if p).upper()


class PnrDraft:
    """One PNR as it is read, segment by segment (groups 1-4 here; the itinerary, split and
    history groups in :mod:`piu_lab.ingest.pnrgov` and :mod:`piu_lab.ingest.pnrgov_ssr`)."""

    def __init__(
        self, ctx: PnrgovContext, *, first_segment: int, header_flight: SegDraft | None = None
    ) -> None:
        self.ctx = ctx
        self.header_flight = header_flight
        self.first_segment = first_segment
        self.removed = Removed()
        self.warnings: list[str] = []
        self.locator: str | None = None
        self.carrier = ""
        self.created_at: datetime | None = None
        self.fallback_created: datetime | None = None
        self.agency: dict[str, str] | None = None
        self.contacts: Contacts = []
        self.payments: list[dict[str, object]] = []
        self.pax: list[PaxDraft] = []
        self.segs: list[SegDraft] = []
        self.splits: list[tuple[str, SplitKind, int]] = []
        self.history: list[tuple[datetime | None, HistoryAction, AnnexHeading, str, str]] = []
        self.loose_docs: list[tuple[str, bool, DocsFields]] = []  # (ref, infant, fields)
        self.loose_seats: list[tuple[str, int, str]] = []  # (ref, leg index, seat)
        self.infant_links: list[tuple[str, str, str]] = []  # (adult ref, surname, given)
        self.infant_tickets: list[tuple[str, str]] = []  # (adult ref, ticket number)
        self.state = "pnr"
        self.current: PaxDraft | None = None
        self.after_fop = False
        self.checkin: PaxDraft | None = None
        self.checkin_group = False
        self.pending_status: TravelStatus | None = None
        self.hist_time: datetime | None = None
        self.hist_action = HistoryAction.CHANGED
        self.split_kind = SplitKind.DIVIDED_INTO
        self.split_count = 0

    # -- helpers ---------------------------------------------------------------------------
    def warn(self, seg: RawSegment, text: str) -> None:
        """A warning names the segment number and a known tag only (an unknown one may be a
        value that lost its place)."""
        self.warnings.append(f"segment {seg.number} {tag_name(seg)}: {text}")

    def delete_text(self, text: str, default: str = "free-text") -> None:
        """Free text (OSI, remarks, LTS...) is outside Annex I: counted under the protected
        category it reveals, if any (R-SENS-03), never kept."""
        if text.strip():
            self.removed.add(self.ctx.table.text_category(text) or default)

    def find_pax(self, ref: str, surname: str = "", given: str = "") -> PaxDraft | None:
        """The traveller with this reference, else the one with this name."""
        ref = ref.strip()
        if ref:
            for p in self.pax:
                if p.ref == ref or p.ref.lstrip("0") == ref.lstrip("0"):
                    return p
        if surname:
            key = compact(surname)
            named = [p for p in self.pax if compact(p.surname) == key]
            if len(named) > 1 and given:
                first = compact(given)
                named = [
                    p
                    for p in named
                    if first.startswith(compact(p.given_names)) or compact(p.given_names) == first
                ] or named
            if named:
                return named[0]
        return None

    def contact_target(self) -> Contacts:
        return self.current.contacts if self.current is not None else self.contacts

    # -- group 1: the PNR ------------------------------------------------------------------
    def on_rci(self, seg: RawSegment) -> None:
        if self.state == "split":
            locator = seg.get(0, 1).upper().replace(" ", "")
            if locator:
                self.splits.append((locator, self.split_kind, self.split_count))
            return
        if self.locator is not None:
            return  # the flight's or another system's locator: heading 1 is already set
        self.carrier = seg.get(0, 0).upper()
        self.locator = seg.get(0, 1).upper().replace(" ", "") or None
        when, clock = seg.get(0, 3).strip(), seg.get(0, 4).strip()
        if len(seg.get(0, 2)) == 6 and seg.get(0, 2).isdecimal():
            when, clock = seg.get(0, 2), seg.get(0, 3).strip()  # RCI+UA:7C789A:230818:1220
        created = parse_datetime(when, clock, self.ctx.pivot) if when else None
        if created is not None and len(clock) >= 6 and clock[4:6].isdecimal():
            created = created.replace(second=min(int(clock[4:6]), 59))
        self.created_at = created

    def on_dat(self, seg: RawSegment) -> None:
        if self.state in {"flight", "checkin"}:
            self.checkin_group = True  # group 6: check-in of the leg
            return
        for el in seg.elements:
            qualifier = el[0] if el else ""
            day = el[1] if len(el) > 1 else ""
            moment = parse_datetime(day, el[2] if len(el) > 2 else "", self.ctx.pivot)
            if self.state == "history":
                self.hist_time = moment
            elif qualifier == "700" and self.state == "pnr" and self.fallback_created is None:
                self.fallback_created = moment
            elif qualifier == "710" and self.current is not None and self.current.tickets:
                ticket = self.current.tickets[-1]
                if moment is not None and "issued_on" not in ticket:
                    ticket["issued_on"] = moment.date()

    def on_org(self, seg: RawSegment) -> None:
        if self.state != "pnr" or self.agency is not None or not seg.get(1, 0):
            return  # a check-in agent (group 6) or an originator without an agency number
        name = next(
            (seg.get(i, 0).upper() for i in (7, 8) if _AGENCY_NAME.search(seg.get(i, 0).upper())),
            "",
        )
        self.agency = {
            "iata_number": seg.get(1, 0),
            "city": seg.get(2, 0) or seg.get(1, 1),
            "country": seg.get(5, 0),
            "agent_id": seg.get(6, 0),
            "name": name,
        }

    def on_add(self, seg: RawSegment) -> None:
        parts = seg.element(1)
        if not parts:
            return
        address = address_of(parts)
        if self.after_fop and self.payments:  # group 4: the billing address (heading 6)
            if address:
                self.payments[-1].setdefault("billing_address", address)
            if len(parts) > 7 and parts[7].strip():
                self.removed.add("third-party-contact")
            return
        target = self.contact_target()
        country = parts[5].strip().upper() if len(parts) > 5 else ""
        if address:
            target.append((ContactKind.ADDRESS, address, country))
        extra = ":".join(parts[7:]).strip()
        phones = parse_phones(extra)
        target.extend((ContactKind.PHONE, phone, "") for phone in phones)
        if extra and not phones:
            self.delete_text(extra)

    def on_ift(self, seg: RawSegment) -> None:
        kind = seg.get(0, 1)
        texts = [" ".join(seg.element(i)) for i in range(1, len(seg.elements))]
        if kind == "43" and self.after_fop and self.payments:  # sponsor: the payer (heading 6)
            payment = self.payments[-1]
            if texts:
                payment.setdefault("card_holder", texts[0].strip().upper())
            if len(texts) > 1:
                payment.setdefault("billing_address", texts[1].strip().upper())
            for extra in texts[2:]:
                if extra.strip():
                    self.removed.add("third-party-contact")  # the sponsor's phone
            return
        joined = " ".join(texts).upper()
        match = _CONTACT_TEXT.search(joined)
        if match is not None and kind in {"28", ""}:
            self.contact_from_text(match.group(1), match.group(2))
            return
        self.delete_text(joined)

    def contact_from_text(self, letter: str, value: str) -> None:
        """A ``CTCx`` contact (IATA): E e-mail, A address, M/H/P phones."""
        target = self.contact_target()
        if letter == "E":
            email = decode_email(value)
            if email:
                target.append((ContactKind.EMAIL, email, ""))
        elif letter == "A":
            if value.strip():
                target.append((ContactKind.ADDRESS, " ".join(value.upper().split()), ""))
        else:
            target.extend((ContactKind.PHONE, p, "") for p in parse_phones(value)[:1])

    def on_ebd(self, seg: RawSegment) -> None:
        count = seg.get(1, 0)
        if count.isdecimal() and self.current is not None:
            self.current.excess_bags += int(count)
        elif count.isdecimal():
            self.warn(seg, "excess baggage outside a traveller group has no traveller; not kept")

    # -- group 2: travellers ---------------------------------------------------------------
    def on_tif(self, seg: RawSegment) -> None:
        surname = " ".join(seg.get(0, 0).upper().split())
        given, title = split_title(seg.get(1, 0))
        ref = seg.get(1, 2).strip()
        if self.state in {"flight", "checkin"}:
            self.identify_checkin(seg, ref, surname, given)
            return
        if seg.get(0, 1).strip().upper() == "G":  # a group name (GRPS), not a traveller
            self.removed.add("group-name")
            return
        ptype = _PAX_TYPES.get(seg.get(1, 1).strip().upper(), PassengerType.ADULT)
        pax = PaxDraft(ref or str(len(self.pax) + 1), surname, given, title, ptype)
        pax.has_infant = seg.get(1, 3).strip() == "1"
        if ptype is PassengerType.INFANT:
            adult = next((p for p in reversed(self.pax) if p.has_infant), None)
            pax.infant_of = adult.ref if adult is not None else None
        if any(p.ref == pax.ref for p in self.pax):
            pax.ref = f"{pax.ref}.{len(self.pax) + 1}"
            self.warn(seg, "duplicate traveller reference; renumbered")
        self.pax.append(pax)
        self.current = pax
        self.state = "pax"
        self.after_fop = False

    def identify_checkin(self, seg: RawSegment, ref: str, surname: str, given: str) -> None:
        """A TIF in a check-in group (group 7) names a traveller of the PNR."""
        found = self.find_pax(ref, surname, given) or self.checkin
        if found is None:
            self.warn(seg, "checked-in traveller not in the PNR; deleted")
            self.removed.add("outside-annex")
            return
        self.checkin = found
        if self.pending_status is not None:
            found.status = self.pending_status

    def on_fti(self, seg: RawSegment) -> None:
        if self.current is not None and seg.get(0, 1):
            airline, number = seg.get(0, 0).upper(), seg.get(0, 1).upper()
            self.current.ffs.append((airline, number, (seg.get(0, 4) or seg.get(0, 3)).upper()))

    def on_far(self, seg: RawSegment) -> None:
        if self.current is not None:
            self.current.fare_basis = (seg.get(5, 0) or seg.get(6, 0)).upper()

    def on_tkt(self, seg: RawSegment) -> None:
        if self.current is None:
            self.warn(seg, "ticket outside a traveller group; not kept")
            return
        self.current.tickets.append({"number": seg.get(0, 0).strip()})

    def on_mon(self, seg: RawSegment) -> None:
        if self.current is None or not self.current.tickets:
            return
        ticket = self.current.tickets[-1]
        for el in seg.elements:
            usable = len(el) > 1 and el[0] in {"T", "B"}
            if usable and (el[0] == "T" or "total_amount" not in ticket):
                ticket["total_amount"] = money(el[1])
                ticket["currency"] = el[2].upper() if len(el) > 2 else ""

    def on_ptk(self, seg: RawSegment) -> None:
        if self.current is not None and self.current.tickets:
            issued = parse_datetime(seg.get(2, 0), seg.get(2, 1), self.ctx.pivot)
            if issued is not None:
                self.current.tickets[-1]["issued_on"] = issued.date()

    # -- group 4: forms of payment ---------------------------------------------------------
    def on_fop(self, seg: RawSegment) -> None:
        for el in seg.elements:
            code = el[0].strip().upper() if el else ""
            if not code:
                continue
            if not _FOP_CODE.match(code):
                self.warn(seg, "form of payment without a payment code; not kept")
                continue
            form = _FORMS.get(code, PaymentForm.MISCELLANEOUS)
            amount, vendor, number = (el[i] if len(el) > i else "" for i in (2, 3, 4))
            self.payments.append(
                {
                    "form": form,
                    "amount": money(amount),
                    "card_type": vendor.upper() if form is PaymentForm.CARD else "",
                    "card_masked": mask_card(number) if number else "",
                }
            )
        self.after_fop = True

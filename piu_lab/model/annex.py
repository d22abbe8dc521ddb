"""The 19 PNR data headings of Annex I of Directive 2016/681 (R-DATA-01), as the CJEU narrowed
them (R-DATA-02), and the helper that tags every model field with the heading it carries.

Every field of every dataclass in :mod:`piu_lab.model` declares ``metadata=annex(...)``; a test
checks it, and ``docs/data-model.md`` is generated from these tags (``python -m
piu_lab.model.datadoc``), so the document cannot drift from the code.
"""

from __future__ import annotations

from enum import IntEnum
from types import MappingProxyType
from typing import Any

__all__ = ["TECHNICAL", "AnnexHeading", "annex"]


class AnnexHeading(IntEnum):
    """Annex I headings (R-DATA-01), numbered as in the Directive."""

    RECORD_LOCATOR = 1
    RESERVATION_DATE = 2
    TRAVEL_DATES = 3
    NAMES = 4
    ADDRESS_CONTACT = 5
    PAYMENT = 6
    ITINERARY = 7
    FREQUENT_FLYER = 8
    TRAVEL_AGENCY = 9
    TRAVEL_STATUS = 10
    SPLIT_DIVIDED = 11
    UNACCOMPANIED_MINOR = 12
    TICKETING = 13
    SEAT = 14
    CODE_SHARE = 15
    BAGGAGE = 16
    OTHER_TRAVELLERS = 17
    API = 18
    HISTORY = 19

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def narrowing(self) -> str:
        """What the CJEU (C-817/19 ¶¶129-139, R-DATA-02) allows under this heading."""
        return _NARROWING.get(self, "as worded in Annex I")


_LABELS = {
    AnnexHeading.RECORD_LOCATOR: "PNR record locator",
    AnnexHeading.RESERVATION_DATE: "Date of reservation / issue of ticket",
    AnnexHeading.TRAVEL_DATES: "Date(s) of intended travel",
    AnnexHeading.NAMES: "Name(s)",
    AnnexHeading.ADDRESS_CONTACT: "Address and contact information (telephone, e-mail)",
    AnnexHeading.PAYMENT: "All forms of payment information, including billing address",
    AnnexHeading.ITINERARY: "Complete travel itinerary for the specific PNR",
    AnnexHeading.FREQUENT_FLYER: "Frequent flyer information",
    AnnexHeading.TRAVEL_AGENCY: "Travel agency / travel agent",
    AnnexHeading.TRAVEL_STATUS: "Travel status (confirmation, check-in, no-show, go-show)",
    AnnexHeading.SPLIT_DIVIDED: "Split / divided PNR information",
    AnnexHeading.UNACCOMPANIED_MINOR: "General remarks (unaccompanied-minor items only)",
    AnnexHeading.TICKETING: "Ticketing field information (number, issue date, one-way, ATFQ)",
    AnnexHeading.SEAT: "Seat number and other seat information",
    AnnexHeading.CODE_SHARE: "Code-share information",
    AnnexHeading.BAGGAGE: "All baggage information",
    AnnexHeading.OTHER_TRAVELLERS: "Number and other names of travellers on the PNR",
    AnnexHeading.API: "Any advance passenger information (API) collected",
    AnnexHeading.HISTORY: "All historical changes to the PNR data listed in 1 to 18",
}

_NARROWING = {
    AnnexHeading.ADDRESS_CONTACT: "the passenger's own postal address, phone and e-mail only; "
    "no third-party data (booker, emergency contact PCTC, person to notify)",
    AnnexHeading.PAYMENT: "payment and billing data for the ticket itself only",
    AnnexHeading.FREQUENT_FLYER: "loyalty status and frequent-flyer number only; "
    "no transaction or mileage history",
    AnnexHeading.UNACCOMPANIED_MINOR: "only the unaccompanied-minor items: name and gender, age, "
    "languages, guardians at departure and arrival (name, contact, relationship), agents; "
    "every other free-text remark (OSI, RM, free-text SSR) is outside Annex I",
    AnnexHeading.API: "only the API items of heading 18 and of Directive 2004/82 art. 3(2)",
}

#: Marker for bookkeeping fields that carry no passenger data (message ids, push numbers...).
TECHNICAL = 0


def annex(heading: AnnexHeading | int, doc: str) -> MappingProxyType[str, Any]:
    """Field metadata: the Annex I heading a field carries (``TECHNICAL`` for bookkeeping)."""
    if heading != TECHNICAL:
        heading = AnnexHeading(heading)
    return MappingProxyType({"annex": int(heading), "doc": doc})

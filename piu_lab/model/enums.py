"""Closed vocabularies of the passenger-data model (enums, each value with its wire code)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CarrierType",
    "ContactKind",
    "DocumentType",
    "Gender",
    "HistoryAction",
    "LocationKind",
    "MessageKind",
    "MessageStatus",
    "PassengerRole",
    "PassengerType",
    "PaymentForm",
    "PushStage",
    "Sector",
    "SplitKind",
    "TravelStatus",
]


class Sector(StrEnum):
    """Transport sector (R-SCOPE-01): exactly these four."""

    AIR = "AIR"
    HST = "HST"
    BUS = "BUS"
    SEA = "SEA"


class CarrierType(StrEnum):
    """Who transmits the data (R-SCOPE-01): a carrier or a tour operator / ticket distributor."""

    CARRIER = "CARRIER"
    TOUR_OPERATOR = "TOUR_OPERATOR"


class LocationKind(StrEnum):
    """How a place of departure or arrival is coded."""

    AIRPORT = "AIRPORT"  # IATA airport code, 3 letters
    STATION = "STATION"  # UIC station code, 7 digits
    PORT = "PORT"  # UN/LOCODE, 5 characters
    BUS_STOP = "BUS_STOP"  # UN/LOCODE or carrier stop code


class MessageKind(StrEnum):
    """What a received message is; UNKNOWN only for a quarantined message whose type could not
    be read."""

    PNRGOV = "PNRGOV"
    PAXLST = "PAXLST"
    UNKNOWN = "UNKNOWN"


class MessageStatus(StrEnum):
    """What became of a received message (nothing received is silently lost)."""

    RECEIVED = "RECEIVED"
    STORED = "STORED"
    QUARANTINED = "QUARANTINED"
    DUPLICATE = "DUPLICATE"


class PushStage(StrEnum):
    """Which transmission of the PNR (R-DATA-04): T-48 h to T-24 h, or at flight closure."""

    EARLY = "EARLY"
    CLOSURE = "CLOSURE"
    AD_HOC = "AD_HOC"


class PassengerType(StrEnum):
    ADULT = "A"
    CHILD = "C"
    INFANT = "IN"


class PassengerRole(StrEnum):
    """PAXLST distinguishes passengers from crew (API)."""

    PASSENGER = "PASSENGER"
    CREW = "CREW"


class Gender(StrEnum):
    """Gender as on the travel document (DOCS, Annex I heading 18)."""

    MALE = "M"
    FEMALE = "F"
    UNSPECIFIED = "X"
    UNKNOWN = "U"


class TravelStatus(StrEnum):
    """Heading 10: confirmation, check-in, no-show, go-show (and boarded / cancelled)."""

    CONFIRMED = "CONFIRMED"
    CHECKED_IN = "CHECKED_IN"
    BOARDED = "BOARDED"
    NO_SHOW = "NO_SHOW"
    GO_SHOW = "GO_SHOW"
    CANCELLED = "CANCELLED"


class DocumentType(StrEnum):
    """Travel-document types with their DOCS / PAXLST codes."""

    PASSPORT = "P"
    IDENTITY_CARD = "I"
    VISA = "V"
    RESIDENCE_PERMIT = "R"
    CREW_CERTIFICATE = "C"
    OTHER = "F"


class ContactKind(StrEnum):
    """Heading 5 (the passenger's own only)."""

    PHONE = "PHONE"
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"


class PaymentForm(StrEnum):
    """Heading 6: form of payment of the ticket (PNRGOV FOP codes)."""

    CARD = "CC"
    CASH = "CA"
    CHEQUE = "CK"
    INVOICE = "IN"
    MISCELLANEOUS = "MS"
    GOVERNMENT = "GR"


class SplitKind(StrEnum):
    """Heading 11."""

    SPLIT_FROM = "SPLIT_FROM"
    DIVIDED_INTO = "DIVIDED_INTO"


class HistoryAction(StrEnum):
    """Heading 19, from the PNRGOV SAC segment."""

    ADDED = "A"
    CANCELLED = "X"
    CHANGED = "C"

"""The vocabulary of pre-assessment: hit states and sources, watchlist kinds, criterion states
(R-PRE-01..09, R-CRIT-01). No I/O here."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "FINAL_STATUSES",
    "CriterionStatus",
    "HitKind",
    "HitStatus",
    "ListScope",
    "Listing",
    "SourceKind",
]


class HitStatus(StrEnum):
    """Where a hit's review stands (R-PRE-02): nothing is disclosed before a final status."""

    NEW = "NEW"
    IN_REVIEW = "IN_REVIEW"
    VALIDATED = "VALIDATED"
    REJECTED_FALSE_POSITIVE = "REJECTED_FALSE_POSITIVE"
    REJECTED_DISCRIMINATORY = "REJECTED_DISCRIMINATORY"


#: The statuses a review ends in.
FINAL_STATUSES = frozenset(
    {
        HitStatus.VALIDATED,
        HitStatus.REJECTED_FALSE_POSITIVE,
        HitStatus.REJECTED_DISCRIMINATORY,
    }
)


class SourceKind(StrEnum):
    """What produced a hit: a registered watchlist or an approved criterion."""

    WATCHLIST = "WATCHLIST"
    CRITERION = "CRITERION"


class HitKind(StrEnum):
    """A passenger-journey's hits (LAW art. 24; AR art. 1 4°-5°, 8): one service, several
    services, or a common database or criterion (R-PRE-04..06)."""

    SINGLE = "SINGLE"
    MULTIPLE = "MULTIPLE"
    COMMON = "COMMON"


class Listing(StrEnum):
    """Whether a list names persons sought or persons under an alert (R-PRE-01)."""

    SOUGHT = "SOUGHT"
    ALERT = "ALERT"


class ListScope(StrEnum):
    """A common database (police, foreign terrorist fighters) or one service's own list."""

    COMMON = "COMMON"
    SERVICE = "SERVICE"


class CriterionStatus(StrEnum):
    DRAFT = "DRAFT"
    APPROVED = "APPROVED"
    RETIRED = "RETIRED"

"""Searching stored travellers by selectors: a name (fuzzy, with the screening engine) and/or
a document number (folded). Pure: travellers in, results out; the session facade decides,
masks and audits around it (R-SRCH-01..03)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from piu_lab.errors import InvalidRecord
from piu_lab.matching.evidence import normalise_document
from piu_lab.matching.screening import screen

__all__ = ["MAX_SEARCH_DAYS", "RESULT_COLUMNS", "check_search", "search_travellers"]

#: The longest period one search reads (days of departures).
MAX_SEARCH_DAYS = 31
#: The columns of a search result.
RESULT_COLUMNS = ("pnr_id", "pax_ref", "surname", "given_names", "date_of_birth",
                  "nationality", "document_number", "score", "explanation")  # fmt: skip


def check_search(
    name: str | None, document: str | None, first: date, last: date, page: int, page_size: int
) -> None:
    """Raise :class:`InvalidRecord` listing every problem of a search's arguments."""
    problems: list[str] = []
    if not (name and name.strip()) and not (document and document.strip()):
        problems.append("selectors: give a name or a document number")
    if last < first:
        problems.append("departing_to: before departing_from")
    elif (last - first).days + 1 > MAX_SEARCH_DAYS:
        problems.append(f"period: more than {MAX_SEARCH_DAYS} days")
    if page < 0 or not 1 <= page_size <= 500:
        problems.append("page: page >= 0 and 1 <= page_size <= 500")
    if problems:
        raise InvalidRecord(
            "search: " + "; ".join(problems),
            errors=tuple(problems),
            hint="a search names a person (name and/or document) within at most "
            f"{MAX_SEARCH_DAYS} days of departures",
        )


def search_travellers(
    travellers: pd.DataFrame,
    name: str | None,
    document: str | None,
    date_of_birth: str | None = None,
    threshold: float | None = None,
) -> pd.DataFrame:
    """The travellers (``travellers_from_journeys`` columns) matching the selectors, best
    first, with a score and an explanation (:data:`RESULT_COLUMNS`). A name is screened like
    a one-entry watchlist (with the date of birth and document as evidence); a document
    alone must be equal once folded (O/0, I/1, separators)."""
    columns = list(RESULT_COLUMNS)
    if document and not (name and name.strip()):
        wanted = str(normalise_document(pd.Series([document])).iloc[0])
        same = (normalise_document(travellers["document_number"]) == wanted).to_numpy()
        out = travellers[same & bool(wanted)].copy()
        out["score"] = 1.0
        out["explanation"] = "document number equal (folded)"
        return out[columns].reset_index(drop=True)
    query = pd.DataFrame(
        {
            "entry_id": ["query"],
            "full_name": [name],
            "date_of_birth": [date_of_birth],
            "document_number": [document],
        }
    )
    hits = screen(travellers, query, threshold=threshold)
    found = travellers.merge(
        hits[["traveller_id", "score", "explanation"]], on="traveller_id", how="inner"
    )
    ranked = found.sort_values("score", ascending=False, kind="stable")
    return ranked[columns].reset_index(drop=True)

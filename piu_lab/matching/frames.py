"""Validation at the edge: the travellers and watchlist frames :func:`screen` accepts.

A malformed frame (not a frame, a required column missing, a null or duplicate identifier)
raises :class:`~piu_lab.errors.MatchingInputError` naming the frame and the column. Odd
values (empty or null names, emoji, right-to-left marks, a 10,000-character name, a date of
birth that is not a date) are not errors: they compare as unknown and usually score 0.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from piu_lab.errors import MatchingInputError

__all__ = ["TRAVELLER_COLUMNS", "full_names", "require_frame", "travellers_from_journeys"]


def require_frame(frame: Any, *, which: str, id_column: str) -> pd.DataFrame:
    """Check ``frame`` has an identifier column and a way to name each row."""
    if not isinstance(frame, pd.DataFrame):
        raise MatchingInputError(
            f"the {which} must be a pandas DataFrame, not {type(frame).__name__}",
            frame=which,
            column=None,
        )
    if id_column not in frame.columns:
        raise MatchingInputError(
            f"the {which} frame has no {id_column!r} column", frame=which, column=id_column
        )
    if "full_name" not in frame.columns and "surname" not in frame.columns:
        raise MatchingInputError(
            f"the {which} frame needs a 'full_name' column or 'surname' (+ 'given_names')",
            frame=which,
            column="full_name",
        )
    ids = frame[id_column]
    if ids.isna().any():
        row = int(ids.isna().to_numpy().nonzero()[0][0])
        raise MatchingInputError(
            f"the {which} frame has a null {id_column!r} (row {row})",
            frame=which,
            column=id_column,
            row=row,
        )
    if ids.duplicated().any():
        row = int(ids.duplicated().to_numpy().nonzero()[0][0])
        raise MatchingInputError(
            f"the {which} frame repeats an {id_column!r} (row {row})",
            frame=which,
            column=id_column,
            row=row,
        )
    return frame


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype="string")
    col = frame[column]
    return col.where(col.map(lambda v: isinstance(v, str)), "").astype("string").fillna("")


def full_names(frame: pd.DataFrame) -> pd.Series:
    """Each row's full name: ``full_name`` when present and non-empty, else ``SURNAME/GIVEN``."""
    full = _text(frame, "full_name").str.strip()
    surname = _text(frame, "surname").str.strip()
    given = _text(frame, "given_names").str.strip()
    built = (surname + "/" + given).where(surname != "", given)
    return full.where(full != "", built).astype(object)


#: The traveller columns :func:`travellers_from_journeys` keeps beside the identifier.
TRAVELLER_COLUMNS = (
    "surname",
    "given_names",
    "date_of_birth",
    "nationality",
    "document_number",
)


def travellers_from_journeys(journeys: pd.DataFrame) -> pd.DataFrame:
    """One traveller per passenger of a PNR from journey rows (``read_journeys`` columns):
    ``traveller_id`` is ``pnr_id/pax_ref``; dates of birth become ``YYYY-MM-DD`` text; the
    first row of each traveller gives the values, and ``pnr_id`` and ``pax_ref`` are kept."""
    ids = journeys["pnr_id"].astype(str) + "/" + journeys["pax_ref"].astype(str)
    frame = (
        journeys.assign(traveller_id=ids)
        .drop_duplicates("traveller_id")
        .rename(columns={"doc_number": "document_number"})
    )
    frame = frame[["traveller_id", "pnr_id", "pax_ref", *TRAVELLER_COLUMNS]].reset_index(drop=True)
    born = pd.to_datetime(frame["date_of_birth"], errors="coerce")
    frame["date_of_birth"] = born.dt.strftime("%Y-%m-%d").astype(object).where(born.notna(), None)
    return frame

"""The MASK obligation applied to frames: six field groups made unreadable (R-RET-02).

Six months after a PNR's registration the Directive (art. 12(2)(a)-(f)) and the law (art. 19)
make the data that could identify a passenger unreadable: (a) names, also of the others on the
PNR and how many travel together; (b) address and contact details; (c) payment data; (d)
frequent-flyer data; (e) general remarks; (f) API data. Which column of which view belongs to
which group is a data file, ``data/masked_columns.csv``; a test checks it names real columns
and covers every identifying column of the schema.

:func:`mask_frame` is pure: it returns a copy in which the masked cells hold :data:`MASKED`
(text), ``NaT`` (dates and times) or ``<NA>`` (numbers). It is what the session facade applies
when the policy's decision carries a ``MASK`` obligation: the view never sees the values. The
sealed storage that takes the values out of the tables (and the keyed pseudonyms that still
let criteria analysis link the same phone or card) is the data-lifecycle issue's.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.access.policy import ALL_FIELD_GROUPS, Decision, FieldGroup, ObligationKind

__all__ = ["MASKED", "mask_frame", "masked_columns", "masked_groups"]

_ALL = tuple(FieldGroup(g) for g in ALL_FIELD_GROUPS)

#: What a masked text cell shows.
MASKED = "<masked>"


@cache
def masked_columns() -> Mapping[str, Mapping[str, FieldGroup]]:
    """``view -> column -> field group`` from ``data/masked_columns.csv``."""
    text = files("piu_lab.access").joinpath("data/masked_columns.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    views: dict[str, dict[str, FieldGroup]] = {}
    for row in rows:
        columns = views.setdefault(row["view"], {})
        if row["column"]:
            columns[row["column"]] = FieldGroup(row["group"])
    return MappingProxyType({k: MappingProxyType(v) for k, v in views.items()})


def masked_groups(decision: Decision) -> frozenset[FieldGroup]:
    """The field groups a decision's ``MASK`` obligations name (empty: nothing to mask)."""
    return frozenset(
        FieldGroup(value)
        for ob in decision.obligations
        if ob.kind is ObligationKind.MASK
        for value in ob.payload
    )


def _blank(series: pd.Series, rows: npt.NDArray[np.bool_]) -> pd.Series:
    out = series.copy()
    if not rows.any():
        return out
    kind = series.dtype.kind
    if kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype):
        out[rows] = pd.NaT
    elif kind in "iufb" or (pd.api.types.is_extension_array_dtype(series.dtype) and kind != "O"):
        if kind in "iub":
            out = out.astype("Int64" if kind != "b" else "boolean")
        out[rows] = pd.NA
    else:
        out = out.astype(object)
        out[rows & series.notna().to_numpy()] = MASKED
    return out


def mask_frame(
    frame: pd.DataFrame,
    view: str,
    groups: Iterable[FieldGroup] = _ALL,
    rows: npt.NDArray[np.bool_] | pd.Series | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` (a ``view`` of the masking table) with the columns of ``groups``
    masked in ``rows`` (a boolean array; default every row). Absent cells stay absent, so a
    reader can still tell "no phone" from "a masked phone". Raises ``KeyError`` for a view
    the masking table does not know: an unknown view is never shown unmasked by mistake.
    """
    columns = masked_columns()[view]
    wanted = frozenset(groups)
    which = np.ones(len(frame), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    out = frame.copy()
    for column, group in columns.items():
        if group in wanted and column in out.columns:
            out[column] = _blank(out[column], which)
    return out

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
let criteria analysis link the same phone or card) are :mod:`piu_lab.lifecycle.masking`'s.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd
import platformdirs

from piu_lab.access.policy import ALL_FIELD_GROUPS, Decision, FieldGroup, ObligationKind
from piu_lab.errors import ConfigurationError

__all__ = [
    "KEY_ENV",
    "MASKED",
    "PSEUDONYM_PREFIX",
    "is_pseudonym",
    "mask_frame",
    "masked_columns",
    "masked_groups",
    "pseudonym_domain",
    "pseudonym_key",
    "pseudonyms",
]

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


#: What a keyed pseudonym starts with (``P:`` and 16 hex digits).
PSEUDONYM_PREFIX = "P:"


#: Where the pseudonym key comes from: hex in this variable, else a file in the per-user data
#: folder created on first use (mode 0600), outside the database.
KEY_ENV = "PIU_LAB_PSEUDONYM_KEY"


def pseudonym_key() -> bytes:
    """The key of the keyed pseudonyms: ``PIU_LAB_PSEUDONYM_KEY`` (at least 32 hex digits),
    else ``pseudonym.key`` in the per-user data folder, made once with 32 random bytes."""
    given = os.environ.get(KEY_ENV, "").strip()
    if given:
        try:
            key = bytes.fromhex(given)
        except ValueError:
            key = b""
        if len(key) < 16:
            raise ConfigurationError(
                f"{KEY_ENV} must be at least 32 hex digits", hint="e.g. openssl rand -hex 32"
            )
        return key
    path = Path(platformdirs.user_data_dir("piu-lab")) / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
    return path.read_bytes()


#: Columns of different views that hold the same kind of value share a pseudonym domain, so
#: that a document number masked in the tables and one masked in the journeys view give the
#: same token. Any other column is its own domain (its name).
_DOMAINS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("journeys", "doc_number"): "number",
        ("journeys", "doc_issuing_country"): "issuing_country",
        ("journeys", "doc_type"): "doc_type",
        ("travel_document", "number"): "number",
        ("api_document", "number"): "number",
        ("frequent_flyer", "number"): "ff_number",
        ("frequent_flyer", "tier"): "ff_tier",
        ("contact", "value"): "contact",
        ("contact", "country"): "contact_country",
    }
)


def pseudonym_domain(view: str, column: str) -> str:
    """The pseudonym domain of ``view.column`` (see :data:`_DOMAINS`)."""
    return _DOMAINS.get((view, column), column)


def is_pseudonym(value: object) -> bool:
    """True for a keyed pseudonym (``P:`` and 16 hex digits), as masking stores them."""
    return isinstance(value, str) and len(value) == 18 and value.startswith(PSEUDONYM_PREFIX)


def pseudonyms(values: pd.Series, key: bytes, column: str) -> pd.Series:
    """Keyed pseudonyms of text values (HMAC-SHA256 under ``key``, per pseudonym domain
    ``column``, over the value upper-cased without spaces): the same phone gives the same
    token, in every row and every call, and nobody without the key can go back to the phone
    (R-RET-02, R-SRCH-03). A value that is already a pseudonym (masked in the tables at six
    months) is kept as it is: it was made with the same key and domain."""

    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return value
        if is_pseudonym(value):
            return value
        text = "".join(str(value).upper().split())
        digest = hmac.new(key, f"{column}\x1f{text}".encode(), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:16]

    data = values.astype(object)
    present = data.notna().to_numpy()
    if not present.any():
        return data
    tokens = {v: one(v) for v in pd.unique(data[present])}  # each distinct value hashed once
    out = data.copy()
    out[present] = data[present].map(tokens).to_numpy()
    return out


def _blank(
    series: pd.Series, rows: npt.NDArray[np.bool_], key: bytes | None = None, column: str = ""
) -> pd.Series:
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
        hit = rows & series.notna().to_numpy()
        if key is None:
            out[hit] = MASKED
        else:
            out[hit] = pseudonyms(series[hit], key, column).to_numpy()
    return out


def mask_frame(
    frame: pd.DataFrame,
    view: str,
    groups: Iterable[FieldGroup] = _ALL,
    rows: npt.NDArray[np.bool_] | pd.Series | None = None,
    *,
    key: bytes | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` (a ``view`` of the masking table) with the columns of ``groups``
    masked in ``rows`` (a boolean array; default every row). Absent cells stay absent, so a
    reader can still tell "no phone" from "a masked phone". With ``key``, masked text becomes
    keyed pseudonyms (:func:`pseudonyms`) instead of :data:`MASKED`, so that criteria analysis
    can still link the same value across journeys. Raises ``KeyError`` for a view the masking
    table does not know: an unknown view is never shown unmasked by mistake.
    """
    columns = masked_columns()[view]
    wanted = frozenset(groups)
    which = np.ones(len(frame), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    out = frame.copy()
    for column, group in columns.items():
        if group in wanted and column in out.columns:
            out[column] = _blank(out[column], which, key, pseudonym_domain(view, column))
    return out

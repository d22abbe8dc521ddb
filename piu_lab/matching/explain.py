"""Explanations of hits: in words for the reviewer, and as JSON for the audit log (R-PRE-02).

Every hit says which traveller name matched which list name or alias (and how each was read
when a script was transliterated), the similarity of each word pair, the words found on one
side only, whether the names were compared whole (words joined), and how date of birth,
document and nationality moved the score. GTAS users asked for exactly this ("fuzzy hit
descriptions too vague", GTAS #888).

Built column-wise: a busy day has tens of thousands of hits, and each explanation is made of
parts shared by many hits (the same pair of names, the same outcome texts).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.matching.evidence import (
    DOB_ADJUSTMENT,
    DOC_ADJUSTMENT,
    DOCUMENT_FLOOR,
    NAT_ADJUSTMENT,
    DobOutcome,
    DocOutcome,
    NatOutcome,
)
from piu_lab.matching.names import NameComparison, PreparedNames, compare_prepared
from piu_lab.matching.version import ALGORITHM, COMPONENTS

__all__ = ["explain_hits"]

_DOB_WORDS = {
    DobOutcome.UNKNOWN: "unknown on one side, no effect",
    DobOutcome.SAME: "the same",
    DobOutcome.SAME_PARTIAL: "the same as far as the list knows it",
    DobOutcome.SWAPPED: "the same with day and month swapped",
    DobOutcome.SAME_YEAR: "the same year, another day or month",
    DobOutcome.YEAR_APART: "one year apart",
    DobOutcome.FAR_APART: "years apart",
    DobOutcome.APPROX_YEAR_APART: "one year apart, and one side knows only the year",
    DobOutcome.APPROX_YEARS_APART: "a few years apart, and one side knows only the year",
}
_DOC_WORDS = {
    DocOutcome.UNKNOWN: "unknown on one side, no effect (0)",
    DocOutcome.SAME: f"the same number, strong evidence on its own (score at least "
    f"{DOCUMENT_FLOOR:.2f})",
    DocOutcome.DIFFERENT: f"different numbers ({DOC_ADJUSTMENT[DocOutcome.DIFFERENT]:+.2f})",
}
_NAT_WORDS = {
    NatOutcome.UNKNOWN: "not comparable, no effect",
    NatOutcome.SAME: "the same",
    NatOutcome.DIFFERENT: "different",
}
_COMPONENTS_JSON = json.dumps(COMPONENTS, sort_keys=True)


def _signed(x: float) -> str:
    return f"{x:+.2f}" if x else "0"


def _table(words: Mapping[Any, str], adjust: Mapping[Any, float]) -> list[str]:
    size = max(int(k) for k in words) + 1
    out = [""] * size
    for k, text in words.items():
        out[int(k)] = f"{text} ({_signed(adjust[k])})"
    return out


def _json_strings(values: pd.Series) -> pd.Series:
    """JSON text of each value (a string, or null), computed once per distinct value."""
    uniques = pd.unique(values.to_numpy(dtype=object))
    table = {v: json.dumps(_clean(v), ensure_ascii=False) for v in uniques}
    return values.map(table)


def _clean(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _display(values: pd.Series) -> pd.Series:
    return values.map(lambda v: _clean(v) or "unknown")


def _join_columns(cells: npt.NDArray[np.object_], sep: str) -> npt.NDArray[np.object_]:
    """Each row's non-empty cells joined by ``sep``, column by column (no loop over rows)."""
    out = np.full(len(cells), "", dtype=object)
    for c in range(cells.shape[1]):
        piece = cells[:, c]
        glue = np.where((out != "") & (piece != ""), sep, "").astype(object)
        out = out + glue + piece
    return out


class _Side:
    """The words of the readings used by the comparisons, as text arrays."""

    def __init__(
        self, prep: PreparedNames, names: npt.NDArray[np.int64], readings: npt.NDArray[np.int32]
    ):
        text = np.asarray([*prep.vocab.text, ""], dtype=object)
        ok = (readings >= 0) & (prep.count[names] > 0)
        rows = np.where(ok, prep.first[names] + np.maximum(readings, 0), 0)
        if len(prep.words) == 0:
            ids = np.full((len(names), prep.words.shape[1]), -1, dtype=np.int64)
        else:
            ids = np.where(ok[:, None], prep.words[rows], -1)
        self.valid = ids >= 0
        self.words = text[np.where(self.valid, ids, len(text) - 1)]

    def joined(self, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.object_]:
        """The words where ``mask`` holds, space-separated."""
        return _join_columns(np.where(mask, self.words, ""), " ")


def _name_parts(
    comp: NameComparison,
    rows: npt.NDArray[np.int64],
    prep: PreparedNames,
    t_names: npt.NDArray[np.int64],
    build: PreparedNames,
    l_names: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """Per comparison row in ``rows``: readings, word pairs and unmatched words (text, JSON)."""
    left = _Side(prep, t_names, comp.left_reading[rows])
    right = _Side(build, l_names, comp.right_reading[rows])
    pos = np.full(len(comp.score), -1, dtype=np.int64)
    pos[rows] = np.arange(len(rows))
    sel = pos[comp.pairs] >= 0 if len(comp.pairs) else np.zeros(0, dtype=np.bool_)
    k = pos[comp.pairs[sel]]
    i, j = comp.pair_words[sel, 0], comp.pair_words[sel, 1]
    sims = comp.pair_sims[sel]
    width = left.words.shape[1]
    ok = (i < width) & (j < width)
    k, i, j, sims = k[ok], i[ok], j[ok], sims[ok]
    ok = left.valid[k, i] & right.valid[k, j]
    k, i, j, sims = k[ok], i[ok], j[ok], sims[ok]
    tw, lw = left.words[k, i], right.words[k, j]
    sim_txt = np.char.mod("%.2f", sims.astype(np.float64))
    text = np.where(tw == lw, tw + "=" + lw, tw + "~" + lw + " " + sim_txt.astype(object))
    js = '{"list": "' + lw + '", "similarity": ' + np.char.mod("%.3f", sims).astype(object)
    js = js + ', "traveller": "' + tw + '"}'
    # each pair sits at its traveller word's position: joining the columns keeps that order
    text_at = np.full((len(rows), width), "", dtype=object)
    json_at = np.full((len(rows), width), "", dtype=object)
    text_at[k, i] = text
    json_at[k, i] = js
    pair_text = _join_columns(text_at, ", ")
    pair_json = _join_columns(json_at, ", ")
    matched_l = np.zeros(left.valid.shape, dtype=np.bool_)
    matched_r = np.zeros(right.valid.shape, dtype=np.bool_)
    matched_l[k, i] = True
    matched_r[k, j] = True
    only_t = left.joined(left.valid & ~matched_l)
    only_l = right.joined(right.valid & ~matched_r)
    return pd.DataFrame(
        {
            "t_reading": left.joined(left.valid),
            "l_reading": right.joined(right.valid),
            "pairs": pair_text,
            "pairs_json": "[" + pair_json + "]",
            "only_t": only_t,
            "only_l": only_l,
            "whole": comp.by_compact[rows],
        }
    )


def explain_hits(
    out: pd.DataFrame,
    comp: NameComparison,
    cmp_rows: npt.NDArray[np.int64],
    prep: PreparedNames,
    t_names: npt.NDArray[np.int64],
    build: PreparedNames,
    l_names: npt.NDArray[np.int64],
    *,
    traveller_dob: npt.NDArray[np.object_],
    traveller_nat: npt.NDArray[np.object_],
    entries: pd.DataFrame,
) -> tuple[list[str], list[str]]:
    """The explanation text and the evidence JSON of each row of ``out`` (the hits)."""
    n = len(out)
    parts = pd.DataFrame(index=range(n), columns=list(_name_parts_columns()), dtype=object)
    known = np.nonzero(cmp_rows >= 0)[0]
    if len(known):
        rows, inverse = np.unique(cmp_rows[known], return_inverse=True)
        unique_t = np.zeros(len(rows), dtype=np.int64)
        unique_l = np.zeros(len(rows), dtype=np.int64)
        unique_t[inverse] = t_names[known]
        unique_l[inverse] = l_names[known]
        got = _name_parts(comp, rows, prep, unique_t, build, unique_l)
        parts.iloc[known] = got.iloc[inverse].to_numpy()
    missing = np.nonzero(cmp_rows < 0)[0]
    if len(missing):
        extra = compare_prepared(prep, t_names[missing], build, l_names[missing])
        rows = np.arange(len(missing), dtype=np.int64)
        got = _name_parts(extra, rows, prep, t_names[missing], build, l_names[missing])
        parts.iloc[missing] = got.to_numpy()
    name_score = out["name_score"].to_numpy(dtype=np.float64)
    score = out["score"].to_numpy(dtype=np.float64)
    whole = parts["whole"].to_numpy(dtype=bool) & (name_score >= 0.5)
    alias = out["list_name_is_alias"].to_numpy(dtype=bool)
    dob = out["dob_outcome"].to_numpy(dtype=np.int64)
    doc = out["document_outcome"].to_numpy(dtype=np.int64)
    nat = out["nationality_outcome"].to_numpy(dtype=np.int64)
    t_read = parts["t_reading"].to_numpy(dtype=object)
    l_read = parts["l_reading"].to_numpy(dtype=object)
    only_t = parts["only_t"].to_numpy(dtype=object)
    only_l = parts["only_l"].to_numpy(dtype=object)
    pairs = parts["pairs"].to_numpy(dtype=object)
    t_name = out["traveller_name"].astype(object)
    l_name = out["list_name"].astype(object)
    t_dob, e_dob = pd.Series(traveller_dob, dtype=object), entries["date_of_birth"].astype(object)
    t_nat, e_nat = pd.Series(traveller_nat, dtype=object), entries["nationality"].astype(object)
    f2 = np.char.mod("%.2f", name_score).astype(object)
    text = (
        "Traveller name " + t_name.map(repr).to_numpy(dtype=object)
        + np.where(t_read != "", " (read " + t_read + ")", "")
        + np.where(alias, " matches list alias ", " matches list name ")
        + l_name.map(repr).to_numpy(dtype=object)
        + np.where(l_read != "", " (read " + l_read + ")", "")
        + ": name score " + f2
        + np.where(pairs != "", " [" + pairs + "]", "")
        + np.where(whole, "; compared as whole names, words joined", "")
        + np.where(only_t != "", "; words only on the traveller's side: " + only_t, "")
        + np.where(only_l != "", "; words only on the list's side: " + only_l, "")
        + ". Date of birth " + _display(t_dob).to_numpy(dtype=object)
        + " vs " + _display(e_dob).to_numpy(dtype=object) + ": "
        + np.asarray(_table(_DOB_WORDS, DOB_ADJUSTMENT), dtype=object)[dob]
        + ". Document: " + np.asarray(_doc_table(), dtype=object)[doc]
        + ". Nationality " + _display(t_nat).to_numpy(dtype=object)
        + " vs " + _display(e_nat).to_numpy(dtype=object) + ": "
        + np.asarray(_table(_NAT_WORDS, NAT_ADJUSTMENT), dtype=object)[nat]
        + ". Score " + np.char.mod("%.2f", score).astype(object) + f" ({ALGORITHM})."
    )  # fmt: skip
    evidence = (
        '{"algorithm": ' + json.dumps(ALGORITHM) + ', "components": ' + _COMPONENTS_JSON
        + ', "traveller_name": ' + _json_strings(t_name).to_numpy(dtype=object)
        + ', "traveller_reading": "' + t_read + '"'
        + ', "list_name": ' + _json_strings(l_name).to_numpy(dtype=object)
        + ', "list_name_is_alias": ' + np.where(alias, "true", "false")
        + ', "list_reading": "' + l_read + '"'
        + ', "word_pairs": ' + parts["pairs_json"].to_numpy(dtype=object)
        + ', "unmatched_traveller_words": ' + _word_list(only_t)
        + ', "unmatched_list_words": ' + _word_list(only_l)
        + ', "compared_whole": ' + np.where(whole, "true", "false")
        + ', "name_score": ' + np.char.mod("%.3f", name_score).astype(object)
        + ', "date_of_birth": {"traveller": ' + _json_strings(t_dob).to_numpy(dtype=object)
        + ', "list": ' + _json_strings(e_dob).to_numpy(dtype=object)
        + ', "outcome": "' + _names(DobOutcome)[dob] + '", "adjustment": '
        + _numbers(DOB_ADJUSTMENT, DobOutcome)[dob] + "}"
        + ', "document": {"outcome": "' + _names(DocOutcome)[doc] + '", "adjustment": '
        + _numbers(DOC_ADJUSTMENT, DocOutcome)[doc] + ', "floor": '
        + np.where(doc == DocOutcome.SAME, f"{DOCUMENT_FLOOR}", "null") + "}"
        + ', "nationality": {"traveller": ' + _json_strings(t_nat).to_numpy(dtype=object)
        + ', "list": ' + _json_strings(e_nat).to_numpy(dtype=object)
        + ', "outcome": "' + _names(NatOutcome)[nat] + '", "adjustment": '
        + _numbers(NAT_ADJUSTMENT, NatOutcome)[nat] + "}"
        + ', "score": ' + np.char.mod("%.3f", score).astype(object) + "}"
    )  # fmt: skip
    return list(text), list(evidence)


def _name_parts_columns() -> tuple[str, ...]:
    return ("t_reading", "l_reading", "pairs", "pairs_json", "only_t", "only_l", "whole")


def _doc_table() -> list[str]:
    size = max(int(k) for k in _DOC_WORDS) + 1
    out = [""] * size
    for k, text in _DOC_WORDS.items():
        out[int(k)] = text
    return out


def _names(
    enum_type: type[DobOutcome] | type[DocOutcome] | type[NatOutcome],
) -> npt.NDArray[np.object_]:
    size = max(int(m) for m in enum_type) + 1
    out = np.full(size, "", dtype=object)
    for m in enum_type:
        out[int(m)] = m.name.lower()
    return out


def _numbers(
    table: Mapping[Any, float], enum_type: type[DobOutcome] | type[DocOutcome] | type[NatOutcome]
) -> npt.NDArray[np.object_]:
    size = max(int(m) for m in enum_type) + 1
    out = np.full(size, "0", dtype=object)
    for m, v in table.items():
        out[int(m)] = json.dumps(float(v))
    return out


def _word_list(words: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """``"a b"`` -> ``["a", "b"]`` (words are lower-case ASCII letters: no escaping needed)."""
    out = np.where(
        words != "",
        '["' + pd.Series(words).str.replace(" ", '", "').to_numpy(dtype=object) + '"]',
        "[]",
    )
    return np.asarray(out, dtype=object)

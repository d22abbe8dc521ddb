"""Screening: travellers against a watchlist, every hit explained (R-PRE-01, R-PRE-02).

:func:`screen` is a pure function over frames. It finds candidate pairs by cheap keys
(:mod:`.candidates`), scores their names (:mod:`.names`), lets date of birth, document and
nationality move the score (:mod:`.evidence`), and keeps the pairs at or above the threshold.
A hit is only a hit: a person reviews it before anything follows (R-PRE-02).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.errors import ConfigurationError
from piu_lab.matching.candidates import (
    FAMILIES,
    candidate_pairs,
    name_keys,
    reading_pairs_to_names,
)
from piu_lab.matching.evidence import (
    DOB_ADJUSTMENT,
    DOC_ADJUSTMENT,
    DOCUMENT_FLOOR,
    NAT_ADJUSTMENT,
    DocOutcome,
    compare_dob,
    compare_documents,
    compare_nationality,
    normalise_document,
    parse_dob,
)
from piu_lab.matching.explain import explain_hits
from piu_lab.matching.frames import full_names, require_frame
from piu_lab.matching.index import WatchlistIndex, build_index
from piu_lab.matching.names import (
    NAME_THRESHOLD,
    PreparedNames,
    compare_prepared,
    prepare_names,
)
from piu_lab.matching.version import ALGORITHM

__all__ = ["MAX_EVIDENCE_BONUS", "RESULT_COLUMNS", "result_dtypes", "screen", "text_dtype"]

RESULT_COLUMNS = (
    "traveller_id",
    "entry_id",
    "list_id",
    "score",
    "name_score",
    "traveller_name",
    "list_name",
    "list_name_is_alias",
    "dob_outcome",
    "document_outcome",
    "nationality_outcome",
    "explanation",
    "evidence",
    "algorithm",
)
#: the most date of birth and nationality can add to a name score: a name pair scoring below
#: ``threshold - MAX_EVIDENCE_BONUS`` cannot become a hit (a shared document number aside,
#: which :func:`screen` looks for separately), so screening drops it before the evidence
MAX_EVIDENCE_BONUS = max(DOB_ADJUSTMENT.values()) + max(NAT_ADJUSTMENT.values())


def text_dtype() -> Any:
    """The dtype pandas gives a column of Python strings (``str`` on pandas 3, else object)."""
    return pd.Series(["x"]).dtype


def result_dtypes(traveller: Any, entry: Any, list_id: Any) -> dict[str, Any]:
    """The dtypes of :func:`screen`'s result columns, given those of the three identifiers.

    The other text columns have pandas' text dtype; the scores are float32, the outcomes int8.
    """
    text = text_dtype()
    return {
        "traveller_id": traveller,
        "entry_id": entry,
        "list_id": list_id,
        "score": np.dtype(np.float32),
        "name_score": np.dtype(np.float32),
        "traveller_name": text,
        "list_name": text,
        "list_name_is_alias": np.dtype(np.bool_),
        "dob_outcome": np.dtype(np.int8),
        "document_outcome": np.dtype(np.int8),
        "nationality_outcome": np.dtype(np.int8),
        "explanation": text,
        "evidence": text,
        "algorithm": text,
    }


def _result_dtypes(frame: pd.DataFrame, index: WatchlistIndex) -> dict[str, Any]:
    """The dtypes of :func:`screen`'s result, the same whether it holds hits or not: the
    identifiers keep the dtype of their column (``traveller_id`` of the travellers, ``entry_id``
    and ``list_id`` of the index's entries)."""
    return result_dtypes(
        frame["traveller_id"].dtype,
        index.entries["entry_id"].dtype,
        index.entries["list_id"].dtype,
    )


def _empty(frame: pd.DataFrame, index: WatchlistIndex) -> pd.DataFrame:
    dtypes = _result_dtypes(frame, index)
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in RESULT_COLUMNS})


def _all_name_pairs(n_left: int, n_right: int) -> npt.NDArray[np.int64]:
    """Every (traveller name, list name) pair, left-major: ``n_left * n_right`` rows."""
    left = np.repeat(np.arange(n_left, dtype=np.int64), n_right)
    right = np.tile(np.arange(n_right, dtype=np.int64), n_left)
    return np.stack([left, right], axis=1)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * len(frame), dtype=object)


def screen(
    travellers: pd.DataFrame,
    watchlist: pd.DataFrame | WatchlistIndex,
    *,
    threshold: float | None = None,
    families: tuple[str, ...] = FAMILIES,
    candidates: Literal["keys", "all"] = "keys",
) -> pd.DataFrame:
    """Screen ``travellers`` against ``watchlist`` (a frame or a prebuilt index).

    Travellers: ``traveller_id`` and ``full_name`` or ``surname`` + ``given_names``; optional
    ``date_of_birth``, ``nationality``, ``document_number``. The result has one row per
    (traveller, entry) scoring at or above ``threshold`` (default :data:`NAME_THRESHOLD`):
    :data:`RESULT_COLUMNS`, with ``explanation`` in words and ``evidence`` as JSON for the
    audit log, and ``algorithm`` naming the version. The columns have the same dtypes whether
    the result holds hits or not: identifiers keep the dtype of their column, ``score`` and
    ``name_score`` are float32, ``list_name_is_alias`` bool, the ``*_outcome`` columns int8
    and the other columns text.

    Two options are for measurement, the defaults are for screening:

    * ``families`` restricts the candidate keys (the default uses them all; leaving out
      ``"document"`` also drops the pairs found by document number alone);
    * ``candidates="all"`` scores every distinct traveller name against every distinct list
      name instead of the pairs the keys find (``families`` then only decides whether
      ``"document"`` pairs are added): the exhaustive screening the keys are measured against.
      Its time and memory are quadratic (travellers' names x list names, 16 bytes a pair
      before scoring): for benchmarks on small samples only.
    """
    if candidates not in ("keys", "all"):
        raise ConfigurationError(
            f"candidates must be 'keys' or 'all', not {candidates!r}",
            hint="leave the default 'keys'; 'all' is the exhaustive screening for benchmarks",
        )
    frame = require_frame(travellers, which="travellers", id_column="traveller_id")
    frame = frame.reset_index(drop=True)
    index = watchlist if isinstance(watchlist, WatchlistIndex) else build_index(watchlist)
    cut = NAME_THRESHOLD if threshold is None else float(threshold)
    if len(frame) == 0 or len(index) == 0:
        return _empty(frame, index)
    names = full_names(frame)
    codes, uniques = pd.factorize(names)
    prep = prepare_names(list(uniques), index.prepared.vocab.copy())
    # the travellers' readings use the same vocabulary as the index; rebind the index side
    build = _rebind(index, prep)
    if candidates == "all":
        name_pairs = _all_name_pairs(len(prep.first), len(build.first))
    else:
        found = candidate_pairs(name_keys(prep), index.keys, families)
        pairs = pd.concat(list(found.values()), ignore_index=True) if found else pd.DataFrame()
        name_pairs = reading_pairs_to_names(pairs, prep, build)
    comp = compare_prepared(
        prep, name_pairs[:, 0], build, name_pairs[:, 1], floor=cut - MAX_EVIDENCE_BONUS
    )
    keep = comp.score >= cut - MAX_EVIDENCE_BONUS
    scored = pd.DataFrame(
        {
            "t_name": name_pairs[keep, 0],
            "name_index": name_pairs[keep, 1],
            "name_score": comp.score[keep],
            "cmp": np.nonzero(keep)[0],
        }
    )
    travellers_of = pd.DataFrame({"traveller": np.arange(len(frame)), "t_name": codes})
    hits = scored.merge(travellers_of, on="t_name").merge(
        index.names[["entry", "name_index", "alias"]], on="name_index"
    )
    docs = _document_pairs(frame, index)
    if "document" in families and len(docs):
        hits = pd.concat(
            [hits, _doc_only(docs, hits, codes, prep, build, index)], ignore_index=True
        )
    if hits.empty:
        return _empty(frame, index)
    # the best name of each entry for each traveller
    hits = hits.sort_values(["traveller", "entry", "name_score"], ascending=[True, True, False])
    hits = hits.drop_duplicates(["traveller", "entry"]).reset_index(drop=True)
    t = hits["traveller"].to_numpy()
    e = hits["entry"].to_numpy()
    entries = index.entries
    dob_t = parse_dob(_column(frame, "date_of_birth"))[t]
    dob_e = entries[["dob_y", "dob_m", "dob_d"]].to_numpy(dtype=np.int32)[e]
    dob = compare_dob(dob_t, dob_e)
    doc_t = normalise_document(_column(frame, "document_number")).to_numpy(dtype=object)[t]
    doc = compare_documents(pd.Series(doc_t), entries["document"].iloc[e].reset_index(drop=True))
    nat_t = _column(frame, "nationality").iloc[t].reset_index(drop=True)
    nat = compare_nationality(nat_t, entries["nationality"].iloc[e].reset_index(drop=True))
    adj = np.add(
        np.add(_lookup(DOB_ADJUSTMENT, dob), _lookup(DOC_ADJUSTMENT, doc)),
        _lookup(NAT_ADJUSTMENT, nat),
    )
    name_score = hits["name_score"].to_numpy(dtype=np.float32)
    score = np.clip(name_score + adj, 0.0, 1.0)
    score = np.where(doc == DocOutcome.SAME, np.maximum(score, DOCUMENT_FLOOR), score)
    ok = score >= cut
    if not ok.any():
        return _empty(frame, index)
    hits = hits[ok].reset_index(drop=True)
    t, e = t[ok], e[ok]
    out = pd.DataFrame(
        {
            "traveller_id": frame["traveller_id"].iloc[t].reset_index(drop=True),
            "entry_id": entries["entry_id"].iloc[e].reset_index(drop=True),
            "list_id": entries["list_id"].iloc[e].reset_index(drop=True),
            "score": score[ok].astype(np.float32),
            "name_score": name_score[ok],
            "traveller_name": names.to_numpy()[t],
            "list_name": index.names.set_index("name_index")["name"]
            .groupby(level=0)
            .first()
            .reindex(hits["name_index"].to_numpy())
            .to_numpy(),
            "list_name_is_alias": hits["alias"].to_numpy(dtype=bool),
            "dob_outcome": dob[ok],
            "document_outcome": doc[ok],
            "nationality_outcome": nat[ok],
        }
    )
    cmp_rows = hits["cmp"].to_numpy(dtype=np.int64)
    explanation, evidence = explain_hits(
        out,
        comp,
        cmp_rows,
        prep,
        hits["t_name"].to_numpy(dtype=np.int64),
        build,
        hits["name_index"].to_numpy(dtype=np.int64),
        traveller_dob=_column(frame, "date_of_birth").iloc[t].to_numpy(dtype=object),
        traveller_nat=nat_t[ok].to_numpy(dtype=object),
        entries=entries.iloc[e].reset_index(drop=True),
    )
    out["explanation"] = explanation
    out["evidence"] = evidence
    out["algorithm"] = ALGORITHM
    out = out.sort_values(["traveller_id", "score"], ascending=[True, False], kind="stable")
    return out.reset_index(drop=True)[list(RESULT_COLUMNS)].astype(_result_dtypes(frame, index))


def _lookup(table: Mapping[Any, float], outcome: npt.NDArray[np.int8]) -> npt.NDArray[np.float32]:
    values = np.zeros(max(int(k) for k in table) + 1, dtype=np.float32)
    for k, v in table.items():
        values[int(k)] = v
    out: npt.NDArray[np.float32] = values[outcome.astype(np.int64)]
    return out


def _rebind(index: WatchlistIndex, prep: PreparedNames) -> PreparedNames:
    """The index's names over the travellers' vocabulary (a superset with the same ids)."""
    return replace(index.prepared, vocab=prep.vocab)


def _document_pairs(frame: pd.DataFrame, index: WatchlistIndex) -> pd.DataFrame:
    docs = normalise_document(_column(frame, "document_number"))
    left = pd.DataFrame({"traveller": np.arange(len(frame)), "document": docs.to_numpy()})
    left = left[left["document"] != ""]
    right = pd.DataFrame(
        {"entry": np.arange(len(index.entries)), "document": index.entries["document"].to_numpy()}
    )
    right = right[right["document"] != ""]
    return left.merge(right, on="document")[["traveller", "entry"]]


def _doc_only(
    docs: pd.DataFrame,
    hits: pd.DataFrame,
    codes: npt.NDArray[np.int64],
    prep: PreparedNames,
    build: PreparedNames,
    index: WatchlistIndex,
) -> pd.DataFrame:
    """Pairs found by document number alone, with their name scores for the explanation."""
    seen = set(zip(hits["traveller"].tolist(), hits["entry"].tolist(), strict=True))
    new = docs[[(t, e) not in seen for t, e in zip(docs["traveller"], docs["entry"], strict=True)]]
    if new.empty:
        return new.assign(t_name=[], name_index=[], name_score=[], alias=[], cmp=[])
    primary = index.names[~index.names["alias"]].set_index("entry")["name_index"]
    t_name = codes[new["traveller"].to_numpy()]
    n_idx = primary.reindex(new["entry"].to_numpy()).to_numpy(dtype=np.int64)
    comp = compare_prepared(prep, t_name, build, n_idx)
    return pd.DataFrame(
        {
            "t_name": t_name,
            "name_index": n_idx,
            "name_score": comp.score,
            "cmp": -1,
            "traveller": new["traveller"].to_numpy(),
            "entry": new["entry"].to_numpy(),
            "alias": False,
        }
    )

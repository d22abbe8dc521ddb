"""Screening at scale with Dask: the unchanged :func:`~piu_lab.matching.screen` per partition.

R-PRE-01 asks that every traveller of every flight be screened against the watchlists. The
in-process :func:`~piu_lab.matching.screen` does that for one frame; :func:`screen_dask` does it
for a feed that does not fit one process, without changing the algorithm:

* **Partitioning by traveller.** Whether a traveller hits depends only on that traveller's row
  and the watchlist, never on the other travellers, so the travellers frame can be cut anywhere
  between rows (by traveller, by day of travel, by member state...). Each partition is screened
  on its own with :func:`~piu_lab.matching.screen` and the hits are the concatenation of the
  partitions' hits: the same rows, scores and explanations as one in-process call on the whole
  frame (``tests/matching/test_dask.py`` checks this exactly). Partitions never exchange data,
  so the work grows linearly with the travellers and spreads over as many workers as there are.
* **Index broadcast.** The watchlist is parsed and keyed once on the client
  (:func:`~piu_lab.matching.build_index`, or a prebuilt or loaded :class:`WatchlistIndex`).
  With a :mod:`distributed` client it is shipped once to every worker with
  ``client.scatter(index, broadcast=True)``; each partition's task depends on that one future,
  so the index is neither embedded in nor re-serialised with the per-partition tasks (the task
  graph holds only the future's key, whatever the list size). Without a distributed client
  (dask's local threaded or synchronous scheduler) it is a single ``dask.delayed`` node that
  every partition task depends on: one object in memory, no copy at all. The choice is made
  when :func:`screen_dask` is called, from the scheduler dask would use then: compute the
  result on that same client (a scattered future belongs to its client).

The index is a plain picklable value (frames, numpy arrays and a word vocabulary); each partition
copies only the vocabulary before adding its travellers' words, so workers may run several
partitions at once on the same broadcast index.

A result partition's columns always have the dtypes of :func:`result_meta`, also when it holds
no hit (the in-process ``screen`` returns object columns when nothing hits). Traveller
identifiers must be unique across the whole frame: each partition checks its own rows, so
:func:`partition_travellers` checks the whole frame before cutting it.

Dask is an optional dependency (``pip install piu-lab[dask]``); it is imported only when these
functions are called, and its absence raises :class:`~piu_lab.errors.ConfigurationError`.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from piu_lab.errors import ConfigurationError
from piu_lab.matching.frames import require_frame
from piu_lab.matching.index import WatchlistIndex, build_index
from piu_lab.matching.screening import RESULT_COLUMNS, result_dtypes, screen, text_dtype

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["partition_travellers", "result_meta", "screen_dask"]

_INSTALL_HINT = "pip install piu-lab[dask]"


def _import(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigurationError(
            f"screening with Dask needs the optional dependency {module!r}",
            hint=_INSTALL_HINT,
            module=module,
        ) from exc


def _dataframe_module() -> ModuleType:
    return _import("dask.dataframe")


def _inferred_dtype(values: np.ndarray[Any, Any]) -> Any:
    """The dtype a frame built from ``values`` (as ``screen`` builds its result) would have."""
    return pd.DataFrame({"v": values})["v"].dtype


def result_meta(travellers_meta: pd.DataFrame, index: WatchlistIndex) -> pd.DataFrame:
    """An empty result frame with the dtypes :func:`screen` gives a non-empty result.

    ``travellers_meta`` is an (empty) frame with the travellers' columns and dtypes, such as a
    Dask frame's ``_meta``. ``traveller_id`` and ``entry_id`` keep their kind (integers stay
    integers); ``list_id`` is text when every entry has one and object otherwise.
    """
    text = text_dtype()
    ids = travellers_meta["traveller_id"]
    if ids.dtype == object:
        # mixed or unknown identifiers stay as they are (casting could turn 7 into "7")
        traveller_dtype: Any = np.dtype(object)
    else:
        # a placeholder row of the column's dtype, to see what screen's result frame makes of it
        sample = _import("dask.dataframe.utils").meta_nonempty(travellers_meta[["traveller_id"]])
        traveller_dtype = _inferred_dtype(sample["traveller_id"].to_numpy())
    entries = index.entries
    entry_dtype = (
        _inferred_dtype(entries["entry_id"].to_numpy())
        if len(entries)
        else entries["entry_id"].dtype
    )
    list_ids = entries["list_id"]
    list_dtype = text if len(list_ids) and list_ids.notna().all() else np.dtype(object)
    dtypes = result_dtypes(traveller_dtype, entry_dtype, list_dtype)
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in RESULT_COLUMNS})


def _screen_partition(
    travellers: pd.DataFrame,
    index: WatchlistIndex,
    dtypes: dict[str, Any],
    threshold: float | None,
) -> pd.DataFrame:
    """Screen one partition; the hits with ``dtypes`` (also when there are none)."""
    hits = screen(travellers, index, threshold=threshold)
    if len(hits) == 0:
        return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in RESULT_COLUMNS})
    return hits.astype(dtypes)


def _active_client() -> Any | None:
    """The :mod:`distributed` client that would run a computation now, or ``None``.

    ``None`` when dask's local schedulers would (no client, or ``dask.config.set(scheduler=
    "threads")`` and the like), or when the client is asynchronous (it cannot scatter here).
    """
    try:
        scheduler = _import("dask.base").get_scheduler()
    except RuntimeError:  # an asynchronous client, outside its event loop
        return None
    client = getattr(scheduler, "__self__", None)
    distributed = sys.modules.get("distributed")
    if distributed is None or not isinstance(client, distributed.Client):
        return None
    return None if client.asynchronous else client


def _shippable(index: WatchlistIndex) -> WatchlistIndex:
    """``index`` without the parsed-name objects, which screening never reads.

    ``build_index`` and :func:`~piu_lab.matching.load_index` give indexes without parse trees;
    one assembled by hand with ``prepared.parsed`` (millions of small Python objects for a large
    list) gets them dropped here. The workers receive exactly what a loaded index holds, and the
    pickle smaller and about ten times faster to write and read (measured on a 100,000-entry
    index in ``docs/matching-scale-out.md``).
    """
    if not index.prepared.parsed:
        return index
    return replace(index, prepared=replace(index.prepared, parsed=()))


def _broadcast(index: WatchlistIndex) -> Any:
    """A single task dependency holding ``index``: a scattered future, or a delayed value."""
    index = _shippable(index)
    client = _active_client()
    if client is not None:
        # one copy per worker, sent once; hash=False: the index is not tokenised (it is large
        # and its content is already pinned by the object identity held by the future)
        return client.scatter(index, broadcast=True, hash=False)
    delayed = _import("dask").delayed
    return delayed(index, name=f"watchlist-index-{uuid.uuid4().hex}", traverse=False)


def screen_dask(
    travellers: dd.DataFrame,
    watchlist: pd.DataFrame | WatchlistIndex,
    *,
    threshold: float | None = None,
) -> dd.DataFrame:
    """Screen a Dask frame of travellers against ``watchlist``; a lazy Dask frame of hits.

    The same hits as :func:`~piu_lab.matching.screen` on the whole frame (rows in partition
    order, within a partition as ``screen`` orders them), with the dtypes of
    :func:`result_meta`. ``watchlist`` is a frame (indexed once here, on the client) or a
    :class:`WatchlistIndex`; it is broadcast once to the workers (see the module docstring).
    Nothing runs until the result is computed or persisted.
    """
    dd_module = _dataframe_module()
    if not isinstance(travellers, dd_module.DataFrame):
        raise ConfigurationError(
            f"screen_dask needs a dask.dataframe.DataFrame, not {type(travellers).__name__}",
            hint="use piu_lab.matching.screen for a pandas frame, or partition_travellers()",
        )
    # the columns are checked once here, on the empty meta, before anything runs
    require_frame(travellers._meta, which="travellers", id_column="traveller_id")
    index = watchlist if isinstance(watchlist, WatchlistIndex) else build_index(watchlist)
    meta = result_meta(travellers._meta, index)
    shared = _broadcast(index)
    result: dd.DataFrame = travellers.map_partitions(
        _screen_partition,
        shared,
        meta.dtypes.to_dict(),
        threshold,
        meta=meta,
        align_dataframes=False,
    )
    return result


def partition_travellers(df: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    """Cut a pandas frame of travellers into ``npartitions`` Dask partitions, rows in order.

    The frame is checked whole first (``traveller_id`` present, non-null and unique), since a
    partition can only check its own rows.
    """
    if isinstance(npartitions, bool) or not isinstance(npartitions, int) or npartitions < 1:
        raise ConfigurationError(
            f"npartitions must be a positive integer, not {npartitions!r}",
            hint="pass the number of partitions (aim for 5,000-20,000 travellers in each)",
        )
    frame = require_frame(df, which="travellers", id_column="traveller_id")
    frame = frame.reset_index(drop=True)
    dd_module = _dataframe_module()
    parted: dd.DataFrame = dd_module.from_pandas(
        frame, npartitions=min(npartitions, max(len(frame), 1)), sort=False
    )
    return parted

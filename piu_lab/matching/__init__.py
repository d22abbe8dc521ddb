"""Watchlist matching: pure functions over frames, no I/O (R-PRE-01).

* :func:`score_names` - similarity of aligned full names, any script, order or format;
  :data:`NAME_THRESHOLD` is the operating point.
* :func:`build_index` - a watchlist version parsed and keyed once (:class:`WatchlistIndex`,
  saved with ``save`` and read with :func:`load_index`).
* :func:`screen` - travellers against a watchlist or an index: one explained row per hit.

Every hit carries :data:`ALGORITHM` (name@version); see ``docs/matching.md``.
"""

from __future__ import annotations

from piu_lab.matching.index import WatchlistIndex, build_index, load_index
from piu_lab.matching.names import NAME_THRESHOLD, score_names
from piu_lab.matching.screening import RESULT_COLUMNS, screen
from piu_lab.matching.version import ALGORITHM

__all__ = [
    "ALGORITHM",
    "NAME_THRESHOLD",
    "RESULT_COLUMNS",
    "WatchlistIndex",
    "build_index",
    "load_index",
    "score_names",
    "screen",
]

"""The watchlist index: a list version parsed, keyed and ready to screen against.

Built once per list version with :func:`build_index`, reused by every :func:`screen` call, and
persisted with :meth:`WatchlistIndex.save` / :func:`load_index` (a folder of Parquet files and
a ``meta.json`` naming the algorithm and the code fingerprint; an index saved by another
algorithm version, or by code whose fingerprint differs from this one's
(:data:`~piu_lab.matching.version.CODE_FINGERPRINT`), is refused with
:class:`~piu_lab.errors.IndexVersionMismatch`, never silently reused).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from piu_lab.errors import IndexVersionMismatch, MatchingInputError
from piu_lab.matching import version
from piu_lab.matching.candidates import name_keys
from piu_lab.matching.evidence import as_text, normalise_document, parse_dob
from piu_lab.matching.frames import full_names, require_frame
from piu_lab.matching.names import PreparedNames, Vocabulary, prepare_names
from piu_lab.matching.normalise import MAX_WORDS
from piu_lab.matching.version import ALGORITHM

__all__ = ["WatchlistIndex", "build_index", "load_index"]


@dataclass(frozen=True)
class WatchlistIndex:
    """A watchlist, parsed and keyed (see :func:`build_index`).

    ``entries``: one row per entry (``entry_id``, ``list_id``, ``dob_y/m/d``, ``nationality``,
    ``document``); ``names``: one row per name of an entry (``entry``, position in
    ``entries``; ``name``, the full name; ``alias``; ``name_index`` into ``prepared``).
    ``prepared`` holds the names' readings without their parse trees (``parsed`` is empty:
    screening never reads them, and they would make the index slow to pickle).
    """

    entries: pd.DataFrame
    names: pd.DataFrame
    prepared: PreparedNames
    keys: dict[str, pd.DataFrame]
    fingerprint: str
    algorithm: str = ALGORITHM

    def __len__(self) -> int:
        return len(self.entries)

    def save(self, path: str | Path) -> Path:
        """Write the index to folder ``path`` (created); returns it.

        ``meta.json`` records :data:`ALGORITHM` and the code fingerprint, which
        :func:`load_index` checks.
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self.entries.to_parquet(folder / "entries.parquet", index=False)
        self.names.to_parquet(folder / "names.parquet", index=False)
        for fam, frame in self.keys.items():
            frame.to_parquet(folder / f"keys_{fam}.parquet", index=False)
        v = self.prepared.vocab
        pd.DataFrame(
            {
                "text": v.text,
                "rom": v.rom,
                "skel": v.skel,
                "loose": v.loose,
                "origin": v.origin,
                "kind": v.kind,
            }
        ).to_parquet(folder / "vocabulary.parquet", index=False)
        p = self.prepared
        readings = pd.DataFrame(
            {
                "reading_name": p.reading_name,
                "reading_index": p.reading_index,
                "origin": p.origin,
                "compact": p.compact,
                "rotated": p.rotated,
                "compact_skel": p.compact_skel,
                "compact_loose": p.compact_loose,
            }
        )
        readings["joined"] = p.joined
        for k in range(MAX_WORDS):
            readings[f"w{k}"] = p.words[:, k]
            readings[f"r{k}"] = p.roles[:, k]
        readings.to_parquet(folder / "readings.parquet", index=False)
        pd.DataFrame({"first": p.first, "count": p.count}).to_parquet(
            folder / "name_readings.parquet", index=False
        )
        meta = {
            "algorithm": self.algorithm,
            "code_fingerprint": version.code_fingerprint(),
            "fingerprint": self.fingerprint,
            "families": sorted(self.keys),
            "entries": len(self.entries),
        }
        (folder / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")
        return folder


def _fingerprint(frame: pd.DataFrame) -> str:
    """The list's content fingerprint: every column, aliases as sorted ``|``-joined text.

    A missing ``aliases`` column counts as no aliases; a list of aliases and the same aliases
    as one ``|``-separated string, in any order, give the same fingerprint.
    """
    frame = frame.assign(aliases=_aliases(frame).map(lambda names: "|".join(sorted(names))))
    cols = sorted(frame.columns.astype(str))
    hashed = pd.util.hash_pandas_object(frame[cols].astype(str), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes() + ",".join(cols).encode()).hexdigest()[:16]


def _aliases(frame: pd.DataFrame) -> pd.Series:
    if "aliases" not in frame.columns:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype=object)

    def as_list(value: object) -> list[str]:
        if isinstance(value, str):
            return [a for a in (s.strip() for s in value.split("|")) if a]
        if isinstance(value, (list, tuple, np.ndarray)):
            return [str(a).strip() for a in value if isinstance(a, str) and a.strip()]
        return []

    return frame["aliases"].map(as_list)


def build_index(watchlist: pd.DataFrame) -> WatchlistIndex:
    """Parse and key a watchlist (R-PRE-01: the databases screened against).

    Columns: ``entry_id``; names as ``full_name`` or ``surname`` + ``given_names``; optional
    ``aliases`` (a list of full names, or one string separated by ``|``), ``date_of_birth``
    (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or null), ``nationality``, ``document_number``,
    ``list_id``.
    """
    frame = require_frame(watchlist, which="watchlist", id_column="entry_id")
    frame = frame.reset_index(drop=True)
    primary = full_names(frame)
    aliases = _aliases(frame)
    entry_pos = np.arange(len(frame), dtype=np.int64)
    alias_rows = aliases.explode().dropna()
    names = pd.DataFrame(
        {
            "entry": np.concatenate([entry_pos, alias_rows.index.to_numpy(dtype=np.int64)]),
            "name": np.concatenate(
                [primary.to_numpy(dtype=object), alias_rows.to_numpy(dtype=object)]
            ),
            "alias": np.concatenate(
                [np.zeros(len(frame), dtype=np.bool_), np.ones(len(alias_rows), dtype=np.bool_)]
            ),
        }
    )
    codes, uniques = pd.factorize(names["name"])
    names["name_index"] = codes.astype(np.int64)
    # the parse trees are dropped: screening and explain.py read only the readings and the
    # vocabulary, and millions of small parse objects would make pickling ~10x slower
    prepared = replace(prepare_names(list(uniques)), parsed=())
    dob = parse_dob(
        frame["date_of_birth"]
        if "date_of_birth" in frame.columns
        else pd.Series([None] * len(frame), dtype=object)
    )
    entries = pd.DataFrame(
        {
            "entry_id": frame["entry_id"].to_numpy(),
            "list_id": _optional(frame, "list_id"),
            "dob_y": dob[:, 0],
            "dob_m": dob[:, 1],
            "dob_d": dob[:, 2],
            "date_of_birth": _optional(frame, "date_of_birth"),
            "nationality": _optional(frame, "nationality"),
            "document": normalise_document(_optional_series(frame, "document_number")).to_numpy(),
            "document_number": _optional(frame, "document_number"),
        }
    )
    return WatchlistIndex(
        entries=entries,
        names=names,
        prepared=prepared,
        keys=name_keys(prepared),
        fingerprint=_fingerprint(frame),
    )


def _optional_series(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([None] * len(frame), dtype=object)
    return frame[column].map(as_text)


def _optional(frame: pd.DataFrame, column: str) -> np.ndarray:
    return _optional_series(frame, column).to_numpy(dtype=object)


def load_index(path: str | Path) -> WatchlistIndex:
    """Read an index written by :meth:`WatchlistIndex.save`.

    Raises :class:`~piu_lab.errors.IndexVersionMismatch` when it was saved by another
    :data:`ALGORITHM` or by code with another fingerprint (or before fingerprints were
    recorded): the index must then be rebuilt from its watchlist.
    """
    folder = Path(path)
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise MatchingInputError(
            f"{folder} holds no saved watchlist index (meta.json missing)",
            frame="index",
            column=None,
            path=str(folder),
        )
    meta = json.loads(meta_path.read_text("utf-8"))
    if meta.get("algorithm") != ALGORITHM:
        raise IndexVersionMismatch(
            f"the index at {folder} was built by {meta.get('algorithm')!r}, this is {ALGORITHM!r}",
            path=str(folder),
            saved=meta.get("algorithm"),
            current=ALGORITHM,
        )
    saved_code, current_code = meta.get("code_fingerprint"), version.code_fingerprint()
    if saved_code != current_code:
        raise IndexVersionMismatch(
            f"the index at {folder} was built by matching code with fingerprint "
            f"{saved_code!r}, this code's fingerprint is {current_code!r}",
            path=str(folder),
            saved=saved_code,
            current=current_code,
        )
    voc = pd.read_parquet(folder / "vocabulary.parquet")
    vocab = Vocabulary()
    vocab.text = voc["text"].tolist()
    vocab.rom = voc["rom"].tolist()
    vocab.skel = voc["skel"].tolist()
    vocab.loose = voc["loose"].tolist()
    vocab.origin = [int(x) for x in voc["origin"]]
    vocab.kind = [int(x) for x in voc["kind"]]
    vocab.ids = {(t, o): i for i, (t, o) in enumerate(zip(vocab.text, vocab.origin, strict=True))}
    rd = pd.read_parquet(folder / "readings.parquet")
    nr = pd.read_parquet(folder / "name_readings.parquet")
    words = np.stack([rd[f"w{k}"].to_numpy(dtype=np.int32) for k in range(MAX_WORDS)], axis=1)
    roles = np.stack([rd[f"r{k}"].to_numpy(dtype=np.int8) for k in range(MAX_WORDS)], axis=1)
    prepared = PreparedNames(
        vocab=vocab,
        first=nr["first"].to_numpy(dtype=np.int64),
        count=nr["count"].to_numpy(dtype=np.int64),
        reading_name=rd["reading_name"].to_numpy(dtype=np.int64),
        reading_index=rd["reading_index"].to_numpy(dtype=np.int64),
        words=words.reshape(len(rd), MAX_WORDS),
        roles=roles.reshape(len(rd), MAX_WORDS),
        joined=rd["joined"].to_numpy(dtype=object),
        origin=rd["origin"].to_numpy(dtype=np.int8),
        compact=rd["compact"].to_numpy(dtype=object),
        rotated=rd["rotated"].to_numpy(dtype=object),
        compact_skel=rd["compact_skel"].to_numpy(dtype=object),
        compact_loose=rd["compact_loose"].to_numpy(dtype=object),
        parsed=(),
    )
    keys = {fam: pd.read_parquet(folder / f"keys_{fam}.parquet") for fam in meta["families"]}
    entries = pd.read_parquet(folder / "entries.parquet")
    names = pd.read_parquet(folder / "names.parquet")
    return WatchlistIndex(entries, names, prepared, keys, str(meta["fingerprint"]))

"""Candidate generation: which (traveller name, list name) pairs are worth scoring.

Scoring every pair of a day's travellers with a 300,000-name list is 30 billion comparisons.
Instead, names are paired when they share a cheap key, and several key families are used in
union so that what one misses another catches (their cost and contribution are measured by
``benchmarks/screening.py``):

``pair``
    two name words of the same name, by the first :data:`PREFIX` (5) letters of their
    romanisation keys, with the deletion neighbourhood of each word's first six letters (of the
    key and of the letters as written): a single typo, insertion, deletion or transposition in
    either word still meets (SymSpell's idea); so do particles joined or split
    (``VAN DAMME`` / ``VANDAMME``).
``skeleton``
    pairs of consonant skeletons (first four consonants of two words): names written without
    short vowels (Arabic, Hebrew, Indic and South-East Asian scripts) and names with a slip in
    both words (``Josh MCKENZIE`` / ``Joshua MACKENZIE``) still meet.
``loose``
    pairs of loose keys, when one side was written in Korean or Chinese characters.
``rare``
    a single word, when it is rare on the list (at most :data:`RARE_LIMIT` list names carry it):
    catches names whose other words are all misspelt or missing.
``single``
    names of one word against every word of the other side (deletion neighbourhood).
``document``
    the folded document number.

Keys are 64-bit hashes; joins are pandas merges. No per-pair Python code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.matching.names import PreparedNames, Vocabulary
from piu_lab.matching.normalise import WordKind
from piu_lab.matching.scripts import Origin

__all__ = [
    "FAMILIES",
    "RARE_LIMIT",
    "candidate_pairs",
    "name_keys",
    "reading_pairs_to_names",
    "word_codes",
]

FAMILIES = ("pair", "skeleton", "loose", "rare", "single", "document")
#: a word carried by at most this many list names is rare enough to block on alone
RARE_LIMIT = 8


#: letters of each word a pair key looks at (the deletion neighbourhood covers one more)
PREFIX = 5
_NV = 14  # deletion variants kept per word (of its romanisation key and of its letters)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _variants(word: str, text: str = "") -> list[str]:
    """First four letters and the deletion neighbourhood of the first five, of the romanisation
    key and of the letters as written (``lakhal``/``lakahl``: the key folds kh, the typo not)."""
    out: set[str] = set()
    for w in {word, text} - {""}:
        head = w[: PREFIX + 1]
        out.add(w[:PREFIX])
        if len(head) >= 3:
            out.update(head[:i] + head[i + 1 :] for i in range(len(head)))
    return sorted(out)[:_NV]


def _hash(values: list[str]) -> npt.NDArray[np.uint64]:
    if not values:
        return np.zeros(0, dtype=np.uint64)
    out: npt.NDArray[np.uint64] = pd.util.hash_array(np.asarray(values, dtype=object))
    return out


def _word_codes(vocab: Vocabulary, start: int) -> dict[str, npt.NDArray[np.uint64]]:
    """Hashed keys of words ``start:`` of the vocabulary (0 = no key)."""
    rom = vocab.rom[start:]
    text = vocab.text[start:]
    if not rom:
        empty = np.zeros(0, dtype=np.uint64)
        return {
            "p4": empty,
            "var": empty.reshape(0, _NV),
            "rom": empty,
            "skel": empty,
            "loose": empty,
        }
    var_strings: list[str] = []
    var_pos: list[int] = []
    for i, (w, t) in enumerate(zip(rom, text, strict=True)):
        for k, v in enumerate(_variants(w, t)):
            var_strings.append(v)
            var_pos.append(i * _NV + k)
    var = np.zeros(len(rom) * _NV, dtype=np.uint64)
    var[np.asarray(var_pos, dtype=np.int64)] = _hash(var_strings)
    return {
        "p4": _hash([w[:PREFIX] for w in rom]),
        "var": var.reshape(len(rom), _NV),
        "rom": _hash(rom),
        "skel": _hash([k[:4] for k in vocab.skel[start:]]),
        "loose": _hash([k[:3] for k in vocab.loose[start:]]),
    }


def word_codes(vocab: Vocabulary) -> dict[str, npt.NDArray[np.uint64]]:
    """Hashed keys of every word of ``vocab``, computed once per word and cached on it."""
    cached: dict[str, npt.NDArray[np.uint64]] = getattr(vocab, "key_cache", {})
    done = len(cached.get("rom", ()))
    if not cached or done < len(vocab):
        more = _word_codes(vocab, done)
        cached = {k: np.concatenate([cached[k], v]) if done else v for k, v in more.items()}
        vocab.key_cache = cached
    return cached


def _sym(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out: npt.NDArray[np.uint64] = lo * _MIX + hi
    return out


def _name_words(prep: PreparedNames) -> npt.NDArray[np.int64]:
    """Each reading's name words (not particles or initials), packed left, -1 padded."""
    words = prep.words.astype(np.int64)
    kind = np.asarray(prep.vocab.kind, dtype=np.int8)
    lengths = np.fromiter((len(r) for r in prep.vocab.rom), dtype=np.int64, count=len(prep.vocab))
    ok = words >= 0
    safe = np.maximum(words, 0)
    ok &= (kind[safe] == WordKind.NAME) & (lengths[safe] >= 2)
    order = np.argsort(~ok, axis=1, kind="stable")
    packed = np.take_along_axis(np.where(ok, words, -1), order, axis=1)
    out: npt.NDArray[np.int64] = packed
    return out


def _frame(rows: list[npt.NDArray[np.int64]], keys: list[npt.NDArray[np.uint64]]) -> pd.DataFrame:
    row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    key = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    ok = key != 0
    return pd.DataFrame({"row": row[ok], "key": key[ok]}).drop_duplicates(ignore_index=True)


def _joined_particle_keys(
    prep: PreparedNames, codes: dict[str, npt.NDArray[np.uint64]]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """Pair keys of particles joined to the next word (``VAN DAMME`` as ``vandamme``, ``DE LA
    FONTAINE`` as ``delafontaine``) with the other name words, so that ``VANDAMME/TOM`` and
    ``VAN DAMME/TOM`` meet."""
    vocab = prep.vocab
    kind = np.asarray(vocab.kind, dtype=np.int8)
    words = prep.words.astype(np.int64)
    safe = np.maximum(words, 0)
    is_particle = (words >= 0) & (kind[safe] == WordKind.PARTICLE)
    is_name = (words >= 0) & (kind[safe] == WordKind.NAME)
    rows_out: list[int] = []
    strings: list[tuple[str, int]] = []  # (variant of the joined word, other word id)
    width = words.shape[1]
    for r, i in zip(*np.nonzero(is_particle), strict=True):
        # every particle up to the next name word: DE LA FONTAINE as delafontaine (and, from
        # the second particle, lafontaine)
        j = int(i) + 1
        while j < width and is_particle[r, j]:
            j += 1
        if j >= width or not is_name[r, j]:
            continue
        nxt = int(words[r, j])
        run = [int(w) for w in words[r, i : j + 1]]
        rom = "".join(vocab.rom[w] for w in run)
        text = "".join(vocab.text[w] for w in run)
        others = [int(w) for w, ok in zip(words[r], is_name[r], strict=True) if ok and w != nxt]
        for o in others:
            for v in _variants(rom, text):
                rows_out.append(int(r))
                strings.append((v, o))
            rows_out.append(int(r))
            strings.append(("\x00" + rom[:PREFIX], o))
    if not strings:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    hashed = _hash([v.lstrip("\x00") for v, _ in strings])
    other = np.asarray([o for _, o in strings], dtype=np.int64)
    exact = np.asarray([v.startswith("\x00") for v, _ in strings], dtype=np.bool_)
    keys = np.where(exact, 0, _sym(hashed, codes["p4"][other]))
    # the joined word's first four letters against the other word's variants
    ex_rows = np.asarray(rows_out, dtype=np.int64)[exact]
    ex_hash, ex_other = hashed[exact], other[exact]
    more_rows = [ex_rows] * _NV
    more_keys = [_sym(ex_hash, codes["var"][ex_other, k]) for k in range(_NV)]
    var_ok = [codes["var"][ex_other, k] != 0 for k in range(_NV)]
    rows_all = np.concatenate(
        [np.asarray(rows_out, dtype=np.int64)[~exact]]
        + [r[m] for r, m in zip(more_rows, var_ok, strict=True)]
    )
    keys_all = np.concatenate(
        [keys[~exact]] + [k[m] for k, m in zip(more_keys, var_ok, strict=True)]
    )
    return rows_all, keys_all.astype(np.uint64)


def name_keys(prep: PreparedNames) -> dict[str, pd.DataFrame]:
    """Per family: a frame of ``row`` (reading row), ``key`` (uint64 hash) and ``abjad``/``cjk``.

    ``single`` has two parts: ``single_name`` (names of one word) and ``single_word`` (every
    word of every name).
    """
    codes = word_codes(prep.vocab)
    nw = _name_words(prep)
    n_rows, width = nw.shape
    count = (nw >= 0).sum(axis=1)
    fam: dict[str, tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.uint64]]]] = {
        f: ([], []) for f in ("pair", "skeleton", "loose", "rare", "single_name", "single_word")
    }
    for i in range(width):
        for j in range(i + 1, width):
            rows = np.nonzero(nw[:, j] >= 0)[0]
            if len(rows) == 0:
                continue
            a, b = nw[rows, i], nw[rows, j]
            pa, pb = codes["p4"][a], codes["p4"][b]
            for k in range(_NV):
                va, vb = codes["var"][a, k], codes["var"][b, k]
                fam["pair"][0].extend([rows[va != 0], rows[vb != 0]])
                fam["pair"][1].extend(
                    [_sym(va[va != 0], pb[va != 0]), _sym(pa[vb != 0], vb[vb != 0])]
                )
            for name in ("skeleton", "loose"):
                key = "skel" if name == "skeleton" else "loose"
                fam[name][0].append(rows)
                fam[name][1].append(_sym(codes[key][a], codes[key][b]))
    lengths = np.fromiter((len(r) for r in prep.vocab.rom), dtype=np.int64, count=len(prep.vocab))
    for i in range(width):
        rows = np.nonzero(nw[:, i] >= 0)[0]
        w = nw[rows, i]
        long = lengths[w] >= 3
        fam["rare"][0].append(rows[long])
        fam["rare"][1].append(codes["rom"][w[long]])
        single = count[rows] == 1
        for k in range(_NV):
            fam["single_word"][0].append(rows)
            fam["single_word"][1].append(codes["var"][w, k])
            fam["single_name"][0].append(rows[single])
            fam["single_name"][1].append(codes["var"][w[single], k])
    joined_rows, joined_keys = _joined_particle_keys(prep, codes)
    fam["pair"][0].append(joined_rows)
    fam["pair"][1].append(joined_keys)
    origin = prep.origin
    out: dict[str, pd.DataFrame] = {}
    for f, (rows_l, keys_l) in fam.items():
        frame = _frame(rows_l, keys_l)
        o = origin[frame["row"].to_numpy()] if len(frame) else np.zeros(0, np.int8)
        frame["abjad"] = (o == Origin.ABJAD) | (o == Origin.ABUGIDA)
        frame["cjk"] = o >= Origin.HANGUL
        out[f] = frame
    del n_rows
    return out


def _join(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    if a.empty or b.empty:
        return pd.DataFrame({"row_l": np.zeros(0, np.int64), "row_r": np.zeros(0, np.int64)})
    m = a[["row", "key"]].merge(b[["row", "key"]], on="key", suffixes=("_l", "_r"))
    return m[["row_l", "row_r"]]


def candidate_pairs(
    probe: dict[str, pd.DataFrame],
    build: dict[str, pd.DataFrame],
    families: tuple[str, ...] = FAMILIES,
) -> dict[str, pd.DataFrame]:
    """Per family, the (probe reading row, build reading row) pairs sharing a key.

    ``probe`` are the travellers' keys, ``build`` the list's (as in :class:`WatchlistIndex`).
    The ``document`` family is handled by the caller (it pairs records, not names).
    """
    out: dict[str, pd.DataFrame] = {}
    if "pair" in families:
        out["pair"] = _join(probe["pair"], build["pair"])
    if "skeleton" in families:
        out["skeleton"] = _join(probe["skeleton"], build["skeleton"])
    for fam, flag in (("loose", "cjk"),):
        if fam in families:
            p, b = probe[fam], build[fam]
            out[fam] = pd.concat(
                [_join(p[p[flag]], b), _join(p, b[b[flag]])], ignore_index=True
            ).drop_duplicates()
    if "rare" in families:
        b = build["rare"]
        counts = b.groupby("key")["row"].transform("size")
        out["rare"] = _join(probe["rare"], b[counts <= RARE_LIMIT])
    if "single" in families:
        out["single"] = pd.concat(
            [
                _join(probe["single_name"], build["single_word"]),
                _join(probe["single_word"], build["single_name"]),
            ],
            ignore_index=True,
        ).drop_duplicates()
    return out


def reading_pairs_to_names(
    pairs: pd.DataFrame, probe: PreparedNames, build: PreparedNames
) -> npt.NDArray[np.int64]:
    """Distinct (probe name, build name) index pairs, as an ``(n, 2)`` array."""
    if pairs.empty:
        return np.zeros((0, 2), dtype=np.int64)
    left = probe.reading_name[pairs["row_l"].to_numpy()]
    right = build.reading_name[pairs["row_r"].to_numpy()]
    span = np.int64(max(len(build.count), 1))
    codes = pd.unique(left * span + right)
    return np.stack([codes // span, codes % span], axis=1).astype(np.int64)

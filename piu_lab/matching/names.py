"""Name similarity: :func:`score_names` over aligned sequences, vectorised (no per-pair loop).

How two full names are compared (``name-v1``):

1. Each name is parsed into readings (:mod:`.normalise`); a name in Chinese characters has
   three, and the best pair of readings counts.
2. Word against word: the best of the similarities of the transliterated words and of their
   romanisation keys; when one side came from a script without written vowels, also of their
   consonant skeletons; from Korean or Chinese, of their loose keys. An initial matches a word
   that starts with it at 0.9. Each distinct word pair is scored once, with rapidfuzz's
   ``cpdist`` on all cores.
3. Words are paired one to one, best first (greedy assignment, vectorised over all pairs), in
   any order: swapped given names and surnames cost nothing.
4. The shorter name must be covered: the weighted mean of its words' similarities is scaled by
   its weakest word (a substituted surname sinks the score), and words left over on the longer
   name cost a little each (a missing middle name is not a different person).
5. The names are also compared whole, words joined (``Abdul Rahman`` / ``Abdulrahman``,
   ``Xi Jin Ping`` / ``Xi Jinping``); that comparison counts only when very close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from piu_lab.matching.keys import rom_key
from piu_lab.matching.normalise import MAX_WORDS, ParsedName, Reading, WordKind, parse_name
from piu_lab.matching.scripts import Origin

__all__ = [
    "NAME_ALGORITHM",
    "NAME_THRESHOLD",
    "NameComparison",
    "PreparedNames",
    "Vocabulary",
    "compare_names",
    "compare_prepared",
    "prepare_names",
    "score_names",
]

#: The name comparison's name and version (recorded with every hit).
NAME_ALGORITHM = "name-v1"
#: The operating point: a name score at or above it is a candidate hit.
NAME_THRESHOLD = 0.72

#: Weight of the weakest word of the shorter name (score = mean * weakest ** WEAKEST_POWER).
WEAKEST_POWER = 0.75
#: Cost of each unmatched name word left on the longer name.
EXTRA_WORD_COST = 0.06
#: Cost of each unmatched word when a side was written in Korean or Chinese characters (a
#: word there is one syllable: a missing syllable is another name).
SYLLABLE_EXTRA_COST = 0.2
#: Cost of each unmatched word beyond the second (a different, longer name).
MANY_EXTRA_COST = 0.2
#: Cost of a word order that is not a rotation of the other's (patronymic reversal).
ORDER_COST = 0.3
#: Factor when a single name word stands against a name of several words.
SINGLE_WORD_FACTOR = 0.8
#: Similarity of two forms of the same given name (data/name_equivalents.txt).
EQUIVALENT_SIM = 0.9
#: Factor when a name of initials only stands against a name with name words.
INITIALS_ONLY_FACTOR = 0.5
#: Similarity an initial gets against a word it begins.
INITIAL_SIM = 0.9
#: Share of Jaro-Winkler in the word similarity (the rest is the Indel ratio).
JW_BLEND = 0.5
#: Whole-name comparison counts as ``sim ** COMPACT_POWER``.
COMPACT_POWER = 4.0
#: A key comparison (skeleton, loose key) counts at most this much.
KEY_CAP = 0.93

_F32 = np.float32


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Scores of aligned name pairs, with what matched what (for explanations)."""

    score: npt.NDArray[np.float32]
    #: index of the reading used on each side (-1 when a name had nothing to compare)
    left_reading: npt.NDArray[np.int32]
    right_reading: npt.NDArray[np.int32]
    #: word pairs of the best alignment: (pair, left word, right word, similarity) rows
    pairs: npt.NDArray[np.int32]
    pair_words: npt.NDArray[np.int32]
    pair_sims: npt.NDArray[np.float32]
    #: whether the whole-name comparison gave the score
    by_compact: npt.NDArray[np.bool_]


class Vocabulary:
    """Distinct words seen so far, as parallel lists (ids are positions)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, int], int] = {}
        self.text: list[str] = []
        self.rom: list[str] = []
        self.skel: list[str] = []
        self.loose: list[str] = []
        self.origin: list[int] = []
        self.kind: list[int] = []
        #: hashed candidate keys per word, filled by :func:`.candidates.word_codes`
        self.key_cache: dict[str, npt.NDArray[np.uint64]] = {}

    def copy(self) -> Vocabulary:
        out = Vocabulary()
        out.ids = dict(self.ids)
        for name in ("text", "rom", "skel", "loose", "origin", "kind"):
            setattr(out, name, list(getattr(self, name)))
        out.key_cache = dict(self.key_cache)
        return out

    def __len__(self) -> int:
        return len(self.text)

    def add(self, reading: Reading) -> list[int]:
        out = []
        for w in reading.words:
            key = (w.text, int(w.origin))
            i = self.ids.get(key)
            if i is None:
                i = len(self.text)
                self.ids[key] = i
                self.text.append(w.text)
                self.rom.append(w.rom)
                self.skel.append(w.skel)
                self.loose.append(w.loose)
                self.origin.append(int(w.origin))
                self.kind.append(int(w.kind))
            out.append(i)
        return out


@dataclass(frozen=True, slots=True)
class PreparedNames:
    """Names parsed once, their readings as arrays over a shared :class:`Vocabulary`.

    Row ``r`` of the reading arrays belongs to name ``reading_name[r]``; name ``i`` has readings
    ``first[i] : first[i] + count[i]`` (none when it holds nothing to compare).
    """

    vocab: Vocabulary
    first: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    reading_name: npt.NDArray[np.int64]
    reading_index: npt.NDArray[np.int64]
    words: npt.NDArray[np.int32]
    #: role of each word (0 unknown, 1 given name, 2 surname), as ``words``
    roles: npt.NDArray[np.int8]
    origin: npt.NDArray[np.int8]
    compact: npt.NDArray[np.object_]
    rotated: npt.NDArray[np.object_]
    compact_skel: npt.NDArray[np.object_]
    compact_loose: npt.NDArray[np.object_]
    joined: npt.NDArray[np.object_]
    parsed: tuple[ParsedName, ...]
    #: per string column, (code of each reading, distinct strings): filled on first use
    coded_cache: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def coded(self, column: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
        """The readings' ``column`` (compact, rotated, joined...) as codes into its strings."""
        got = self.coded_cache.get(column)
        if got is None:
            codes, uniques = pd.factorize(getattr(self, column))
            got = (codes.astype(np.int64), np.asarray(uniques, dtype=object))
            self.coded_cache[column] = got
        return got


def prepare_names(names: Sequence[object], vocab: Vocabulary | None = None) -> PreparedNames:
    """Parse ``names`` (anything that is not a string counts as no name) into arrays."""
    vocab = vocab if vocab is not None else Vocabulary()
    parsed = tuple(parse_name(x) if isinstance(x, str) else _NO_NAME for x in names)
    first = np.zeros(len(parsed), dtype=np.int64)
    count = np.zeros(len(parsed), dtype=np.int64)
    r_name: list[int] = []
    r_index: list[int] = []
    rows: list[list[int]] = []
    origin: list[int] = []
    compact: list[str] = []
    rotated: list[str] = []
    c_skel: list[str] = []
    c_loose: list[str] = []
    roles: list[list[int]] = []
    joined: list[str] = []
    for i, p in enumerate(parsed):
        first[i] = len(rows)
        count[i] = len(p.readings)
        for k, reading in enumerate(p.readings):
            r_name.append(i)
            r_index.append(k)
            rows.append(vocab.add(reading))
            origin.append(int(reading.origin))
            compact.append(reading.compact)
            rotated.append(reading.rotated)
            c_skel.append(reading.compact_skel)
            c_loose.append(reading.compact_loose)
            roles.append(list(reading.roles))
            joined.append(reading.joined)
    return PreparedNames(
        vocab=vocab,
        first=first,
        count=count,
        reading_name=np.asarray(r_name, dtype=np.int64),
        reading_index=np.asarray(r_index, dtype=np.int64),
        words=_pad(rows).astype(np.int32),
        roles=np.maximum(_pad(roles), 0).astype(np.int8),
        origin=np.asarray(origin, dtype=np.int8),
        compact=np.asarray(compact, dtype=object),
        rotated=np.asarray(rotated, dtype=object),
        compact_skel=np.asarray(c_skel, dtype=object),
        compact_loose=np.asarray(c_loose, dtype=object),
        joined=np.asarray(joined, dtype=object),
        parsed=parsed,
    )


_NO_NAME = ParsedName("", ())


def _weights(vocab: Vocabulary) -> npt.NDArray[np.float32]:
    lengths = np.fromiter((len(r) for r in vocab.rom), dtype=_F32, count=len(vocab.rom))
    w: npt.NDArray[np.float32] = np.clip(lengths / 5.0, 0.5, 1.3).astype(_F32)
    kind = np.asarray(vocab.kind, dtype=np.int8)
    w[kind == WordKind.PARTICLE] = 0.15
    w[kind == WordKind.INITIAL] = 0.3
    return w


def _cp(a: Sequence[str], b: Sequence[str], scorer: Any) -> npt.NDArray[np.float32]:
    if not a:
        return np.zeros(0, dtype=_F32)
    out: npt.NDArray[np.float32] = np.asarray(
        process.cpdist(a, b, scorer=scorer, workers=-1, dtype=np.float32), dtype=_F32
    )
    return out


def _word_sims(
    vocab: Vocabulary, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Similarity of each word pair (``left[k]``, ``right[k]``), computed once per pair."""
    text = np.asarray(vocab.text, dtype=object)
    rom = np.asarray(vocab.rom, dtype=object)
    lt, rt = list(text[left]), list(text[right])
    lr, rr = list(rom[left]), list(rom[right])
    sim = np.maximum(
        _cp(lt, rt, Indel.normalized_similarity), _cp(lr, rr, Indel.normalized_similarity)
    )
    jw = _cp(lr, rr, JaroWinkler.normalized_similarity)
    sim = np.maximum(sim, JW_BLEND * jw + (1.0 - JW_BLEND) * sim)
    origin = np.asarray(vocab.origin, dtype=np.int8)
    loosest = np.maximum(origin[left], origin[right])
    for mask, keys in (
        ((loosest == Origin.ABJAD) | (loosest == Origin.ABUGIDA), vocab.skel),
        (loosest >= Origin.HANGUL, vocab.loose),
    ):
        if mask.any():
            arr = np.asarray(keys, dtype=object)
            ks = _cp(list(arr[left[mask]]), list(arr[right[mask]]), Indel.normalized_similarity)
            sim[mask] = np.maximum(sim[mask], np.minimum(ks, KEY_CAP))
    groups = _equivalence_groups(vocab)
    gl, gr = groups[left], groups[right]
    same_name = (gl >= 0) & (gl == gr)
    sim[same_name] = np.maximum(sim[same_name], EQUIVALENT_SIM)
    kind = np.asarray(vocab.kind, dtype=np.int8)
    kl, kr = kind[left], kind[right]
    initial = (kl == WordKind.INITIAL) | (kr == WordKind.INITIAL)
    if initial.any():
        first_l = np.asarray([t[:1] for t in lt], dtype=object)[initial]
        first_r = np.asarray([t[:1] for t in rt], dtype=object)[initial]
        both = (kl == WordKind.INITIAL) & (kr == WordKind.INITIAL)
        same = first_l == first_r
        sim[initial] = np.where(same, np.where(both[initial], 1.0, INITIAL_SIM), 0.0)
    return sim.astype(_F32)


@cache
def _equivalents() -> dict[str, int]:
    text = resources.files("piu_lab.matching").joinpath("data/name_equivalents.txt")
    out: dict[str, int] = {}
    lines = [ln for ln in text.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    for g, line in enumerate(lines):
        for word in line.split():
            out.setdefault(rom_key(word), g)
    return out


def _equivalence_groups(vocab: Vocabulary) -> npt.NDArray[np.int64]:
    table = _equivalents()
    return np.fromiter((table.get(r, -1) for r in vocab.rom), dtype=np.int64, count=len(vocab))


def _name_count(ids: npt.NDArray[np.int64], kind: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
    k = np.where(ids >= 0, kind[np.maximum(ids, 0)], -1)
    out: npt.NDArray[np.int64] = ((k == WordKind.NAME) | (k == WordKind.INITIAL)).sum(axis=1)
    return out


def _mixed_roles(
    left_to: npt.NDArray[np.int64],
    left_roles: npt.NDArray[np.int8],
    right_roles: npt.NDArray[np.int8],
    lw: npt.NDArray[np.int64],
    rw: npt.NDArray[np.int64],
    kind: npt.NDArray[np.int8],
) -> npt.NDArray[np.bool_]:
    """Whether some name words pair surname with surname and others surname with given name.

    Both formats saying which words are the surname (``SURNAME/GIVEN``, ``SURNAME, Given``), a
    whole swap (the list wrote the given name as surname) is a known clerical error and costs
    nothing; a partial one (``PEETERS/MARC`` against ``LAMBRECHTS/PIETER MARC``) pairs a
    surname with a given name and is not the same person.
    """
    partner = np.where(left_to >= 0, left_to, 0)
    pr = np.take_along_axis(right_roles.astype(np.int8), partner, axis=1)
    lk = np.where(lw >= 0, kind[np.maximum(lw, 0)], -1)
    rk = np.take_along_axis(np.where(rw >= 0, kind[np.maximum(rw, 0)], -1), partner, axis=1)
    used = (left_to >= 0) & (lk == WordKind.NAME) & (rk == WordKind.NAME)
    known = used & (left_roles > 0) & (pr > 0)
    same = (known & (left_roles == pr)).any(axis=1)
    cross = (known & (left_roles != pr)).any(axis=1)
    mixed: npt.NDArray[np.bool_] = same & cross
    return mixed


def _greedy(
    sims: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """One-to-one best-first assignment for each (C, K, K) matrix; -1 marks no partner."""
    s = sims.copy()
    c, k, _ = s.shape
    left_to = np.full((c, k), -1, dtype=np.int64)
    left_sim = np.zeros((c, k), dtype=_F32)
    rows = np.arange(c)
    for _ in range(k):
        flat = s.reshape(c, k * k)
        best = flat.argmax(axis=1)
        val = flat[rows, best]
        ok = val >= 0
        if not ok.any():
            break
        i, j = best // k, best % k
        left_to[rows[ok], i[ok]] = j[ok]
        left_sim[rows[ok], i[ok]] = val[ok]
        s[rows[ok], i[ok], :] = -1.0
        s[rows[ok], :, j[ok]] = -1.0
    return left_to, left_sim


def _pad(ids: list[list[int]]) -> npt.NDArray[np.int64]:
    out = np.full((len(ids), MAX_WORDS), -1, dtype=np.int64)
    for r, row in enumerate(ids):
        out[r, : len(row)] = row
    return out


def _side_score(
    sim_to: npt.NDArray[np.float32],
    ids: npt.NDArray[np.int64],
    other_matched: npt.NDArray[np.bool_],
    other_ids: npt.NDArray[np.int64],
    weight: npt.NDArray[np.float32],
    kind: npt.NDArray[np.int8],
    extra_cost: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Score seen from one side: its words' similarities to their partners."""
    valid = ids >= 0
    w = np.where(valid, weight[np.maximum(ids, 0)], 0.0).astype(_F32)
    k = np.where(valid, kind[np.maximum(ids, 0)], -1)
    total = w.sum(axis=1)
    mean = np.divide((w * sim_to).sum(axis=1), total, out=np.zeros_like(total), where=total > 0)
    is_name = valid & (k != WordKind.PARTICLE)
    weakest = np.where(is_name, sim_to, 2.0).min(axis=1)
    weakest = np.where(weakest > 1.5, 1.0, weakest)
    score = mean * np.power(np.clip(weakest, 0.0, 1.0), WEAKEST_POWER)
    ovalid = other_ids >= 0
    okind = np.where(ovalid, kind[np.maximum(other_ids, 0)], -1)
    extra = (ovalid & ~other_matched & (okind == WordKind.NAME)).sum(axis=1)
    score = score * np.power(1.0 - extra_cost, np.minimum(extra, 2))
    score = score * np.power(1.0 - MANY_EXTRA_COST, np.maximum(extra - 2, 0))
    named = (k == WordKind.NAME) | (k == WordKind.INITIAL)
    single = (named.sum(axis=1) == 1) & ((okind == WordKind.NAME).sum(axis=1) >= 2)
    # a name of initials alone ("J") says almost nothing about who someone is
    no_name = ((k == WordKind.NAME).sum(axis=1) == 0) & ((okind == WordKind.NAME).sum(axis=1) > 0)
    score = np.where(no_name, score * INITIALS_ONLY_FACTOR, score)
    out: npt.NDArray[np.float32] = np.where(single, score * SINGLE_WORD_FACTOR, score).astype(_F32)
    return out


def _out_of_order(
    left_to: npt.NDArray[np.int64],
    lw: npt.NDArray[np.int64],
    rw: npt.NDArray[np.int64],
    kind: npt.NDArray[np.int8],
) -> npt.NDArray[np.bool_]:
    """Whether the matched name words appear in an order that no rotation explains."""
    lk = np.where(lw >= 0, kind[np.maximum(lw, 0)], -1)
    partner = np.where(left_to >= 0, left_to, 0)
    rk = np.take_along_axis(np.where(rw >= 0, kind[np.maximum(rw, 0)], -1), partner, axis=1)
    used = (left_to >= 0) & (lk == WordKind.NAME) & (rk == WordKind.NAME)
    seq = np.where(used, left_to, -1)
    # compact the used partners to the front, keeping order
    order = np.argsort(~used, axis=1, kind="stable")
    seq = np.take_along_axis(seq, order, axis=1)
    n = used.sum(axis=1)
    pos = np.arange(seq.shape[1])[None, :]
    nxt_valid = pos[:, :-1] + 1 < n[:, None]
    descents = ((seq[:, 1:] < seq[:, :-1]) & nxt_valid).sum(axis=1)
    last = np.take_along_axis(seq, np.maximum(n - 1, 0)[:, None], axis=1)[:, 0]
    wraps = last < seq[:, 0]
    shuffled: npt.NDArray[np.bool_] = (descents > 1) | ((descents == 1) & ~wraps)
    return shuffled


def _expand(
    left: PreparedNames, li: npt.NDArray[np.int64], right: PreparedNames, ri: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every (pair, left reading row, right reading row) combination."""
    cl, cr = left.count[li], right.count[ri]
    per = cl * cr
    pair = np.repeat(np.arange(len(li), dtype=np.int64), per)
    if len(pair) == 0:
        return pair, pair.copy(), pair.copy()
    start = np.repeat(np.cumsum(per) - per, per)
    k = np.arange(len(pair), dtype=np.int64) - start
    ncr = cr[pair]
    rl = left.first[li][pair] + k // ncr
    rr = right.first[ri][pair] + k % ncr
    return pair, rl, rr


def _cp_coded(
    left: PreparedNames,
    rl: npt.NDArray[np.int64],
    lcol: str,
    right: PreparedNames,
    rr: npt.NDArray[np.int64],
    rcol: str,
) -> npt.NDArray[np.float32]:
    """Indel similarity of ``left.<lcol>[rl]`` and ``right.<rcol>[rr]``, each distinct pair of
    strings computed once (strings coded once per prepared side, not per pair)."""
    if len(rl) == 0:
        return np.zeros(0, dtype=_F32)
    lc, lt = left.coded(lcol)
    rc, rt = right.coded(rcol)
    span = np.int64(max(len(rt), 1))
    inverse, uniq = pd.factorize(lc[rl] * span + rc[rr])
    sims = _cp(list(lt[uniq // span]), list(rt[uniq % span]), Indel.normalized_similarity)
    out: npt.NDArray[np.float32] = sims[inverse]
    return out


def _cp_pairs(a: npt.NDArray[np.object_], b: npt.NDArray[np.object_]) -> npt.NDArray[np.float32]:
    """Indel similarity of aligned strings, each distinct pair computed once."""
    if len(a) == 0:
        return np.zeros(0, dtype=_F32)
    codes_a, ua = pd.factorize(a)
    codes_b, ub = pd.factorize(b)
    key = codes_a.astype(np.int64) * max(len(ub), 1) + codes_b
    inverse, uniq = pd.factorize(key)
    sims = _cp(list(ua[uniq // max(len(ub), 1)]), list(ub[uniq % max(len(ub), 1)]),
               Indel.normalized_similarity)  # fmt: skip
    return sims[inverse]


def _compact_scores(
    left: PreparedNames, rl: npt.NDArray[np.int64], right: PreparedNames, rr: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """The whole-name comparison of each reading pair (words joined, both rotations)."""
    compact = np.maximum(
        np.maximum(
            _cp_coded(left, rl, "compact", right, rr, "compact"),
            _cp_coded(left, rl, "compact", right, rr, "rotated"),
        ),
        _cp_coded(left, rl, "joined", right, rr, "joined"),
    )
    compact = np.power(compact, COMPACT_POWER)
    loosest = np.maximum(left.origin[rl], right.origin[rr])
    abjad = (loosest == Origin.ABJAD) | (loosest == Origin.ABUGIDA)
    for mask, lk, rk in (
        (abjad, left.compact_skel, right.compact_skel),
        (loosest >= Origin.HANGUL, left.compact_loose, right.compact_loose),
    ):
        if mask.any():
            keyed = np.power(np.minimum(_cp_pairs(lk[rl[mask]], rk[rr[mask]]), KEY_CAP), 2)
            compact[mask] = np.maximum(compact[mask], keyed)
    out: npt.NDArray[np.float32] = compact.astype(_F32)
    return out


def _shorter_side(
    lw: npt.NDArray[np.int64],
    rw: npt.NDArray[np.int64],
    weight: npt.NDArray[np.float32],
    kind: npt.NDArray[np.int8],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which side must be covered: fewer name words, then less weight (neither on a tie)."""
    wl = np.where(lw >= 0, weight[np.maximum(lw, 0)], 0).sum(axis=1)
    wr = np.where(rw >= 0, weight[np.maximum(rw, 0)], 0).sum(axis=1)
    nl = _name_count(lw, kind)
    nr = _name_count(rw, kind)
    left_shorter = (nl < nr) | ((nl == nr) & (wl < wr))
    right_shorter = (nr < nl) | ((nl == nr) & (wr < wl))
    return left_shorter, right_shorter


def _token_bound(
    sims: npt.NDArray[np.float32],
    lw: npt.NDArray[np.int64],
    rw: npt.NDArray[np.int64],
    kind: npt.NDArray[np.int8],
    left_shorter: npt.NDArray[np.bool_],
    right_shorter: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float32]:
    """An upper bound of the word-aligned score: the covered side's weakest word can do no
    better than its best partner, and the score is at most weakest ** WEAKEST_POWER."""

    def side(best: npt.NDArray[np.float32], ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        k = np.where(ids >= 0, kind[np.maximum(ids, 0)], -1)
        counted = (ids >= 0) & (k != WordKind.PARTICLE)
        weakest = np.where(counted, np.clip(best, 0.0, 1.0), 2.0).min(axis=1)
        out: npt.NDArray[np.float32] = np.where(weakest > 1.5, 1.0, weakest).astype(_F32)
        return out

    ub_l = side(sims.max(axis=2), lw)
    ub_r = side(sims.max(axis=1), rw)
    ub = np.where(left_shorter, ub_l, np.where(right_shorter, ub_r, np.minimum(ub_l, ub_r)))
    bound: npt.NDArray[np.float32] = np.power(ub, WEAKEST_POWER).astype(_F32)
    return bound


def _score_combos(
    left: PreparedNames,
    rl: npt.NDArray[np.int64],
    right: PreparedNames,
    rr: npt.NDArray[np.int64],
    width: int,
    floor: float = 0.0,
) -> tuple[
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
]:
    """Scores of reading pairs whose longer side has at most ``width`` words.

    With ``floor`` > 0, pairs that provably score below it (their token bound and their
    whole-name comparison both under it) are not aligned: they get their bound as score
    (still below the floor) and no word pairs.
    """
    vocab = left.vocab
    lw_all = left.words[rl, :width].astype(np.int64)
    rw_all = right.words[rr, :width].astype(np.int64)
    valid = (lw_all[:, :, None] >= 0) & (rw_all[:, None, :] >= 0)
    m = len(vocab)
    codes = (
        np.broadcast_to(lw_all[:, :, None], valid.shape)[valid] * m
        + np.broadcast_to(rw_all[:, None, :], valid.shape)[valid]
    )
    inverse, uniq = pd.factorize(codes)
    sims_u = _word_sims(vocab, uniq // m, uniq % m)
    sims_all = np.full(valid.shape, -1.0, dtype=_F32)
    sims_all[valid] = sims_u[inverse]
    weight = _weights(vocab)
    kind = np.asarray(vocab.kind, dtype=np.int8)
    compact = _compact_scores(left, rl, right, rr)
    shorter_l, shorter_r = _shorter_side(lw_all, rw_all, weight, kind)
    n = len(rl)
    token_score = np.zeros(n, dtype=_F32)
    left_to = np.full((n, width), -1, dtype=np.int64)
    left_sim = np.zeros((n, width), dtype=_F32)
    if floor > 0:
        bound = _token_bound(sims_all, lw_all, rw_all, kind, shorter_l, shorter_r)
        keep = (bound >= floor) | (compact >= floor)
        token_score[~keep] = bound[~keep]
    else:
        keep = np.ones(n, dtype=np.bool_)
    sel = np.nonzero(keep)[0]
    if len(sel):
        lw, rw, sims = lw_all[sel], rw_all[sel], sims_all[sel]
        to, sim_l = _greedy(sims)
        right_sim = np.zeros_like(sim_l)
        right_matched = np.zeros(rw.shape, dtype=np.bool_)
        left_matched = to >= 0
        rows, cols = np.nonzero(left_matched)
        right_sim[rows, to[rows, cols]] = sim_l[rows, cols]
        right_matched[rows, to[rows, cols]] = True
        syllabic = np.maximum(left.origin[rl[sel]], right.origin[rr[sel]]) >= Origin.HANGUL
        extra_cost = np.where(syllabic, SYLLABLE_EXTRA_COST, EXTRA_WORD_COST).astype(_F32)
        s_l = _side_score(sim_l, lw, right_matched, rw, weight, kind, extra_cost)
        s_r = _side_score(right_sim, rw, left_matched, lw, weight, kind, extra_cost)
        # the shorter name must be covered; on a tie the lower view counts (symmetric score)
        ls, rs = shorter_l[sel], shorter_r[sel]
        score = np.where(ls, s_l, np.where(rs, s_r, np.minimum(s_l, s_r)))
        shuffled = _out_of_order(to, lw, rw, kind) | _mixed_roles(
            to, left.roles[rl[sel], :width], right.roles[rr[sel], :width], lw, rw, kind
        )
        token_score[sel] = np.where(shuffled, score - ORDER_COST, score)
        left_to[sel] = to
        left_sim[sel] = sim_l
    combo_score = np.maximum(token_score, compact).astype(_F32)
    return combo_score, token_score, compact, left_to, left_sim


def compare_prepared(
    left: PreparedNames,
    li: npt.NDArray[np.int64],
    right: PreparedNames,
    ri: npt.NDArray[np.int64],
    *,
    floor: float = 0.0,
) -> NameComparison:
    """Compare name ``left[li[k]]`` with ``right[ri[k]]`` for every k (shared vocabulary).

    ``floor``: pairs that provably score below it may get an upper bound (still below it)
    instead of their exact score; screening passes the lowest score it keeps. 0 gives exact
    scores for every pair.
    """
    if left.vocab is not right.vocab:
        raise ValueError("both sides must be prepared over the same vocabulary")
    n = len(li)
    li = np.asarray(li, dtype=np.int64)
    ri = np.asarray(ri, dtype=np.int64)
    score = np.zeros(n, dtype=_F32)
    best_rl = np.full(n, -1, dtype=np.int32)
    best_rr = np.full(n, -1, dtype=np.int32)
    by_compact = np.zeros(n, dtype=np.bool_)
    combo_pair, rl, rr = _expand(left, li, right, ri)
    c = len(combo_pair)
    if c == 0:
        none = np.zeros(0, np.int32)
        return NameComparison(
            score, best_rl, best_rr, none, np.zeros((0, 2), np.int32), none.astype(_F32), by_compact
        )
    width = np.maximum((left.words[rl] >= 0).sum(axis=1), (right.words[rr] >= 0).sum(axis=1))
    combo_score = np.zeros(c, dtype=_F32)
    token_score = np.zeros(c, dtype=_F32)
    compact = np.zeros(c, dtype=_F32)
    left_to = np.full((c, MAX_WORDS), -1, dtype=np.int64)
    left_sim = np.zeros((c, MAX_WORDS), dtype=_F32)
    for lo, hi in ((0, 2), (3, 3), (4, 4), (5, MAX_WORDS)):
        sel = np.nonzero((width >= lo) & (width <= hi))[0]
        if len(sel) == 0:
            continue
        w = int(width[sel].max())
        part = _score_combos(left, rl[sel], right, rr[sel], w, floor)
        combo_score[sel], token_score[sel], compact[sel] = part[0], part[1], part[2]
        left_to[sel, :w] = part[3]
        left_sim[sel, :w] = part[4]
    order = np.lexsort((-combo_score, combo_pair))
    first = np.ones(c, dtype=np.bool_)
    first[1:] = combo_pair[order][1:] != combo_pair[order][:-1]
    best = order[first]
    bp = combo_pair[best]
    score[bp] = np.clip(combo_score[best], 0.0, 1.0)
    best_rl[bp] = left.reading_index[rl[best]]
    best_rr[bp] = right.reading_index[rr[best]]
    by_compact[bp] = compact[best] > token_score[best]
    bl = left_to[best]
    r_idx, i_idx = np.nonzero(bl >= 0)
    pair_rows = bp[r_idx].astype(np.int32)
    pair_words = np.stack([i_idx, bl[r_idx, i_idx]], axis=1).astype(np.int32)
    pair_sims = left_sim[best][r_idx, i_idx].astype(_F32)
    return NameComparison(score, best_rl, best_rr, pair_rows, pair_words, pair_sims, by_compact)


def compare_names(left: Sequence[object], right: Sequence[object]) -> NameComparison:
    """Compare aligned names and keep how (see :func:`score_names`)."""
    if len(left) != len(right):
        raise ValueError("left and right must have the same length")
    lu, li = _unique(left)
    ru, ri = _unique(right)
    pl = prepare_names(lu)
    pr = prepare_names(ru, pl.vocab)
    return compare_prepared(pl, li, pr, ri)


def _unique(values: Sequence[object]) -> tuple[list[object], npt.NDArray[np.int64]]:
    keys = [v if isinstance(v, str) else None for v in values]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=False)
    return list(uniques), codes.astype(np.int64)


def score_names(left: Sequence[object], right: Sequence[object]) -> npt.NDArray[np.float32]:
    """Similarity in [0, 1] of each aligned pair of full names (R-PRE-01 screening).

    Names may be in any script and in any of the formats ``SURNAME/GIVEN NAMES MR``,
    ``SURNAME, Given`` or ``Given Surname``; order does not matter. Anything that is not a
    string, or holds no letters, scores 0 against everything. ``NAME_THRESHOLD`` is the
    operating point.
    """
    return compare_names(left, right).score

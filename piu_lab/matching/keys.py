"""Keys of a word that erase differences of romanisation, not differences of name.

* :func:`rom_key` ("romanisation key"): one spelling for the sounds that romanisations spell
  differently (q/k/c, ph/f, dh/d, kh/h, w/v, z/s, ou/oo/u, ee/ie/i, y/i, doubled letters):
  Qadhafi and Kadhafi share ``kadafi`` (Gaddafi, ``gadafi``, is one letter away); Zelenskyy
  and Selenskyj share ``selenski``.
* :func:`skeleton`: the consonants of the romanisation key, the fair comparison when one side
  was written in a script without short vowels (Arabic ``محمد`` -> ``mhmd``; Mohammed ->
  ``mhmd``).
* :func:`loose_key`: the romanisation key with the distinctions Korean and Chinese
  romanisations blur (g/k, b/p, d/t, j/ch, r/l, eo/o/u): Gim Jeong Eun and Kim Jong Un meet.

Keys are only used as extra comparisons for the origins they fit (see :mod:`.names`), never
to declare two names equal.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["loose_key", "rom_key", "skeleton"]

_ROM_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"[^a-z]", ""),
        (r"tsch", "ch"),
        (r"sch", "sh"),
        (r"tch", "ch"),
        (r"dzh|dj|zh", "j"),
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"gh", "g"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"w", "v"),
        (r"ou|oo|oe(?=[^aeiouy])", "u"),
        (r"ee|ie(?=[^aeiou]|$)", "i"),
        (r"yy|ij$|iy$|yj$", "i"),
        (r"y", "i"),
        (r"ae", "e"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=1 << 18)
def rom_key(word: str) -> str:
    """The romanisation key of a lower-case ASCII word."""
    for pattern, repl in _ROM_RULES:
        word = pattern.sub(repl, word)
    return word


_VOWELS = re.compile(r"[aeiouy]")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 18)
def skeleton(word: str) -> str:
    """The consonant skeleton of a word: its romanisation key without vowels or w/y/v glides."""
    key = rom_key(word)
    return _REPEAT.sub(r"\1", _VOWELS.sub("", key.replace("v", "")))


_LOOSE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"eo|eu|o", "u"),
        (r"ch|j", "j"),
        (r"sh", "s"),
        (r"g", "k"),
        (r"b", "p"),
        (r"d", "t"),
        (r"r", "l"),
        (r"e", "a"),
        (r"h(?=[^aeiou]|$)", ""),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=1 << 18)
def loose_key(word: str) -> str:
    """The loose key of a word, for Korean and Chinese romanisations."""
    key = rom_key(word)
    for pattern, repl in _LOOSE_RULES:
        key = pattern.sub(repl, key)
    return key

"""Writing systems: which script a name is in, and its readings in Latin letters.

A name on a list may be written in Arabic, Cyrillic, Chinese, Korean or Thai while the carrier
sends it in Latin letters. Each name is turned into one or more *readings*: lists of lower-case
ASCII words, each word tagged with the :class:`Origin` of its letters, because the comparison
that fits depends on it:

* ``ALPHABET`` (Latin, Cyrillic, Greek, Georgian, Armenian...): full vowels; anyascii's
  transliteration is close to the usual romanisations.
* ``ABJAD`` (Arabic, Hebrew, Syriac, Thaana) and ``ABUGIDA`` (Indic, Thai, Lao, Khmer, Myanmar):
  short vowels are not written, so the comparison that counts is the consonant skeleton.
* ``HANGUL``: romanised syllable by syllable (McCune-Reischauer-like, with the conventional
  spellings of surnames: 박 Park, 이 Lee), compared on a loose key (g/k, eo/o/u...).
* ``HAN`` (Chinese characters): three readings, Mandarin (anyascii's pinyin), Korean (Sino-Korean
  sounds through ``hanja``) and Japanese (``pykakasi``); the best one counts.
* ``KANA``: Japanese, read by ``pykakasi``.
"""

from __future__ import annotations

import csv
import enum
import re
import unicodedata
from functools import cache
from importlib import resources

from anyascii import anyascii

__all__ = ["Origin", "readings", "romanise_hangul"]


class Origin(enum.IntEnum):
    """What kind of script a word came from (ordered from strict to loose comparison)."""

    ALPHABET = 0
    ABJAD = 1
    ABUGIDA = 2
    HANGUL = 3
    HAN = 4
    KANA = 5


_RANGES: tuple[tuple[int, int, Origin], ...] = (
    (0x0590, 0x05FF, Origin.ABJAD),  # Hebrew
    (0x0600, 0x06FF, Origin.ABJAD),  # Arabic
    (0x0700, 0x074F, Origin.ABJAD),  # Syriac
    (0x0750, 0x077F, Origin.ABJAD),
    (0x0780, 0x07BF, Origin.ABJAD),  # Thaana
    (0x08A0, 0x08FF, Origin.ABJAD),
    (0x0900, 0x0DFF, Origin.ABUGIDA),  # Indic scripts and Sinhala
    (0x0E00, 0x0FFF, Origin.ABUGIDA),  # Thai, Lao, Tibetan
    (0x1000, 0x109F, Origin.ABUGIDA),  # Myanmar
    (0x1100, 0x11FF, Origin.HANGUL),
    (0x1780, 0x17FF, Origin.ABUGIDA),  # Khmer
    (0x3040, 0x30FF, Origin.KANA),
    (0x3130, 0x318F, Origin.HANGUL),
    (0x3400, 0x4DBF, Origin.HAN),
    (0x4E00, 0x9FFF, Origin.HAN),
    (0xAC00, 0xD7A3, Origin.HANGUL),
    (0xF900, 0xFAFF, Origin.HAN),
    (0xFB1D, 0xFB4F, Origin.ABJAD),
    (0xFB50, 0xFDFF, Origin.ABJAD),
    (0xFE70, 0xFEFF, Origin.ABJAD),
)


def _origin_of(ch: str) -> Origin:
    cp = ord(ch)
    if cp < 0x0590:
        return Origin.ALPHABET
    for lo, hi, origin in _RANGES:
        if lo <= cp <= hi:
            return origin
    return Origin.ALPHABET


def script_origin(text: str) -> Origin:
    """The loosest origin among the letters of ``text``."""
    best = Origin.ALPHABET
    for ch in text:
        if ord(ch) >= 0x0590:
            best = max(best, _origin_of(ch))
    return best


# --- Hangul ------------------------------------------------------------------------------------

_INITIALS = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_MEDIALS = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
_FINALS = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
# Han characters whose surname reading differs from their dictionary reading in ``hanja``.
_HANJA_SURNAMES = dict(zip("金李林柳羅盧呂梁龍陸", "김이임유나노여양용육", strict=True))


@cache
def _korean_surnames() -> dict[str, str]:
    text = (
        resources.files("piu_lab.matching").joinpath("data/korean_surnames.csv").read_text("utf-8")
    )
    return {row["hangul"]: row["romanisation"] for row in csv.DictReader(text.splitlines())}


def _syllable(ch: str) -> str:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(ch).lower()
    return _INITIALS[code // 588] + _MEDIALS[(code % 588) // 28] + _FINALS[code % 28]


def romanise_hangul(text: str) -> list[str]:
    """Korean words as romanised syllables: ``김정은`` -> ``['kim', 'jeong', 'eun']``.

    The first syllable of a written name takes its conventional surname spelling.
    """
    out: list[str] = []
    words = [w for w in re.split(r"[\s\-·.,/]+", text) if w]
    surnames = _korean_surnames()
    for k, word in enumerate(words):
        syllables = [c for c in word if not c.isspace()]
        for i, ch in enumerate(syllables):
            if k == 0 and i == 0 and ch in surnames:
                out.append(surnames[ch])
            else:
                roman = _syllable(ch)
                if roman:
                    out.append(roman)
    return out


# --- Han and kana --------------------------------------------------------------------------------


@cache
def _kakasi() -> object:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _japanese(text: str) -> list[str]:
    kks = _kakasi()
    out: list[str] = []
    for item in kks.convert(text):  # type: ignore[attr-defined]
        word = str(item.get("hepburn", "")).lower()
        if str(item.get("orig", "")).strip() and not word.strip():
            return []  # a character without a Japanese reading: not a Japanese name
        word = word.replace("ou", "o").replace("uu", "u").replace("oo", "o")
        out.extend(w for w in re.split(r"[^a-z]+", word) if w)
    return out


def _sino_korean(text: str) -> list[str]:
    import hanja

    first = True
    parts: list[str] = []
    for ch in text:
        if ch.isspace():
            parts.append(" ")
            continue
        if first and ch in _HANJA_SURNAMES:
            parts.append(_HANJA_SURNAMES[ch])
        else:
            parts.append(str(hanja.translate(ch, "substitution")))
        first = False
    return romanise_hangul("".join(parts))


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _mandarin(text: str) -> list[str]:
    words: list[str] = []
    for chunk in text.split():
        latin = anyascii(chunk)
        words.extend(w.lower() for w in _CAMEL.split(latin) if w)
    return words


#: format, control, private-use and surrogate characters, and symbols (emoji are not letters)
_DROPPED = frozenset({"Cf", "Cc", "Co", "Cs", "So", "Sk", "Sm", "Sc"})


def _clean_text(text: str) -> str:
    """Drop format characters (right-to-left marks, zero-width joiners) and normalise width."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED)


def readings(text: str) -> list[tuple[str, Origin]]:
    """The Latin readings of ``text``, each a space-separated string with its origin.

    Most names have one reading; names in Chinese characters have three. The strings still
    carry the original separators and case of Latin input (commas, slashes and CamelCase
    matter to the parser).
    """
    if text.isascii() and text.isprintable():
        return [(text, Origin.ALPHABET)]
    text = _clean_text(text)
    origin = script_origin(text)
    if origin == Origin.HANGUL:
        return [(" ".join(romanise_hangul(text)), origin)]
    if origin == Origin.KANA:
        japanese = " ".join(_japanese(text))
        return [(japanese if japanese.strip() else anyascii(text), origin)]
    if origin == Origin.HAN:
        out = [(" ".join(_mandarin(text)), origin), (" ".join(_sino_korean(text)), origin)]
        japanese = " ".join(_japanese(text))
        if japanese:
            out.append((japanese, origin))
        return [(r, o) for r, o in out if r.strip()] or [(anyascii(text), origin)]
    if origin == Origin.ALPHABET:
        return [(anyascii(text), origin)]
    return [(anyascii(text), origin)]

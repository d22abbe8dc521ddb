"""From a full name as written to the words that are compared.

Accepted formats, whatever the script: ``SURNAME/GIVEN NAMES MR`` (as carriers send names),
``SURNAME, Given Names`` (as lists often write them) and ``Given Names Surname`` (free text,
order unknown). Titles (MR, MRS, DR, SHEIKH, HAJI...) and legal suffixes (SA, LLC) are dropped;
particles (AL, BIN, VAN, DE...) stay, weighing little. Words are split on spaces, hyphens,
dots and CamelCase (``AlisherUsmanov``); apostrophes vanish (``MYO'NG`` -> ``myong``); digits
inside words read as the letters they imitate (``V1adimir``).

The canonical order is given names first, then surname, when the format says which is which.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from piu_lab.matching.keys import loose_key, rom_key, skeleton
from piu_lab.matching.scripts import Origin, readings

__all__ = ["MAX_WORDS", "ParsedName", "Reading", "Word", "WordKind", "parse_name"]

#: Words kept per reading (the longest name on a list has fewer; 10,000-character input is cut).
MAX_WORDS = 8
#: Characters of input looked at (a name longer than this is cut before parsing).
MAX_CHARS = 200


class WordKind(enum.IntEnum):
    """How much a word says about who someone is."""

    NAME = 0
    PARTICLE = 1
    INITIAL = 2


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a reading, with its comparison keys."""

    text: str
    origin: Origin
    kind: WordKind
    rom: str
    skel: str
    loose: str


@dataclass(frozen=True, slots=True)
class Reading:
    """One Latin reading of a name: its words in canonical order, and the compact forms."""

    words: tuple[Word, ...]
    origin: Origin
    #: romanisation keys of the name words concatenated (given names first), and rotated
    compact: str
    rotated: str
    #: consonant skeleton and loose key of the compact form
    compact_skel: str
    compact_loose: str
    #: role of each word: 0 unknown (free text), 1 given name, 2 surname
    roles: tuple[int, ...] = ()
    #: romanisation keys of all words, particles included (``Van der Straeten``)
    joined: str = ""

    def display(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name ready for comparison (``readings`` is empty when nothing name-like is left)."""

    source: str
    readings: tuple[Reading, ...]


@cache
def _words_data() -> dict[str, frozenset[str]]:
    raw = json.loads(
        resources.files("piu_lab.matching").joinpath("data/name_words.json").read_text("utf-8")
    )
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


_PARTICLES = _words_data()["particles"]
_TITLES = _words_data()["titles"]
_LEGAL = _words_data()["legal_suffixes"]
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_APOSTROPHES = re.compile(r"['`´’‘ʼʻ\"]")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


#: CamelCase is not a word break after these (MacKenzie, DeVries, LeBlanc, O'Neil)
_NAME_PREFIXES = frozenset(
    {"mc", "mac", "de", "le", "la", "di", "da", "du", "van", "von", "o", "d", "l"}
)


def _camel_split(chunk: str) -> list[str]:
    parts = [p for p in _CAMEL.split(chunk) if p]
    out: list[str] = []
    for part in parts:
        if out and out[-1].lower() in _NAME_PREFIXES:
            out[-1] += part
        else:
            out.append(part)
    return out


def _split_words(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", text)
    out: list[str] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        if not chunk.isupper() and not chunk.islower():
            out.extend(_camel_split(chunk))
        else:
            out.append(chunk)
    words = []
    for w in out:
        low = w.lower()
        if any(c.isalpha() for c in low):
            low = low.translate(_LEET)
        low = re.sub(r"[^a-z]", "", low)
        if low:
            words.append(low)
    return words


def _strip(words: list[str], *, drop_titles: bool = True) -> list[str]:
    if drop_titles:
        kept = [w for w in words if w not in _TITLES]
        words = kept or words
    while len(words) > 1 and words[-1] in _LEGAL:
        words = words[:-1]
    return words


def _kind(word: str) -> WordKind:
    if len(word) == 1:
        return WordKind.INITIAL
    if word in _PARTICLES:
        return WordKind.PARTICLE
    return WordKind.NAME


def _split_format(text: str) -> tuple[str, str | None]:
    """``(given_part, surname_part)`` for slash and comma formats, else ``(text, None)``."""
    if "/" in text:
        surname, _, given = text.partition("/")
        return given, surname
    if text.count(",") == 1:
        surname, _, given = text.partition(",")
        if surname.strip() and given.strip():
            return given, surname
    return text, None


@lru_cache(maxsize=1 << 18)
def _word(text: str, origin: Origin) -> Word:
    return Word(text, origin, _kind(text), rom_key(text), skeleton(text), loose_key(text))


def _reading(latin: str, origin: Origin) -> Reading | None:
    given_text, surname_text = _split_format(latin)
    given = _split_words(given_text)
    surname = _split_words(surname_text) if surname_text is not None else []
    given = _strip(given) if given else given
    words_text = (given + surname) if surname else _strip(given)
    roles = ([1] * len(given) + [2] * len(surname)) if surname else [0] * len(words_text)
    words_text = words_text[:MAX_WORDS]
    roles = roles[:MAX_WORDS]
    if not words_text:
        return None
    words = tuple(_word(w, origin) for w in words_text)
    kept = [w for w in words if w.kind != WordKind.PARTICLE] or list(words)
    names = [w.rom for w in kept]
    compact = "".join(names)
    rotated = "".join(names[-1:] + names[:-1])
    skel = "".join(w.skel for w in kept)
    loose = "".join(w.loose for w in kept)
    joined = "".join(w.rom for w in words)
    return Reading(words, origin, compact, rotated, skel, loose, tuple(roles), joined)


@lru_cache(maxsize=1 << 17)
def parse_name(text: str) -> ParsedName:
    """Parse a full name (any script, any of the three formats) into its readings."""
    text = text[:MAX_CHARS]
    out: list[Reading] = []
    seen: set[tuple[str, ...]] = set()
    for latin, origin in readings(text):
        reading = _reading(latin, origin)
        if reading is None:
            continue
        key = tuple(w.text for w in reading.words)
        if key not in seen:
            seen.add(key)
            out.append(reading)
    return ParsedName(text, tuple(out))

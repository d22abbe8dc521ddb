"""Robustness of the reader, and pydifact as the syntax authority.

* Fuzz (hypothesis, bounded): random bytes and mutated real messages (GTAS fixtures, synthetic
  output, the test message) truncated, with flipped bytes, random separators, CR/LF/CRLF or
  no line ends, wrapped lines, junk before UNA and after UNZ, several messages concatenated,
  non-ASCII text. ``read_message_file`` must not raise at all (only a ``PiuLabError`` would
  be allowed to; none does): every message is parsed or quarantined with where and why, and
  nothing received is lost (R-SENS-02).
* ``syntax.tokenise`` yields exactly what pydifact's ``Parser`` yields (tags and elements) on
  every clean input: the GTAS fixtures pydifact parses that need no repair, every synthetic
  file, and random segments written by pydifact's own ``Serializer``.
"""

from __future__ import annotations

import random
import warnings
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydifact.parser import Parser

from piu_lab.errors import PiuLabError
from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.ingest.syntax import decode, tokenise
from piu_lab.model import pnr_problems
from piu_lab.synth import SynthConfig, generate, write_traffic
from piu_lab.synth.edifact import serialize_with_pydifact
from tests.ingest.gtas import FIXTURES, fixture_files, fixture_id
from tests.ingest.messages import pnrgov_message

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Notes of repairs: a file with one is not clean, pydifact reads it differently or not at all.
REPAIRS = {
    *("wrapped", "missing-terminator", "glued", "stray-terminator", "not-a-segment"),
    *("una", "trailing-junk", "leading-junk", "control"),
}
GTAS_SAMPLES = (
    "pnrgov/pnrMessageExample.txt",
    "pnrgov/pnrMessagePg75.txt",
    "pnrgov/danglingMetaCharacter.txt",
    "pnrgov/infant.edi",
    "pnrgov/2_pnrs_basic.edi",
    "paxlst/airline2.edi",
    "paxlst/apisMessage.txt",
)


@cache
def synth_files(tmp: str) -> tuple[bytes, ...]:
    traffic = generate(SynthConfig(seed=4))
    write_traffic(traffic, Path(tmp))
    files = sorted(Path(tmp).glob("pnrgov/*.edi")) + sorted(Path(tmp).glob("paxlst/*.edi"))
    return tuple(p.read_bytes() for p in files)


@cache
def bases() -> tuple[bytes, ...]:
    """Real messages to mutate (kept short so the examples stay fast)."""
    out = [pnrgov_message()]
    for name in GTAS_SAMPLES:
        if (FIXTURES / name).is_file():
            out.append((FIXTURES / name).read_bytes()[:6000])
    return tuple(out)


def safe_read(data: bytes) -> list[MessageOutcome]:
    """Read, and check the outcomes keep their promises (no exception may escape)."""
    try:
        outcomes = read_message_file(data, source="fuzz.edi", received_at=NOW)
    except PiuLabError as err:  # allowed by the contract, but none is expected
        pytest.fail(f"{type(err).__name__} escaped: {err.message}")
    assert outcomes
    for outcome in outcomes:
        if outcome.error is not None:
            assert outcome.error.message
            assert not outcome.pnrs
            assert outcome.manifest is None
        for parsed in outcome.pnrs:
            assert not pnr_problems(parsed.pnr)
        assert all(n >= 0 for n in outcome.removed.values())
    return outcomes


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_never_escape(data: bytes) -> None:
    safe_read(data)


@FAST
@given(st.text(alphabet="UNABHGTZSRC+:'?*$\r\n ABCDEFGHIJ0123456789\u2019é", max_size=600))
def test_random_edifact_like_text_never_escapes(text: str) -> None:
    safe_read(text.encode("utf-8"))


def mutate(data: bytes, rnd: random.Random, op: str) -> bytes:
    n = len(data)
    if op == "truncate":
        return data[: rnd.randrange(n + 1)]
    if op == "flip":
        out = bytearray(data)
        for _ in range(rnd.randint(1, 12)):
            out[rnd.randrange(n)] = rnd.randrange(256)
        return bytes(out)
    if op == "separators":
        chars = rnd.sample(list(b"+:'?*$-|#!~^\\/"), 4)
        out = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            out.insert(rnd.randrange(len(out) + 1), rnd.choice(chars))
        return bytes(out)
    if op == "custom-una":
        comp, elem, rel, term = rnd.sample(list("+:'?*$-|#!~^"), 4)
        text = data.decode("latin-1").replace("\r", "").replace("\n", "")
        text = text.translate(str.maketrans({":": comp, "+": elem, "?": rel, "'": term}))
        return text.encode("latin-1")
    if op == "line-ends":
        end = rnd.choice([b"\r", b"\r\n", b"", b"\n\n"])
        return data.replace(b"\r\n", b"\n").replace(b"\n", end)
    if op == "wrap":
        width = rnd.randint(20, 90)
        flat = data.replace(b"\r", b"").replace(b"\n", b"")
        return b"\n".join(flat[i : i + width] for i in range(0, len(flat), width))
    if op == "junk":
        before = bytes(rnd.randrange(32, 127) for _ in range(rnd.randint(0, 40)))
        after = bytes(rnd.randrange(0, 256) for _ in range(rnd.randint(0, 40)))
        return before + data + after
    if op == "concatenate":
        return data + rnd.choice([b"", b"\n", b"\r\n"]) + data
    if op == "non-ascii":
        text = data.decode("latin-1")
        pos = rnd.randrange(len(text) + 1)
        extra = rnd.choice(["é", "ß", "Ж", "中文", "\u2019", "\ufeff", "\x00", "\x87"])
        return (text[:pos] + extra + text[pos:]).encode(rnd.choice(["utf-8", "latin-1"]), "replace")
    raise ValueError(op)


OPS = ("truncate", "flip", "separators", "custom-una", "line-ends", "wrap", "junk")
OPS += ("concatenate", "non-ascii")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.lists(st.sampled_from(OPS), min_size=1, max_size=4))
def test_mutated_messages_never_escape(seed: int, ops: list[str]) -> None:
    rnd = random.Random(seed)
    data = rnd.choice(bases())
    for op in ops:
        if data:
            data = mutate(data, rnd, op)
    safe_read(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.lists(st.sampled_from(OPS), min_size=1, max_size=3))
def test_mutated_synthetic_messages_never_escape(
    tmp_path_factory: pytest.TempPathFactory, seed: int, ops: list[str]
) -> None:
    rnd = random.Random(seed)
    files = synth_files(str(tmp_path_factory.getbasetemp() / "fuzz-synth"))
    data = rnd.choice(files)[:20000]
    for op in ops:
        if data:
            data = mutate(data, rnd, op)
    safe_read(data)


# -- pydifact is the syntax authority ------------------------------------------------------
def pydifact_segments(text: str) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = list(Parser().parse(text))
    return [
        (s.tag, tuple(tuple(e) if isinstance(e, list) else (e,) for e in s.elements))
        for s in parsed
        if s.tag != "UNA"
    ]


def ours(data: bytes | str) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    return [(s.tag, s.elements) for s in tokenise(data).segments]


def clean_fixtures() -> list[Path]:
    """The GTAS fixtures pydifact parses and that need no repair."""
    out = []
    for path in fixture_files():
        if {n.code for n in tokenise(path.read_bytes()).notes} & REPAIRS:
            continue
        try:
            pydifact_segments(decode(path.read_bytes())[0])
        except Exception:
            continue
        out.append(path)
    return out


CLEAN = clean_fixtures()


def test_most_fixtures_are_clean_inputs() -> None:
    if not FIXTURES.is_dir():
        pytest.skip(f"GTAS fixtures not found at {FIXTURES}")
    assert len(CLEAN) >= 20


@pytest.mark.parametrize("path", CLEAN, ids=fixture_id)
def test_tokenise_equals_pydifact_on_clean_fixtures(path: Path) -> None:
    assert ours(path.read_bytes()) == pydifact_segments(decode(path.read_bytes())[0])


def test_tokenise_equals_pydifact_on_synthetic_output(tmp_path: Path) -> None:
    files = synth_files(str(tmp_path))
    budget = 0
    for data in files:
        assert ours(data) == pydifact_segments(data.decode("ascii"))
        budget += len(data)
        if budget > 1_500_000:  # pydifact reads about 1 MB/s
            break


values = st.text(alphabet="ABCXYZ019 +:'?./-", max_size=8)
elements = st.one_of(values, st.lists(values, min_size=1, max_size=4))
segments = st.tuples(
    st.sampled_from(["TIF", "SSR", "IFT", "NAD", "DOC", "FTX", "ABC"]),
    st.lists(elements, min_size=1, max_size=5),
)


@FAST
@given(st.lists(segments, min_size=1, max_size=8))
def test_tokenise_equals_pydifact_on_what_pydifact_writes(
    segs: list[tuple[str, list[str | list[str]]]],
) -> None:
    """Random values with service characters, released by pydifact's Serializer, read back
    by both parsers the same way."""
    text = serialize_with_pydifact(segs)
    try:
        expected = pydifact_segments(text)
    except Exception:
        return
    assert ours(text) == expected

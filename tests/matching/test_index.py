"""The watchlist index: :func:`build_index`, :meth:`WatchlistIndex.save`, :func:`load_index`.

A list version of the competent services (R-PRE-01) is parsed and keyed once and reused by
every screening; a saved index must screen exactly as the list it came from, and an index
built by another algorithm version is refused rather than reused, because every hit records
the algorithm that produced it for the person who reviews it (R-PRE-02).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from piu_lab.errors import IndexVersionMismatch, MatchingInputError
from piu_lab.matching import ALGORITHM, WatchlistIndex, build_index, load_index, screen, version

WATCHLIST = pd.DataFrame(
    {
        "entry_id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"],
        "list_id": ["L1", "L1", "L2", None, "L2", "L2", "L3"],
        "full_name": [
            "KOWALSKA/ANNA MARIA",
            "Omar Farouk Nasser",
            "Ivan Petrov",
            "王伟",
            "محمد علي",
            "김민준",
            None,
        ],
        "aliases": [[], ["Omar Nasser", "Abu Karim"], "Ivan Petroff|Иван Петров", None, "", [], []],
        "date_of_birth": ["1975-04-02", None, "1961", "1990-12-01", None, "1988-03", None],
        "nationality": ["POL", "EGY", None, "CHN", None, "KOR", None],
        "document_number": ["AB1234567", None, "P0123456", None, None, None, "ZX9876543"],
    }
)
TRAVELLERS = pd.DataFrame(
    {
        "traveller_id": [f"T{i}" for i in range(10)],
        "full_name": [
            "Anna Kowalska",
            "NASSER/OMAR MR",
            "Ivan Petroff",
            "Wang Wei",
            "Mohamed Ali",
            "Kim Min Jun",
            "Zed Zulu",
            "John Doe",
            None,
            "Abu Karim",
        ],
        "date_of_birth": ["1975-04-02", None, "1961-05-05", None, None, "1988-03-09"] + [None] * 4,
        "document_number": [None] * 6 + ["PO-123456", "zx 987 6543", None, None],
    }
)


@pytest.fixture(scope="module")
def index() -> WatchlistIndex:
    return build_index(WATCHLIST)


def test_build_index(index: WatchlistIndex) -> None:
    assert isinstance(index, WatchlistIndex)
    assert len(index) == len(WATCHLIST)
    assert index.algorithm == ALGORITHM
    assert list(index.entries["entry_id"]) == list(WATCHLIST["entry_id"])
    aliases = index.names[index.names["alias"]]
    assert sorted(aliases["name"]) == ["Abu Karim", "Ivan Petroff", "Omar Nasser", "Иван Петров"]


def test_the_fingerprint_follows_the_list_content() -> None:
    assert build_index(WATCHLIST).fingerprint == build_index(WATCHLIST.copy()).fingerprint
    changed = WATCHLIST.assign(date_of_birth=["1975-04-03", *WATCHLIST["date_of_birth"][1:]])
    assert build_index(changed).fingerprint != build_index(WATCHLIST).fingerprint


def test_the_fingerprint_follows_the_aliases() -> None:
    base = build_index(WATCHLIST).fingerprint
    one_more = [["Anna Kowalski"], *WATCHLIST["aliases"][1:]]
    assert build_index(WATCHLIST.assign(aliases=one_more)).fingerprint != base
    # the same aliases as a list or a '|'-joined string, in any order, are the same list
    same = ["", "Abu Karim|Omar Nasser", ["Иван Петров", "Ivan Petroff"], [], None, "", None]
    assert build_index(WATCHLIST.assign(aliases=same)).fingerprint == base
    # no aliases column is the same as no aliases
    bare = WATCHLIST.drop(columns="aliases")
    assert build_index(bare).fingerprint == build_index(bare.assign(aliases=None)).fingerprint
    assert build_index(bare).fingerprint != base


def test_a_built_index_keeps_no_parse_trees(index: WatchlistIndex) -> None:
    # screening reads the readings only; the parse trees made pickling ~10x slower
    assert index.prepared.parsed == ()
    assert len(index.prepared.first) == index.names["name_index"].nunique()


def test_screening_with_an_index_equals_screening_with_the_frame(index: WatchlistIndex) -> None:
    from_frame = screen(TRAVELLERS, WATCHLIST)
    assert len(from_frame) >= 8
    pd.testing.assert_frame_equal(screen(TRAVELLERS, index), from_frame)


def test_saved_and_loaded_index_screens_the_same(index: WatchlistIndex, tmp_path: Path) -> None:
    folder = index.save(tmp_path / "wl-v1")
    assert folder == tmp_path / "wl-v1"
    assert (folder / "meta.json").is_file()
    loaded = load_index(folder)
    assert len(loaded) == len(index)
    assert loaded.fingerprint == index.fingerprint
    assert loaded.algorithm == ALGORITHM
    pd.testing.assert_frame_equal(screen(TRAVELLERS, loaded), screen(TRAVELLERS, index))


def test_saving_into_an_existing_folder_overwrites(index: WatchlistIndex, tmp_path: Path) -> None:
    build_index(WATCHLIST.iloc[:2]).save(tmp_path)
    index.save(tmp_path)
    assert len(load_index(tmp_path)) == len(index)


def test_saved_index_without_list_ids_screens_the_same(tmp_path: Path) -> None:
    index = build_index(WATCHLIST.drop(columns="list_id"))
    index.save(tmp_path)
    pd.testing.assert_frame_equal(
        screen(TRAVELLERS, load_index(tmp_path)), screen(TRAVELLERS, index)
    )


def test_the_index_is_reusable_across_calls(index: WatchlistIndex) -> None:
    words_before = len(index.prepared.vocab)
    first = screen(TRAVELLERS, index)
    other = screen(pd.DataFrame({"traveller_id": [1], "full_name": ["Brand New Name"]}), index)
    assert other.empty
    assert len(index.prepared.vocab) == words_before  # travellers never leak into the index
    pd.testing.assert_frame_equal(screen(TRAVELLERS, index), first)
    subset = screen(TRAVELLERS.iloc[[2]], index)
    assert list(subset["entry_id"]) == ["E3"]


def test_a_loaded_index_is_reusable_across_calls(index: WatchlistIndex, tmp_path: Path) -> None:
    loaded = load_index(index.save(tmp_path))
    first = screen(TRAVELLERS, loaded)
    screen(pd.DataFrame({"traveller_id": [1], "full_name": ["Brand New Name"]}), loaded)
    pd.testing.assert_frame_equal(screen(TRAVELLERS, loaded), first)


def test_another_algorithm_in_meta_json_is_refused(index: WatchlistIndex, tmp_path: Path) -> None:
    folder = index.save(tmp_path)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    meta["algorithm"] = "piu-screen@0.9"
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexVersionMismatch) as info:
        load_index(folder)
    assert info.value.context["saved"] == "piu-screen@0.9"
    assert info.value.context["current"] == ALGORITHM
    assert "build_index" in info.value.hint


def test_meta_json_without_an_algorithm_is_refused(index: WatchlistIndex, tmp_path: Path) -> None:
    folder = index.save(tmp_path)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    del meta["algorithm"]
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexVersionMismatch):
        load_index(folder)


def test_the_code_fingerprint_is_saved_with_the_index(
    index: WatchlistIndex, tmp_path: Path
) -> None:
    meta = json.loads((index.save(tmp_path) / "meta.json").read_text("utf-8"))
    assert meta["code_fingerprint"] == version.code_fingerprint() == version.CODE_FINGERPRINT
    assert len(version.CODE_FINGERPRINT) == 16
    int(version.CODE_FINGERPRINT, 16)


def test_an_index_saved_by_other_matching_code_is_refused(
    index: WatchlistIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = index.save(tmp_path)
    saved = version.code_fingerprint()
    # the same ALGORITHM, but the key, name or evidence code has changed since
    monkeypatch.setattr(version, "code_fingerprint", lambda: "0123456789abcdef")
    with pytest.raises(IndexVersionMismatch) as info:
        load_index(folder)
    assert saved in info.value.message
    assert "0123456789abcdef" in info.value.message
    assert info.value.context["saved"] == saved
    assert info.value.context["current"] == "0123456789abcdef"
    assert "build_index" in info.value.hint
    # an index saved by that code loads with it
    assert len(load_index(index.save(tmp_path / "again"))) == len(index)


def test_an_index_saved_without_a_code_fingerprint_is_refused(
    index: WatchlistIndex, tmp_path: Path
) -> None:
    folder = index.save(tmp_path)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    del meta["code_fingerprint"]
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexVersionMismatch) as info:
        load_index(folder)
    assert info.value.context["saved"] is None


def test_the_code_fingerprint_covers_the_modules_and_every_data_file() -> None:
    from importlib import resources

    names = [name for name, _ in version._fingerprinted_files()]
    data = resources.files("piu_lab.matching").joinpath("data")
    expected = [f"data/{f.name}" for f in data.iterdir() if f.is_file()]
    assert expected
    assert sorted(names) == sorted([*version.FINGERPRINTED_MODULES, *expected])
    for module in ("candidates.py", "keys.py", "names.py", "normalise.py", "scripts.py"):
        assert module in names


def test_the_code_fingerprint_changes_with_any_byte_or_name() -> None:
    files = [("names.py", b"abc"), ("data/words.json", b"{}")]
    base = version.fingerprint_of(files)
    assert base == version.fingerprint_of(list(files))
    assert version.fingerprint_of([("names.py", b"abd"), files[1]]) != base
    assert version.fingerprint_of([("names.py", b"ab"), ("data/words.json", b"c{}")]) != base
    assert version.fingerprint_of([("keys.py", b"abc"), files[1]]) != base


@pytest.mark.parametrize("make", ["empty", "missing", "file"])
def test_a_folder_without_meta_json_is_not_an_index(tmp_path: Path, make: str) -> None:
    path = tmp_path / "not-an-index"
    if make == "empty":
        path.mkdir()
    elif make == "file":
        path.write_text("hello", "utf-8")
    with pytest.raises(MatchingInputError) as info:
        load_index(path)
    assert info.value.context["frame"] == "index"
    assert info.value.context["column"] is None


def test_a_malformed_watchlist_cannot_be_indexed() -> None:
    with pytest.raises(MatchingInputError) as info:
        build_index(WATCHLIST.drop(columns="entry_id"))
    assert info.value.context == {"frame": "watchlist", "column": "entry_id"}

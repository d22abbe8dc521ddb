"""screen_dask: the same hits as the in-process screen, on a two-worker distributed cluster.

The watchlist and the travellers are synthetic, made here from small name tables with a fixed
seed: listed people with transliteration variants (Latin spellings, Cyrillic, Greek, Arabic
script), aliases, full and partial dates of birth and some document numbers; travellers are
mostly background names, with planted variants of listed people (respelt, reordered, in
``SURNAME/GIVEN`` form, in another script, with the listed document number).
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from piu_lab.errors import ConfigurationError
from piu_lab.matching import RESULT_COLUMNS, WatchlistIndex, build_index, load_index, screen

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from piu_lab.matching.dask import (  # noqa: E402
    partition_travellers,
    result_meta,
    screen_dask,
)

SEED = 20260514

#: each listed given name or surname with spellings of it (transliteration variants, scripts)
GIVEN: list[tuple[str, ...]] = [
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "محمد"),
    ("Aleksandr", "Alexander", "Oleksandr", "Александр"),
    ("Yusuf", "Youssef", "Yousef", "Юсуф"),
    ("Dmitri", "Dmitry", "Dimitri", "Дмитрий"),
    ("Sergei", "Sergey", "Serhiy", "Сергей"),
    ("Olga", "Olha", "Ольга"),
    ("Nikolaos", "Nikolas", "Νικόλαος"),
    ("Georgios", "Yiorgos", "Γεώργιος"),
    ("Abdul Rahman", "Abdulrahman", "Abdel Rahman"),
    ("Omar", "Umar", "عمر"),
    ("Fatima", "Fatma", "Fatimah"),
    ("Hussein", "Husain", "Hussain"),
    ("Yevgeny", "Evgeny", "Evgenii", "Евгений"),
    ("Khalid", "Khaled", "خالد"),
    ("Ibrahim", "Ebrahim", "Brahim"),
    ("Natalia", "Natalya", "Наталья"),
    ("Tatiana", "Tatyana", "Татьяна"),
    ("Ahmed", "Ahmad", "Achmed", "أحمد"),
]
SURNAMES: list[tuple[str, ...]] = [
    ("Petrov", "Petroff", "Петров"),
    ("Al-Hassan", "Alhasan", "El Hassan"),
    ("Ivanov", "Ivanoff", "Иванов"),
    ("Papadopoulos", "Papadopulos", "Παπαδόπουλος"),
    ("Kuznetsov", "Kuznetsoff", "Кузнецов"),
    ("Haddad", "Hadad", "حداد"),
    ("Shevchenko", "Shevchenco", "Шевченко"),
    ("Smirnova", "Smirnowa", "Смирнова"),
    ("Abu Bakr", "Abubakar", "Aboubakar"),
    ("Karimov", "Kerimov", "Каримов"),
    ("Georgiou", "Yiorgiou", "Γεωργίου"),
    ("Mansour", "Mansur", "منصور"),
    ("Volkov", "Wolkow", "Волков"),
    ("Nasser", "Nasir", "Naser"),
    ("Tchaikovsky", "Chaykovskiy", "Tschaikowski"),
    ("Rahimi", "Raheemi", "رحيمي"),
    ("Sokolova", "Sokolowa", "Соколова"),
    ("Benali", "Ben Ali", "Ben-Ali"),
]
#: names of travellers who are on no list
BACKGROUND_GIVEN = [
    "Anna", "Lukas", "Emma", "Noah", "Sofia", "Liam", "Mia", "Elias", "Julia", "Louis",
    "Marie", "Jan", "Eva", "Tom", "Lea", "Paul", "Clara", "Finn", "Ines", "Hugo", "Nora",
    "Mateo", "Lena", "Arthur", "Zoe", "Victor", "Alice", "Jonas", "Chloe", "Adam",
]  # fmt: skip
BACKGROUND_SURNAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Lambert", "Martin", "Dupont", "Muller", "Schmidt",
    "Rossi", "Bianchi", "Garcia", "Lopez", "Novak", "Kowalski", "Nielsen", "Jensen",
    "Van Damme", "Lefebvre", "Moreau", "Fischer", "Weber", "Silva",
]  # fmt: skip
LISTS = ["EU-SANCTIONS", "INTERPOL-SLTD", "NATIONAL-WATCH"]
NATIONALITIES = ["SY", "RU", "UA", "GR", "IQ", "EG", "MA", "BE", "FR", "DE"]


@dataclass(frozen=True)
class Person:
    given: int
    surname: int
    dob: tuple[int, int, int]


def _pick(rng: np.random.Generator, options: tuple[str, ...] | list[str]) -> str:
    return str(options[int(rng.integers(len(options)))])


def _dob_text(dob: tuple[int, int, int], precision: int) -> str | None:
    y, m, d = dob
    return [None, f"{y:04d}", f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-{d:02d}"][precision]


def _document(rng: np.random.Generator) -> str:
    letters = "".join(chr(65 + int(x)) for x in rng.integers(0, 26, 2))
    return letters + "".join(str(int(x)) for x in rng.integers(0, 10, 7))


def synthetic_watchlist(n_entries: int, seed: int = SEED) -> tuple[pd.DataFrame, list[Person]]:
    """``n_entries`` listed people: primary names, 0-3 aliases, partial dates of birth."""
    rng = np.random.default_rng(seed)
    rows = []
    people = []
    for i in range(n_entries):
        g, s = int(rng.integers(len(GIVEN))), int(rng.integers(len(SURNAMES)))
        dob = (int(rng.integers(1950, 2000)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        people.append(Person(g, s, dob))
        given, surname = GIVEN[g][0], SURNAMES[s][0]
        if rng.random() < 0.3:  # a second given name from the background
            given = f"{given} {_pick(rng, BACKGROUND_GIVEN)}"
        primary = f"{surname.upper()}/{given}" if rng.random() < 0.3 else f"{given} {surname}"
        aliases = [
            f"{_pick(rng, GIVEN[g][1:])} {_pick(rng, SURNAMES[s][1:])}"
            for _ in range(int(rng.integers(0, 4)))
        ]
        rows.append(
            {
                "entry_id": f"E{i:05d}",
                "list_id": LISTS[i % len(LISTS)],
                "full_name": primary,
                "aliases": "|".join(aliases) if i % 2 else aliases,
                "date_of_birth": _dob_text(dob, int(rng.choice(4, p=[0.2, 0.2, 0.2, 0.4]))),
                "nationality": _pick(rng, NATIONALITIES) if rng.random() < 0.7 else None,
                "document_number": _document(rng) if rng.random() < 0.3 else None,
            }
        )
    return pd.DataFrame(rows), people


def synthetic_travellers(
    n_travellers: int, watchlist: pd.DataFrame, people: list[Person], seed: int = SEED + 1
) -> pd.DataFrame:
    """``n_travellers`` travellers; about one in ten a planted variant of a listed person."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_travellers):
        dob: str | None = None
        nationality = _pick(rng, NATIONALITIES) if rng.random() < 0.6 else None
        document = _document(rng) if rng.random() < 0.5 else None
        if rng.random() < 0.1:
            k = int(rng.integers(len(people)))
            p = people[k]
            given, surname = _pick(rng, GIVEN[p.given]), _pick(rng, SURNAMES[p.surname])
            form = int(rng.integers(3))
            name = [f"{given} {surname}", f"{surname} {given}", f"{surname.upper()}/{given}"][form]
            y, m, d = p.dob
            dob = [
                f"{y}-{m:02d}-{d:02d}",
                f"{y}-{d:02d}-{m:02d}",
                f"{y + 1}-{m:02d}-{d:02d}",
                None,
            ][int(rng.integers(4))]
            listed_doc = watchlist.at[k, "document_number"]
            if isinstance(listed_doc, str) and rng.random() < 0.5:
                document = listed_doc.lower()  # the same document, written differently
        else:
            name = f"{_pick(rng, BACKGROUND_GIVEN)} {_pick(rng, BACKGROUND_SURNAMES)}"
            if rng.random() < 0.05:  # a background traveller who shares a listed surname
                name = f"{_pick(rng, BACKGROUND_GIVEN)} {SURNAMES[int(rng.integers(18))][0]}"
            if rng.random() < 0.7:
                dob = f"{int(rng.integers(1940, 2020))}-{int(rng.integers(1, 13)):02d}-01"
        rows.append(
            {
                "traveller_id": f"T{i:06d}",
                "full_name": name,
                "date_of_birth": dob,
                "nationality": nationality,
                "document_number": document,
            }
        )
    return pd.DataFrame(rows)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["traveller_id", "entry_id"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]:
    watchlist, people = synthetic_watchlist(300)
    travellers = synthetic_travellers(3000, watchlist, people)
    return watchlist, travellers, build_index(watchlist)


@pytest.fixture(scope="module")
def expected(data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]) -> pd.DataFrame:
    _, travellers, index = data
    return _sorted(screen(travellers, index))


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    # processes=True: the index really crosses a process boundary (pickled, sent, unpickled),
    # as on a real cluster; threads_per_worker=1 keeps each worker's result deterministic
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        # a broadcast reaches the workers the scheduler knows: wait for both (under load the
        # second may register after the client connects)
        c.wait_for_workers(2, timeout=120)
        yield c


def test_the_synthetic_data_exercises_the_matcher(expected: pd.DataFrame) -> None:
    assert len(expected) > 200
    assert expected["list_name_is_alias"].any()
    assert (expected["document_outcome"] == 1).any()
    assert expected["dob_outcome"].nunique() >= 3
    assert expected["traveller_name"].str.contains(r"[А-я]", regex=True).any()


def test_the_index_pickles_to_an_equivalent_index(
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex], expected: pd.DataFrame
) -> None:
    _, travellers, index = data
    copy = pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy.fingerprint == index.fingerprint
    pd.testing.assert_frame_equal(_sorted(screen(travellers, copy)), expected)


def test_distributed_run_equals_in_process_screen(
    client: object,
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
    expected: pd.DataFrame,
) -> None:
    watchlist, travellers, _ = data
    lazy = screen_dask(partition_travellers(travellers, 6), watchlist)
    assert lazy.npartitions == 6
    got = lazy.compute()
    assert list(got.columns) == list(RESULT_COLUMNS)
    pd.testing.assert_frame_equal(_sorted(got), expected)


def test_the_index_is_broadcast_not_embedded_in_each_task(
    client: object, data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]
) -> None:
    _, travellers, index = data
    lazy = screen_dask(partition_travellers(travellers, 8), index)
    graph = dict(lazy.__dask_graph__())
    index_bytes = len(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    # the graph holds the travellers and a reference to the scattered index, not the index
    travellers_bytes = len(pickle.dumps(travellers, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(pickle.dumps(graph)) < travellers_bytes + index_bytes // 4
    # every partition's task depends on the same scattered key
    screening = [task for key, task in graph.items() if "_screen_partition" in str(key)]
    assert len(screening) == 8
    index_keys = {
        str(dep)
        for task in screening
        for dep in task.dependencies
        if str(dep).startswith("WatchlistIndex-")
    }
    assert len(index_keys) == 1
    # scattered with broadcast=True: on both workers before anything ran
    assert len(client.who_has()[index_keys.pop()]) == 2  # type: ignore[attr-defined]


def test_a_prebuilt_index_and_a_single_partition(
    client: object,
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
    expected: pd.DataFrame,
) -> None:
    _, travellers, index = data
    got = screen_dask(partition_travellers(travellers, 1), index).compute()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), screen(travellers, index))
    pd.testing.assert_frame_equal(_sorted(got), expected)


def test_a_saved_and_loaded_index(
    client: object,
    tmp_path: Path,
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
    expected: pd.DataFrame,
) -> None:
    _, travellers, index = data
    loaded = load_index(index.save(tmp_path / "index"))
    got = screen_dask(partition_travellers(travellers, 3), loaded).compute()
    pd.testing.assert_frame_equal(_sorted(got), expected)


def test_a_threshold_is_passed_to_every_partition(
    client: object, data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]
) -> None:
    _, travellers, index = data
    got = screen_dask(partition_travellers(travellers, 4), index, threshold=0.9).compute()
    want = _sorted(screen(travellers, index, threshold=0.9))
    assert len(want) > 0
    pd.testing.assert_frame_equal(_sorted(got), want)


def test_empty_travellers_give_an_empty_result_with_the_meta_dtypes(
    client: object, data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]
) -> None:
    _, travellers, index = data
    lazy = screen_dask(partition_travellers(travellers.iloc[:0], 3), index)
    got = lazy.compute()
    assert got.empty
    assert list(got.columns) == list(RESULT_COLUMNS)
    pd.testing.assert_series_equal(got.dtypes, lazy._meta.dtypes)
    assert screen(travellers.iloc[:0], index).empty


def test_partitions_without_hits_keep_the_meta_dtypes(
    client: object,
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
    expected: pd.DataFrame,
) -> None:
    _, travellers, index = data
    # travellers who hit nothing, then the real ones: some partitions have no hit at all
    nobody = pd.DataFrame(
        {"traveller_id": [f"X{i:04d}" for i in range(1000)], "full_name": "Zzyzx Qwerty"}
    )
    lazy = screen_dask(partition_travellers(pd.concat([nobody, travellers]), 8), index)
    parts = [lazy.get_partition(k).compute() for k in range(2)]
    assert all(p.empty for p in parts)
    assert all(p.dtypes.equals(lazy._meta.dtypes) for p in parts)
    pd.testing.assert_frame_equal(_sorted(lazy.compute()), expected)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_local_schedulers_without_a_client(
    scheduler: str,
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
    expected: pd.DataFrame,
) -> None:
    _, travellers, index = data
    # the client fixture may still be up: the configured scheduler is what counts; with
    # "threads" two partitions share the one index object at the same time
    with dask.config.set(scheduler=scheduler, num_workers=2):
        lazy = screen_dask(partition_travellers(travellers, 3), index)
        got = lazy.compute()
    pd.testing.assert_frame_equal(_sorted(got), expected)


def test_meta_follows_the_identifier_dtypes(
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
) -> None:
    _, _, index = data
    numbered = pd.DataFrame({"traveller_id": [1, 2], "full_name": ["Olga Volkov", "Anna Maes"]})
    hits = screen(numbered, index)
    meta = result_meta(numbered.iloc[:0], index)
    assert len(hits) > 0
    pd.testing.assert_series_equal(meta.dtypes, hits.dtypes)
    mixed = numbered.astype({"traveller_id": object}).iloc[:0]
    assert result_meta(mixed, index)["traveller_id"].dtype == object


def test_partition_travellers_checks_the_whole_frame() -> None:
    frame = pd.DataFrame({"traveller_id": ["A", "B", "A"], "full_name": ["x", "y", "z"]})
    with pytest.raises(Exception, match="repeats"):
        partition_travellers(frame, 2)
    with pytest.raises(ConfigurationError, match="positive"):
        partition_travellers(frame.iloc[:2], 0)


def test_screen_dask_refuses_a_pandas_frame(
    data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex],
) -> None:
    _, travellers, index = data
    with pytest.raises(ConfigurationError, match=r"dask\.dataframe\.DataFrame"):
        screen_dask(travellers, index)  # type: ignore[arg-type]


def test_missing_dask_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, data: tuple[pd.DataFrame, pd.DataFrame, WatchlistIndex]
) -> None:
    _, travellers, _ = data
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ConfigurationError) as info:
        partition_travellers(travellers, 2)
    assert "pip install piu-lab[dask]" in info.value.one_line()

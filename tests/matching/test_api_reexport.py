"""The matching functions reach notebooks and widgets through ``piu_lab.api`` unchanged.

Screening (R-PRE-01) and the explained hits a person reviews (R-PRE-02) must be the same
objects whichever door they are reached by, so that a hit's recorded algorithm means one thing.
"""

from __future__ import annotations

import pytest

import piu_lab.api as api
import piu_lab.errors as errors
import piu_lab.matching as matching

SAME_NAME = [
    "NAME_THRESHOLD",
    "WatchlistIndex",
    "build_index",
    "load_index",
    "score_names",
    "screen",
]


@pytest.mark.parametrize("name", SAME_NAME)
def test_api_reexports_the_matching_object(name: str) -> None:
    assert getattr(api, name) is getattr(matching, name)
    assert name in api.__all__


def test_the_algorithm_is_reexported_as_matching_algorithm() -> None:
    assert api.MATCHING_ALGORITHM is matching.ALGORITHM
    assert "MATCHING_ALGORITHM" in api.__all__


@pytest.mark.parametrize("name", ["MatchingError", "MatchingInputError", "IndexVersionMismatch"])
def test_api_reexports_the_matching_errors(name: str) -> None:
    assert getattr(api, name) is getattr(errors, name)
    assert issubclass(getattr(errors, name), errors.MatchingError)


def test_matching_public_names() -> None:
    assert sorted(matching.__all__) == sorted(
        [
            "ALGORITHM",
            "NAME_THRESHOLD",
            "RESULT_COLUMNS",
            "WatchlistIndex",
            "build_index",
            "load_index",
            "score_names",
            "screen",
        ]
    )
    for name in matching.__all__:
        assert hasattr(matching, name)

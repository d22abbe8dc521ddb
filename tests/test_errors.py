"""The one exception tree rooted at PiuLabError (style rule 7)."""

from __future__ import annotations

import inspect
import re

import pytest

from piu_lab import errors
from piu_lab.errors import InvalidRecord, PiuLabError, SchemaTooNew, UnknownDatabaseURL


def error_classes() -> list[type[PiuLabError]]:
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, Exception) and obj.__module__ == errors.__name__
    ]


def test_every_error_derives_from_the_root() -> None:
    classes = error_classes()
    assert set(errors.__all__) == {c.__name__ for c in classes}
    assert all(issubclass(c, PiuLabError) for c in classes)


def test_the_module_docstring_draws_the_whole_tree() -> None:
    tree = {}
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^[\s│├└─]*(\w+)\s+exit (\d+)", line)
        if match:
            tree[match.group(1)] = int(match.group(2))
    assert tree == {cls.__name__: cls.exit_code for cls in error_classes()}


def test_errors_carry_context_hint_and_exit_code() -> None:
    err = UnknownDatabaseURL("unknown database URL scheme 'mysql'", scheme="mysql")
    assert err.context == {"scheme": "mysql"}
    assert err.exit_code == 2
    assert "sqlite" in err.hint
    assert err.one_line().startswith("unknown database URL scheme 'mysql' (use a SQLite")
    assert SchemaTooNew("newer").exit_code == 4


def test_invalid_record_lists_each_problem() -> None:
    err = InvalidRecord("2 problems", errors=("a: empty", "b: bad"), where="x")
    assert err.errors == ("a: empty", "b: bad")
    assert err.context["where"] == "x"
    with pytest.raises(PiuLabError):
        raise err


def test_hint_can_be_overridden_or_empty() -> None:
    assert PiuLabError("plain").one_line() == "plain"
    assert PiuLabError("x", hint="do y").one_line() == "x (do y)"

"""Which database a URL names, and that passwords never show (store/url.py)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from piu_lab.errors import UnknownDatabaseURL
from piu_lab.store import ENV_VAR, default_db_path, mask_url, resolve_url
from piu_lab.store.url import backend_of, scrub, sqlite_path


def test_default_path_is_the_per_user_data_folder() -> None:
    expected = Path(platformdirs.user_data_dir("piu-lab")) / "piu_lab.sqlite3"
    assert default_db_path() == expected


def test_no_url_and_no_env_var_gives_the_default_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert resolve_url(None) == f"sqlite:///{default_db_path()}"


def test_env_var_names_the_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "lab.sqlite3"))
    assert resolve_url(None) == f"sqlite:///{tmp_path}/lab.sqlite3"
    monkeypatch.setenv(ENV_VAR, "postgresql://u@db.example.invalid/piu")
    assert resolve_url(None) == "postgresql+psycopg://u@db.example.invalid/piu"


def test_an_empty_env_var_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "")
    assert resolve_url(None) == f"sqlite:///{default_db_path()}"


def test_explicit_url_wins_over_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "/somewhere/else.sqlite3")
    assert resolve_url("sqlite:////data/lab.sqlite3") == "sqlite:////data/lab.sqlite3"


def test_plain_paths_mean_sqlite_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_url("lab.sqlite3") == f"sqlite:///{tmp_path}/lab.sqlite3"
    assert resolve_url("~/x/lab.db") == f"sqlite:///{tmp_path}/x/lab.db"
    assert resolve_url("/abs/lab.db") == "sqlite:////abs/lab.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://piu@127.0.0.1:5432/lab", "postgresql+psycopg://piu@127.0.0.1:5432/lab"),
        ("postgres://piu@127.0.0.1/lab", "postgresql+psycopg://piu@127.0.0.1/lab"),
        ("postgresql+psycopg://piu@h/lab", "postgresql+psycopg://piu@h/lab"),
        ("POSTGRESQL://piu@h/lab", "postgresql+psycopg://piu@h/lab"),
        ("sqlite://", "sqlite://"),
        ("sqlite+pysqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_supported_schemes_map_to_their_driver(given: str, expected: str) -> None:
    assert resolve_url(given) == expected


@pytest.mark.parametrize(
    "url",
    ["mysql://u:pw@h/db", "postgresql+psycopg2://u@h/db", "oracle://h/db", "http://x/y"],
)
def test_unknown_schemes_raise_with_a_hint(url: str) -> None:
    with pytest.raises(UnknownDatabaseURL) as info:
        resolve_url(url)
    assert info.value.hint
    assert "pw" not in info.value.one_line()
    assert info.value.exit_code == 2


def test_empty_and_unparsable_urls_raise() -> None:
    with pytest.raises(UnknownDatabaseURL):
        resolve_url("   ")
    with pytest.raises(UnknownDatabaseURL):
        resolve_url("postgresql://u@h:notaport/db")


def test_passwords_are_masked_in_user_info_and_query() -> None:
    url = "postgresql+psycopg://piu:s3cr%40t@h:5432/db?password=other&sslmode=require"
    masked = mask_url(url)
    assert "s3cr" not in masked
    assert "other" not in masked
    assert masked == "postgresql+psycopg://piu:***@h:5432/db?password=***&sslmode=require"
    assert mask_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert mask_url("postgresql://piu@h/db") == "postgresql://piu@h/db"


def test_scrub_removes_the_decoded_password_from_driver_text() -> None:
    url = "postgresql+psycopg://piu:s3cr%40t@h/db"
    text = 'password authentication failed for "piu" (tried s3cr@t)'
    assert "s3cr" not in scrub(text, url)
    assert scrub("no secret here", "not a url ::") == "no secret here"


def test_backend_and_sqlite_path() -> None:
    assert backend_of("postgresql+psycopg://h/db") == "postgresql"
    assert backend_of("sqlite:///x.db") == "sqlite"
    assert sqlite_path("sqlite:////tmp/x.db") == Path("/tmp/x.db")
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///file:/tmp/x.db?mode=ro&uri=true") is None

"""Shared fixtures: ``db_url`` gives each test a fresh empty database, once on SQLite and once on
PostgreSQL.

PostgreSQL comes from ``PIU_LAB_TEST_PG_URL`` when set (CI), else from a throwaway cluster
started once per session with Debian's ``initdb`` (see ``tests/pgserver.py``), else the
PostgreSQL half is skipped with the reason. Each PostgreSQL test starts from an empty
``public`` schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from piu_lab.store import Store, open_store
from tests import pgserver

PG_ENV = "PIU_LAB_TEST_PG_URL"


def _test_sealing_keys() -> None:
    """The tests' own unsealing key pair (never the per-user one): made once per run, given
    through the environment, so subprocesses (CLI tests) see it too."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from piu_lab.lifecycle.sealing import PRIVATE_ENV, PUBLIC_ENV

    if os.environ.get(PUBLIC_ENV):
        return
    raw = serialization.Encoding.Raw
    private = X25519PrivateKey.generate()
    secret = private.private_bytes(raw, serialization.PrivateFormat.Raw,
                                   serialization.NoEncryption())  # fmt: skip
    public = private.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
    os.environ[PUBLIC_ENV], os.environ[PRIVATE_ENV] = public.hex(), secret.hex()


_test_sealing_keys()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """The URL of a PostgreSQL database the tests may wipe."""
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    if pgserver.find_pg_bin() is None:
        pytest.skip(f"no PostgreSQL: set {PG_ENV} or install the Debian postgresql package")
    try:
        cluster = pgserver.start_cluster()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A fresh, empty database (no schema) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{os.fspath(tmp_path)}/lab.sqlite3"
    url: str = request.getfixturevalue("pg_server_url")
    pgserver.reset_database(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store with the schema at head."""
    with open_store(db_url) as opened:
        yield opened

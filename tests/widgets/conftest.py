"""A private copy of the demo database per test, and the sessions the views run under."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from piu_lab import api
from tests.views_demo import PSEUDONYM_KEY, copy_of, demo_database

#: Members of the demo register.
ANALYST = "FP-0233"  # seconded member, federal police
OTHER = "VSSE-112"  # seconded member, State Security
DPO = "PIU-DPO1"
HEAD = "PIU-H01"
LAPSED = "FP-0417"  # clearance lapsed: inactive


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory)


@pytest.fixture
def db_path(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIU_LAB_PSEUDONYM_KEY", PSEUDONYM_KEY)
    for variable in ("PIU_LAB_USER", "JUPYTERHUB_USER", "PIU_LAB_DB"):
        monkeypatch.delenv(variable, raising=False)
    return copy_of(demo_db, tmp_path)


@pytest.fixture
def lab(db_path: Path) -> Iterator[api.Lab]:
    with api.open_lab(str(db_path)) as opened:
        yield opened


@pytest.fixture
def analyst(lab: api.Lab) -> api.Session:
    return lab.session(ANALYST, purpose="pre_assessment")

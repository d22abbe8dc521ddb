"""The demo database the notebooks run on (shared with tests/widgets, copied per test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.views_demo import demo_database


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory)

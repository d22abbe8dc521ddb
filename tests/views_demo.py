"""The demo database the views are tested on, built once per test session and shared by
``tests/widgets`` and ``tests/notebooks`` (each test works on its own copy).

``Lab.load_demo`` with seed 2, departures yesterday (so the data are recent and the main
day's hits have open ones left for a person: the demo leaves one passenger-journey per
reviewing service open), and seven months of history run through the lifecycle (so masked
PNRs exist).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from piu_lab import api

#: Pseudonyms under criteria analysis use this key (never the per-user one).
PSEUDONYM_KEY = "5a" * 32


def demo_database(factory: pytest.TempPathFactory) -> Path:
    """The path of the session's demo database (built on first use)."""
    folder = factory.getbasetemp() / "views-demo"
    path = folder / "lab.sqlite3"
    if path.exists():
        return path
    building = folder / "building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    start = datetime.now(UTC).date() - timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIU_LAB_PSEUDONYM_KEY", PSEUDONYM_KEY)
        with api.open_lab(str(building / "lab.sqlite3")) as lab:
            lab.load_demo(
                api.SynthConfig(seed=2, start=start), out_dir=building / "feed", history_months=7
            )
    shutil.move(building / "lab.sqlite3", path)
    return path


def copy_of(source: Path, folder: Path) -> Path:
    target = folder / "lab.sqlite3"
    shutil.copyfile(source, target)
    return target

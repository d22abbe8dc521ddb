"""A screened synthetic day, built once per session and copied for each test that changes it.

One small synthetic day (departures on 2026-11-23) taken in under a scope decision for its
intra-EU, rail, bus and sea journeys (R-SCOPE-02), the demo staff register, the five synthetic
lists and the demo criteria registered by the head of unit, one screening run; the clock is
frozen at 2026-11-25 12:00 UTC, within the demo criteria's validity. No review has happened.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from piu_lab import api
from piu_lab.session.demo import register_demo_sources
from piu_lab.synth import SynthTraffic, generate, write_traffic
from tests.factories import allow_all_journeys

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 23)
CONFIG = api.SynthConfig(seed=2, start=DAY)


@dataclass
class Built:
    path: Path
    traffic: SynthTraffic


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("screened")
    traffic = generate(CONFIG)
    write_traffic(traffic, folder / "messages")
    clock = api.FrozenClock(NOW)
    path = folder / "lab.sqlite3"
    with api.open_lab(str(path), clock=clock) as lab:
        lab._store.write_carriers(traffic.carriers)
        allow_all_journeys(lab._store)
        lab.ingest([folder / "messages" / "pnrgov", folder / "messages" / "paxlst"], replay=True)
        lab._seed_staff()
        register_demo_sources(lab._store, clock, traffic)
        lab.screen([DAY])
    return Built(path, traffic)


@pytest.fixture
def lab(built: Built, tmp_path: Path) -> Iterator[api.Lab]:
    """A private copy of the screened day, on a frozen clock at :data:`NOW`."""
    copy = tmp_path / "lab.sqlite3"
    shutil.copyfile(built.path, copy)
    with api.open_lab(str(copy), clock=api.FrozenClock(NOW)) as opened:
        yield opened


@pytest.fixture
def traffic(built: Built) -> SynthTraffic:
    return built.traffic

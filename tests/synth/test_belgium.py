"""One Belgian day, generated and written once: the calibration numbers of §15 (slow)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from pydifact.segmentcollection import Interchange

from piu_lab.model import PushStage, Sector, pnr_problems
from piu_lab.synth import SynthConfig, SynthTraffic, generate, write_traffic

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def belgium() -> SynthTraffic:
    return generate(SynthConfig(scale="belgium"))


def test_calibration(belgium: SynthTraffic) -> None:
    s = belgium.summary()
    assert 92_000 <= s["journeys_air"] <= 98_000  # 2023: 91,700 a day; 2024: 98,400
    assert 630 <= s["flights"] <= 690  # 2023: 633 a day; 2024: 686
    assert 135 <= s["journeys_air"] / s["flights"] <= 155  # ~145 a flight
    assert 78 <= s["carriers"] <= 89
    assert s["journeys_hst"] > 0
    assert s["journeys_bus"] > 0
    assert s["journeys_sea"] > 0
    assert 10_000 <= s["watchlist_entries"] <= 100_000
    assert s["planted_watchlist_hits"] >= 90


def test_airport_split(belgium: SynthTraffic) -> None:
    by_airport: Counter[str] = Counter()
    flights = {t.key: t for t in belgium.transports if t.sector is Sector.AIR}
    for push in belgium.pushes:
        t = push.transport
        if push.stage is PushStage.CLOSURE and t.key in flights:
            be = t.origin.code if t.outbound else t.destination.code
            carried = belgium.pnrs[push.first : push.first + push.count]
            by_airport[be] += sum(len(p.passengers) for p in carried)
    total = sum(by_airport.values())
    assert 0.64 <= by_airport["BRU"] / total <= 0.76
    assert 0.20 <= by_airport["CRL"] / total <= 0.30
    assert set(by_airport) == {"BRU", "CRL", "LGG", "OST", "ANR"}


def test_every_pnr_is_valid(belgium: SynthTraffic) -> None:
    assert not [p.pnr_id for p in belgium.pnrs if pnr_problems(p)]


def test_written_day_parses(
    belgium: SynthTraffic, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out: Path = tmp_path_factory.mktemp("belgium")
    files = write_traffic(belgium, out)
    assert files["pnrgov"] == len(belgium.pushes)
    assert files["paxlst"] == len(belgium.manifests)
    sample = random.Random(0).sample(sorted((out / "pnrgov").glob("*.edi")), 15)
    sample += random.Random(0).sample(sorted((out / "paxlst").glob("*.edi")), 5)
    for path in sample:
        interchange = Interchange.from_str(path.read_text(encoding="ascii"))
        assert interchange.segments

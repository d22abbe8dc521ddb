"""Volumes: the small scale is a proportional sample of the Belgian calibration.

The Belgian day itself is generated once, in ``test_belgium.py`` (marked slow).
"""

from __future__ import annotations

from collections import Counter

from piu_lab.model import PushStage, Sector
from piu_lab.synth import SynthTraffic
from piu_lab.synth.config import SCALES


def test_small_day_volumes(small: SynthTraffic) -> None:
    s = small.summary()
    assert s["days"] == 1
    assert 800 <= s["journeys"] <= 1_500
    assert s["flights"] == 2 * SCALES["small"].air_rotations  # type: ignore[operator]
    assert s["transports"] == s["flights"] + 3
    assert s["pushes"] == 2 * s["transports"]
    assert {t.sector for t in small.transports} == set(Sector)


def test_small_ratios_match_the_belgian_calibration(small: SynthTraffic) -> None:
    """Per flight and per booking the small sample looks like the Belgian day (§15)."""
    s = small.summary()
    air = s["journeys_air"] / s["flights"]
    assert 100 <= air <= 190  # Belgium: ~145 a flight
    assert 1.5 <= s["journeys"] / s["pnrs"] <= 2.6  # parties of 1.6-2.3 travellers
    assert 1.7 <= s["pnr_versions"] / s["pnrs"] <= 2.0  # most PNRs pushed twice
    assert 600 <= s["watchlist_entries"] <= 5_000


def test_days_multiply(week: SynthTraffic) -> None:
    s = week.summary()
    assert s["days"] == 7
    per_day = Counter(t.day for t in week.transports)
    assert len(per_day) == 7
    assert s["journeys"] >= 7 * 800
    stages = Counter(p.stage for p in week.pushes)
    assert stages[PushStage.EARLY] == stages[PushStage.CLOSURE] == len(week.transports)


def test_belgian_airports_split_in_the_schedule() -> None:
    """The reference schedule puts ~70 % of air seats at BRU and ~25 % at CRL."""
    from piu_lab.synth.reference import load_reference

    seats: Counter[str] = Counter()
    for row in load_reference().schedule:
        total = sum(w for _, w in row.bases)
        for base, w in row.bases:
            seats[base] += 2 * row.rotations * row.seats * row.load_factor * w / total
    share = {k: v / sum(seats.values()) for k, v in seats.items()}
    assert 0.64 <= share["BRU"] <= 0.76
    assert 0.20 <= share["CRL"] <= 0.30
    assert set(share) == {"BRU", "CRL", "LGG", "OST", "ANR"}


def test_belgian_schedule_is_consistent() -> None:
    """The full schedule of a day (no bookings): unique numbers, plausible times."""
    from datetime import date

    import numpy as np

    from piu_lab.synth.reference import load_reference
    from piu_lab.synth.schedule import build_day

    day = date(2026, 3, 2)
    transports = build_day(load_reference(), SCALES["belgium"], day, 0, np.random.default_rng(0))
    labels = Counter((t.carrier, t.number) for t in transports)
    assert max(labels.values()) == 1
    air = [t for t in transports if t.sector is Sector.AIR]
    assert 630 <= len(air) <= 690
    assert 78 <= len({t.carrier for t in transports}) <= 89
    for t in transports:
        be_time = t.departure_local if t.outbound else t.arrival_local
        assert be_time.date() == day
        assert 20 <= t.duration_min <= 30 * 60

"""Generated traffic shared by the synth tests (generated once per session: it is deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from piu_lab.synth import SynthConfig, SynthTraffic, generate, write_traffic


@pytest.fixture(scope="session")
def small() -> SynthTraffic:
    """One day at the small scale (the default config)."""
    return generate(SynthConfig())


@pytest.fixture(scope="session")
def week() -> SynthTraffic:
    """A week at the small scale: enough bookings for the rarer features."""
    return generate(SynthConfig(days=7, seed=11))


@pytest.fixture(scope="session")
def written(small: SynthTraffic, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_traffic(small, out)
    return out

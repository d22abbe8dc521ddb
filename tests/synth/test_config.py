"""A bad configuration is refused with SynthError, before any work."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from piu_lab.errors import PiuLabError, SynthError
from piu_lab.synth import SynthConfig, SynthTraffic, generate, write_traffic
from piu_lab.synth.config import MAX_DAYS


def test_defaults() -> None:
    config = SynthConfig()
    assert (config.days, config.scale, config.seed, config.start) == (
        1,
        "small",
        0,
        date(2026, 3, 2),
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 0},
        {"days": -3},
        {"days": True},
        {"days": 1.5},
        {"scale": "europe"},
        {"seed": -1},
        {"seed": "0"},
        {"start": datetime(2026, 3, 2, 8, 0)},
        {"start": "2026-03-02"},
        {"days": MAX_DAYS["belgium"] + 1, "scale": "belgium"},
    ],
)
def test_bad_config_raises_synth_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(SynthError) as caught:
        SynthConfig(**kwargs)
    assert isinstance(caught.value, PiuLabError)
    assert caught.value.exit_code == 6


def test_generate_checks_a_config_built_around_the_constructor() -> None:
    config = SynthConfig()
    object.__setattr__(config, "days", 0)  # a frozen config mutated behind its back
    with pytest.raises(SynthError):
        generate(config)


def test_write_refuses_a_file_as_output_folder(small: SynthTraffic, tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    with pytest.raises(SynthError):
        write_traffic(small, target)

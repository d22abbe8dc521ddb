"""The 20 demo criteria (``data/demo/*.yaml``): legitimate, approved, behavioural examples."""

from __future__ import annotations

from importlib.resources import files

from piu_lab.criteria.language import load_criterion
from piu_lab.criteria.model import Criterion

__all__ = ["demo_criteria"]


def demo_criteria() -> tuple[Criterion, ...]:
    """The demo criteria in file-name order (each passes the linter on 2026-11-24)."""
    folder = files("piu_lab.criteria").joinpath("data/demo")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return tuple(load_criterion(folder.joinpath(n).read_text(encoding="utf-8")) for n in names)

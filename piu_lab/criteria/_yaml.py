"""The one place PyYAML is imported (it ships without type information)."""

from __future__ import annotations

from typing import Any

import yaml  # type: ignore[import-untyped]

__all__ = ["YAMLError", "dump_yaml", "load_yaml"]

YAMLError: type[Exception] = yaml.YAMLError


def load_yaml(text: str) -> Any:
    """Parse YAML with the safe loader (no Python objects, R-CRIT-01: a criterion is data)."""
    return yaml.safe_load(text)


def dump_yaml(data: Any) -> str:
    """Block-style YAML in the order given."""
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text

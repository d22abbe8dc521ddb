"""The closed field catalogue: every feature a criterion may name, and those it may not.

The catalogue is the data file ``data/fields.yaml`` of this package, read once. A field has a
``kind`` (which operators and values it takes), the Annex I heading it is computed from, a
description, the phrase an explanation uses, and a ``protected`` marker (R-CRIT-03):

* ``""`` - a behavioural element: "factual behaviour around preparing and taking the journey"
  (CJEU C-817/19 ¶199, R-CRIT-02);
* ``"combination"`` - a protected characteristic (nationality, age) or its proxy, allowed only
  beside ``min_behavioural`` behavioural elements and never alone;
* ``"never"`` - refused anywhere (gender, name origin, sensitive SSRs, ...; R-SENS-01, R-SENS-04).

Fields with ``stored = False`` are never computed (the data are deleted on receipt); they are
listed so that the linter can name them when a criterion asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from piu_lab.criteria._yaml import load_yaml

__all__ = [
    "FieldKind",
    "FieldSpec",
    "Protection",
    "behavioural_fields",
    "catalogue",
    "field_spec",
    "stored_fields",
]

CATALOGUE_FILE = "data/fields.yaml"


class FieldKind(StrEnum):
    """What a field holds; decides the operators and the values a condition may use."""

    NUMBER = "number"
    DURATION_HOURS = "duration_hours"
    BOOL = "bool"
    TEXT = "text"
    CATEGORY = "category"
    AIRPORT = "airport"
    COUNTRY = "country"
    SET_OF_TEXT = "set_of_text"


class Protection(StrEnum):
    """How far a field may be used (R-CRIT-03)."""

    NONE = ""
    COMBINATION = "combination"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One entry of the catalogue."""

    name: str
    kind: FieldKind
    description: str
    annex: str = ""
    protected: Protection = Protection.NONE
    min_behavioural: int = 0
    stored: bool = True
    element: FieldKind | None = None
    phrase: str = "{name} {actual}"
    true_phrase: str = ""
    false_phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def behavioural(self) -> bool:
        """A field a criterion may rest on (not protected)."""
        return self.protected is Protection.NONE

    def canonical(self, value: str) -> str | None:
        """The stored code of a category value given as a code, an alias or a label."""
        upper = value.strip().upper()
        if upper in self.values:
            return upper
        if upper in self.aliases:
            return self.aliases[upper]
        for code, label in self.values.items():
            if label.lower() == value.strip().lower():
                return code
        return None

    def label(self, code: Any) -> str:
        """The label of a category code (the code itself when unknown)."""
        return self.values.get(str(code), str(code))


def _spec(raw: Mapping[str, Any]) -> FieldSpec:
    element = raw.get("element")
    return FieldSpec(
        name=str(raw["name"]),
        kind=FieldKind(raw["kind"]),
        description=" ".join(str(raw.get("description", "")).split()),
        annex=str(raw.get("annex", "")),
        protected=Protection(raw.get("protected", "")),
        min_behavioural=int(raw.get("min_behavioural", 0)),
        stored=bool(raw.get("stored", True)),
        element=FieldKind(element) if element else None,
        phrase=str(raw.get("phrase", "{name} {actual}")),
        true_phrase=str(raw.get("true_phrase", "")),
        false_phrase=str(raw.get("false_phrase", "")),
        values=MappingProxyType({str(k): str(v) for k, v in (raw.get("values") or {}).items()}),
        aliases=MappingProxyType(
            {str(k).upper(): str(v) for k, v in (raw.get("aliases") or {}).items()}
        ),
    )


@cache
def catalogue() -> Mapping[str, FieldSpec]:
    """The field catalogue, name -> :class:`FieldSpec`, in file order (read once)."""
    text = files("piu_lab.criteria").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    specs = [_spec(raw) for raw in load_yaml(text)["fields"]]
    return MappingProxyType({spec.name: spec for spec in specs})


def field_spec(name: str) -> FieldSpec | None:
    """The catalogue entry of ``name``, None when the catalogue does not have it."""
    return catalogue().get(name)


def stored_fields() -> tuple[str, ...]:
    """The fields :func:`piu_lab.criteria.journey_features` computes, in catalogue order."""
    return tuple(name for name, spec in catalogue().items() if spec.stored)


def behavioural_fields() -> tuple[str, ...]:
    """The fields a criterion may rest on (not protected)."""
    return tuple(name for name, spec in catalogue().items() if spec.behavioural)

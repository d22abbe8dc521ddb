"""R-DATA-01/02: the model carries the Annex I headings and nothing else."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from piu_lab.model import TECHNICAL, AnnexHeading, Sector, annex
from piu_lab.model.datadoc import model_classes, render

ROOT = Path(__file__).resolve().parents[2]

# Words that would betray a field for data outside Annex I (R-DATA-02, R-SENS-02).
FORBIDDEN_FIELD_WORDS = re.compile(
    r"meal|remark|osi|ssr|religio|health|medical|ethnic|diet|mileage|miles|emergency|booker|"
    r"free_?text|wheelchair|notify",
)


def all_fields() -> list[tuple[type, dataclasses.Field[object]]]:
    return [(cls, f) for cls in model_classes() for f in dataclasses.fields(cls)]


def test_there_are_exactly_nineteen_headings() -> None:
    assert [int(h) for h in AnnexHeading] == list(range(1, 20))
    assert all(h.label for h in AnnexHeading)


@pytest.mark.parametrize(("cls", "fld"), all_fields(), ids=lambda v: getattr(v, "name", str(v)))
def test_every_field_names_its_heading(cls: type, fld: dataclasses.Field[object]) -> None:
    """R-DATA-01: each field says which heading it carries, with a human description."""
    heading = fld.metadata.get("annex")
    assert heading is not None, f"{cls.__name__}.{fld.name} has no Annex I tag"
    assert heading == TECHNICAL or 1 <= heading <= 19
    assert len(fld.metadata["doc"]) > 3


def test_every_heading_is_carried() -> None:
    carried = {int(f.metadata["annex"]) for _, f in all_fields()}
    assert carried >= {int(h) for h in AnnexHeading}


def test_no_field_for_data_outside_annex_i() -> None:
    """R-DATA-02 / R-SENS-02: there is nowhere to put meals, health, remarks or mileage."""
    offenders = [
        f"{cls.__name__}.{f.name}"
        for cls, f in all_fields()
        if FORBIDDEN_FIELD_WORDS.search(f.name)
    ]
    assert offenders == []


def test_narrowed_headings_say_what_the_cjeu_allows() -> None:
    """R-DATA-02: the five narrowed headings carry their narrowing."""
    for heading in (5, 6, 8, 12, 18):
        assert AnnexHeading(heading).narrowing != "as worded in Annex I"
    assert "own" in AnnexHeading.ADDRESS_CONTACT.narrowing
    assert "no transaction" in AnnexHeading.FREQUENT_FLYER.narrowing


def test_annex_rejects_unknown_heading() -> None:
    with pytest.raises(ValueError, match="20"):
        annex(20, "no such heading")
    assert annex(TECHNICAL, "bookkeeping")["annex"] == 0


def test_sector_is_exactly_the_four_of_the_law() -> None:
    """R-SCOPE-01."""
    assert {s.value for s in Sector} == {"AIR", "HST", "BUS", "SEA"}


@pytest.mark.parametrize("cls", model_classes(), ids=lambda c: c.__name__)
def test_records_are_frozen_and_slotted(cls: type) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert "__slots__" in cls.__dict__


def test_data_model_document_is_current() -> None:
    """docs/data-model.md is generated from the model: regenerate with
    `python -m piu_lab.model.datadoc > docs/data-model.md`."""
    assert (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8") == render()

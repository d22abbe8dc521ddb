"""Golden reports of the GTAS fixtures (reviewed by hand against the raw messages) and the
properties every fixture must keep: it parses or is quarantined with a precise reason, each
PNR has as many travellers as it has TIFs, and no warning carries a passenger value.

Regenerate after a deliberate parser change with ``python -m tests.ingest.regen_golden`` and
review the diff before committing it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from piu_lab.ingest.reader import read_message_file
from piu_lab.ingest.syntax import tokenise
from tests.ingest.gtas import (
    GOLDEN,
    RECEIVED_AT,
    fixture_files,
    fixture_id,
    golden_path,
    golden_report,
    needs_fixtures,
)

pytestmark = needs_fixtures
FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_report_matches_the_reviewed_golden(path: Path) -> None:
    """The dry-run report of each fixture is the reviewed golden file (R-DATA-01..03)."""
    golden = golden_path(path)
    assert golden.is_file(), (
        f"no golden for {fixture_id(path)}: run python -m tests.ingest.regen_golden"
    )
    assert golden_report(path) == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_has_its_fixture() -> None:
    names = {f"{p.parent.name}/{p.name}.json" for p in FILES}
    stale = {f"{p.parent.name}/{p.name}" for p in GOLDEN.glob("*/*.json")} - names
    assert not stale


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_every_fixture_parses_or_is_quarantined_with_where(path: Path) -> None:
    """Nothing received is lost (R-SENS-02): each message parses, or is quarantined naming the
    segment number and position of the reason. Every GTAS fixture parses."""
    outcomes = read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)
    assert outcomes
    for outcome in outcomes:
        if outcome.error is not None:
            assert outcome.error.position, outcome.error.message
            assert outcome.scrubbed
        assert outcome.error is None, outcome.error.message
        assert outcome.pnrs or outcome.manifest is not None


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name == "pnrgov"], ids=fixture_id)
def test_each_pnr_has_as_many_travellers_as_tifs(path: Path) -> None:
    """Every TIF of group 2 is a traveller, with or without DOCS (GTAS drops those without:
    issue #2082); a group name (``TIF+NAME:G``) is not a traveller (R-SENS-03: deleted)."""
    tifs: list[int] = []
    in_group_2 = False
    for seg in tokenise(path.read_bytes()).segments:
        if seg.tag == "SRC":
            tifs.append(0)
            in_group_2 = True
        elif seg.tag in {"TVL", "ABI", "EQN", "MSG"}:
            in_group_2 = False
        elif seg.tag == "TIF" and in_group_2 and seg.get(0, 1).upper() != "G":
            tifs[-1] += 1
    outcomes = read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)
    travellers = [len(p.pnr.passengers) for o in outcomes for p in o.pnrs]
    assert travellers == tifs


def _values(path: Path) -> set[str]:
    """The passenger values of a fixture as parsed: names, documents, contacts, tickets."""
    out: set[str] = set()
    outcomes = read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)
    for outcome in outcomes:
        people = [*(x for p in outcome.pnrs for x in p.pnr.passengers)]
        for pax in people:
            out |= {pax.surname, pax.given_names}
            out |= {c.value for c in pax.contacts} | {t.number for t in pax.tickets}
            out |= {d.number for d in pax.documents}
        for parsed in outcome.pnrs:
            out.add(parsed.pnr.record_locator)
            out |= {c.value for c in parsed.pnr.contacts}
        if outcome.manifest is not None:
            for person in outcome.manifest.persons:
                out |= {person.surname, person.given_names}
                out |= {d.number for d in person.documents}
    return {v for v in out if len(v) >= 3 and not re.fullmatch(r"\d{1,4}", v)}


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_warnings_name_places_never_values(path: Path) -> None:
    """Warnings name segment numbers and tags only: no passenger value in any of them."""
    outcomes = read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)
    warnings = [
        w for o in outcomes for w in (*o.warnings, *(x for p in o.pnrs for x in p.warnings))
    ]
    values = _values(path)
    leaked = {v for v in values for w in warnings if v in w}
    assert not leaked

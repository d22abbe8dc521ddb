"""Where the GTAS fixtures are and how the parser tests read them.

The fixtures are third-party messages (``US-CBP/GTAS``, share-alike licence): they stay in the
shared folder beside the repository and are never copied into it. Tests that read them skip,
with the reason, when that folder is absent (``SHARED`` below).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.ingest.report import report_json

#: ``<repo>/../shared``: the shared folder of the project, outside the repository.
SHARED = Path(__file__).parents[2] / ".." / "shared"
FIXTURES = SHARED / "fixtures" / "gtas"
GOLDEN = Path(__file__).parent / "golden"
#: The time of receipt the golden files are written with (fixed, so they never drift).
RECEIVED_AT = datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
KINDS = ("pnrgov", "paxlst")

needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"GTAS fixtures not found at {FIXTURES} (third-party files, kept outside the repo)",
)


def fixture_files() -> list[Path]:
    """Every PNRGOV and PAXLST message file of the GTAS fixtures (not LICENSE/SOURCE)."""
    if not FIXTURES.is_dir():
        return []
    return sorted(p for kind in KINDS for p in (FIXTURES / kind).glob("*") if p.is_file())


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def fixture(name: str) -> Path:
    """``pnrgov/pnrEdge.txt`` -> its path; skips the test when the fixtures are absent."""
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"GTAS fixture {name} not found under {FIXTURES}")
    return path


def read(name: str) -> list[MessageOutcome]:
    path = fixture(name)
    return read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)


def golden_report(path: Path) -> dict[str, Any]:
    """The dry-run report of one fixture, as the golden files hold it."""
    outcomes = read_message_file(path.read_bytes(), source=path.name, received_at=RECEIVED_AT)
    return report_json((o, "parsed" if o.error is None else "quarantined") for o in outcomes)


def golden_path(path: Path) -> Path:
    return GOLDEN / path.parent.name / f"{path.name}.json"

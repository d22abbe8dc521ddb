"""Widgets, notebooks and reports reach piu_lab only through the facade (ARCHITECTURE.md).

import-linter checks the Python packages; it cannot see notebooks, so this test parses the code
cells of every notebook (``notebooks/``, ``reports/``) and every jupytext ``*.py`` beside them.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"piu_lab", "piu_lab.api", "piu_lab.model"}


def notebook_sources(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    return [path.read_text(encoding="utf-8")]


def forbidden_imports(source: str) -> list[str]:
    """The ``piu_lab`` modules a piece of code imports other than the facade and the model."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    found: list[str] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
            if node.module == "piu_lab":
                names = [f"piu_lab.{alias.name}" for alias in node.names]
        found += [n for n in names if n.split(".")[0] == "piu_lab" and n not in ALLOWED]
    return found


def ui_files() -> list[Path]:
    files: list[Path] = []
    for folder in ("notebooks", "reports"):
        files += sorted((ROOT / folder).rglob("*.ipynb")) + sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if ".ipynb_checkpoints" not in f.parts]


def test_notebooks_import_only_the_facade() -> None:
    offenders = {
        str(path.relative_to(ROOT)): bad
        for path in ui_files()
        if (bad := [name for src in notebook_sources(path) for name in forbidden_imports(src)])
    }
    assert offenders == {}


def test_notebooks_are_committed_without_outputs() -> None:
    """Passenger data never reaches git through notebook outputs."""
    with_outputs = [
        str(path.relative_to(ROOT))
        for path in ui_files()
        if path.suffix == ".ipynb"
        and any(c.get("outputs") for c in json.loads(path.read_text("utf-8")).get("cells", []))
    ]
    assert with_outputs == []


def test_the_scanner_catches_deep_imports(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "import piu_lab.store"},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "import piu_lab.api as api"]},
            {"cell_type": "code", "source": "from piu_lab.store import open_store"},
            {"cell_type": "code", "source": "from piu_lab import store, model"},
            {"cell_type": "code", "source": "import piu_lab.synth.edifact, pandas"},
        ]
    }
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = [name for src in notebook_sources(path) for name in forbidden_imports(src)]
    assert found == ["piu_lab.store", "piu_lab.store", "piu_lab.synth.edifact"]

"""Every notebook and dashboard runs top to bottom on the demo database, as papermill runs the
scheduled reports and Voilà the dashboards (``-m notebooks`` selects them; they run by
default). An execution timeout always: a lost wake-up must fail, not hang
(docs/jupyter-stack.md, nbclient#312)."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from tests.views_demo import PSEUDONYM_KEY, copy_of

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DASHBOARDS = sorted((ROOT / "notebooks" / "dashboards").glob("*.ipynb"))
#: Who opens each dashboard in the test (the dashboards read PIU_LAB_USER when not given).
DASHBOARD_USER = {"hit_review": "FP-0233", "situation": "PIU-H01", "dpo_overview": "PIU-DPO1"}
TIMEOUT = 180

pytestmark = [
    pytest.mark.notebooks,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the kernel inherits: figures render in HTML reports, test pseudonym key, and no
    identity or database from the developer's environment."""
    monkeypatch.setenv("PLOTLY_RENDERER", "plotly_mimetype+notebook")
    monkeypatch.setenv("PIU_LAB_PSEUDONYM_KEY", PSEUDONYM_KEY)
    for variable in ("PIU_LAB_USER", "JUPYTERHUB_USER", "PIU_LAB_DB"):
        monkeypatch.delenv(variable, raising=False)


def _run(notebook: Path, out: Path, parameters: dict[str, object]) -> list[dict[str, object]]:
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        execution_timeout=TIMEOUT,
        progress_bar=False,
        cwd=str(notebook.parent),
    )
    cells: list[dict[str, object]] = json.loads(out.read_text("utf-8"))["cells"]
    return cells


def _outputs(cells: list[dict[str, object]]) -> list[dict[str, object]]:
    return [o for c in cells for o in c.get("outputs", [])]  # type: ignore[attr-defined]


def test_there_are_notebooks_and_dashboards() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_getting_started.ipynb", "02_hit_review.ipynb", "03_targeted_search.ipynb",
        "04_criteria_analysis.ipynb",
    ]  # fmt: skip
    assert {p.stem for p in DASHBOARDS} == set(DASHBOARD_USER)
    for path in (*NOTEBOOKS, *DASHBOARDS):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        assert "db = None" in "".join(tagged[0]["source"])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(
    notebook: Path, demo_db: Path, tmp_path: Path, kernel_env: None
) -> None:
    db = copy_of(demo_db, tmp_path)
    cells = _run(notebook, tmp_path / notebook.name, {"db": str(db)})
    outputs = _outputs(cells)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert outputs


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda p: p.stem)
def test_dashboard_runs_for_its_user(
    dashboard: Path, demo_db: Path, tmp_path: Path, kernel_env: None
) -> None:
    db = copy_of(demo_db, tmp_path)
    user = DASHBOARD_USER[dashboard.stem]
    cells = _run(dashboard, tmp_path / dashboard.name, {"db": str(db), "user": user})
    outputs = _outputs(cells)
    assert not [o for o in outputs if o["output_type"] == "error"]
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]  # type: ignore[operator]
    assert len(widgets) == 1


def test_a_dashboard_without_an_identity_shows_a_refusal_not_a_traceback(
    demo_db: Path, tmp_path: Path, kernel_env: None
) -> None:
    db = copy_of(demo_db, tmp_path)
    notebook = ROOT / "notebooks" / "dashboards" / "hit_review.ipynb"
    out = tmp_path / "refused.ipynb"
    cells = _run(notebook, out, {"db": str(db)})
    assert not [o for o in _outputs(cells) if o["output_type"] == "error"]
    assert "ACC-ID-01" in out.read_text("utf-8")  # the refusal box's text in the widget state

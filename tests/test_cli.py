"""The ``piu-lab`` command line: help everywhere, summaries, and one-line errors with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from piu_lab import __version__
from tests.cli_run import run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert __version__ in out


@pytest.mark.parametrize("command", [[], ["init"], ["synth"], ["demo"], ["ingest"], ["serve"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert "Usage:" in out
    assert "--help" in out


def test_init_creates_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lab.sqlite3"
    code, out, _ = run(["init", "--db", str(db), "--json"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary["dialect"] == "sqlite"
    assert summary["schema_revision"]
    assert db.exists()


def test_init_uses_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("PIU_LAB_DB", str(db))
    code, out, _ = run(["init"], capsys)
    assert code == 0
    assert "ready" in out
    assert db.exists()


def test_demo_no_serve_prints_a_populated_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite3"
    argv = ["demo", "--no-serve", "--scale", "small", "--db", str(db), "--json"]
    argv += ["--history-months", "0"]
    argv += ["--out", str(tmp_path / "messages")]
    code, out, _ = run(argv, capsys)
    assert code == 0
    first = json.loads(out)
    assert first["counts"]["passenger"] > 500
    assert first["counts"]["pnr_version"] == first["ingest"]["pnr_versions"] > 0
    assert first["ingest"]["stored"] == first["ingest"]["received"] == first["counts"]["message"]
    assert first["ingest"]["quarantined"] == 0
    assert first["ingest"]["removed"]  # sensitive data deleted on receipt, counted
    # a second demo stores nothing twice: every message is a duplicate
    code, out, _ = run(argv, capsys)
    second = json.loads(out)
    assert second["ingest"]["duplicates"] == first["ingest"]["received"]
    assert second["ingest"]["pnr_versions"] == 0
    assert second["counts"]["pnr_version"] == first["counts"]["pnr_version"]


def test_demo_table_output_names_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from piu_lab import cli_serve

    served: list[dict[str, str]] = []

    def fake_voila(
        command: list[str], env: dict[str, str], port: int, on_ready: Any, **kw: Any
    ) -> int:
        served.append(env)
        on_ready()
        return 0

    monkeypatch.setattr(cli_serve, "run_voila", fake_voila)
    monkeypatch.delenv("PIU_LAB_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    (tmp_path / "dash").mkdir()
    (tmp_path / "dash" / "hit_review.ipynb").write_text("{}")
    monkeypatch.setenv("PIU_LAB_DASHBOARDS", str(tmp_path / "dash"))
    db = tmp_path / "demo.sqlite3"
    code, out, err = run(
        ["demo", "--scale", "small", "--db", str(db), "--quiet", "--out", str(tmp_path / "m")],
        capsys,
    )
    assert code == 0
    assert "demo.sqlite3" in out
    assert "passenger" in out
    # then it serves the dashboards on that database, as the demo's seconded member
    assert "serving the dashboards as FP-0233" in err
    assert "/voila/render/hit_review.ipynb?token=" in out
    assert served[0]["PIU_LAB_USER"] == "FP-0233"
    assert served[0]["PIU_LAB_DB"].endswith("demo.sqlite3")
    assert any((tmp_path / "m" / "pnrgov").iterdir())
    assert "history: 8 earlier months" in out  # then the lifecycle: masked, kept, deleted
    assert "masked into sealed storage" in out


def test_synth_writes_carrier_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "traffic"
    code, out, _ = run(
        ["synth", "--scale", "small", "--seed", "3", "--out", str(out_dir), "--quiet"], capsys
    )
    assert code == 0
    assert "wrote" in out
    assert list((out_dir / "pnrgov").glob("*.edi"))
    assert list((out_dir / "paxlst").glob("*.edi"))
    assert (out_dir / "summary.json").exists()


@pytest.mark.parametrize(
    ("db", "exit_code", "words"),
    [
        ("mysql://user@localhost/piu", 2, "mysql"),
        ("postgresql://nobody@127.0.0.1:1/piu", 3, "unreachable"),
    ],
)
def test_bad_database_urls_give_one_line_and_an_exit_code(
    db: str, exit_code: int, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["init", "--db", db], capsys)
    assert code == exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert words in lines[0].lower()
    assert "Traceback" not in err


def test_read_only_path_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run(["init", "--db", str(blocker / "lab.sqlite3")], capsys)
    assert code == 3
    assert len(err.strip().splitlines()) == 1


def test_newer_schema_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lab.sqlite3"
    assert run(["init", "--db", str(db)], capsys)[0] == 0
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    code, _, err = run(["init", "--db", str(db)], capsys)
    assert code == 4
    assert "upgrade" in err.lower()


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["synth", "--scale", "galactic", "--out", "x"], capsys)
    assert code == 1
    assert "galactic" in err


def test_the_installed_command_runs_without_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("piu-lab")
    done = subprocess.run(
        [str(exe), "init", "--db", "oracle://x"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "Traceback" not in done.stderr


def test_grant_app_role_is_postgresql_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lab.sqlite3")
    assert run(["init", "--db", db], capsys)[0] == 0
    code, _, err = run(["grant-app-role", "piu_app", "--db", db], capsys)
    assert code == 2
    assert "PostgreSQL" in err

"""``piu-lab serve``: the Voilà command line and environment (one identity per server, the
token kept out of the process list), the printed addresses, the refusals before starting, and
the child's life (ready, stopped on SIGTERM, died early). The dashboards themselves are driven
in a real browser by ``tests/views``."""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from piu_lab import cli_serve
from piu_lab.cli_serve import ServeSettings
from tests.cli_run import run


@pytest.fixture
def dashboards(tmp_path: Path) -> Path:
    folder = tmp_path / "dashboards"
    folder.mkdir()
    for name in ("hit_review", "situation", ".hidden"):
        (folder / f"{name}.ipynb").write_text("{}")
    return folder


@pytest.fixture
def lab_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "lab.sqlite3"
    assert run(["init", "--db", str(db)], capsys)[0] == 0
    return db


def _settings(folder: Path, **kw: Any) -> ServeSettings:
    return ServeSettings(folder=folder, db_url="sqlite:////x/lab.sqlite3", user="FP-0233", **kw)


def test_voila_command_is_loopback_bounded_and_holds_no_secret(dashboards: Path) -> None:
    settings = _settings(dashboards, port=9999, token="s3cret", timeout=30)
    command = cli_serve.voila_command(settings, python="/py")
    assert command[:4] == ["/py", "-m", "voila", str(dashboards)]
    for flag in ("--no-browser", "--Voila.ip=127.0.0.1", "--port=9999", "--Voila.port_retries=0",
                 "--VoilaExecutor.timeout=30", "--show_tracebacks=False",
                 "--Voila.auto_token=True"):  # fmt: skip
        assert flag in command
    assert not any("s3cret" in part for part in command)
    assert "--preheat_kernel=False" in command  # no reads before a visit
    assert not any("http_header_envs" in part for part in command)


def test_voila_env_carries_one_identity_the_database_and_the_token(dashboards: Path) -> None:
    env = cli_serve.voila_env(
        _settings(dashboards, token="t"), {"PIU_LAB_USER": "OTHER", "PATH": "/bin"}
    )
    assert env["PIU_LAB_USER"] == "FP-0233"
    assert env["PIU_LAB_DB"] == "sqlite:////x/lab.sqlite3"
    assert env["JUPYTER_TOKEN"] == "t"
    assert env["PATH"] == "/bin"
    bare = cli_serve.voila_env(_settings(dashboards), {"JUPYTER_TOKEN": "old"})
    assert "JUPYTER_TOKEN" not in bare


def test_dashboard_urls_name_each_notebook(dashboards: Path) -> None:
    urls = cli_serve.dashboard_urls(_settings(dashboards, port=8000, token="a b"))
    assert urls == {
        "hit_review": "http://127.0.0.1:8000/voila/render/hit_review.ipynb?token=a%20b",
        "situation": "http://127.0.0.1:8000/voila/render/situation.ipynb?token=a%20b",
    }
    assert cli_serve.dashboard_urls(_settings(dashboards, port=8000))["situation"].endswith(
        "situation.ipynb"
    )


def test_the_default_folder_is_the_checkouts_dashboards(
    monkeypatch: pytest.MonkeyPatch, dashboards: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv(cli_serve.FOLDER_ENV, str(dashboards))
    assert cli_serve.dashboards_folder() == dashboards.resolve()
    monkeypatch.delenv(cli_serve.FOLDER_ENV)
    checkout = Path(cli_serve.__file__).resolve().parent.parent / "notebooks" / "dashboards"
    if cli_serve.dashboard_names(checkout):
        assert cli_serve.dashboards_folder() == checkout
    with pytest.raises(click.ClickException, match="no dashboard notebooks"):
        cli_serve.dashboards_folder(tmp_path / "missing")


def test_serve_prints_the_addresses_and_the_identity(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dashboards: Path,
    lab_db: Path,
) -> None:
    seen: dict[str, Any] = {}

    def fake(command: list[str], env: dict[str, str], port: int, on_ready: Any, **kw: Any) -> int:
        seen.update(command=command, env=env, port=port, **kw)
        on_ready()
        return 0

    monkeypatch.setattr(cli_serve, "run_voila", fake)
    monkeypatch.setenv("PIU_LAB_USER", "VSSE-112")
    port = _free_port()
    argv = ["serve", "--db", str(lab_db), "--dashboards", str(dashboards), "--port", str(port)]
    code, out, _ = run([*argv, "--token", "tok"], capsys)
    assert code == 0
    assert "identity: VSSE-112 (from PIU_LAB_USER" in out
    assert f"http://127.0.0.1:{port}/voila/render/hit_review.ipynb?token=tok" in out
    assert seen["env"]["PIU_LAB_DB"] == f"sqlite:///{lab_db}"
    assert seen["env"]["PIU_LAB_USER"] == "VSSE-112"
    assert seen["cwd"] == dashboards.resolve()  # not the caller's folder (its voila.py)
    code, out, _ = run([*argv, "--user", "PIU-DPO1"], capsys)
    assert "identity: PIU-DPO1 (from --user" in out
    assert seen["env"]["JUPYTER_TOKEN"] in out  # a fresh random token
    monkeypatch.delenv("PIU_LAB_USER")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    code, out, _ = run(argv, capsys)
    assert "identity: none" in out
    assert "refusal" in out


def test_serve_refuses_before_starting(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dashboards: Path,
    lab_db: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(cli_serve, "run_voila", lambda *a, **k: pytest.fail("started"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        argv = ["serve", "--db", str(lab_db), "--dashboards", str(dashboards)]
        code, _, err = run([*argv, "--port", str(port)], capsys)
    assert code == 1
    assert "in use" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["serve", "--db", str(lab_db), "--dashboards", str(empty)], capsys)
    assert code == 1
    assert "no dashboard notebooks" in err
    blank = tmp_path / "blank.sqlite3"
    code, _, err = run(["serve", "--db", str(blank), "--dashboards", str(dashboards)], capsys)
    assert code == 4  # no schema: run piu-lab demo or init first
    monkeypatch.setattr(cli_serve.importlib.util, "find_spec", lambda name: None)
    code, _, err = run(["serve", "--db", str(lab_db), "--dashboards", str(dashboards)], capsys)
    assert code == 1
    assert "[views]" in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_voila_stops_the_child_on_sigterm(capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    child = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    pids: list[int] = []

    def ready() -> None:
        pids.append(port)
        os.kill(os.getpid(), signal.SIGTERM)  # as a supervisor stopping `piu-lab serve`

    before = signal.getsignal(signal.SIGTERM)
    code = cli_serve.run_voila(child, dict(os.environ), port, ready)
    assert code == 0
    assert pids == [port]
    assert "stopped" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before
    with socket.socket() as sock:  # the child is gone: the port is free again
        sock.bind(("127.0.0.1", port))


def test_run_voila_reports_a_child_that_dies_early() -> None:
    child = [sys.executable, "-c", "raise SystemExit(3)"]
    with pytest.raises(click.ClickException, match="exit 3"):
        cli_serve.run_voila(child, dict(os.environ), _free_port(), lambda: None)
    with pytest.raises(click.ClickException, match="in time"):
        cli_serve.run_voila(
            [sys.executable, "-c", "import time; time.sleep(30)"],
            dict(os.environ),
            _free_port(),
            lambda: None,
            ready_seconds=0.5,
        )

"""Driving the dashboards in a real browser: Debian's Chromium (``/usr/bin/chromium``, never a
downloaded one) through Playwright's sync API, against ``piu-lab serve`` (Voilà) on loopback.

Shared by ``tests/views`` and ``benchmarks/bench_views.py``:

* :func:`missing` says why the browser tests cannot run here (no Chromium, no Voilà, no
  Playwright), or ``None``;
* :func:`build_demo_db` makes the demo database the tests and the benchmark read;
* :class:`Server` is one ``piu-lab serve`` child, one identity, a free port, a known token;
* :func:`launch` starts headless Chromium with the flags that work here (``--no-sandbox`` when
  running as root, as CI does).

Setup details live in ``../shared/docs/jupyter-stack.md`` (section 3).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DASHBOARDS = ("hit_review", "situation", "dpo_overview")
#: the demo register's members the views are driven as (piu_lab/access/seed.py)
FEDERAL_POLICE = "FP-0233"
STATE_SECURITY = "VSSE-112"
DPO = "PIU-DPO1"
CHROME_ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
#: generous: the machine has two cores shared with other work
LOAD_TIMEOUT_MS = 180_000


def missing() -> str | None:
    """Why the browser cannot be driven here, or ``None``."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)"
    for module, extra in (("voila", "views"), ("playwright", "dev")):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[{extra}]')"
    return None


def piu_lab_command() -> list[str]:
    """``piu-lab`` of this interpreter's environment."""
    script = Path(sys.executable).with_name("piu-lab")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from piu_lab.cli import main; main()"]


def _run(argv: list[str], log: IO[str]) -> None:
    log.write(f"$ piu-lab {' '.join(argv)}\n")
    log.flush()
    subprocess.run([*piu_lab_command(), *argv], check=True, stdout=log, stderr=subprocess.STDOUT)


def build_demo_db(folder: Path, *, history_months: int = 7) -> Path:
    """The demo database of the views: ``piu-lab demo`` (small scale, real clock: the main day
    is yesterday, the history reaches past six months, so masked PNRs exist), then a second
    synthetic day (today, seed 1) taken in with ``piu-lab ingest`` and ``piu-lab screen``
    after the demo's synthetic review, so that fresh hits wait for review in the queues of
    the services with a seconded member. Progress goes to ``folder/build.log``."""
    from piu_lab import synth

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "views-demo.sqlite3"
    with (folder / "build.log").open("w") as log:
        _run(["demo", "--no-serve", "--scale", "small", "--db", str(db), "--quiet",
              "--history-months", str(history_months), "--out", str(folder / "demo")],
             log)  # fmt: skip
        today = datetime.now(UTC).date()
        traffic = synth.generate(synth.SynthConfig(days=1, scale="small", seed=1, start=today))
        day = folder / "today"
        synth.write_traffic(traffic, day)
        _run(["ingest", str(day / "pnrgov"), str(day / "paxlst"), "--db", str(db), "--quiet"],
             log)  # fmt: skip
        _run(["screen", "--db", str(db)], log)
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One ``piu-lab serve`` (Voilà) for one identity, on a free loopback port."""

    db: Path
    user: str
    log_path: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    extra: tuple[str, ...] = ()
    proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 180.0) -> Server:
        argv = ["serve", "--db", str(self.db), "--user", self.user, "--port", str(self.port),
                "--token", self.token, *self.extra]  # fmt: skip
        with self.log_path.open("w") as log:
            # a session of its own: the whole group (serve and Voilà) can be killed at the end
            self.proc = subprocess.Popen(
                [*piu_lab_command(), *argv],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        while "/voila/render/" not in self.log():  # printed once Voilà listens
            if self.proc.poll() is not None:
                raise RuntimeError(f"piu-lab serve exited {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"piu-lab serve not ready in {timeout} s:\n{self.log()}")
            time.sleep(0.2)
        return self

    def url(self, dashboard: str, query: str = "") -> str:
        extra = f"&{query}" if query else ""
        return (
            f"http://127.0.0.1:{self.port}/voila/render/{dashboard}.ipynb?token={self.token}{extra}"
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """SIGTERM to ``piu-lab serve`` (it stops Voilà and its kernels), then the group."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # stragglers of this group only
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def launch(playwright: Playwright, **kw: Any) -> Browser:
    """Headless Debian Chromium (``--no-sandbox`` only as root: Chromium refuses otherwise)."""
    args = [*CHROME_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, **kw)

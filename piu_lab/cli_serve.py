"""``piu-lab serve``: the dashboards of ``notebooks/dashboards/`` served by Voilà on 127.0.0.1.

Voilà runs as a child process (``python -m voila``) of this command, with

* ``PIU_LAB_DB`` set to the database (resolved to an absolute URL: the kernels run in the
  dashboards' folder);
* ``PIU_LAB_USER`` set from ``--user``: the identity of every kernel of the server. **One Voilà
  server serves one identity.** Under JupyterHub each person runs their own server, whose
  ``JUPYTERHUB_USER`` names them; a server shared by several viewers (a Hub service, someone's
  server opened by a colleague) would make every viewer act as its owner. The identity is never
  taken from the address, its query string or a request header (no ``http_header_envs``);
* a random access token (``JUPYTER_TOKEN``, given to Voilà through the environment so that it
  does not show in the process list) printed in the addresses: anybody else on the machine who
  can reach the loopback port still needs it;
* an execution timeout per cell (nbclient can lose a wake-up and wait forever: jupyter-stack.md),
  no tracebacks in the page, no retry on another port (the printed address must be the one
  served), unconnected kernels culled after ``CULL_IDLE_SECONDS``;
* the dashboards' folder as Voilà's working directory: Voilà executes a ``voila.py`` found in
  its working directory, so the caller's would otherwise configure (or run code in) the server.

Kernels are not preheated (``--preheat_kernel``). A preheated kernel runs the dashboard before
anybody opens it: it would read data, and the audit log record reads, that nobody made, and show
the data as of the server's start. A dashboard can wait for its visit
(``voila.utils.wait_for_request()``), but that wait is a cell like any other and runs into the
execution timeout: a kernel left in the pool longer than ``--timeout`` breaks the next visit
(tried: the DPO overview's pooled kernels timed out their wait after 120 s, and its next visit
never showed the page). The gain where it worked: the hit review's first render 2.6 s instead
of 6.1 s on a loaded machine (``benchmarks/bench_views.py``).
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import click

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.cli_common import DB_OPTION
from piu_lab.store import resolve_url

__all__ = [
    "DEFAULT_PORT",
    "DEMO_USER",
    "ServeSettings",
    "dashboard_urls",
    "dashboards_folder",
    "serve",
    "serve_dashboards",
    "voila_command",
    "voila_env",
]

DEFAULT_PORT = 8866
HOST = "127.0.0.1"
#: the environment variable naming another dashboards folder
FOLDER_ENV = "PIU_LAB_DASHBOARDS"
#: the demo register's seconded member of the federal police: the identity ``piu-lab demo``
#: serves when none is given (``access/seed.py``)
DEMO_USER = "FP-0233"
CULL_IDLE_SECONDS = 900
READY_SECONDS = 120.0

_out = _common.out
_err = _common.err


def _say(text: str) -> None:
    _out.print(text, markup=False, highlight=False)


def dashboards_folder(folder: Path | None = None) -> Path:
    """The folder of the dashboard notebooks: ``folder``, else ``PIU_LAB_DASHBOARDS``, else
    ``notebooks/dashboards/`` of the checkout this package is installed from (editable
    install: ``pip install -e``). Raises ``click.ClickException`` when it holds no notebook."""
    if folder is None:
        named = os.environ.get(FOLDER_ENV)
        folder = (
            Path(named)
            if named
            else Path(__file__).resolve().parent.parent / "notebooks" / "dashboards"
        )
    folder = folder.expanduser().resolve()
    if not dashboard_names(folder):
        raise click.ClickException(
            f"no dashboard notebooks in {folder}: give --dashboards DIR (or {FOLDER_ENV}), or "
            "install PIU Lab from its checkout (pip install -e '.[views]')"
        )
    return folder


def dashboard_names(folder: Path) -> list[str]:
    """The notebooks of ``folder``, sorted (no checkpoints, no hidden files)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.ipynb") if not p.name.startswith("."))


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What one Voilà server is started with."""

    folder: Path
    db_url: str
    user: str | None
    port: int = DEFAULT_PORT
    timeout: int = 120
    token: str = ""


def voila_command(settings: ServeSettings, python: str = sys.executable) -> list[str]:
    """The command line of the Voilà child (no secret in it: the token goes by environment)."""
    command = [
        python,
        "-m",
        "voila",
        str(settings.folder),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={settings.port}",
        "--Voila.port_retries=0",
        f"--VoilaExecutor.timeout={settings.timeout}",
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--preheat_kernel=False",  # see the module's docstring
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
    ]
    if settings.token:
        command.append("--Voila.auto_token=True")  # the token itself: JUPYTER_TOKEN
    return command


def voila_env(settings: ServeSettings, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of the Voilà child and so of its kernels."""
    env = dict(environ)
    env["PIU_LAB_DB"] = settings.db_url
    if settings.user:
        env["PIU_LAB_USER"] = settings.user
    if settings.token:
        env["JUPYTER_TOKEN"] = settings.token
    else:
        env.pop("JUPYTER_TOKEN", None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def dashboard_urls(settings: ServeSettings) -> dict[str, str]:
    """The address of each dashboard, by notebook stem (with the token when there is one)."""
    query = f"?token={quote(settings.token)}" if settings.token else ""
    return {
        Path(name).stem: f"http://{HOST}:{settings.port}/voila/render/{quote(name)}{query}"
        for name in dashboard_names(settings.folder)
    }


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _stop(proc: subprocess.Popen[bytes], grace: float = 20.0) -> int:
    """SIGTERM (Voilà shuts its kernels down), then SIGKILL after ``grace`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


class _Terminated(Exception):
    """SIGTERM received: stop the child and leave."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


def run_voila(
    command: Sequence[str],
    env: Mapping[str, str],
    port: int,
    on_ready: Callable[[], None],
    *,
    cwd: Path | None = None,
    ready_seconds: float = READY_SECONDS,
) -> int:
    """Start Voilà (in ``cwd``), call ``on_ready`` once it listens, wait until it ends or this
    process is interrupted (Ctrl-C, SIGTERM: Voilà is stopped with its kernels). Returns the
    exit code."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    proc = subprocess.Popen(list(command), env=dict(env), cwd=cwd)
    try:
        deadline = time.monotonic() + ready_seconds
        while not _listening(port):
            if proc.poll() is not None:
                raise click.ClickException(
                    f"Voilà stopped before serving (exit {proc.returncode}); see its log above"
                )
            if time.monotonic() > deadline:
                raise click.ClickException(f"Voilà did not listen on port {port} in time")
            time.sleep(0.2)
        on_ready()
        return proc.wait()
    except (KeyboardInterrupt, _Terminated):
        _stop(proc)
        _err.print("stopped")
        return 0
    finally:
        _stop(proc)
        signal.signal(signal.SIGTERM, previous)


def _identity(user: str | None) -> tuple[str | None, str]:
    """The served identity and where it comes from."""
    if user:
        return user, "--user"
    for name in ("PIU_LAB_USER", "JUPYTERHUB_USER"):
        if os.environ.get(name):
            return os.environ[name], name
    return None, "nobody"


def serve_dashboards(
    db: str | None,
    *,
    user: str | None,
    port: int = DEFAULT_PORT,
    folder: Path | None = None,
    timeout: int = 120,
    token: str | None = None,
) -> int:
    """Check the database and the port, start Voilà, print the addresses, serve until
    interrupted (also the end of ``piu-lab demo``). Returns Voilà's exit code."""
    if importlib.util.find_spec("voila") is None:
        raise click.ClickException(
            "Voilà is not installed in this environment: pip install -e '.[views]'"
        )
    where = dashboards_folder(folder)
    url = resolve_url(db)
    with api.open_lab(url, create=False) as lab:
        shown = lab.url
    if not _port_free(port):
        raise click.ClickException(f"port {port} on {HOST} is in use: choose another with --port")
    served, source = _identity(user)
    settings = ServeSettings(
        folder=where,
        db_url=url,
        user=served,
        port=port,
        timeout=timeout,
        token=secrets.token_urlsafe(24) if token is None else token,
    )

    def ready() -> None:
        _say(f"database: {shown}")
        if served:
            _say(f"identity: {served} (from {source}; one Voilà server serves one identity)")
        else:
            _say(
                "identity: none (no --user, PIU_LAB_USER or JUPYTERHUB_USER): the dashboards "
                "will show a refusal"
            )
        _say(f"dashboards in {where}, served by Voilà on {HOST}:{port} (Ctrl-C to stop):")
        for name, address in dashboard_urls(settings).items():
            _say(f"  {name:<14} {address}")

    env = voila_env(settings, os.environ)
    return run_voila(voila_command(settings), env, port, ready, cwd=where)


@click.command("serve")
@DB_OPTION
@click.option(
    "--user",
    metavar="CODE",
    default=None,
    help="Identification code every dashboard works as (sets PIU_LAB_USER for the kernels; "
    "default: $PIU_LAB_USER, else $JUPYTERHUB_USER). One server serves one identity: start one "
    "server per person (per-user servers under JupyterHub); never share its address.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port on 127.0.0.1.",
)
@click.option(
    "--dashboards",
    "folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help=f"Folder of the dashboard notebooks (default: ${FOLDER_ENV}, else notebooks/dashboards/ "
    "of the checkout PIU Lab is installed from).",
)
@click.option(
    "--timeout",
    type=click.IntRange(5, 3600),
    default=120,
    show_default=True,
    help="Seconds a dashboard cell may run before Voilà gives up on it.",
)
@click.option(
    "--token",
    default=None,
    help="Access token the addresses carry (default: a fresh random one; '' serves without, "
    "only on a machine nobody else uses).",
)
def serve(
    db: str | None,
    user: str | None,
    port: int,
    folder: Path | None,
    timeout: int,
    token: str | None,
) -> None:
    """Serve the dashboards (hit review, situation, DPO overview) with Voilà on 127.0.0.1.

    Prints the address of each dashboard and serves until Ctrl-C. The dashboards read the
    database given by --db (or $PIU_LAB_DB) and work as the staff member given by --user:
    one Voilà server serves one identity, taken from the server's environment, never from
    the address or the request.
    """
    code = serve_dashboards(db, user=user, port=port, folder=folder, timeout=timeout, token=token)
    if code:
        raise click.exceptions.Exit(code)

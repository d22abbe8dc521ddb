"""A throwaway PostgreSQL cluster for the tests and the benchmarks (not part of the package).

``start_cluster()`` runs Debian's ``initdb`` and ``pg_ctl`` in a new folder of the system temp
dir on a free loopback port and returns a :class:`PgCluster` whose ``url`` a store can open;
``stop()`` shuts it down and removes the folder. PostgreSQL refuses to run as root, so as root
the binaries run through ``runuser -u postgres`` with the folder handed to that user (the folder
sits directly in ``/tmp`` because pytest's own temp folders are private to root).
``reset_database(url)`` gives a database a clean ``public`` schema (what each test starts from).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

__all__ = ["PgCluster", "find_pg_bin", "reset_database", "start_cluster"]

_USER = "postgres"


def find_pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb``, or None."""

    def version(bin_dir: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", bin_dir.parent.name))

    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    return max(found, key=version) if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser: cannot start PostgreSQL")
    return [runuser, "-u", _USER, "--"]


@dataclass(frozen=True, slots=True)
class PgCluster:
    """A running throwaway cluster; ``url`` names its ``piu_lab_test`` database."""

    bin_dir: Path
    root: Path
    port: int
    url: str

    def stop(self) -> None:
        subprocess.run(
            [
                *_as_postgres(),
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, durable: bool = False, dbname: str = "piu_lab_test") -> PgCluster:
    """Start a cluster; ``durable=False`` turns fsync off (tests), ``True`` keeps the defaults.

    Raises RuntimeError when no PostgreSQL binaries are installed or the server does not start.
    """
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
    root = Path(tempfile.mkdtemp(prefix="piu-lab-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, _USER, _USER)
    data, log, port = root / "data", root / "server.log", _free_port()
    prefix = _as_postgres()
    made = subprocess.run(
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            _USER,
            "-E",
            "UTF8",
            "--no-instructions",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {made.stderr.strip()[-2000:]}")
    options = f"-h 127.0.0.1 -p {port} -k {root}"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = subprocess.run(
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            options,
            "start",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {detail}")
    url = f"postgresql+psycopg://{_USER}@127.0.0.1:{port}/{dbname}"
    cluster = PgCluster(bin_dir=bin_dir, root=root, port=port, url=url)
    try:
        admin = f"host=127.0.0.1 port={port} user={_USER} dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.Error as exc:
        cluster.stop()
        raise RuntimeError(f"cannot create the test database: {exc}") from exc
    return cluster


def _conninfo(url: str) -> str:
    """``postgresql+psycopg://...`` as a libpq URI."""
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


def reset_database(url: str) -> None:
    """Give the database of ``url`` an empty ``public`` schema, ending other sessions on it."""
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute("GRANT ALL ON SCHEMA public TO public")

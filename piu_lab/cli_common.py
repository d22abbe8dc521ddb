"""What every command group of the CLI shares: the consoles and the ``--db`` option."""

from __future__ import annotations

import sys

import click
from rich.console import Console

__all__ = ["DB_OPTION", "err", "out"]

# Not a terminal (pipes, tests, CI): wide enough that a summary row or an error stays on one line.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)

DB_OPTION = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    help="Database: a SQLite path or URL, or postgresql://user@host/db "
    "(default: $PIU_LAB_DB, else the per-user SQLite file).",
)

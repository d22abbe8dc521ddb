"""The ``piu-lab`` command line.

Exit codes (also in the README): 0 success; 1 any other PIU Lab error; 2 bad usage or
configuration (unknown database URL...); 3 the database cannot be reached or written;
4 the schema is missing or newer than this PIU Lab; 5 an invalid record; 6 the synthetic
generator refused its settings; 70 an internal error (a bug: set PIU_LAB_DEBUG=1 for the
traceback); 130 interrupted. Errors are one line on standard error, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from piu_lab import __version__, api

__all__ = ["cli", "main"]

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

# Not a terminal (pipes, tests, CI): wide enough that a summary row or an error stays on one line.
_out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
_err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)

DB_OPTION = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    help="Database: a SQLite path or URL, or postgresql://user@host/db "
    "(default: $PIU_LAB_DB, else the per-user SQLite file).",
)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar with one task per stage; ``None`` when disabled."""
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description:>10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _print_summary(summary: api.LabSummary) -> None:
    _out.print(f"database: {summary.url} ({summary.dialect}, schema {summary.schema_revision})")
    table = Table("table", "rows", title="rows per table")
    for name, count in summary.counts.items():
        table.add_row(name, f"{count:,}")
    _out.print(table)


def _summary_dict(summary: api.LabSummary) -> dict[str, Any]:
    return {
        "url": summary.url,
        "dialect": summary.dialect,
        "schema_revision": summary.schema_revision,
        "counts": summary.counts,
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="piu-lab")
def cli() -> None:
    """PIU Lab: the analytical workbench of a Passenger Information Unit.

    Start with `piu-lab demo --no-serve` to build the embedded database and fill it with
    synthetic traffic. Every command has --help.
    """


@cli.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def init(db: str | None, as_json: bool) -> None:
    """Create the database schema, or migrate an older one to this version."""
    with api.open_lab(db) as lab:
        summary = lab.summary()
    if as_json:
        click.echo(json.dumps(_summary_dict(summary)))
    else:
        _out.print(f"ready: {summary.url} (schema {summary.schema_revision})")


@cli.command()
@click.option(
    "--days",
    type=click.IntRange(1, 31),
    default=1,
    show_default=True,
    help="Number of departure days.",
)
@click.option(
    "--scale",
    type=click.Choice(["small", "belgium"]),
    default="small",
    show_default=True,
    help="small: ~1,000 journeys a day; belgium: ~95,000 a day.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the PNRGOV/PAXLST messages, watchlists and ground truth.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def synth(days: int, scale: str, seed: int, out: Path, quiet: bool) -> None:
    """Generate synthetic traffic as carriers send it (PNRGOV and PAXLST EDIFACT files)."""
    from piu_lab import synth as synth_mod

    config = api.SynthConfig(days=days, scale=scale, seed=seed)  # type: ignore[arg-type]
    with _progress(not quiet) as progress:
        traffic = synth_mod.generate(config, progress=progress)
        files = synth_mod.write_traffic(traffic, out, progress=progress)
    _out.print(f"wrote {sum(files.values()):,} files to {out}")
    table = Table("what", "count")
    for key, value in {**traffic.summary(), **{f"files:{k}": v for k, v in files.items()}}.items():
        table.add_row(key, f"{value:,}")
    _out.print(table)


@cli.command()
@DB_OPTION
@click.option("--days", type=click.IntRange(1, 31), default=1, show_default=True)
@click.option(
    "--scale", type=click.Choice(["small", "belgium"]), default="belgium", show_default=True
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the carrier messages there (default: not written).",
)
@click.option(
    "--no-serve", is_flag=True, help="Build and fill the database, print a summary, exit."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def demo(
    db: str | None,
    days: int,
    scale: str,
    seed: int,
    out: Path | None,
    no_serve: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Build the embedded database, fill it with synthetic traffic and serve the dashboards."""
    config = api.SynthConfig(days=days, scale=scale, seed=seed)  # type: ignore[arg-type]
    with api.open_lab(db) as lab, _progress(not quiet and not as_json) as progress:
        result = lab.load_demo(config, out_dir=out, progress=progress)
        summary = lab.summary()
    if as_json:
        click.echo(
            json.dumps(
                {
                    **_summary_dict(summary),
                    "new_versions": result.new_versions,
                    "duplicates": result.duplicates,
                    "traffic": result.traffic,
                }
            )
        )
    else:
        _out.print(
            f"stored {result.new_versions:,} new PNR versions "
            f"({result.duplicates:,} already there) and {result.manifests:,} manifests"
        )
        _print_summary(summary)
    if not no_serve:
        _err.print(
            "dashboards: none are built yet (they arrive with the views issue); "
            "the database above is ready for them."
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns PIU Lab errors into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="piu-lab", standalone_mode=False)
    except api.PiuLabError as err:
        click.echo(f"error: {err.one_line()}", err=True)
        sys.exit(err.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        _err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        _err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as err:  # a bug: still one line unless asked for the traceback
        if os.environ.get("PIU_LAB_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(err).__name__}: {err} "
            "(set PIU_LAB_DEBUG=1 for the traceback and report it)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)

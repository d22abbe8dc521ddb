"""The ``piu-lab`` command line.

Exit codes (also in the README): 0 success; 1 bad usage (an unknown option or a missing path)
or any other PIU Lab error; 2 a bad configuration (unknown database URL...) or, for
``ingest``, a message quarantined; 3 the database cannot be reached or written;
4 the schema is missing or newer than this PIU Lab; 5 an invalid record; 6 the synthetic
generator refused its settings; 70 an internal error (a bug: set PIU_LAB_DEBUG=1 for the
traceback); 130 interrupted. Errors are one line on standard error, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import platformdirs
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from piu_lab import __version__, api
from piu_lab import cli_common as _common
from piu_lab.cli_audit import audit
from piu_lab.cli_common import DB_OPTION
from piu_lab.cli_hits import criteria, hits, screen, watchlist
from piu_lab.cli_lifecycle import lifecycle
from piu_lab.cli_requests import requests_group
from piu_lab.cli_scope import scope
from piu_lab.cli_serve import DEMO_USER, serve, serve_dashboards
from piu_lab.cli_staff import staff
from piu_lab.demo_loader import HISTORY_MONTHS
from piu_lab.store import open_store
from piu_lab.store.roles import grant_application_role

__all__ = ["cli", "main"]

EXIT_USAGE = 1
EXIT_QUARANTINED = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

_out = _common.out
_err = _common.err


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


@cli.command("grant-app-role")
@click.argument("role")
@DB_OPTION
def grant_app_role(role: str, db: str | None) -> None:
    """Give the PostgreSQL login ROLE the application's rights and no more (run as the
    schema's owner): read and write on the passenger tables, only SELECT and INSERT on the
    audit log and the staff register's history (never UPDATE, DELETE or TRUNCATE)."""
    with open_store(db, create=False) as store:
        statements = grant_application_role(store, role)
    for statement in statements:
        _out.print(statement, markup=False, highlight=False)


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
@click.option("--days", type=click.IntRange(1, 7), default=1, show_default=True)
@click.option(
    "--scale", type=click.Choice(["small", "belgium"]), default="belgium", show_default=True
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--start",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First departure day (default: DAYS days before today, so the data are recent and "
    "unmasked).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the carrier messages (default: a fresh folder in the per-user cache).",
)
@click.option(
    "--no-serve", is_flag=True, help="Build and fill the database, print a summary, exit."
)
@click.option(
    "--user",
    metavar="CODE",
    default=None,
    help=f"Identity the dashboards are served as (default: $PIU_LAB_USER, else "
    f"$JUPYTERHUB_USER, else {DEMO_USER}, the demo's seconded member of the federal police).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8866, show_default=True,
              help="Port of the dashboards on 127.0.0.1.")  # fmt: skip
@click.option(
    "--history-months",
    type=click.IntRange(0, 24),
    default=HISTORY_MONTHS,
    show_default=True,
    help="Months of history before the main days (one small day per month), then one "
    "lifecycle run: masked, kept and deleted data all exist (0: none).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def demo(
    db: str | None,
    days: int,
    scale: str,
    seed: int,
    start: datetime | None,
    out: Path | None,
    history_months: int,
    no_serve: bool,
    user: str | None,
    port: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Build the embedded database, fill it with synthetic traffic and serve the dashboards.

    The traffic goes the way real traffic does: written as PNRGOV/PAXLST messages, then read
    by the ingest (filtered on receipt, stored as PNR versions).
    """
    first = start.date() if start else datetime.now(UTC).date() - timedelta(days=days)
    config = api.SynthConfig(
        days=days,
        scale=scale,  # type: ignore[arg-type]
        seed=seed,
        start=first,
    )
    folder = out if out is not None else _demo_folder(scale, seed)
    with api.open_lab(db) as lab, _progress(not quiet and not as_json) as progress:
        result = lab.load_demo(
            config, out_dir=folder, progress=progress, history_months=history_months
        )
        summary = lab.summary()
    if as_json:
        click.echo(
            json.dumps(
                {
                    **_summary_dict(summary),
                    "ingest": result.ingest,
                    "traffic": result.traffic,
                    "screening": result.screening,
                    "staff": result.staff,
                    "history": result.history,
                    "lifecycle": result.lifecycle,
                    "messages": str(folder),
                }
            )
        )
    else:
        ingest = result.ingest
        _out.print(
            f"messages in {folder}: {ingest['received']:,} received, {ingest['stored']:,} "
            f"stored, {ingest['duplicates']:,} duplicates, {ingest['quarantined']:,} quarantined"
        )
        _print_summary(summary)
        sc = result.screening
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(dict(sc["by_kind"]).items()))  # type: ignore[call-overload]
        services = ", ".join(f"{k} {v}" for k, v in sorted(dict(sc["by_service"]).items()))  # type: ignore[call-overload]
        _out.print(
            f"registered {sc['lists']} watchlists ({sc['entries']:,} entries) and "
            f"{sc['criteria']} criteria; screened {sc['travellers']:,} travellers in "
            f"{sc['seconds']} s: {sc['hits']:,} hits ({sc['criteria_hits']:,} by criteria) on "
            f"{sc['travellers_hit']:,} passenger-journeys ({sc['journeys_hit_pct']} % of "
            f"journeys), {sc['planted_found']:,} of {sc['planted']:,} planted found",
            markup=False,
            highlight=False,
        )
        _out.print(f"passenger-journeys by kind: {kinds}; hits by service: {services}",
                   markup=False, highlight=False)  # fmt: skip
        _out.print(
            f"synthetic review: {sc['validated']:,} validated, "
            f"{sc['rejected_false_positive']:,} rejected as false positives "
            f"({sc['false_positive_pct']} %), {sc['left_open']:,} left open",
            markup=False,
            highlight=False,
        )
        if result.history.get("months"):
            hi, lc = result.history, result.lifecycle
            _out.print(
                f"history: {hi['months']} earlier months, {hi['journeys']:,} journeys, "
                f"{hi['validated']:,} hits validated; lifecycle (cjeu-2022): "
                f"{lc['deleted_pnrs']:,} PNRs and {lc['deleted_passengers']:,} passengers "
                f"deleted, {lc['kept_passengers']:,} kept with a retention basis, "
                f"{lc['masked_pnrs']:,} PNRs masked into sealed storage",
                markup=False,
                highlight=False,
            )
    if not no_serve:  # then serve the dashboards on it until Ctrl-C (piu-lab serve)
        served = user or os.environ.get("PIU_LAB_USER") or os.environ.get("JUPYTERHUB_USER")
        served = served or DEMO_USER
        again = f"piu-lab serve{f' --db {db}' if db else ''} --user CODE --port {port + 1}"
        _err.print(f"serving the dashboards as {served}; as another identity: {again}",
                   markup=False, highlight=False)  # fmt: skip
        code = serve_dashboards(db, user=served, port=port)
        if code:
            sys.exit(code)


def _demo_folder(scale: str, seed: int) -> Path:
    """A fresh folder for the demo's messages in the per-user cache."""
    folder = Path(platformdirs.user_cache_dir("piu-lab")) / f"demo-{scale}-{seed}"
    if folder.exists():
        shutil.rmtree(folder)
    return folder


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@DB_OPTION
@click.option("--dry-run", is_flag=True, help="Parse, filter and report; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (see docs/).")
@click.option(
    "--replay",
    is_flag=True,
    help="Take each message's envelope (UNB) time as its time of receipt (recorded feeds).",
)
@click.option(
    "--quarantine-days",
    type=click.IntRange(1, 3650),
    default=30,
    show_default=True,
    help="Days the scrubbed form of a quarantined message is kept.",
)
@click.option(
    "--batch",
    "batch_pnrs",
    type=click.IntRange(1, 1_000_000),
    default=5_000,
    show_default=True,
    help="About how many PNRs are stored per transaction (whole messages only).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(
    paths: tuple[Path, ...],
    db: str | None,
    dry_run: bool,
    as_json: bool,
    replay: bool,
    quarantine_days: int,
    batch_pnrs: int,
    quiet: bool,
) -> None:
    """Take in PNRGOV and PAXLST messages from files or folders.

    Every message is filtered on receipt (Annex I only; sensitive data deleted and counted,
    never kept), then stored as new PNR versions, recognised as a duplicate, or quarantined
    with its reason. Exit 0 when every message parsed, 2 when any was quarantined, 1 on a
    usage error. With --dry-run --json it stores nothing and prints the report: the tool to
    validate a new carrier's test feed.
    """
    purged = 0
    with _progress(not quiet and not as_json) as progress:
        if dry_run:
            report = api.dry_run_ingest(list(paths), replay=replay, progress=progress)
        else:
            with api.open_lab(db) as lab:
                purged = lab.purge_quarantine()
                report = lab.ingest(
                    list(paths),
                    replay=replay,
                    quarantine_days=quarantine_days,
                    batch_pnrs=batch_pnrs,
                    progress=progress,
                )
    document = api.ingest_report_json(report)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
    else:
        summary = document["summary"]
        assert isinstance(summary, dict)
        verb = "would store" if dry_run else "stored"
        _out.print(
            f"{summary['files']:,} files, {summary['received']:,} messages: {verb} "
            f"{summary['stored']:,} ({summary['pnr_versions']:,} PNR versions, "
            f"{summary['manifests']:,} manifests), {summary['duplicates']:,} duplicates, "
            f"{summary['quarantined']:,} quarantined"
            + (f"; {purged} quarantined messages purged" if purged else "")
        )
        if summary["removed"]:
            removed = ", ".join(f"{k} {v:,}" for k, v in summary["removed"].items())
            _out.print(f"deleted on receipt (counts only): {removed}")
        if summary["refused_pnrs"] or summary["refused_manifests"]:
            _out.print(
                f"refused out of scope (R-SCOPE-02, counts only): {summary['refused_pnrs']:,} "
                f"PNRs, {summary['refused_manifests']:,} manifests, "
                f"{summary['refused_journeys']:,} travellers: no scope decision covers them "
                "(piu-lab scope list)",
                markup=False,
                highlight=False,
            )
        for outcome, status in report.items:
            if status == "quarantined" and outcome.error is not None:
                _err.print(
                    f"quarantined: {outcome.source} #{outcome.index}: {outcome.error.one_line()}",
                    markup=False,
                    highlight=False,
                )
    if report.quarantined:
        sys.exit(EXIT_QUARANTINED)


cli.add_command(audit)
cli.add_command(staff)
cli.add_command(watchlist)
cli.add_command(criteria)
cli.add_command(screen)
cli.add_command(hits)
cli.add_command(requests_group)
cli.add_command(scope)
cli.add_command(lifecycle)
cli.add_command(serve)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns PIU Lab errors into one line and an exit code."""
    try:
        # Outside standalone mode click returns the code of a ``click.exceptions.Exit``
        # (``audit verify`` finding a broken log, ``criteria lint`` finding an error).
        code = cli.main(args=argv, prog_name="piu-lab", standalone_mode=False)
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except api.PiuLabError as err:
        click.echo(f"error: {err.one_line()}", err=True)
        sys.exit(err.exit_code)
    except click.UsageError as err:
        err.show()
        sys.exit(EXIT_USAGE)
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

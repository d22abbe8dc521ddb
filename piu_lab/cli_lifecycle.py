"""``piu-lab lifecycle``: masking at six months, deletion at six months or five years
(R-RET-01..03), the runs' record and the unsealing key pair.

``lifecycle run`` is meant for cron or a systemd timer: it takes only what is due and not done,
commits batch by batch, prints one progress line per batch on stderr (``--quiet``: none) and a
summary of counts on stdout (``--json`` for machines). A second run finds nothing to do.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.cli_common import DB_OPTION
from piu_lab.lifecycle.retention import RETENTION_KINDS
from piu_lab.lifecycle.sealing import keygen

__all__ = ["lifecycle"]

_out, _err = _common.out, _common.err


def _say(text: str) -> None:
    _out.print(text, markup=False, highlight=False)


def _as_of(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise api.ConfigurationError(
            f"--now {text!r} is not an ISO date or time", hint="e.g. 2027-06-01T00:00:00Z"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group("lifecycle")
def lifecycle() -> None:
    """Masking, retention and deletion of passenger data (R-RET-01..03)."""


@lifecycle.command("run")
@click.option("--now", "now", metavar="ISO", default=None,
              help="Run as of this time (a future time only with --dry-run).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count what would be done; change nothing.")
@click.option(
    "--profile",
    type=click.Choice([p.value for p in api.RetentionProfile]),
    default=api.RetentionProfile.CJEU_2022.value,
    show_default=True,
    help="cjeu-2022: delete at six months without a retention basis; directive-2016: keep "
    "masked to five years.",
)
@click.option("--json", "as_json", is_flag=True, help="The summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@DB_OPTION
def run(
    now: str | None, dry_run: bool, profile: str, as_json: bool, quiet: bool, db: str | None
) -> None:
    """Delete and mask what is due (idempotent; safe to run from cron)."""

    def progress(stage: str, done: int, total: int) -> None:
        _err.print(f"{stage}: {done}/{total}", markup=False, highlight=False)

    with api.open_lab(db) as lab:
        summary = lab.run_lifecycle(
            profile=profile,
            dry_run=dry_run,
            as_of=_as_of(now),
            progress=None if quiet else progress,
        )
    counts = summary.counts()
    if as_json:
        doc = {"run_id": summary.run_id, "as_of": summary.as_of.isoformat(),
               "profile": summary.profile, "dry_run": dry_run, **counts,
               "bases": summary.bases, "seconds": round(summary.seconds, 3)}  # fmt: skip
        _say(json.dumps(doc, indent=2))
        return
    head = "would be" if dry_run else "done"
    _say(f"lifecycle as of {summary.as_of.isoformat()} ({summary.profile}), {head}:")
    for name, value in counts.items():
        _say(f"  {name.replace('_', ' ')}: {value}")
    if summary.bases:
        _say("  retention bases: " + ", ".join(f"{k} {v}" for k, v in summary.bases.items()))
    rate = f"{summary.journeys_per_second:,.0f} journeys/s" if summary.journeys else "nothing due"
    _say(f"  {summary.seconds:.2f} s, {rate}")


@lifecycle.command("retain")
@click.argument("pnr_id")
@click.argument("pax_ref")
@click.option("--kind", type=click.Choice(RETENTION_KINDS), required=True)
@click.option("--reference", required=True, help="The case's or the decision's reference.")
@click.option("--grounds", required=True, help="Why this passenger is kept.")
@click.option("--as", "actor", metavar="CODE", required=True, help="Identification code.")
@DB_OPTION
def retain(
    pnr_id: str, pax_ref: str, kind: str, reference: str, grounds: str, actor: str,
    db: str | None,
) -> None:  # fmt: skip
    """Record a retention basis for one passenger (R-RET-03: the head of unit or a deputy)."""
    with api.open_lab(db) as lab:
        session = lab.session(actor, purpose="unit_management")
        session.record_retention(pnr_id, pax_ref, kind=kind, reference=reference, grounds=grounds)
    _say(f"passenger {pax_ref} of {pnr_id} kept beyond six months ({kind} {reference})")


@lifecycle.command("runs")
@DB_OPTION
def runs(db: str | None) -> None:
    """The recorded runs (counts only)."""
    with api.open_lab(db) as lab:
        frame = lab.lifecycle_runs()
    if frame.empty:
        _say("no lifecycle run recorded")
        return
    _say(frame.to_string(index=False))


@lifecycle.command("keygen")
@click.option("--out", "folder", required=True, type=click.Path(path_type=Path),
              help="Folder for seal.pub and unseal.key (mode 0600).")  # fmt: skip
def make_keys(folder: Path) -> None:
    """Make the unsealing key pair: seal.pub for the lifecycle job
    (PIU_LAB_SEAL_PUBLIC_KEY), unseal.key for re-personalisation only (PIU_LAB_UNSEAL_KEY),
    to be kept by the security officer, never with the database or its backups."""
    pub, priv = keygen(folder)
    _say(f"public key: {pub}\nprivate key: {priv} (mode 0600)")

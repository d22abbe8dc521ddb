"""``piu-lab watchlist``, ``criteria``, ``screen`` and ``hits``: pre-assessment on the command
line (R-PRE-01..09, R-CRIT-01..05). Everything that touches personal data or changes the
workflow goes through the session facade (``--as CODE``), so it is decided and audited.

The purpose of a command's session is the member's usual one unless ``--purpose`` says
otherwise: pre-assessment for seconded members and grantees, DPO supervision for the DPO,
supervisory review for the supervisors, unit management for the head and deputies.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.table import Table

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.access.persist import load_register
from piu_lab.access.register import Role
from piu_lab.cli_common import DB_OPTION
from piu_lab.hits.registry import read_entries_file
from piu_lab.store import open_store

__all__ = ["criteria", "hits", "screen", "watchlist"]

_out = _common.out
_USUAL = {
    Role.SECONDED_MEMBER: "pre_assessment",
    Role.GRANTEE: "pre_assessment",
    Role.DPO: "dpo_supervision",
    Role.SUPERVISOR: "supervisory_review",
    Role.HEAD_OF_UNIT: "unit_management",
    Role.DEPUTY: "unit_management",
    Role.SUPPORT_STAFF: "criteria_analysis",
}
AS_OPTION = click.option(
    "--as", "actor", metavar="CODE", required=True, help="Identification code of the actor."
)
PURPOSE_OPTION = click.option(
    "--purpose",
    type=click.Choice([p.value for p in api.Purpose]),
    default=None,
    help="Why (default: the member's usual purpose).",
)


def _say(text: str) -> None:
    _out.print(text, markup=False, highlight=False)


def _session(lab: api.Lab, db: str | None, actor: str, purpose: str | None) -> api.Session:
    if purpose is None:
        with open_store(db, create=False) as store:
            member = load_register(store).members.get(actor)
        purpose = _USUAL.get(member.role, "pre_assessment") if member else "pre_assessment"
    return lab.session(actor, purpose=purpose)


# -- watchlist --------------------------------------------------------------------------------


@click.group()
def watchlist() -> None:
    """The registered watchlists: only these are screened against (R-PRE-01)."""


@watchlist.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list-id", required=True, help="The list's code, e.g. BE-CUSTOMS.")
@click.option("--name", required=True)
@click.option("--owner", required=True, type=click.Choice([s.value for s in api.Service]))
@click.option(
    "--services",
    default=None,
    help="Comma-separated services its hits go to (default: the owner).",
)
@click.option("--legal-basis", required=True, help="The law or decision the list rests on.")
@click.option("--listing", type=click.Choice(["SOUGHT", "ALERT"]), required=True)
@click.option("--scope", type=click.Choice(["COMMON", "SERVICE"]), default="SERVICE")
@click.option("--common-db", type=click.Choice(["police_common", "ftf_common"]), default=None)
@click.option("--offence-category", default=None)
@AS_OPTION
@DB_OPTION
def import_list(
    file: Path,
    list_id: str,
    name: str,
    owner: str,
    services: str | None,
    legal_basis: str,
    listing: str,
    scope: str,
    common_db: str | None,
    offence_category: str | None,
    actor: str,
    db: str | None,
) -> None:
    """Register FILE (CSV or JSON entries) as a new version of a list (head of unit or deputy)."""
    chosen = (services or owner).split(",")
    info = api.WatchlistInfo(
        list_id=list_id,
        name=name,
        owner_service=api.Service(owner),
        services=tuple(api.Service(s.strip()) for s in chosen if s.strip()),
        legal_basis=legal_basis,
        listing=api.Listing(listing),
        scope=api.ListScope(scope),
        common_db=common_db,
        offence_category=offence_category,
    )
    entries = read_entries_file(file)
    with api.open_lab(db) as lab:
        made = lab.session(actor, purpose="unit_management").register_watchlist(info, entries)
    _say(f"{made.list_id} version {made.version}: {made.entry_count:,} entries registered")


@watchlist.command("list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def list_lists(db: str | None, as_json: bool) -> None:
    """The registered lists (metadata and counts; no entries)."""
    with api.open_lab(db) as lab:
        lists = lab.watchlists()
    rows = [
        {
            "list_id": w.list_id, "version": w.version, "owner": w.owner_service.value,
            "services": ",".join(s.value for s in w.services), "listing": w.listing.value,
            "scope": w.scope.value, "common_db": w.common_db, "entries": w.entry_count,
        }
        for w in lists
    ]  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows))
        return
    table = Table(*(rows[0] if rows else ["list_id"]))
    for row in rows:
        table.add_row(*(str(v) if v is not None else "" for v in row.values()))
    _out.print(table)


# -- criteria ---------------------------------------------------------------------------------


@click.group()
def criteria() -> None:
    """Pre-determined criteria: written by people, linted, approved, versioned (R-CRIT-01..05)."""


@criteria.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def lint_command(files: tuple[Path, ...], on: object) -> None:
    """Check criterion files: exit 1 when any has an error (protected characteristics, no
    exonerating condition, no approval, review overdue...)."""
    day = on.date() if isinstance(on, datetime) else datetime.now(UTC).date()
    failed = False
    for file in files:
        findings = api.lint(api.load_criterion(file), on=day)
        errors = [f for f in findings if f.severity.value == "error"]
        failed = failed or bool(errors)
        _say(f"{file}: {len(errors)} error(s), {len(findings) - len(errors)} warning(s)")
        for finding in findings:
            _say(f"  {finding.severity.value} {finding.rule}: {finding.path}: {finding.message}")
    if failed:
        raise click.exceptions.Exit(1)


@criteria.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@AS_OPTION
@DB_OPTION
def add_criteria(files: tuple[Path, ...], actor: str, db: str | None) -> None:
    """Store criterion versions (the head of unit; approved ones must pass the linter)."""
    with api.open_lab(db) as lab:
        session = lab.session(actor, purpose="criteria_analysis")
        for file in files:
            criterion = api.load_criterion(file)
            stored = session.register_criterion(criterion)
            state = "stored" if stored else "already stored"
            _say(f"{criterion.id} version {criterion.version} ({criterion.status.value}): {state}")


@criteria.command("approve")
@click.argument("criterion_id")
@click.option("--dpo-opinion", required=True, help="Reference of the DPO's written opinion.")
@click.option(
    "--dpo-opinion-on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the DPO's opinion.",
)  # fmt: skip
@click.option(
    "--next-review", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="When it must be reviewed (default: a year on).",
)  # fmt: skip
@AS_OPTION
@DB_OPTION
def approve_criterion(
    criterion_id: str,
    dpo_opinion: str,
    dpo_opinion_on: datetime,
    next_review: datetime | None,
    actor: str,
    db: str | None,
) -> None:
    """Approve the newest draft of a criterion after the DPO's opinion (the head of unit)."""
    with api.open_lab(db) as lab:
        made = lab.session(actor, purpose="criteria_analysis").approve_criterion(
            criterion_id,
            dpo_opinion=dpo_opinion,
            dpo_opinion_on=dpo_opinion_on.date(),
            next_review=next_review.date() if next_review else None,
        )
    _say(
        f"{made.id} version {made.version} approved by {actor}; next review "
        f"{made.next_review.isoformat()}"
    )


@criteria.command("list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def list_criteria(db: str | None, as_json: bool) -> None:
    """Every stored criterion version with its status, approval and review date."""
    with api.open_lab(db) as lab:
        frame = lab.criteria()
    if as_json:
        click.echo(frame.to_json(orient="records", date_format="iso"))
        return
    table = Table(*frame.columns)
    for row in frame.itertuples(index=False):
        table.add_row(*("" if v is None else str(v) for v in row))
    _out.print(table)


# -- screen -----------------------------------------------------------------------------------


@click.command()
@click.option(
    "--day",
    "days",
    multiple=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Departure day to screen (repeatable; default: every day with unassessed journeys).",
)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def screen(days: tuple[object, ...], db: str | None, as_json: bool) -> None:
    """Screen the journeys not yet assessed against every registered list and approved
    criterion; hits are routed to the services and wait for review (R-PRE-01..05)."""
    chosen = [d.date() for d in days if isinstance(d, datetime)] or None
    with api.open_lab(db) as lab:
        summary = lab.screen(chosen)
    data = {
        "run_id": summary.run_id, "travellers": summary.travellers,
        "pnr_versions": summary.pnr_versions, "lists": summary.lists,
        "hits_new": summary.hits_new, "already_known": summary.already_known,
        "suppressed": summary.suppressed, "by_kind": summary.by_kind,
        "by_service": summary.by_service, "seconds": summary.seconds,
    }  # fmt: skip
    if as_json:
        click.echo(json.dumps(data))
        return
    _say(
        f"screened {summary.travellers:,} travellers ({summary.pnr_versions:,} PNR versions) "
        f"against {summary.lists} lists in {summary.seconds} s: {summary.hits_new:,} new hits, "
        f"{summary.already_known:,} already known, {summary.suppressed:,} suppressed as "
        "known false positives"
    )
    _say("by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_kind.items())))
    _say("by service: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_service.items())))


# -- hits -------------------------------------------------------------------------------------


@click.group()
def hits() -> None:
    """The hits: the queue, one hit, the decision, the deadline breaches."""


_QUEUE = ["hit_id", "kind", "source_kind", "list_id", "criterion_id", "service", "status",
          "score", "hours_left", "breached", "services_on_journey"]  # fmt: skip


@hits.command("list")
@AS_OPTION
@PURPOSE_OPTION
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice([s.value for s in api.HitStatus])
)
@click.option("--service", default=None, help="Only this service's hits.")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def list_hits(
    actor: str,
    purpose: str | None,
    statuses: tuple[str, ...],
    service: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """The hits you may see, oldest deadline first (audited)."""
    with api.open_lab(db) as lab:
        frame = _session(lab, db, actor, purpose).hits(status=statuses or None)
    if service:
        frame = frame[frame["service"] == service]
    if as_json:
        click.echo(frame[[*_QUEUE, "explanation"]].to_json(orient="records", date_format="iso"))
        return
    table = Table(*_QUEUE)
    for row in frame[_QUEUE].itertuples(index=False):
        table.add_row(*("" if v is None else str(v) for v in row))
    _out.print(table)
    _say(f"{len(frame):,} hits; a hit asks for further examination, nothing more (R-PRE-09)")


@hits.command("show")
@click.argument("hit_id")
@AS_OPTION
@PURPOSE_OPTION
@DB_OPTION
def show_hit(hit_id: str, actor: str, purpose: str | None, db: str | None) -> None:
    """One hit: why it fired, its history, the review checklist (audited)."""
    with api.open_lab(db) as lab:
        card = _session(lab, db, actor, purpose).hit(hit_id)
    h = card.hit
    _say(f"{h['hit_id']} ({h['kind']}, {h['service']}): {h['status']}, {card.label}")
    _say(str(h["explanation"]))
    for row in card.history.itertuples(index=False):
        _say(f"  {row.seq}. {row.at} {row.actor} {row.status}: {row.reason}")
    _say("checklist:")
    for key, question in card.checklist.items():
        _say(f"  --check {key}=yes|no  {question}")


@hits.command("decide")
@click.argument("hit_id")
@click.option("--validate", "decision", flag_value="VALIDATED")
@click.option("--reject-fp", "decision", flag_value="REJECTED_FALSE_POSITIVE")
@click.option("--reject-discriminatory", "decision", flag_value="REJECTED_DISCRIMINATORY")
@click.option("--reason", required=True, help="The written reasons (R-PRE-02).")
@click.option("--check", "checks", multiple=True, metavar="KEY=yes|no",
              help="An answer of the review checklist (all are required).")  # fmt: skip
@AS_OPTION
@DB_OPTION
def decide(
    hit_id: str,
    decision: str | None,
    reason: str,
    checks: tuple[str, ...],
    actor: str,
    db: str | None,
) -> None:
    """Validate or reject a hit of your service, with reasons and the checklist (R-CRIT-05)."""
    if decision is None:
        raise click.UsageError("say --validate, --reject-fp or --reject-discriminatory")
    answers: dict[str, bool] = {}
    for check in checks:
        key, _, value = check.partition("=")
        if value.lower() not in ("yes", "no"):
            raise click.UsageError(f"--check {check}: KEY=yes or KEY=no")
        answers[key.strip()] = value.lower() == "yes"
    with api.open_lab(db) as lab:
        decided = lab.session(actor, purpose="pre_assessment").decide_hit(
            hit_id, decision, reason, answers
        )
    others = f" (and {len(decided) - 1} hit(s) of the other services)" if len(decided) > 1 else ""
    _say(f"{hit_id}: {decision}{others}")


@hits.command("breaches")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def breaches(db: str | None, as_json: bool) -> None:
    """Open hits past their 24-hour deadline (references only); the head of unit is notified."""
    with api.open_lab(db) as lab:
        frame = lab.deadline_breaches()
    if as_json:
        click.echo(frame.to_json(orient="records", date_format="iso"))
        return
    _say(f"{len(frame):,} open hits past the 24-hour deadline (R-PRE-03)")
    for row in frame.itertuples(index=False):
        _say(f"  {row.hit_id} {row.service} {row.status} ({row.hours_left} h)")

"""``piu-lab scope``: the decisions under which intra-EU flights, and rail, bus and sea
journeys, are taken in (R-SCOPE-02), and what the ingest refused outside them. Recording and
revoking go through the session facade (``--as CODE``: the head of unit or a deputy) and are
audited; listing shows no personal data."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.table import Table

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.cli_common import DB_OPTION

__all__ = ["scope"]

_out = _common.out
AS_OPTION = click.option(
    "--as", "actor", metavar="CODE", required=True, help="Identification code of the actor."
)
_DAY = click.DateTime(formats=["%Y-%m-%d"])
_SECTORS = [s.value for s in api.Sector]


def _say(text: str) -> None:
    _out.print(text, markup=False, highlight=False)


@click.group("scope")
def scope() -> None:
    """Scope decisions for intra-EU, rail, bus and sea journeys (R-SCOPE-02)."""


@scope.command("add")
@click.argument("decision_id")
@click.option("--legal-basis", required=True, help="The legal basis of the decision.")
@click.option("--threat-assessment", required=True, help="Reference of the threat assessment.")
@click.option("--ocam-level", required=True, type=int, help="OCAM threat level, 1 to 4.")
@click.option("--ocam-date", required=True, type=_DAY, help="Date of that level.")
@click.option("--ocam-source", required=True, help="Where that level comes from.")
@click.option("--from", "starts_on", required=True, type=_DAY, help="First day covered.")
@click.option("--until", "ends_on", required=True, type=_DAY, help="Last day covered.")
@click.option("--review", "next_review", required=True, type=_DAY, help="Next review date.")
@click.option("--sector", "sectors", multiple=True, required=True,
              type=click.Choice(_SECTORS, case_sensitive=False),
              help="AIR (intra-EU flights), HST, BUS or SEA (repeatable).")  # fmt: skip
@click.option("--route", "routes", multiple=True,
              help="AAA-BBB (either direction) or one place code (repeatable; none: all "
                   "journeys of the sectors).")  # fmt: skip
@AS_OPTION
@DB_OPTION
def add(
    decision_id: str,
    legal_basis: str,
    threat_assessment: str,
    ocam_level: int,
    ocam_date: datetime,
    ocam_source: str,
    starts_on: datetime,
    ends_on: datetime,
    next_review: datetime,
    sectors: tuple[str, ...],
    routes: tuple[str, ...],
    actor: str,
    db: str | None,
) -> None:
    """Record a decision (the head of unit or a deputy)."""
    decision = api.ScopeDecision(
        decision_id=decision_id,
        legal_basis=legal_basis,
        threat_assessment=threat_assessment,
        ocam_level=ocam_level,
        ocam_date=ocam_date.date(),
        ocam_source=ocam_source,
        starts_on=starts_on.date(),
        ends_on=ends_on.date(),
        next_review=next_review.date(),
        sectors=tuple(dict.fromkeys(api.Sector(s.upper()) for s in sectors)),
        routes=tuple(r.strip().upper() for r in routes),
    )
    with api.open_lab(db) as lab:
        lab.session(actor, purpose="unit_management").record_scope_decision(decision)
    covered = ", ".join(decision.routes) if decision.routes else "all journeys"
    _say(
        f"scope decision {decision_id} recorded: {'+'.join(s.value for s in decision.sectors)}, "
        f"{covered}, {decision.starts_on} to {decision.ends_on}, review by {decision.next_review}"
    )


@scope.command("revoke")
@click.argument("decision_id")
@AS_OPTION
@DB_OPTION
def revoke(decision_id: str, actor: str, db: str | None) -> None:
    """Revoke a decision now: nothing is taken in under it any more."""
    with api.open_lab(db) as lab:
        lab.session(actor, purpose="unit_management").revoke_scope_decision(decision_id)
    _say(f"scope decision {decision_id} revoked")


@scope.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of tables.")
@DB_OPTION
def list_decisions(as_json: bool, db: str | None) -> None:
    """The decisions with their state today, and what the ingest refused (counts only)."""
    with api.open_lab(db, create=False) as lab:
        decisions = lab.scope_decisions()
        refusals = lab.scope_refusals()
    if as_json:
        document = {
            "decisions": json.loads(decisions.to_json(orient="records", date_format="iso")),
            "refusals": json.loads(refusals.to_json(orient="records")),
        }
        click.echo(json.dumps(document))
        return
    table = Table("decision", "state", "sectors", "routes", "from", "until", "review", "OCAM",
                  title="scope decisions (R-SCOPE-02)")  # fmt: skip
    for row in decisions.itertuples(index=False):
        review = f"{row.next_review}{' (due)' if row.review_due else ''}"
        cells = (row.decision_id, row.state, row.sectors, row.routes, row.starts_on, row.ends_on)
        table.add_row(*(str(c) for c in cells), review, str(row.ocam_level))
    _out.print(table)
    if len(refusals):
        refused = Table("day", "sector", "reason", "messages", "PNRs", "travellers",
                        title="refused on receipt (counts only)")  # fmt: skip
        for r in refusals.itertuples(index=False):
            refused.add_row(str(r.day), str(r.sector), str(r.reason), str(r.messages),
                            str(r.pnrs), str(r.journeys))  # fmt: skip
        _out.print(refused)

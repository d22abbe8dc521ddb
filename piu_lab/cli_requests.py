"""``piu-lab requests``: targeted-search requests and the authorisations of a court or an
independent body, recorded as received (R-SRCH-01/02). The PIU records; it never authorises.
Every command goes through the session facade (``--as CODE``) and is audited."""

from __future__ import annotations

import json
from datetime import datetime

import click

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.cli_common import DB_OPTION
from piu_lab.lifecycle.requests import Authorisation, Authority, SearchRequest, requests_frame
from piu_lab.store import open_store

__all__ = ["requests_group"]

_out = _common.out
AS_OPTION = click.option(
    "--as", "actor", metavar="CODE", required=True, help="Identification code of the actor."
)
_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _say(text: str) -> None:
    _out.print(text, markup=False, highlight=False)


@click.group("requests")
def requests_group() -> None:
    """Targeted searches: requests, authorisations, the urgent path (R-SRCH-01/02)."""


@requests_group.command("file")
@click.argument("request_id")
@click.option("--service", required=True, type=click.Choice([s.value for s in api.Service]))
@click.option("--case", "case_reference", required=True, help="The service's case reference.")
@click.option("--offence", required=True, help="Annex II category or terrorism.")
@click.option("--selector", "selectors", multiple=True, required=True,
              help="A person or identifier sought (repeatable).")  # fmt: skip
@click.option("--grounds", required=True, help="Why the search is needed.")
@click.option("--urgent", is_flag=True, help="The service asks for the urgent path.")
@AS_OPTION
@DB_OPTION
def file_request(
    request_id: str,
    service: str,
    case_reference: str,
    offence: str,
    selectors: tuple[str, ...],
    grounds: str,
    urgent: bool,
    actor: str,
    db: str | None,
) -> None:
    """Record a service's request as received."""
    request = SearchRequest(request_id, service, case_reference, offence, selectors, grounds,
                            urgent)  # fmt: skip
    with api.open_lab(db) as lab:
        lab.session(actor, purpose="unit_management").file_request(request)
    _say(f"request {request_id} recorded{' (urgent)' if urgent else ''}")


@requests_group.command("authorise")
@click.argument("request_id")
@click.option("--id", "authorisation_id", required=True, help="The authorisation's id.")
@click.option("--authority", required=True, type=click.Choice([a.value for a in Authority]))
@click.option("--reference", required=True, help="The authority's reference.")
@click.option("--decided-on", required=True, type=_DAY)
@click.option("--refused", is_flag=True, help="The authority refused.")
@click.option("--valid-until", required=True, type=_DAY)
@click.option("--unmask", is_flag=True, help="The authorisation allows unmasking.")
@click.option("--pnr", "scope", multiple=True, help="A PNR in scope (repeatable; none: all).")
@AS_OPTION
@DB_OPTION
def authorise(
    request_id: str,
    authorisation_id: str,
    authority: str,
    reference: str,
    decided_on: datetime,
    refused: bool,
    valid_until: datetime,
    unmask: bool,
    scope: tuple[str, ...],
    actor: str,
    db: str | None,
) -> None:
    """Record the decision of a court or an independent body on a request."""
    decision = Authorisation(
        authorisation_id, request_id, Authority(authority), reference, decided_on.date(),
        not refused, valid_until.date(), unmask=unmask, scope=scope,
    )  # fmt: skip
    with api.open_lab(db) as lab:
        notified = lab.session(actor, purpose="unit_management").record_authorisation(decision)
    tail = "; the DPO is notified" if notified else ""
    _say(f"authorisation {authorisation_id} on {request_id} recorded{tail}")


@requests_group.command("urgent")
@click.argument("request_id")
@AS_OPTION
@DB_OPTION
def urgent(request_id: str, actor: str, db: str | None) -> None:
    """Open the urgent path of an urgent request (the head of unit)."""
    with api.open_lab(db) as lab:
        due = lab.session(actor, purpose="unit_management").open_urgent(request_id)
    _say(
        f"urgent path open for {request_id}; the ex-post review is due by {due:%Y-%m-%d %H:%M} UTC"
    )


@requests_group.command("list")
@DB_OPTION
def list_requests(db: str | None) -> None:
    """Requests and authorisations (JSON; no selectors)."""
    with open_store(db, create=False) as store:
        rows = requests_frame(store)
    click.echo(json.dumps(rows, default=str))

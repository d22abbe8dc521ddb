"""``piu-lab staff``: the staff register on the command line (R-ACC-01..03, R-HR-01).

Every change names its actor with ``--as CODE`` and is checked against the stored register by
the access policy: only the active head of unit or a deputy manages staff (``ACC-STAFF-01``),
only the head grants access (``ACC-GRANT-01``, AR art. 5 §2). The one exception is the very
first registration: an empty register accepts only a head of unit, with ``--as`` naming whoever
sets the unit up. Changes are appended to the register's history
(:mod:`piu_lab.access.persist`); nothing is updated in place. Dates default to today from the
system clock (UTC); ``--on`` sets them explicitly. A refusal is one line on standard error and
the error's exit code (10 for access control; see ``piu_lab.cli``). No passenger data here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import click
from rich.table import Table

from piu_lab import cli_common as _common
from piu_lab.access.persist import (
    Operation,
    count_changes,
    load_register,
    record,
    save_operations,
)
from piu_lab.access.policy import Action, Context, Purpose, Resource, ResourceKind, enforce
from piu_lab.access.register import (
    Change,
    Clearance,
    ClearanceLevel,
    EndReason,
    Member,
    Role,
    Secondment,
    Service,
    StaffRegister,
    Supervisor,
    is_active,
)
from piu_lab.access.seed import demo_operations
from piu_lab.cli_common import DB_OPTION
from piu_lab.clock import Clock, SystemClock
from piu_lab.errors import PiuLabError, RegisterError
from piu_lab.store import Store, open_store

__all__ = ["staff"]

_out = _common.out

ON_OPTION = click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of the change or of the view, YYYY-MM-DD (default: today, UTC).",
)
AS_OPTION = click.option(
    "--as", "actor", metavar="CODE", required=True, help="Identification code of the actor."
)

_CLOCK: Clock = SystemClock()
_RESOURCE = Resource(ResourceKind.STAFF_REGISTER)


def _day(on: datetime | None) -> date:
    return on.date() if on is not None else _CLOCK.now().date()


@contextmanager
def _errors() -> Iterator[None]:
    """A PIU Lab error becomes one line on standard error and its exit code."""
    try:
        yield
    except PiuLabError as err:
        click.echo(f"error: {err.one_line()}", err=True)
        sys.exit(err.exit_code)


def _authorised(register: StaffRegister, actor: str, action: Action, on: date) -> None:
    """Raise unless ``actor`` is a member the policy lets perform ``action`` on the register."""
    if actor not in register.members:
        raise RegisterError(
            f"no member with code {actor} in the staff register",
            hint="--as names the acting member",
            code=actor,
        )
    context = Context(on=on, purpose=Purpose.UNIT_MANAGEMENT)
    enforce(register.get(actor), action, _RESOURCE, context)


def _checked(actor: str, action: Action, on: date, operation: Operation) -> Operation:
    def run(register: StaffRegister) -> tuple[StaffRegister, Change]:
        _authorised(register, actor, action, on)
        return operation(register)

    return run


def _report(change: Change) -> None:
    detail = f" ({change.detail})" if change.detail else ""
    _out.print(
        f"{change.kind.value}: {change.subject} by {change.actor} on {change.on.isoformat()}"
        + detail,
        markup=False,
        highlight=False,
    )


def _choice(values: list[str]) -> click.Choice[str]:
    return click.Choice(values, case_sensitive=False)


@click.group()
def staff() -> None:
    """The PIU staff register: who may reach the passenger database, and until when."""


@staff.command()
@AS_OPTION
@click.option("--code", required=True, help="Identification code of the new member (AR art. 7).")
@click.option("--name", required=True, help="Name of the new member.")
@click.option("--role", "role", required=True, type=_choice([r.value for r in Role]))
@click.option(
    "--service",
    "service",
    type=_choice([s.value for s in Service]),
    default=Service.PIU.value,
    show_default=True,
    help="Home service (the seconding service for a seconded member).",
)
@click.option("--clearance", type=_choice([c.name for c in ClearanceLevel]), default=None)
@click.option("--clearance-from", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--clearance-until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Start of the secondment (seconded members; default: the date of the change).",
)
@click.option("--body", type=_choice([b.value for b in Supervisor]), default=None)
@ON_OPTION
@DB_OPTION
def add(
    actor: str,
    code: str,
    name: str,
    role: str,
    service: str,
    clearance: str | None,
    clearance_from: datetime | None,
    clearance_until: datetime | None,
    start: datetime | None,
    body: str | None,
    on: datetime | None,
    db: str | None,
) -> None:
    """Register a member (head of unit or deputy only)."""
    day = _day(on)
    with _errors():
        the_role, home = Role(role), Service(service)
        level = None
        if clearance is not None:
            if clearance_until is None:
                raise RegisterError("--clearance needs --clearance-until", field="clearance")
            level = Clearance(
                ClearanceLevel[clearance.upper()],
                _day(clearance_from) if clearance_from else day,
                clearance_until.date(),
            )
        secondment = None
        if the_role is Role.SECONDED_MEMBER:
            secondment = Secondment(home, start.date() if start else day)
        member = Member(
            code=code,
            name=name,
            role=the_role,
            clearance=level,
            home_service=home,
            secondment=secondment,
            supervisor_body=None if body is None else Supervisor(body),
        )

        def operation(register: StaffRegister) -> tuple[StaffRegister, Change]:
            if not register.members:
                if the_role is not Role.HEAD_OF_UNIT:
                    raise RegisterError(
                        "the register is empty: register the head of unit first",
                        hint="add --role head_of_unit",
                    )
            else:
                _authorised(register, actor, Action.MANAGE_STAFF, day)
            return register.add(member, actor=actor, on=day)

        with _store(db) as store:
            _, change = record(store, operation)
    _report(change)


@staff.command()
@click.argument("code")
@AS_OPTION
@ON_OPTION
@DB_OPTION
def extend(code: str, actor: str, on: datetime | None, db: str | None) -> None:
    """Extend a secondment by one year (at most three times, AR art. 15)."""
    day = _day(on)
    with _errors(), _store(db) as store:
        _, change = record(
            store,
            _checked(
                actor,
                Action.MANAGE_STAFF,
                day,
                lambda r: r.extend_secondment(code, actor=actor, on=day),
            ),
        )
    _report(change)


@staff.command()
@click.argument("code")
@click.option(
    "--reason",
    required=True,
    type=_choice([r.value for r in EndReason]),
    help="Why the secondment ends (AR art. 20).",
)
@click.option(
    "--effective",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When a notice ends it (home service or member: at least 3 months after --on).",
)
@AS_OPTION
@ON_OPTION
@DB_OPTION
def end(
    code: str,
    reason: str,
    effective: datetime | None,
    actor: str,
    on: datetime | None,
    db: str | None,
) -> None:
    """End a secondment (AR art. 20): on the day, or after three months' notice when the home
    service or the member asks; access lasts until the end."""
    day = _day(on)
    why = EndReason(reason)
    until = effective.date() if effective else None
    with _errors(), _store(db) as store:
        _, change = record(
            store,
            _checked(
                actor,
                Action.MANAGE_STAFF,
                day,
                lambda r: r.end_secondment(code, actor=actor, on=day, reason=why, effective=until),
            ),
        )
    _report(change)


@staff.command()
@click.argument("code")
@click.option(
    "--until",
    "until",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day of the grant.",
)
@AS_OPTION
@ON_OPTION
@DB_OPTION
def grant(code: str, until: datetime, actor: str, on: datetime | None, db: str | None) -> None:
    """Grant a member of a competent service access (head of unit only; AR art. 5 §2)."""
    day = _day(on)
    with _errors(), _store(db) as store:
        _, change = record(
            store,
            _checked(
                actor,
                Action.GRANT_ACCESS,
                day,
                lambda r: r.grant_access(code, granted_by=actor, on=day, valid_until=until.date()),
            ),
        )
    _report(change)


@staff.command("list")
@ON_OPTION
@DB_OPTION
def list_(on: datetime | None, db: str | None) -> None:
    """Every member: code, role, service, clearance end, and whether active (or why not)."""
    day = _day(on)
    with _errors(), _store(db) as store:
        register = load_register(store)
    table = Table(
        "code", "role", "service", "clearance until", "status", title=f"staff on {day.isoformat()}"
    )
    for code in sorted(register.members):
        member = register.members[code]
        service = member.secondment.service if member.secondment else member.home_service
        until = member.clearance.valid_until.isoformat() if member.clearance else "-"
        active, why = is_active(member, day)
        table.add_row(code, member.role.value, service.value, until, "active" if active else why)
    _out.print(table)
    _out.print(f"{len(register.members)} members, {len(register.history)} changes")


@staff.command("seed-demo")
@ON_OPTION
@DB_OPTION
def seed_demo(on: datetime | None, db: str | None) -> None:
    """Write the synthetic demo register's history (only into an empty register)."""
    day = _day(on)
    with _errors(), _store(db) as store:
        stored = count_changes(store)
        if stored:
            _out.print(f"the staff register already has {stored} changes: nothing written")
            return
        register = save_operations(store, demo_operations(day), require_empty=True)
    _out.print(
        f"seeded {len(register.members)} members ({len(register.history)} changes) "
        f"as of {day.isoformat()}"
    )


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    with open_store(db) as store:
        yield store

"""``piu-lab staff`` (piu_lab/cli_staff.py) with click's CliRunner on SQLite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from piu_lab.access.persist import load_register
from piu_lab.access.register import add_months
from piu_lab.access.seed import HEAD_CODE, LAPSED_CODE
from piu_lab.cli_staff import staff
from piu_lab.errors import AccessError
from piu_lab.store import open_store

ON = "2026-11-24"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/staff.sqlite3"


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(staff, [*args, "--db", db], catch_exceptions=False)


def seeded(db: str) -> str:
    result = run(db, "seed-demo", "--on", ON)
    assert result.exit_code == 0, result.output
    return db


def test_seed_demo_then_list(db: str) -> None:
    result = run(db, "seed-demo", "--on", ON)
    assert result.exit_code == 0
    assert "seeded 16 members" in result.output
    listing = run(db, "list", "--on", ON)
    assert listing.exit_code == 0
    assert "16 members" in listing.output
    lapsed = next(line for line in listing.output.splitlines() if LAPSED_CODE in line)
    assert "clearance lapsed" in lapsed
    assert "federal_police" in lapsed
    head = next(line for line in listing.output.splitlines() if HEAD_CODE in line)
    assert "head_of_unit" in head
    assert "active" in head


def test_seed_demo_writes_nothing_into_a_register_with_a_history(db: str) -> None:
    seeded(db)
    again = run(db, "seed-demo", "--on", ON)
    assert again.exit_code == 0
    assert "nothing written" in again.output
    with open_store(db) as store:
        assert len(load_register(store).members) == 16


def test_a_deputy_adds_a_seconded_member(db: str) -> None:
    seeded(db)
    result = run(
        db,
        "add",
        "--as",
        "PIU-D01",
        "--code",
        "FP-0900",
        "--name",
        "Quentin Test",
        "--role",
        "seconded_member",
        "--service",
        "federal_police",
        "--clearance",
        "SECRET",
        "--clearance-until",
        "2029-12-31",
        "--on",
        ON,
    )
    assert result.exit_code == 0, result.output
    assert "add: FP-0900 by PIU-D01" in result.output
    with open_store(db) as store:
        member = load_register(store).get("FP-0900")
    assert member.secondment is not None
    assert member.secondment.start.isoformat() == ON


@pytest.mark.parametrize("actor", ["PIU-S01", "PIU-DPO1", LAPSED_CODE, "APD-01"])
def test_only_the_head_or_a_deputy_manages_staff(db: str, actor: str) -> None:
    seeded(db)
    result = run(db, "extend", "FP-0233", "--as", actor, "--on", ON)
    assert result.exit_code == AccessError.exit_code
    assert result.output.count("\n") == 1
    assert result.output.startswith("error: manage_staff denied by ACC-")


def test_an_unknown_actor_is_refused(db: str) -> None:
    seeded(db)
    result = run(db, "extend", "FP-0233", "--as", "NOBODY", "--on", ON)
    assert result.exit_code == AccessError.exit_code
    assert "NOBODY" in result.output


def test_extend_and_end(db: str) -> None:
    seeded(db)
    extended = run(db, "extend", "FP-0233", "--as", "PIU-D02", "--on", ON)
    assert extended.exit_code == 0, extended.output
    assert "extension 1" in extended.output
    ended = run(db, "end", "FP-0233", "--reason", "member_request", "--as", HEAD_CODE, "--on", ON)
    assert ended.exit_code == 0, ended.output
    end = add_months(date.fromisoformat(ON), 3).isoformat()
    assert f"ends {end}" in ended.output  # AR art. 20 §1: three months' notice
    for day, state in ((ON, "active"), (end, "secondment ended")):
        listing = run(db, "list", "--on", day)
        line = next(line for line in listing.output.splitlines() if "FP-0233" in line)
        assert state in line
    breach = run(db, "end", "VSSE-112", "--reason", "breach", "--as", HEAD_CODE, "--on", ON)
    assert breach.exit_code == 0, breach.output
    listing = run(db, "list", "--on", ON)
    assert "secondment ended" in next(ln for ln in listing.output.splitlines() if "VSSE-112" in ln)


def test_a_fourth_extension_is_refused(db: str) -> None:
    seeded(db)
    # SGRS-071 has two extensions already: the third passes, a fourth is refused
    assert run(db, "extend", "SGRS-071", "--as", HEAD_CODE, "--on", ON).exit_code == 0
    result = run(db, "extend", "SGRS-071", "--as", HEAD_CODE, "--on", ON)
    assert result.exit_code == AccessError.exit_code
    assert "at most 3 times" in result.output


def test_only_the_head_grants(db: str) -> None:
    seeded(db)
    denied = run(db, "grant", "LP-9021", "--until", "2027-12-31", "--as", "PIU-D01", "--on", ON)
    assert denied.exit_code == AccessError.exit_code
    assert "grant_access denied by ACC-ROLE-01" in denied.output
    granted = run(db, "grant", "LP-9021", "--until", "2027-12-31", "--as", HEAD_CODE, "--on", ON)
    assert granted.exit_code == 0, granted.output
    assert "DPO notified" in granted.output
    with open_store(db) as store:
        grant = load_register(store).get("LP-9021").grant
    assert grant is not None
    assert grant.valid_until.isoformat() == "2027-12-31"


def test_an_empty_register_takes_the_head_first(db: str) -> None:
    deputy = run(
        db,
        "add",
        "--as",
        "SETUP",
        "--code",
        "D1",
        "--name",
        "Deputy",
        "--role",
        "deputy",
        "--clearance",
        "TRES_SECRET",
        "--clearance-until",
        "2030-01-01",
        "--on",
        ON,
    )
    assert deputy.exit_code == AccessError.exit_code
    assert "head of unit first" in deputy.output
    head = run(
        db,
        "add",
        "--as",
        "SETUP",
        "--code",
        "H1",
        "--name",
        "Head",
        "--role",
        "head_of_unit",
        "--clearance",
        "TRES_SECRET",
        "--clearance-until",
        "2030-01-01",
        "--on",
        ON,
    )
    assert head.exit_code == 0, head.output
    seed = run(db, "seed-demo", "--on", ON)
    assert "nothing written" in seed.output


def test_a_head_without_the_clearance_is_refused(db: str) -> None:
    result = run(
        db,
        "add",
        "--as",
        "SETUP",
        "--code",
        "H1",
        "--name",
        "Head",
        "--role",
        "head_of_unit",
        "--clearance",
        "SECRET",
        "--clearance-until",
        "2030-01-01",
        "--on",
        ON,
    )
    assert result.exit_code == AccessError.exit_code
    assert "TRES_SECRET" in result.output


def test_changes_need_an_actor(db: str) -> None:
    result = run(db, "extend", "FP-0233", "--on", ON)
    assert result.exit_code == 2
    assert "--as" in result.output

"""``piu-lab audit``: keygen, checkpoint, verify (exit 1 naming the break), signed exports."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from piu_lab.access.persist import save_operations
from piu_lab.access.seed import DPO_CODE, demo_operations
from piu_lab.audit import AuditLog
from piu_lab.cli_audit import audit
from piu_lab.clock import FrozenClock
from piu_lab.errors import AccessDenied, AuditChainBroken, AuditError
from piu_lab.store import open_store
from tests.audit.test_log import START, fill


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite database with 5 audit events."""
    url = f"sqlite:///{tmp_path}/lab.sqlite3"
    with open_store(url) as store:
        clock = FrozenClock(START)
        fill(AuditLog(store, clock), clock, 5)
        # the CLI runs on the system clock: a register whose members are active today
        save_operations(store, demo_operations(datetime.now(UTC).date()), require_empty=True)
    return url


@pytest.fixture
def db_file(db: str) -> Path:
    return Path(db.removeprefix("sqlite:///"))


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    result = run(["keygen", "--out", str(tmp_path / "keys")])
    assert result.exit_code == 0, result.output
    return tmp_path / "keys" / "audit_ed25519.pem", tmp_path / "keys" / "audit_ed25519.pub.pem"


def run(args: list[str]) -> Result:
    # Built like piu_lab.cli builds it: the audit group under a top-level group.
    top = click.Group("piu-lab")
    top.add_command(audit)
    return CliRunner().invoke(top, ["audit", *args])


def raw_sql(db_file: Path, statement: str) -> None:
    conn = sqlite3.connect(db_file)
    try:
        with conn:
            conn.execute(statement)
    finally:
        conn.close()


def test_help_documents_the_exit_codes() -> None:
    result = run(["verify", "--help"])
    assert result.exit_code == 0
    assert "Exit 1" in result.output
    assert "9" in result.output
    for command in ("keygen", "checkpoint", "export", "verify-export"):
        assert run([command, "--help"]).exit_code == 0


def test_keygen_writes_a_private_key_0600_and_refuses_to_overwrite(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    private, public = keys
    assert os.stat(private).st_mode & 0o777 == 0o600
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    before = private.read_bytes()
    again = run(["keygen", "--out", str(tmp_path / "keys")])
    assert again.exit_code != 0
    assert isinstance(again.exception, AuditError)
    assert again.exception.exit_code == 9
    assert "already exists" in again.exception.one_line()
    assert private.read_bytes() == before


def test_verify_intact_log(db: str) -> None:
    result = run(["verify", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "audit log intact: 5 events, head sequence 5, no checkpoint given"
    )
    as_json = json.loads(run(["verify", "--db", db, "--json"]).stdout)
    assert as_json["ok"] is True
    assert as_json["events"] == 5
    assert as_json["head_sequence"] == 5


def test_verify_with_a_checkpoint(db: str, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    cp = tmp_path / "cp.json"
    made = run(["checkpoint", "--key", str(keys[0]), "--out", str(cp), "--db", db])
    assert made.exit_code == 0, made.output
    assert json.loads(cp.read_text())["sequence"] == 5
    result = run(["verify", "--checkpoint", str(cp), "--public-key", str(keys[1]), "--db", db])
    assert result.exit_code == 0, result.output
    assert "checkpoint at sequence 5 matched" in result.stdout


def test_checkpoint_and_public_key_go_together(db: str, tmp_path: Path) -> None:
    result = run(["verify", "--checkpoint", str(tmp_path / "cp.json"), "--db", db])
    assert result.exit_code == 2
    assert "go together" in result.output


def test_a_row_changed_by_raw_sql_exits_1_naming_the_sequence(db: str, db_file: Path) -> None:
    raw_sql(db_file, "UPDATE audit_event SET record_count = 99 WHERE sequence = 3")
    result = run(["verify", "--db", db])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("audit log broken at sequence 3: altered")
    as_json = json.loads(run(["verify", "--db", db, "--json"]).stdout)
    assert (as_json["ok"], as_json["broken_at"], as_json["kind"]) == (False, 3, "altered")


def test_truncation_behind_a_checkpoint_exits_1_truncated(
    db: str, db_file: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    cp = tmp_path / "cp.json"
    assert run(["checkpoint", "--key", str(keys[0]), "--out", str(cp), "--db", db]).exit_code == 0
    raw_sql(db_file, "DELETE FROM audit_event WHERE sequence >= 4")
    assert run(["verify", "--db", db]).exit_code == 0  # the chain alone cannot see it
    result = run(["verify", "--checkpoint", str(cp), "--public-key", str(keys[1]), "--db", db])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("audit log broken at sequence 4: truncated")


def test_a_checkpoint_checked_with_another_key_is_a_bad_signature(
    db: str, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    cp = tmp_path / "cp.json"
    assert run(["checkpoint", "--key", str(keys[0]), "--out", str(cp), "--db", db]).exit_code == 0
    assert run(["keygen", "--out", str(tmp_path / "other")]).exit_code == 0
    other = tmp_path / "other" / "audit_ed25519.pub.pem"
    result = run(["verify", "--checkpoint", str(cp), "--public-key", str(other), "--db", db])
    assert result.exit_code == 1
    assert "bad_signature" in result.stderr


def test_export_then_verify_export(db: str, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    out = tmp_path / "export.jsonl"
    args = [
        "--from",
        "2",
        "--to",
        "4",
        "--key",
        str(keys[0]),
        "--out",
        str(out),
        "--db",
        db,
        "--as",
        DPO_CODE,
    ]
    result = run(["export", *args])
    assert result.exit_code == 0, result.output
    lines = out.read_bytes().splitlines()
    assert len(lines) == 4
    assert [json.loads(line)["sequence"] for line in lines[:3]] == [2, 3, 4]
    trailer = json.loads(lines[-1])
    assert (trailer["from"], trailer["to"], trailer["algorithm"]) == (2, 4, "Ed25519")
    checked = run(["verify-export", str(out), "--public-key", str(keys[1])])
    assert checked.exit_code == 0, checked.output
    assert "export intact: events 2..4 (3), signature verified" in checked.stdout
    again = run(["export", *args])
    assert isinstance(again.exception, AuditError)  # never overwritten


def test_a_modified_export_line_fails_verification(
    db: str, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = tmp_path / "export.jsonl"
    args = [
        "--from",
        "1",
        "--to",
        "5",
        "--key",
        str(keys[0]),
        "--out",
        str(out),
        "--db",
        db,
        "--as",
        DPO_CODE,
    ]
    assert run(["export", *args]).exit_code == 0
    lines = out.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"record_count":1', b'"record_count":2')
    out.write_bytes(b"".join(lines))
    result = run(["verify-export", str(out), "--public-key", str(keys[1])])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("audit export broken at sequence 3: altered")


def test_exporting_a_broken_log_or_a_missing_range_is_refused(
    db: str, db_file: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = tmp_path / "export.jsonl"
    db_args = ["--db", db, "--as", DPO_CODE]
    beyond = run(
        ["export", "--from", "4", "--to", "9", "--key", str(keys[0]), "--out", str(out), *db_args]
    )
    assert isinstance(beyond.exception, AuditError)
    assert not out.exists()
    raw_sql(db_file, "UPDATE audit_event SET actor = 'PIU-0001' WHERE sequence = 2")
    broken = run(
        ["export", "--from", "1", "--to", "5", "--key", str(keys[0]), "--out", str(out), *db_args]
    )
    assert isinstance(broken.exception, AuditChainBroken)
    assert broken.exception.exit_code == 9
    assert not out.exists()


@pytest.mark.parametrize(("actor", "rule"), [("FP-0233", "ACC-LOG-02"), ("NOBODY", "ACC-ID-02")])
def test_only_the_dpo_and_supervisors_export_and_refusals_are_audited(
    db: str, tmp_path: Path, keys: tuple[Path, Path], actor: str, rule: str
) -> None:
    """R-LOG-03: a seconded member (or a code nobody holds) cannot export the log; the
    refusal is itself an audit event; a supervisor can."""
    out = tmp_path / "export.jsonl"
    args = ["--from", "1", "--to", "3", "--key", str(keys[0]), "--out", str(out), "--db", db]
    refused = run(["export", *args, "--as", actor])
    assert isinstance(refused.exception, AccessDenied)
    assert refused.exception.exit_code == 10
    assert not out.exists()
    with open_store(db) as store:
        last = AuditLog(store, FrozenClock(START)).read()[-1].event
    assert (last.decision.value, last.rule_id) == ("denied", rule)
    assert run(["export", *args, "--as", "APD-01"]).exit_code == 0

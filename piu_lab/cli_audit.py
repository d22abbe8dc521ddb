"""``piu-lab audit``: keys, signed checkpoints, verification and signed exports of the audit log
(R-LOG-02 tamper evidence, R-LOG-03 signed export for a supervisor).

Exit codes: 0 success; 1 the log (or an export) was verified and found broken, with one line
naming the first broken sequence and the kind; 9 any other audit error (a missing key, a key
that exists already, a file that is not a checkpoint or an export, exporting a broken log);
the other PIU Lab errors keep their codes (``piu_lab.cli.main`` maps them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from piu_lab import api
from piu_lab import cli_common as _common
from piu_lab.access.persist import load_register
from piu_lab.access.policy import Purpose
from piu_lab.access.register import Role
from piu_lab.audit import (
    AuditLog,
    Checkpoint,
    VerifyResult,
    generate_keypair,
    load_private_key,
    load_public_key,
    make_checkpoint,
    verify_against,
)
from piu_lab.audit.export import verify_export
from piu_lab.cli_common import DB_OPTION
from piu_lab.clock import SystemClock
from piu_lab.errors import AuditChainBroken, AuditError
from piu_lab.store import open_store

__all__ = ["EXIT_BROKEN", "audit"]

#: "Verified and found broken" (the issue asks 1, not AuditChainBroken's 9).
EXIT_BROKEN = 1

_out = _common.out
_err = _common.err


def _say(line: str) -> None:
    _out.print(line, markup=False, highlight=False)


def _fail(line: str) -> None:
    _err.print(line, markup=False, highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def audit() -> None:
    """The tamper-evident audit log: keys, checkpoints, verification, signed exports.

    Keep the private key outside the database (and away from whoever can write it): a
    checkpoint signed with it catches the newest events deleted or the whole chain rewritten.
    """


@audit.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for audit_ed25519.pem (mode 0600) and audit_ed25519.pub.pem.",
)
def keygen(out: Path) -> None:
    """Write a new Ed25519 key pair for checkpoints and exports; never overwrites (exit 9)."""
    private, public = generate_keypair(out)
    _say(f"wrote {private} (private, mode 0600) and {public} (public)")


@audit.command()
@click.option(
    "--key",
    "key",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The Ed25519 private key (PEM).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The checkpoint file (JSON) to write.",
)
@DB_OPTION
def checkpoint(key: Path, out: Path, db: str | None) -> None:
    """Write a signed checkpoint (JSON) of the current head of the log."""
    private_key = load_private_key(key)
    with open_store(db, create=False) as store:
        made = make_checkpoint(AuditLog(store, SystemClock()), private_key)
    out.write_text(made.to_json() + "\n", encoding="utf-8")
    _say(f"checkpoint at sequence {made.sequence} ({made.hash.hex()[:16]}...) written to {out}")


def _result_dict(result: VerifyResult, checkpoint: Checkpoint | None) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "events": result.checked,
        "head_sequence": result.last_sequence,
        "checkpoint_sequence": None if checkpoint is None else checkpoint.sequence,
        "checkpoint_matched": None if checkpoint is None else result.ok,
        "broken_at": result.broken_at,
        "kind": None if result.kind is None else result.kind.value,
        "detail": result.detail,
    }


@audit.command()
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A signed checkpoint: also catch truncation and rewriting behind it.",
)
@click.option(
    "--public-key",
    "public_key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The Ed25519 public key (PEM) the checkpoint was signed with.",
)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON document.")
def verify(
    checkpoint_file: Path | None, public_key: Path | None, db: str | None, as_json: bool
) -> None:
    """Verify the hash chain, and the log against a signed checkpoint when given.

    Exit 0 and a one-line summary when intact. Exit 1 when the log is verified and found
    broken, with one line naming the first broken sequence and the kind (altered, deleted,
    inserted, reordered, truncated, rewritten, bad_signature). Other audit errors (a missing
    key, a file that is not a checkpoint) exit 9.
    """
    if (checkpoint_file is None) != (public_key is None):
        raise click.UsageError("--checkpoint and --public-key go together")
    anchor: Checkpoint | None = None
    with open_store(db, create=False) as store:
        log = AuditLog(store, SystemClock())
        if checkpoint_file is not None and public_key is not None:
            key = load_public_key(public_key)
            try:
                text = checkpoint_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise AuditError(
                    f"cannot read the checkpoint {checkpoint_file}: {type(exc).__name__}"
                ) from exc
            anchor = Checkpoint.from_json(text)
            result = verify_against(log, anchor, key)
        else:
            result = log.verify()
    if as_json:
        click.echo(json.dumps(_result_dict(result, anchor)))
    elif result.ok:
        matched = (
            "no checkpoint given"
            if anchor is None
            else f"checkpoint at sequence {anchor.sequence} matched"
        )
        _say(
            f"audit log intact: {result.checked:,} events, head sequence "
            f"{result.last_sequence}, {matched}"
        )
    else:
        _fail(f"audit log broken at sequence {result.broken_at}: {result.kind} ({result.detail})")
    if not result.ok:
        raise click.exceptions.Exit(EXIT_BROKEN)


@audit.command()
@click.option("--from", "from_seq", type=click.IntRange(min=1), required=True, help="First.")
@click.option("--to", "to_seq", type=click.IntRange(min=1), required=True, help="Last (kept).")
@click.option(
    "--key",
    "key",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The Ed25519 private key (PEM) that signs the export.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The export file (JSON Lines) to write; never overwritten.",
)
@click.option(
    "--as",
    "actor",
    metavar="CODE",
    required=True,
    help="Identification code of the DPO or supervisor exporting (R-LOG-03).",
)
@DB_OPTION
def export(from_seq: int, to_seq: int, key: Path, out: Path, actor: str, db: str | None) -> None:
    """Export events FROM..TO as signed JSON Lines for a supervisory body (R-LOG-03).

    Only the DPO (under DPO supervision) and the supervisors (under supervisory review) may
    export; the export is itself audited. One line per event as stored (with its hashes),
    then a line with an Ed25519 signature over the exported bytes and the range. The whole log
    is verified first: a broken log is not exported (exit 9). Check a file with
    `piu-lab audit verify-export`.
    """
    if to_seq < from_seq:
        raise click.UsageError("--to must not be before --from")
    private_key = load_private_key(key)
    with open_store(db, create=False) as store:
        member = load_register(store).members.get(actor)
    supervisor = member is not None and member.role is Role.SUPERVISOR
    purpose = Purpose.SUPERVISORY_REVIEW if supervisor else Purpose.DPO_SUPERVISION
    with api.open_lab(db, create=False) as lab:
        lab.session(actor, purpose=purpose).export_audit(out, private_key, from_seq, to_seq)
    _say(f"exported events {from_seq}..{to_seq} ({to_seq - from_seq + 1:,}), signed, to {out}")


@audit.command("verify-export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "public_key",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The Ed25519 public key (PEM) of whoever signed the export.",
)
def verify_export_command(file: Path, public_key: Path) -> None:
    """Verify a signed export: the chain inside it, its bytes and the signature.

    Exit 0 when intact; exit 1 with one line naming the first broken sequence and the kind
    when not; 9 when the file is not an export or the key cannot be loaded.
    """
    key = load_public_key(public_key)
    try:
        summary = verify_export(file, key)
    except AuditChainBroken as err:
        _fail(err.one_line())
        raise click.exceptions.Exit(EXIT_BROKEN) from None
    _say(
        f"export intact: events {summary.from_seq}..{summary.to_seq} ({summary.count:,}), "
        "signature verified"
    )

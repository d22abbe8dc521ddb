"""The one exception tree of PIU Lab.

Every error raised on purpose by ``piu_lab`` derives from :class:`PiuLabError` and carries
structured context (``error.context``), a one-line ``hint`` that says what to do, and the
``exit_code`` the command line returns for it (documented in the README)::

    PiuLabError                          exit 1
    ├── ConfigurationError               exit 2
    │   └── UnknownDatabaseURL           exit 2
    ├── StoreError                       exit 3
    │   ├── DatabaseUnreachable          exit 3
    │   ├── ReadOnlyDatabase             exit 3
    │   ├── SchemaTooNew                 exit 4
    │   └── SchemaNotInitialised         exit 4
    ├── InvalidRecord                    exit 5   (validation at the edges; ``errors`` lists each)
    │   └── ScopeError                   exit 5   (a scope decision refused: R-SCOPE-02)
    ├── SynthError                       exit 6
    ├── IngestError                      exit 7
    │   └── MessageParseError            exit 7   (``segment`` and ``position`` say where)
    ├── MatchingError                    exit 8
    │   ├── MatchingInputError           exit 8   (a malformed frame: ``frame``, ``column``)
    │   └── IndexVersionMismatch         exit 8   (a saved index built by another algorithm)
    ├── AuditError                       exit 9
    │   └── AuditChainBroken             exit 9   (``sequence`` first broken, ``kind`` how)
    ├── AccessError                      exit 10
    │   ├── AccessDenied                 exit 10  (``rule_id``, ``action``, ``subject``)
    │   └── RegisterError                exit 10  (the staff register refused a change)
    └── WorkflowError                    exit 11
        ├── UnknownHit                   exit 11  (``hit_id``)
        └── HitStateError                exit 11  (``hit_id``, ``status``: a transition refused)

Errors never carry passenger values in their message: they name the field and where it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "AccessDenied",
    "AccessError",
    "AuditChainBroken",
    "AuditError",
    "ConfigurationError",
    "DatabaseUnreachable",
    "HitStateError",
    "IndexVersionMismatch",
    "IngestError",
    "InvalidRecord",
    "MatchingError",
    "MatchingInputError",
    "MessageParseError",
    "PiuLabError",
    "ReadOnlyDatabase",
    "RegisterError",
    "SchemaNotInitialised",
    "SchemaTooNew",
    "ScopeError",
    "StoreError",
    "SynthError",
    "UnknownDatabaseURL",
    "UnknownHit",
    "WorkflowError",
]


class PiuLabError(Exception):
    """Root of every error raised on purpose by PIU Lab."""

    exit_code: ClassVar[int] = 1
    default_hint: ClassVar[str] = ""

    def __init__(self, message: str, *, hint: str | None = None, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.context: Mapping[str, Any] = dict(context)

    def one_line(self) -> str:
        """The message and the hint on one line, as the CLI prints it."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigurationError(PiuLabError):
    """A setting, option or environment variable is wrong."""

    exit_code = 2


class UnknownDatabaseURL(ConfigurationError):
    """The database URL names no backend PIU Lab supports."""

    default_hint = (
        "use a SQLite path or URL (sqlite:///path/to/lab.sqlite3) or a PostgreSQL URL "
        "(postgresql://user@host:5432/db)"
    )


class StoreError(PiuLabError):
    """The passenger database could not do what was asked."""

    exit_code = 3


class DatabaseUnreachable(StoreError):
    """The database server does not answer or refuses the connection."""

    default_hint = "check that the server runs, the host, port, user and password in the URL"


class ReadOnlyDatabase(StoreError):
    """The database file or its folder cannot be written."""

    default_hint = "choose a writable path with --db or PIU_LAB_DB, or fix the permissions"


class SchemaTooNew(StoreError):
    """The database was written by a newer PIU Lab than this one."""

    exit_code = 4
    default_hint = "upgrade PIU Lab (pip install -U piu-lab) before opening this database"


class SchemaNotInitialised(StoreError):
    """The database has no PIU Lab schema yet (or an older one that needs migrating)."""

    exit_code = 4
    default_hint = "run `piu-lab init` (it creates or migrates the schema)"


class InvalidRecord(PiuLabError):
    """A record failed validation at the edge; ``errors`` lists each problem with its place."""

    exit_code = 5

    def __init__(
        self, message: str, *, errors: tuple[str, ...] = (), hint: str | None = None, **context: Any
    ) -> None:
        super().__init__(message, hint=hint, **context)
        self.errors = errors


class ScopeError(InvalidRecord):
    """A scope decision (R-SCOPE-02) was refused: invalid (``errors`` lists each problem as
    ``field: what is wrong``), unknown, or already revoked; ``decision_id`` names it."""

    default_hint = (
        "R-SCOPE-02: a decision names its legal basis, threat assessment, OCAM level (1-4) with "
        "its date and source, a start, an end, a review date within them, and its sectors"
    )


class SynthError(PiuLabError):
    """The synthetic traffic generator was asked for something it cannot make."""

    exit_code = 6


class IngestError(PiuLabError):
    """A carrier message could not be taken in."""

    exit_code = 7


class MessageParseError(IngestError):
    """A message cannot be parsed; it goes to quarantine with this reason (never lost).

    ``segment`` is the segment number in the file (from 1) and ``position`` what was expected
    or found there; neither carries a passenger value.
    """

    def __init__(
        self, message: str, *, segment: int = 0, position: str = "", hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint, segment=segment, position=position)
        self.segment = segment
        self.position = position


class MatchingError(PiuLabError):
    """Watchlist matching could not run."""

    exit_code = 8


class MatchingInputError(MatchingError):
    """A travellers or watchlist frame is malformed (``frame`` and ``column`` say where)."""

    default_hint = (
        "travellers need traveller_id and full_name or surname (+ given_names); watchlists need "
        "entry_id and full_name or surname (+ given_names)"
    )


class IndexVersionMismatch(MatchingError):
    """A saved watchlist index was built by another version of the matching algorithm."""

    default_hint = "rebuild the index from the watchlist with build_index()"


class AuditError(PiuLabError):
    """The audit log (R-LOG-02) could not do what was asked: keys, checkpoints, bad events."""

    exit_code = 9


class AuditChainBroken(AuditError):
    """The audit log's hash chain or signed checkpoint does not verify (R-LOG-02 tamper check).

    ``sequence`` is the first broken sequence number and ``kind`` says how it broke
    (``altered``, ``deleted``, ``inserted``, ``reordered``, ``truncated``, ``rewritten``,
    ``bad_signature``).
    """

    default_hint = (
        "the audit log was changed outside PIU Lab: keep the database as it is and tell the DPO"
    )

    def __init__(
        self, message: str, *, sequence: int, kind: str, hint: str | None = None, **context: Any
    ) -> None:
        super().__init__(message, hint=hint, sequence=sequence, kind=kind, **context)
        self.sequence = sequence
        self.kind = kind


class AccessError(PiuLabError):
    """Access control refused something (a request, or a change to the staff register)."""

    exit_code = 10


class AccessDenied(AccessError):
    """A policy decision denied the request; ``rule_id`` names the rule that decided (fails
    closed: there is no switch that disables checking)."""

    default_hint = "check the declared purpose, the member's clearance, secondment or grant"

    def __init__(
        self, message: str, *, rule_id: str, hint: str | None = None, **context: Any
    ) -> None:
        super().__init__(message, hint=hint, rule_id=rule_id, **context)
        self.rule_id = rule_id


class RegisterError(AccessError):
    """The staff register refused a change the royal decree of 21 December 2017 forbids
    (art. 4-7, 11-20, 23)."""


class WorkflowError(PiuLabError):
    """The hit workflow refused a step (R-PRE-02..07): an unknown hit, a transition the
    review states do not allow, an OCAM task closed without its transmission reference."""

    exit_code = 11


class UnknownHit(WorkflowError):
    """No hit with this id."""


class HitStateError(WorkflowError):
    """The hit is not in a state that allows this step (``status`` says where it is)."""

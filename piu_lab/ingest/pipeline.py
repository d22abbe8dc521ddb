"""The ingest: files and folders of carrier messages into the store, one message at a time.

Each message is parsed and filtered (:mod:`.reader`), then stored entirely or not at all
(:meth:`piu_lab.store.Store.store_messages`), recorded as a duplicate of an identical message
already stored, or quarantined with its reason. Nothing received is lost without a trace:
``received == stored + duplicates + quarantined``, always (R-SENS-02, peer-gtas §5).
A dry run parses and reports the same, and writes nothing. A replayed feed (``replay``) is
taken in the order of its envelope times, whatever the order of its file names.

Scope (R-SCOPE-02, :mod:`.scope`): before anything is stored, each PNR and manifest is judged
against the scope decisions in the store on its day of receipt; intra-EU and rail, bus and sea
journeys outside an active decision are refused - not stored, counted per message and reason
in ``scope_refusal`` (no value) - while the message itself is recorded, with the count in its
reason. A dry run has no store and no decisions: it judges nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from piu_lab.clock import Clock
from piu_lab.errors import ConfigurationError
from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.ingest.scope import ScopeRefusal, ScopeRules, apply_scope, decision_from_row
from piu_lab.model import MessageKind, MessageStatus
from piu_lab.store import Store
from piu_lab.store.frames import naive_utc
from piu_lab.store.intake import Incoming, message_row, scope_decision_rows

__all__ = [
    "DEFAULT_QUARANTINE_DAYS",
    "IngestReport",
    "ingest_paths",
    "message_files",
    "refused_by_reason",
    "refused_json",
    "scope_rules",
    "summarise",
]

#: How long the scrubbed form of a quarantined message is kept before the purge.
DEFAULT_QUARANTINE_DAYS = 30
#: About how many PNRs are stored per transaction.
BATCH_PNRS = 5_000
Progress = Callable[[str, int, int], None]
_SKIP = {".json", ".csv", ".md", ".gz", ".zip", ".sqlite3", ".db"}


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest run did. ``items`` pairs every message with its status in the report
    (``parsed``, ``duplicate`` or ``quarantined``); a stored message holds only what was in
    scope. ``refusals`` pairs the index of a stored message in ``items`` with what the scope
    refused in it (R-SCOPE-02), per reason."""

    files: int
    items: tuple[tuple[MessageOutcome, str], ...]
    pnr_versions: int = 0
    manifests: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    refusals: tuple[tuple[int, ScopeRefusal], ...] = ()

    @property
    def received(self) -> int:
        return len(self.items)

    def count(self, status: str) -> int:
        return sum(1 for _, s in self.items if s == status)

    @property
    def stored(self) -> int:
        return self.count("parsed")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def quarantined(self) -> int:
        return self.count("quarantined")

    @property
    def refused_pnrs(self) -> int:
        return sum(r.pnrs for _, r in self.refusals)

    @property
    def refused_manifests(self) -> int:
        return sum(r.manifests for _, r in self.refusals)

    @property
    def refused_journeys(self) -> int:
        return sum(r.journeys for _, r in self.refusals)


def message_files(paths: Sequence[Path | str]) -> list[Path]:
    """The files to read: each file given, and every file below each folder given (sorted;
    hidden files and obvious non-messages such as CSV or JSON are skipped)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() not in _SKIP
            )
        else:
            raise ConfigurationError(
                f"no such file or folder: {path}", hint="give files or folders of messages"
            )
    return out


def _sent_or(outcome: MessageOutcome, default: datetime) -> datetime:
    sent = outcome.envelope.sent_at if outcome.envelope is not None else None
    return sent if sent is not None else default


def _message_id() -> str:
    """Every receipt gets its own id (the same content received twice is two receipts)."""
    return uuid.uuid4().hex


def _refused_reason(refused: tuple[ScopeRefusal, ...]) -> str:
    """The message's reason when the scope refused part of it (counts only)."""
    parts = [
        f"{'the manifest' if r.manifests else f'{r.pnrs} PNRs'} ({r.journeys} travellers): "
        f"{r.reason.value}"
        for r in refused
    ]
    return f"refused out of scope (R-SCOPE-02): {', '.join(parts)}"


def _row(
    outcome: MessageOutcome,
    received_at: datetime,
    status: MessageStatus,
    refused: tuple[ScopeRefusal, ...] = (),
) -> dict[str, object]:
    error = outcome.error
    return message_row(
        message_id=_message_id(),
        kind=outcome.kind or MessageKind.UNKNOWN,
        sha256=outcome.sha256,
        received_at=received_at,
        status=status,
        reason=error.one_line() if error else (_refused_reason(refused) if refused else ""),
        envelope=outcome.envelope.as_dict() if outcome.envelope else None,
        warnings=outcome.warnings,
        sensitive_deleted=outcome.removed,
    )


class _Batch:
    """Parsed messages waiting to be stored together (one transaction, set-based writes)."""

    def __init__(
        self,
        store: Store | None,
        quarantine_days: int,
        batch_pnrs: int,
        rules: ScopeRules | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.refusals: dict[int, tuple[ScopeRefusal, ...]] = {}
        self.pending_refusals: dict[str, list[dict[str, object]]] = {}
        self.batch_pnrs = batch_pnrs
        self.quarantine_days = quarantine_days
        self.outcomes: list[MessageOutcome] = []
        self.statuses: list[str] = []  # parsed, duplicate or quarantined, in order of receipt
        self.pending: list[tuple[int, Incoming]] = []
        self.pending_pnrs = 0
        self.seen: set[str] = set()
        self.versions = 0

    def add(self, outcome: MessageOutcome, received_at: datetime) -> None:
        index = len(self.outcomes)
        self.outcomes.append(outcome)
        self.statuses.append("")
        if outcome.error is not None:
            self._quarantine(outcome, received_at)
            self.statuses[index] = "quarantined"
        elif self.store is None:  # dry run: duplicates within the run
            self.statuses[index] = "duplicate" if outcome.sha256 in self.seen else "parsed"
            self.seen.add(outcome.sha256)
            self.versions += len(outcome.pnrs) if self.statuses[index] == "parsed" else 0
        else:
            refused: tuple[ScopeRefusal, ...] = ()
            if self.rules is not None:
                outcome, refused = apply_scope(outcome, self.rules, received_at)
                self.outcomes[index] = outcome
            row = _row(outcome, received_at, MessageStatus.STORED, refused)
            if refused:
                self.refusals[index] = refused
                self.pending_refusals[str(row["message_id"])] = [
                    {
                        "reason": r.reason.value,
                        "received_at": naive_utc(received_at),
                        "sector": r.sector,
                        "pnrs": r.pnrs,
                        "journeys": r.journeys,
                    }
                    for r in refused
                ]
            self.pending.append((index, (row, [p.pnr for p in outcome.pnrs], outcome.manifest)))
            self.pending_pnrs += len(outcome.pnrs) + 1
            if self.pending_pnrs >= self.batch_pnrs:
                self.flush()

    def _quarantine(self, outcome: MessageOutcome, received_at: datetime) -> None:
        if self.store is None or outcome.error is None:
            return
        self.store.quarantine_message(
            _row(outcome, received_at, MessageStatus.QUARANTINED),
            source=outcome.source,
            segment=outcome.error.segment,
            detail=outcome.error.position,
            scrubbed=outcome.scrubbed,
            purge_after=received_at + timedelta(days=self.quarantine_days),
        )

    def flush(self) -> None:
        if self.store is None or not self.pending:
            return
        results = self.store.store_messages(
            [incoming for _, incoming in self.pending], self.pending_refusals
        )
        for (index, _), result in zip(self.pending, results, strict=True):
            stored = result.status is MessageStatus.STORED
            self.statuses[index] = "parsed" if stored else "duplicate"
            self.versions += len(result.versions)
            if not stored:  # a duplicate stores nothing, so refuses nothing either
                self.refusals.pop(index, None)
        self.pending, self.pending_pnrs, self.pending_refusals = [], 0, {}


def scope_rules(store: Store) -> ScopeRules:
    """The scope decisions in the store that are not revoked (R-SCOPE-02)."""
    with store.engine.connect() as conn:
        rows = scope_decision_rows(conn)
    return ScopeRules(tuple(decision_from_row(row) for row in rows))


def ingest_paths(
    paths: Sequence[Path | str],
    *,
    store: Store | None,
    clock: Clock,
    replay: bool = False,
    quarantine_days: int = DEFAULT_QUARANTINE_DAYS,
    batch_pnrs: int = BATCH_PNRS,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every message of ``paths``; ``store=None`` is a dry run that writes nothing.

    Parsed messages are stored in batches of about ``batch_pnrs`` PNRs, each batch one
    transaction (a message is never split across batches), so an interrupted run leaves whole
    messages only and running it again completes the feed. With a store, every PNR and manifest
    is judged against the store's scope decisions first (R-SCOPE-02): there is no way to store
    around them.
    """
    files = message_files(paths)
    rules = scope_rules(store) if store is not None else None
    batch = _Batch(store, quarantine_days, max(batch_pnrs, 1), rules)
    replayed: list[tuple[datetime, int, MessageOutcome]] = []
    for done, path in enumerate(files, start=1):
        received_at = clock.now()
        for outcome in read_message_file(
            path.read_bytes(), source=str(path), received_at=received_at, replay=replay
        ):
            if replay:  # versions follow the feed's own clock, not the order of file names
                replayed.append((_sent_or(outcome, received_at), len(replayed), outcome))
            else:
                batch.add(outcome, received_at)
        if progress is not None:
            progress("ingest", done, len(files))
    for sent, _, outcome in sorted(replayed, key=lambda item: (item[0], item[1])):
        batch.add(outcome, sent)
    batch.flush()
    items = tuple(zip(batch.outcomes, batch.statuses, strict=True))
    removed: Counter[str] = Counter()
    for outcome, status in items:
        if status == "parsed":
            removed.update(outcome.removed)
    return IngestReport(
        files=len(files),
        items=items,
        pnr_versions=batch.versions,
        manifests=sum(1 for o, s in items if s == "parsed" and o.manifest is not None),
        removed=dict(removed),
        refusals=tuple(
            (index, refusal)
            for index, refused in sorted(batch.refusals.items())
            for refusal in refused
        ),
    )


def summarise(report: IngestReport) -> dict[str, object]:
    """Counts for the command line (no personal data)."""
    return {
        "files": report.files,
        "received": report.received,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "quarantined": report.quarantined,
        "pnr_versions": report.pnr_versions,
        "manifests": report.manifests,
        "removed": dict(sorted(report.removed.items())),
        "refused_pnrs": report.refused_pnrs,
        "refused_manifests": report.refused_manifests,
        "refused_journeys": report.refused_journeys,
        "refused": refused_by_reason(report),
    }


def refused_by_reason(report: IngestReport) -> dict[str, int]:
    """Travellers refused out of scope, per reason (R-SCOPE-02)."""
    out: Counter[str] = Counter()
    for _, refusal in report.refusals:
        out[refusal.reason.value] += refusal.journeys
    return dict(sorted(out.items()))


def refused_json(report: IngestReport) -> list[list[dict[str, object]]]:
    """For each message of ``report.items``, what the scope refused in it (R-SCOPE-02):
    ``reason``, ``sector``, ``pnrs``, ``manifests``, ``journeys``; counts only."""
    out: list[list[dict[str, object]]] = [[] for _ in report.items]
    for index, r in report.refusals:
        out[index].append(
            {
                "reason": r.reason.value,
                "sector": r.sector,
                "pnrs": r.pnrs,
                "manifests": r.manifests,
                "journeys": r.journeys,
            }
        )
    return out

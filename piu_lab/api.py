"""The facade of PIU Lab: the only module that widgets, notebooks and reports import.

``open_lab(url=None, *, clock=None) -> Lab`` opens (and, by default, creates or migrates) the
passenger database: the embedded SQLite file at the per-user path, ``PIU_LAB_DB``, or a
PostgreSQL URL. The facade stays thin: it delegates to its layers and holds no rule.

``Lab`` itself returns no personal data (counts, schema state, the ingest and the demo loader).
Personal data are read only through a :class:`Session` (``lab.session(user=..., purpose=...)``,
:mod:`piu_lab.session`): every such read is decided by the access policy and written to the
audit log, allowed or denied, and masked as the decision obliges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

import pandas as pd

from piu_lab import demo_loader as _demo_loader
from piu_lab import session as _session
from piu_lab import store as _store
from piu_lab import synth as _synth
from piu_lab import views_data as _views
from piu_lab.access.masking import MASKED
from piu_lab.access.policy import AuthorityType, FieldGroup, Purpose
from piu_lab.access.register import Service
from piu_lab.audit import AuditLog as _AuditLog
from piu_lab.clock import Clock, FrozenClock, SystemClock
from piu_lab.criteria import Criterion, Finding, demo_criteria, lint, load_criterion
from piu_lab.demo_loader import DemoResult
from piu_lab.errors import (
    AccessDenied,
    AccessError,
    AuditChainBroken,
    AuditError,
    ConfigurationError,
    DatabaseUnreachable,
    HitStateError,
    IndexVersionMismatch,
    IngestError,
    InvalidRecord,
    MatchingError,
    MatchingInputError,
    MessageParseError,
    PiuLabError,
    ReadOnlyDatabase,
    SchemaNotInitialised,
    SchemaTooNew,
    ScopeError,
    StoreError,
    SynthError,
    UnknownDatabaseURL,
    UnknownHit,
    WorkflowError,
)
from piu_lab.hits import criteria_registry as _criteria_registry
from piu_lab.hits import queries as _queries
from piu_lab.hits import registry as _registry
from piu_lab.hits import run as _run
from piu_lab.hits.review import CHECKLIST
from piu_lab.hits.routing import OUTCOME_LABEL
from piu_lab.ingest import pipeline as _ingest
from piu_lab.ingest.report import report_json
from piu_lab.ingest.scope import ScopeDecision
from piu_lab.lifecycle import run as _lifecycle
from piu_lab.lifecycle import scope as _scope
from piu_lab.lifecycle.requests import Authorisation, Authority, SearchRequest
from piu_lab.lifecycle.retention import Profile as RetentionProfile
from piu_lab.lifecycle.run import LifecycleSummary
from piu_lab.matching import (
    ALGORITHM as MATCHING_ALGORITHM,
)
from piu_lab.matching import (
    NAME_THRESHOLD,
    WatchlistIndex,
    build_index,
    load_index,
    score_names,
    screen,
)
from piu_lab.model import Sector
from piu_lab.model.hits import HitKind, HitStatus, Listing, ListScope
from piu_lab.views_data import AuditChain, Situation

__all__ = [
    "CHECKLIST",
    "MASKED",
    "MATCHING_ALGORITHM",
    "NAME_THRESHOLD",
    "OUTCOME_LABEL",
    "AccessDenied",
    "AccessError",
    "AuditChain",
    "AuditChainBroken",
    "AuditError",
    "Authorisation",
    "Authority",
    "AuthorityType",
    "Clock",
    "ConfigurationError",
    "Criterion",
    "DatabaseUnreachable",
    "DemoResult",
    "FieldGroup",
    "Finding",
    "FrozenClock",
    "HitCard",
    "HitKind",
    "HitStateError",
    "HitStatus",
    "Identity",
    "IndexVersionMismatch",
    "IngestError",
    "IngestReport",
    "InvalidRecord",
    "Lab",
    "LabSummary",
    "LifecycleSummary",
    "ListScope",
    "Listing",
    "MatchingError",
    "MatchingInputError",
    "MessageParseError",
    "PiuLabError",
    "PnrRecord",
    "Purpose",
    "ReadOnlyDatabase",
    "RetentionProfile",
    "SchemaNotInitialised",
    "SchemaTooNew",
    "ScopeDecision",
    "ScopeError",
    "ScreeningSummary",
    "SearchPage",
    "SearchRequest",
    "Sector",
    "Service",
    "Session",
    "Situation",
    "StoreError",
    "SynthConfig",
    "SynthError",
    "SystemClock",
    "UnknownDatabaseURL",
    "UnknownHit",
    "WatchlistIndex",
    "WatchlistInfo",
    "WorkflowError",
    "build_index",
    "default_database_url",
    "demo_criteria",
    "dry_run_ingest",
    "ingest_report_json",
    "lint",
    "load_criterion",
    "load_index",
    "open_lab",
    "score_names",
    "screen",
]

#: The actor of what the system does by itself (collection, scheduled erasure).
SYSTEM_ACTOR = "system"

SynthConfig = _synth.SynthConfig
IngestReport = _ingest.IngestReport
Session = _session.Session
HitCard = _session.HitCard
ScreeningSummary = _run.RunSummary
WatchlistInfo = _registry.WatchlistInfo
Identity = _session.Identity
PnrRecord = _session.PnrRecord
SearchPage = _session.SearchPage
Progress = Callable[[str, int, int], None]


def dry_run_ingest(
    paths: Sequence[Path | str],
    *,
    clock: Clock | None = None,
    replay: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Parse, filter and report the messages of ``paths`` without any database (the carrier
    onboarding check); duplicates are recognised within the run."""
    return _ingest.ingest_paths(
        paths,
        store=None,
        clock=clock if clock is not None else SystemClock(),
        replay=replay,
        progress=progress,
    )


def ingest_report_json(report: IngestReport) -> dict[str, object]:
    """The dry-run JSON document of an ingest (``docs/ingest-report.md``); each message says
    what the scope refused in it (``refused``, counts only: R-SCOPE-02)."""
    document = report_json(report.items)
    for message, refused in zip(document["messages"], _ingest.refused_json(report), strict=True):
        message["refused"] = refused
    return {**document, "summary": _ingest.summarise(report)}


@dataclass(frozen=True, slots=True)
class LabSummary:
    """Where the database is and how many rows each table holds (no personal data)."""

    url: str
    dialect: str
    schema_revision: str | None
    counts: dict[str, int]


def default_database_url() -> str:
    """The database used when no URL is given: ``PIU_LAB_DB`` or the per-user SQLite file."""
    return _store.resolve_url(None)


class Lab:
    """An open PIU Lab: the database and the clock every deadline is measured with."""

    def __init__(self, store: _store.Store, clock: Clock) -> None:
        self._store = store
        self.clock = clock
        self._audit = _AuditLog(store, clock)

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        return self._store.url

    @property
    def dialect(self) -> str:
        return self._store.dialect

    def summary(self) -> LabSummary:
        """Counts per table and the schema revision."""
        return LabSummary(
            url=self._store.url,
            dialect=self._store.dialect,
            schema_revision=self._store.schema_revision(),
            counts=self._store.counts(),
        )

    def session(
        self,
        user: str | None = None,
        *,
        purpose: Purpose | str | None,
        request: str | None = None,
        authorisation: str | None = None,
    ) -> Session:
        """Open a session for ``user`` (else ``PIU_LAB_USER``, else ``JUPYTERHUB_USER``; never
        the OS login) under ``purpose``; a targeted search names its ``request`` and
        ``authorisation`` (R-SRCH-01/02): both are checked against the request register at every
        call, and unmasking follows from the authorisation. Refused, and audited, when the user
        is unknown or inactive or no purpose is declared (:class:`AccessDenied`); see
        :mod:`piu_lab.session`.
        """
        return _session.open_session(
            self._store,
            self.clock,
            user,
            purpose=purpose,
            request=request,
            authorisation=authorisation,
        )

    def ingest(
        self,
        paths: Sequence[Path | str],
        *,
        replay: bool = False,
        quarantine_days: int = _ingest.DEFAULT_QUARANTINE_DAYS,
        batch_pnrs: int = _ingest.BATCH_PNRS,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Take in the PNRGOV/PAXLST messages of files and folders (see ``dry_run_ingest``).

        Each message is filtered on receipt (Annex I only, sensitive data deleted and counted:
        R-DATA-01/02, R-SENS-01..03), then stored as new PNR versions entirely or not at all,
        recorded as a duplicate, or quarantined with its reason. ``replay`` takes each
        message's envelope time as its time of receipt (recorded or synthetic feeds).
        """
        report = _ingest.ingest_paths(
            paths,
            store=self._store,
            clock=self.clock,
            replay=replay,
            quarantine_days=quarantine_days,
            batch_pnrs=batch_pnrs,
            progress=progress,
        )
        removed = sum(report.removed.values())
        self._audit.append(
            actor=SYSTEM_ACTOR,
            action="collect",
            record_count=report.pnr_versions + report.manifests,
            rule_id="R-LOG-02",
            detail={
                **{k: v for k, v in _ingest.summarise(report).items() if isinstance(v, int)},
                "sensitive_removed": removed,
            },
        )
        if report.refusals:  # R-SCOPE-02: refused on receipt, logged (counts only)
            self._audit.append(
                actor=SYSTEM_ACTOR,
                action="collect",
                decision="denied",
                record_count=report.refused_journeys,
                rule_id="R-SCOPE-02",
                detail={
                    "refused_pnrs": report.refused_pnrs,
                    "refused_manifests": report.refused_manifests,
                    **_ingest.refused_by_reason(report),
                },
            )
        return report

    # -- pre-assessment (counts and references only; hits themselves through a session) ---

    def screen(
        self,
        days: Sequence[date] | None = None,
        *,
        threshold: float | None = None,
        progress: Progress | None = None,
    ) -> ScreeningSummary:
        """Screen the journeys not yet assessed (departing on ``days``, default every day
        that has some) against every registered list and approved criterion; hits are routed
        and notified (R-PRE-01..05). Audited as a screening by the system actor."""
        chosen = list(days) if days is not None else _run.pending_days(self._store)
        today = self.clock.now().date()
        criteria = _criteria_registry.approved_criteria(self._store, today)
        step = _criteria_registry.criteria_step(self._store, chosen, criteria)
        summary = _run.run_screening(
            self._store,
            self.clock,
            chosen,
            threshold=threshold,
            criteria_step=step if criteria else None,
            progress=progress,
        )
        self._audit.append(
            actor=SYSTEM_ACTOR,
            action="screen",
            objects=(f"run:{summary.run_id}",),
            record_count=summary.hits_new,
            rule_id="R-PRE-01",
            detail={
                "days": len(chosen),
                "travellers": summary.travellers,
                "lists": summary.lists,
                "criteria": len(criteria),
                "hits_new": summary.hits_new,
                "suppressed": summary.suppressed,
            },
        )
        return summary

    def deadline_breaches(self) -> pd.DataFrame:
        """Open hits past their 24-hour deadline (R-PRE-03), references only; the head of unit
        is notified once per hit."""
        now = self.clock.now()
        _queries.escalate(self._store, now)
        frame = _queries.hit_frame(self._store, now)
        late = frame[frame["open"] & frame["breached"].astype(bool)]
        return late[["hit_id", "service", "kind", "status", "deadline_at", "hours_left"]]

    def hit_metrics(self) -> pd.DataFrame:
        """Per list and per criterion: hits, decisions, false-positive rate, time to decision,
        breaches and the alert flag (R-CRIT-04); counts only."""
        return _queries.source_metrics(self._store, self.clock.now())

    def watchlists(self) -> list[WatchlistInfo]:
        """The registered lists (active versions): metadata and counts, no entries."""
        return _registry.active_lists(self._store)

    def criteria(self) -> pd.DataFrame:
        """Every stored criterion version: id, version, status, approval, review date."""
        return _criteria_registry.criterion_versions(self._store)

    # -- the data lifecycle (counts only) ---------------------------------------------------

    def run_lifecycle(
        self,
        *,
        profile: RetentionProfile | str = RetentionProfile.CJEU_2022,
        dry_run: bool = False,
        as_of: datetime | None = None,
        progress: Progress | None = None,
    ) -> LifecycleSummary:
        """Delete what is five years old, and at six months delete (``cjeu-2022``: the
        passengers without a retention basis) and mask the rest into sealed storage
        (R-RET-01..03). ``as_of`` (default: the clock's now) may lie in the future only for a
        dry run: a real run never deletes ahead of time. Audited as one erasure and one
        masking event by the system actor, counts only."""
        now = self.clock.now()
        moment = now if as_of is None else as_of
        if moment > now and not dry_run:
            raise ConfigurationError(
                "a lifecycle run cannot be dated in the future",
                hint="use --dry-run to see what a later date would do",
                as_of=moment.isoformat(),
            )
        summary = _lifecycle.run_lifecycle(
            self._store,
            moment,
            profile=RetentionProfile(profile),
            dry_run=dry_run,
            actor=SYSTEM_ACTOR,
            progress=progress,
        )
        if not dry_run:
            self._audit_lifecycle(summary)
        return summary

    def _audit_lifecycle(self, summary: LifecycleSummary) -> None:
        counts, run = summary.counts(), (f"lifecycle:{summary.run_id}",)
        deleted = {k: counts[k] for k in _lifecycle.DELETED_COUNTS}
        self._audit.append(
            actor=SYSTEM_ACTOR,
            action="erase",
            objects=run,
            record_count=sum(deleted.values()),
            rule_id="R-RET-03" if summary.profile == "cjeu-2022" else "R-RET-01",
            detail={"what": "lifecycle", **deleted, "kept_passengers": counts["kept_passengers"]},
        )
        masked = {k: counts[k] for k in _lifecycle.MASKED_COUNTS}
        self._audit.append(
            actor=SYSTEM_ACTOR,
            action="mask",
            objects=run,
            record_count=masked["masked_pnrs"] + masked["masked_manifests"],
            rule_id="R-RET-02",
            detail=masked,
        )

    # -- counts for the views (no personal data; see :mod:`piu_lab.views_data`) -------------

    def situation(self, first: date | None = None, last: date | None = None) -> Situation:
        """Volumes, carrier coverage and push timeliness, open hits and deadlines (counts)."""
        return _views.situation(self._store, self.clock, first, last)

    def staff_expiries(self, within_days: int = 180) -> pd.DataFrame:
        """Clearances, secondments and grants ending within ``within_days`` (codes, no names)."""
        return _views.staff_expiries(self._store, self.clock, within_days)

    def audit_chain(self) -> AuditChain:
        """Verify the audit log (R-LOG-02): intact, or where and how it broke."""
        return _views.audit_chain(self._store, self.clock)

    def lifecycle_runs(self) -> pd.DataFrame:
        """Every recorded lifecycle run: when, as of, profile, actor and its counts."""
        return _lifecycle.lifecycle_runs(self._store)

    def scope_decisions(self) -> pd.DataFrame:
        """The scope decisions (R-SCOPE-02) with their state today (active, scheduled, expired,
        revoked) and whether a review is due; no personal data. Recorded and revoked through
        a session (:meth:`Session.record_scope_decision`)."""
        return _scope.decisions_frame(self._store, self.clock.now().date())

    def scope_refusals(self) -> pd.DataFrame:
        """What the ingest refused out of scope, per day, sector and reason (counts only)."""
        return _scope.refusals_frame(self._store)

    def purge_quarantine(self) -> int:
        """Drop the scrubbed forms of quarantined messages past their purge date (audited as
        an erasure, R-LOG-02)."""
        purged = self._store.purge_quarantine(self.clock.now())
        self._audit.append(
            actor=SYSTEM_ACTOR,
            action="erase",
            record_count=purged,
            rule_id="R-LOG-02",
            detail={"what": "quarantine"},
        )
        return purged

    def message_counts(self) -> dict[str, int]:
        """Received messages per status (no personal data)."""
        return self._store.message_counts()

    def load_demo(
        self,
        config: _synth.SynthConfig,
        *,
        out_dir: Path,
        progress: Progress | None = None,
        history_months: int = 0,
    ) -> DemoResult:
        """Generate synthetic traffic, write it as carriers send it (PNRGOV/PAXLST files in
        ``out_dir``), take it in through the real ingest (replaying the feed's own clock),
        screen it and review it; with ``history_months``, first a small day per earlier month,
        then one lifecycle run (see :mod:`piu_lab.demo_loader`). Loading twice stores nothing
        twice: the second run's messages are duplicates."""
        return _demo_loader.load_demo(
            self, config, out_dir=out_dir, progress=progress, history_months=history_months
        )

    def _seed_staff(self) -> int:
        """Seed the synthetic staff register when it is empty (R-ACC-01..03)."""
        return _demo_loader.seed_staff(self._store, self.clock)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_lab(url: str | None = None, *, clock: Clock | None = None, create: bool = True) -> Lab:
    """Open the lab on ``url`` (default: ``PIU_LAB_DB`` or the per-user SQLite file).

    ``create`` (the default) creates the schema or migrates an older one; with ``create=False`` a
    database without a schema raises :class:`SchemaNotInitialised`. A database written by a newer
    PIU Lab raises :class:`SchemaTooNew`; an unreachable server :class:`DatabaseUnreachable`.
    """
    return Lab(_store.open_store(url, create=create), clock if clock is not None else SystemClock())

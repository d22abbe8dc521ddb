"""One run of the data lifecycle: deletion at five years, retention and masking at six months.

:func:`run_lifecycle` is what ``piu-lab lifecycle run`` (and a cron job or systemd timer) calls,
as often as one likes: it takes what is due at ``now`` and not done yet, in batches of PNRs
each committed on its own, so that a run stopped half-way resumes where it stopped and a second
run the same day finds nothing left (idempotent). Order, per R-RET-01..03:

1. everything registered five years ago or more is deleted (PNRs and API manifests), basis or
   not;
2. PNRs registered six months ago or more and not masked yet: under ``cjeu-2022`` the
   passengers without a retention basis are deleted (whole PNRs when nobody is kept), the
   others masked; under ``directive-2016`` all are masked;
3. API manifests received six months ago or more: under ``cjeu-2022`` the persons who are not a
   kept passenger are deleted; the rest masked.

Then the free pages: on SQLite deleted content is overwritten at once (``secure_delete``, set on
every connection) and the write-ahead log is checkpointed and truncated so no old page copy
stays in it; on PostgreSQL the touched tables are vacuumed (see the README for what PostgreSQL
cannot promise without ``VACUUM FULL`` and backup rotation). A dry run does every step in
transactions that are rolled back, so its counts are exact. The run is recorded (counts only)
in ``lifecycle_run``; the facade audits it.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, and_, func, select, text

from piu_lab.access.masking import pseudonym_key
from piu_lab.access.register import add_months, add_years
from piu_lab.lifecycle import masking, retention
from piu_lab.lifecycle.retention import Profile
from piu_lab.lifecycle.sealing import new_data_key, public_key
from piu_lab.store import Store, schema
from piu_lab.store.frames import naive_utc
from piu_lab.store.schema_lifecycle import lifecycle_run

__all__ = [
    "BATCH",
    "DELETED_COUNTS",
    "MASKED_COUNTS",
    "LifecycleSummary",
    "due_dates",
    "lifecycle_runs",
    "run_lifecycle",
]

#: The counts of what a run deletes, and of what it masks.
DELETED_COUNTS = (
    "deleted_pnrs_5y", "deleted_pnrs", "deleted_passengers",
    "deleted_manifests_5y", "deleted_manifests", "deleted_api_persons",
)  # fmt: skip
MASKED_COUNTS = ("masked_pnrs", "masked_manifests", "masked_values", "sealed_parts")
#: PNRs (or manifests) per transaction.
BATCH = 2_000
Progress = Callable[[str, int, int], None]


def _months_before(now: datetime, months: int) -> datetime:
    moment = naive_utc(now)
    return datetime.combine(add_months(moment.date(), -months), moment.time())


def due_dates(now: datetime) -> tuple[datetime, datetime]:
    """(six months before ``now``, five years before ``now``): what was registered at or
    before them is due for masking, and for deletion (naive UTC, as stored)."""
    moment = naive_utc(now)
    five = datetime.combine(add_years(moment.date(), -5), moment.time())
    return _months_before(now, 6), five


@dataclass(frozen=True, slots=True)
class LifecycleSummary:
    """What one run did (or, dry, would do): counts only, never a value."""

    run_id: str
    as_of: datetime
    profile: str
    dry_run: bool
    #: passenger x segment journeys (latest versions) of the PNRs the run touched
    journeys: int = 0
    deleted_pnrs_5y: int = 0
    deleted_manifests_5y: int = 0
    deleted_pnrs: int = 0
    deleted_passengers: int = 0
    kept_passengers: int = 0
    masked_pnrs: int = 0
    masked_values: int = 0
    sealed_parts: int = 0
    deleted_api_persons: int = 0
    deleted_manifests: int = 0
    masked_manifests: int = 0
    seconds: float = 0.0
    bases: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The integer counts (what the audit event and ``lifecycle_run`` keep)."""
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and k != "dry_run"}

    @property
    def journeys_per_second(self) -> float:
        return self.journeys / self.seconds if self.seconds else 0.0


def _ids(conn: Connection, stmt: object) -> list[str]:
    return [str(r[0]) for r in conn.execute(stmt).all()]  # type: ignore[call-overload]


def _journeys(conn: Connection, pnr_ids: Sequence[str]) -> int:
    s, p, x = schema.segment, schema.pnr, schema.passenger
    stmt = (
        select(func.count())
        .select_from(s)
        .join(p, and_(p.c.pnr_id == s.c.pnr_id, p.c.latest_version == s.c.version))
        .join(x, and_(x.c.pnr_id == s.c.pnr_id, x.c.version == s.c.version))
        .where(s.c.pnr_id.in_(pnr_ids))
    )
    return int(conn.execute(stmt).scalar_one())


def _batches(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    return [ids[k : k + size] for k in range(0, len(ids), size)]


@contextlib.contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """On SQLite, this connection's per-row foreign-key checks off while it deletes families
    explicitly (:mod:`.cascade`): about 1.7 times faster, and nothing is left behind because
    every dependent table is deleted by name. The pragma works only outside a transaction,
    hence on the driver's connection before ``BEGIN``; it is back on before the connection
    returns to the pool. Other connections keep their checks."""
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


class _Runner:
    def __init__(
        self, store: Store, now: datetime, profile: Profile, dry_run: bool, batch: int
    ) -> None:
        self.store, self.now, self.profile, self.dry_run = store, now, profile, dry_run
        self.batch = batch
        self.counts: dict[str, int] = {}
        self.bases: dict[str, int] = {}
        self.key = pseudonym_key()
        self.data_key = new_data_key(public_key(), naive_utc(now))
        self.six, self.five = due_dates(now)
        #: PNRs kept at six months under cjeu-2022, masked after the deletions (a stopped
        #: run leaves them unmasked and due: the next run finds and masks them)
        self.kept: list[str] = []
        #: a dry run works in one transaction, rolled back at the end (exact counts)
        self.dry: Connection | None = None

    def add(self, **counts: int) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value

    def each(
        self,
        stage: str,
        ids: Sequence[str],
        work: Callable[[Connection, Sequence[str]], None],
        progress: Progress | None,
    ) -> None:
        done = 0
        for chunk in _batches(ids, self.batch):
            if self.dry is not None:
                work(self.dry, chunk)
            else:
                with (
                    self.store.engine.connect() as conn,
                    _foreign_keys_off(conn),
                    conn.begin(),
                ):
                    work(conn, chunk)
            done += len(chunk)
            if progress is not None:
                progress(stage, done, len(ids))

    # -- the steps ----------------------------------------------------------------------------

    def five_years(self, conn: Connection, ids: Sequence[str]) -> None:
        self.add(journeys=_journeys(conn, ids), deleted_pnrs_5y=retention.delete_pnrs(conn, ids))

    def five_years_api(self, conn: Connection, ids: Sequence[str]) -> None:
        self.add(deleted_manifests_5y=retention.delete_manifests(conn, ids))

    def six_months(self, conn: Connection, ids: Sequence[str]) -> None:
        """Delete the passengers without a basis (``cjeu-2022``; the kept PNRs are masked
        together afterwards, in full batches) or mask every PNR (``directive-2016``)."""
        self.add(journeys=_journeys(conn, ids))
        if self.profile is Profile.CJEU_2022:
            self.kept.extend(self._retain(conn, ids))
        else:
            self.mask(conn, ids)

    def mask(self, conn: Connection, ids: Sequence[str]) -> None:
        done = masking.mask_pnrs(conn, ids, self.data_key, self.key, self.now)
        self.add(
            masked_pnrs=done.subjects, masked_values=done.values, sealed_parts=done.sealed_parts
        )

    def _retain(self, conn: Connection, ids: Sequence[str]) -> list[str]:
        basis = retention.retention_basis(conn, ids)
        for kind in basis["basis"].str.split(":").str[0]:
            self.bases[kind] = self.bases.get(kind, 0) + 1
        x = schema.passenger
        rows = conn.execute(
            select(x.c.pnr_id, x.c.pax_ref).where(x.c.pnr_id.in_(ids)).distinct()
        ).all()
        everyone = pd.DataFrame([tuple(r) for r in rows], columns=["pnr_id", "pax_ref"])
        kept = set(zip(basis["pnr_id"], basis["pax_ref"], strict=True))
        is_kept = [
            (p, r) in kept for p, r in zip(everyone["pnr_id"], everyone["pax_ref"], strict=True)
        ]
        flags = pd.Series(is_kept, index=everyone.index, dtype=bool)
        keeping = set(everyone.loc[flags, "pnr_id"])
        whole = [p for p in ids if p not in keeping]
        partial = everyone[~flags & everyone["pnr_id"].isin(keeping)]
        self.add(
            deleted_pnrs=retention.delete_pnrs(conn, whole),
            deleted_passengers=retention.delete_passengers(
                conn, list(zip(partial["pnr_id"], partial["pax_ref"], strict=True))
            )
            + int((~flags & ~everyone["pnr_id"].isin(keeping)).sum()),
            kept_passengers=int(flags.sum()),
        )
        return sorted(keeping)

    def six_months_api(self, conn: Connection, ids: Sequence[str]) -> None:
        to_mask = list(ids)
        if self.profile is Profile.CJEU_2022:
            person, pnr, x = schema.api_person, schema.pnr, schema.passenger
            locators = select(person.c.record_locator).where(person.c.manifest_id.in_(ids))
            rows = conn.execute(
                select(pnr.c.record_locator, x.c.surname)
                .join(x, x.c.pnr_id == pnr.c.pnr_id)
                .where(pnr.c.record_locator.in_(locators))
                .distinct()
            ).all()
            kept = pd.DataFrame(rows, columns=["record_locator", "surname"])
            persons, manifests = retention.delete_manifest_persons(conn, ids, kept, self.key)
            self.add(deleted_api_persons=persons, deleted_manifests=manifests)
            api = schema.api_manifest
            to_mask = _ids(conn, select(api.c.manifest_id).where(api.c.manifest_id.in_(ids)))
        done = masking.mask_manifests(conn, to_mask, self.data_key, self.key, self.now)
        self.add(masked_manifests=done.subjects, masked_values=done.values)


def _free_pages(store: Store, tables: Sequence[str]) -> None:
    engine = store.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in tables:
            conn.execute(text(f"VACUUM {name}"))


_VACUUMED = (
    "pnr", "pnr_version", "passenger", "travel_document", "contact", "payment", "frequent_flyer",
    "minor", "history", "hit", "sealed_pnr", "api_person", "api_document", "sealed_api",
)  # fmt: skip


def run_lifecycle(
    store: Store,
    now: datetime,
    *,
    profile: Profile = Profile.CJEU_2022,
    dry_run: bool = False,
    actor: str = "system",
    batch: int = BATCH,
    progress: Progress | None = None,
) -> LifecycleSummary:
    """Delete and mask what is due at ``now`` (see the module's text); counts of what was done.
    R-RET-01 (five years), R-RET-02 (masking), R-RET-03 (the profiles)."""
    started = time.perf_counter()
    runner = _Runner(store, now, profile, dry_run, max(1, batch))
    pnr, api = schema.pnr, schema.api_manifest
    with store.engine.connect() as conn:
        old = _ids(conn, select(pnr.c.pnr_id).where(pnr.c.first_received_at <= runner.five))
        old_api = _ids(conn, select(api.c.manifest_id).where(api.c.received_at <= runner.five))
        due = _ids(
            conn,
            select(pnr.c.pnr_id)
            .where(pnr.c.first_received_at <= runner.six, pnr.c.first_received_at > runner.five)
            .where(pnr.c.masked_at.is_(None))
            .order_by(pnr.c.first_received_at, pnr.c.pnr_id),
        )
        due_api = _ids(
            conn,
            select(api.c.manifest_id)
            .where(api.c.received_at <= runner.six, api.c.received_at > runner.five)
            .where(api.c.masked_at.is_(None))
            .order_by(api.c.received_at, api.c.manifest_id),
        )
    with contextlib.ExitStack() as stack:
        if dry_run:
            conn = stack.enter_context(store.engine.connect())
            stack.callback(conn.begin().rollback)
            runner.dry = conn
        runner.each("delete (5 years)", old, runner.five_years, progress)
        runner.each("delete API (5 years)", old_api, runner.five_years_api, progress)
        runner.each("retain and mask (6 months)", due, runner.six_months, progress)
        runner.each("mask the kept (6 months)", runner.kept, runner.mask, progress)
        runner.each("API (6 months)", due_api, runner.six_months_api, progress)
    changed = bool(old or old_api or due or due_api)
    if changed and not dry_run:
        _free_pages(store, _VACUUMED)
    summary = LifecycleSummary(
        run_id=uuid.uuid4().hex,
        as_of=now,
        profile=profile.value,
        dry_run=dry_run,
        seconds=time.perf_counter() - started,
        bases=dict(runner.bases),
        **runner.counts,
    )
    if not dry_run:
        with store.engine.begin() as conn:
            conn.execute(
                lifecycle_run.insert(),
                [
                    {
                        "run_id": summary.run_id,
                        "started_at": naive_utc(now),
                        "as_of": naive_utc(now),
                        "profile": profile.value,
                        "actor": actor,
                        "counts": json.dumps({**summary.counts(), "bases": summary.bases}),
                    }
                ],
            )
    return summary


def lifecycle_runs(store: Store) -> pd.DataFrame:
    """Every recorded run, oldest first: ``run_id, started_at, as_of, profile, actor`` and one
    column per count."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(lifecycle_run).order_by(lifecycle_run.c.started_at)).all()
    base = pd.DataFrame(
        [r[:5] for r in rows], columns=["run_id", "started_at", "as_of", "profile", "actor"]
    )
    counts = pd.DataFrame(
        [{k: v for k, v in json.loads(r[5]).items() if k != "bases"} for r in rows]
    )
    return pd.concat([base, counts], axis=1)

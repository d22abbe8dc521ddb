"""Data lifecycle benchmark (issue 7): a year of synthetic history masked and deleted, on SQLite
and PostgreSQL.

Target (issue 7): masking and deletion at >= 20,000 journeys/s on both backends, a journey being
a passenger x segment of the latest PNR versions (``LifecycleSummary.journeys``, divided by its
``seconds``, which include the free-page work: SQLite's WAL checkpoint, PostgreSQL's VACUUM).

The history: ``--blocks`` blocks of ``--days`` days of departures (``piu_lab.synth``, scale
``--scale``, seed ``--seed + block``), one block starting on the first of each consecutive month
from January 2025, so that the registrations spread over 12+ months; written with the bulk store
path (``Store.write_pnrs`` / ``write_manifests``, no EDIFACT). ``--flagged`` of the passengers
(0.3 % by default) get a retention basis: a hit whose latest ``hit_event`` is ``VALIDATED``;
``--rejected`` of the others (0.3 % by default) get a hit that was rejected (no basis). The
database is built once per backend and copied (SQLite: the file; PostgreSQL: ``CREATE DATABASE
... TEMPLATE``) for each measure:

* ``cjeu-2022`` at six months after the last registration: the unflagged deleted, the flagged
  kept and masked (with the co-travellers of their PNRs deleted);
* ``directive-2016`` at the same moment, on a fresh copy: everything masked (sealed);
* ``+5 years`` on that masked copy: everything deleted;
* after each, the same run again: it must find nothing to do (idempotence).

The counts are checked against the plan (kept = flagged passengers, deleted PNRs = the due PNRs
without one, ...); a run that raises is recorded (error and library frame) and the others go on.

Baselines, measured in the same run on the same rows (the machine is shared and noisy):

* ``plain delete``: ``DELETE FROM pnr WHERE pnr_id IN (...)`` (the foreign keys' cascade does
  the rest), in the same batches of 2,000 PNRs, one transaction each, then the same free-page
  step as the run (checkpoint / VACUUM): the least a deletion can cost;
* ``plain read``: ``SELECT *`` of every PNR table's (and the hits') rows of the same PNRs, same
  batches: the least a masking (which reads every masked value) can cost.

Writes a Markdown table to stdout and JSON to ``benchmarks/results/lifecycle.json``
(``lifecycle_quick.json`` with ``--quick``; progress on stderr). PostgreSQL:
``PIU_LAB_TEST_PG_URL`` when set (the role must be allowed to create databases: copies named
``piu_lab_bench_*`` are made and dropped), else a throwaway cluster (fsync on) from
``tests/pgserver.py``, else that backend is skipped. ``--quick`` for a small run (4 blocks of 2
days); ``--profile`` writes a cProfile of each lifecycle run to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import and_, func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.access.masking import KEY_ENV  # noqa: E402
from piu_lab.access.register import add_months, add_years  # noqa: E402
from piu_lab.lifecycle.retention import Profile  # noqa: E402
from piu_lab.lifecycle.run import BATCH, LifecycleSummary, due_dates, run_lifecycle  # noqa: E402
from piu_lab.lifecycle.sealing import PUBLIC_ENV  # noqa: E402
from piu_lab.model.hits import HitStatus  # noqa: E402
from piu_lab.store import Store, open_store, schema  # noqa: E402
from piu_lab.store.schema_hits import hit, hit_event  # noqa: E402
from piu_lab.store.schema_lifecycle import sealed_pnr  # noqa: E402
from piu_lab.synth import SynthConfig, generate  # noqa: E402
from tests import pgserver  # noqa: E402

TARGET = 20_000  # journeys/s
FIRST_MONTH = date(2025, 1, 1)
WRITE_CHUNK = 20_000  # PNR versions per write_pnrs call
RESULTS = ROOT / "benchmarks" / "results"
#: the tables VACUUMed by the run (piu_lab/lifecycle/run.py _VACUUMED), for the delete baseline
VACUUMED = (
    "pnr", "pnr_version", "passenger", "travel_document", "contact", "payment", "frequent_flyer",
    "minor", "history", "hit", "sealed_pnr", "api_person", "api_document", "sealed_api",
)  # fmt: skip


def _say(text: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _keys_in_environment() -> None:
    """Throwaway pseudonym and sealing keys, so the run never touches the per-user key files."""
    os.environ.setdefault(KEY_ENV, secrets.token_hex(32))
    if not os.environ.get(PUBLIC_ENV, "").strip():
        public = X25519PrivateKey.generate().public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        os.environ[PUBLIC_ENV] = raw.hex()


# -- the history ------------------------------------------------------------------------------


@dataclass
class History:
    """What was generated and written (the same on every backend)."""

    blocks: list[str] = field(default_factory=list)
    synth_journeys: int = 0
    pnrs: int = 0
    pnr_versions: int = 0
    manifests: int = 0
    dropped_pnrs: int = 0  # pnr_id already generated by an earlier block (seed collision)
    generate_s: float = 0.0
    load_s: dict[str, float] = field(default_factory=dict)


def build_history(
    stores: dict[str, Store], scale: str, blocks: int, days: int, seed: int
) -> History:
    """Generate block by block and write each block to every store (one generation)."""
    history = History()
    seen: set[str] = set()
    for k in range(blocks):
        start = add_months(FIRST_MONTH, k)
        config = SynthConfig(days=days, scale=scale, seed=seed + k, start=start)  # type: ignore[arg-type]
        t0 = time.perf_counter()
        traffic = generate(config)
        history.generate_s += time.perf_counter() - t0
        ids = {p.pnr_id for p in traffic.pnrs}
        clash = ids & seen
        pnrs = [p for p in traffic.pnrs if p.pnr_id not in clash]
        seen |= ids - clash
        history.dropped_pnrs += len(clash)
        history.blocks.append(f"{start.isoformat()}+{days}d")
        history.synth_journeys += traffic.journeys
        history.pnrs += len(ids - clash)
        history.pnr_versions += len(pnrs)
        history.manifests += len(traffic.manifests)
        for name, store in stores.items():
            t0 = time.perf_counter()
            store.write_carriers(traffic.carriers)
            for i in range(0, len(pnrs), WRITE_CHUNK):
                store.write_pnrs(pnrs[i : i + WRITE_CHUNK])
            store.write_manifests(traffic.manifests)
            history.load_s[name] = history.load_s.get(name, 0.0) + time.perf_counter() - t0
        _say(
            f"block {k + 1}/{blocks} ({start}, {days} d): {traffic.journeys:,} journeys, "
            f"{len(pnrs):,} PNR versions written"
        )
    return history


def latest_passengers(store: Store) -> pd.DataFrame:
    """``pnr_id, pax_ref, version, first_received_at`` of every passenger of latest versions."""
    x, p = schema.passenger, schema.pnr
    stmt = (
        select(x.c.pnr_id, x.c.pax_ref, x.c.version, p.c.first_received_at)
        .join(p, and_(p.c.pnr_id == x.c.pnr_id, p.c.latest_version == x.c.version))
        .order_by(x.c.pnr_id, x.c.pax_ref)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=["pnr_id", "pax_ref", "version", "first_received_at"])


@dataclass
class Plan:
    """The hits planted (the same passengers on every backend) and what the runs should do."""

    hits: list[dict[str, Any]]
    events: list[dict[str, Any]]
    passengers: int
    pnrs: int
    flagged: int  # passengers with a validated hit (a retention basis)
    flagged_pnrs: int  # PNRs holding one or more of them (kept under cjeu-2022)
    shared_pnrs: int  # of which PNRs that also hold an unflagged passenger
    rejected: int  # passengers with a rejected hit only (no basis)


def plan_hits(everyone: pd.DataFrame, fraction: float, rejected: float, seed: int) -> Plan:
    """Validated hits for ``fraction`` of the passengers, rejected ones for ``rejected`` of
    the others."""
    rng = np.random.default_rng(seed)
    n = max(1, round(len(everyone) * fraction))
    m = round(len(everyone) * rejected)
    order = rng.permutation(len(everyone))
    chosen = everyone.iloc[order[:n]]
    refused = everyone.iloc[order[n : n + m]]
    hits: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    outcomes = ((HitStatus.VALIDATED, chosen), (HitStatus.REJECTED_FALSE_POSITIVE, refused))
    for status, frame in outcomes:
        for pnr_id, ref, version, received in frame.itertuples(index=False):
            hit_id = f"BENCH-{len(hits):07d}"
            created = pd.Timestamp(received).to_pydatetime() + timedelta(hours=30)
            hits.append(
                {
                    "hit_id": hit_id,
                    "group_key": f"{pnr_id}/{ref}",
                    "pnr_id": pnr_id,
                    "pax_ref": ref,
                    "pnr_version": int(version),
                    "source_kind": "WATCHLIST",
                    "source_key": f"bench:E{len(hits)}",
                    "list_id": "bench",
                    "entry_id": f"E{len(hits)}",
                    "criterion_id": None,
                    "criterion_version": None,
                    "service": "police",
                    "common": False,
                    "ftf": False,
                    "score": 0.97,
                    "explanation": "surname TESTPERSON ~ TESTPERSON, date of birth equal",
                    "evidence": '{"surname": "TESTPERSON"}',
                    "algorithm": "bench",
                    "person_key": f"bench-person-{len(hits)}",
                    "run_id": "bench-run",
                    "created_at": created,
                    "deadline_at": created + timedelta(days=1),
                }
            )
            for seq, step in ((1, HitStatus.NEW), (2, status)):
                events.append(
                    {
                        "hit_id": hit_id,
                        "seq": seq,
                        "at": created + timedelta(hours=seq),
                        "actor": "PIU-0042",
                        "status": step.value,
                        "reason": "" if seq == 1 else "bench review",
                        "checklist": "{}",
                        "via_hit": None,
                    }
                )
    kept = set(chosen["pnr_id"])
    per_pnr = everyone.groupby("pnr_id")["pax_ref"].size()
    flagged_per_pnr = chosen.groupby("pnr_id")["pax_ref"].size()
    shared = int((per_pnr.reindex(flagged_per_pnr.index) > flagged_per_pnr).sum())
    return Plan(
        hits=hits,
        events=events,
        passengers=len(everyone),
        pnrs=int(everyone["pnr_id"].nunique()),
        flagged=len(chosen),
        flagged_pnrs=len(kept),
        shared_pnrs=shared,
        rejected=len(refused),
    )


def plant_hits(store: Store, plan: Plan) -> None:
    with store.engine.begin() as conn:
        conn.execute(hit.insert(), plan.hits)
        conn.execute(hit_event.insert(), plan.events)


# -- the databases ----------------------------------------------------------------------------


class Backend:
    """One backend's base database (built once) and its throwaway copies."""

    name: str
    base_url: str

    def copy(self, label: str) -> str:
        raise NotImplementedError

    def drop(self, url: str) -> None:
        raise NotImplementedError

    def settle(self, store: Store) -> None:
        """Make the base copyable (SQLite: WAL checkpointed into the main file)."""


class SqliteBackend(Backend):
    def __init__(self, folder: Path) -> None:
        self.name = "sqlite"
        self.folder = folder
        self.base = folder / "base.sqlite3"
        self.base_url = f"sqlite:///{self.base}"

    def settle(self, store: Store) -> None:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy(self, label: str) -> str:
        target = self.folder / f"{label}.sqlite3"
        shutil.copyfile(self.base, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _conninfo(url: str) -> str:
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


class PgBackend(Backend):
    def __init__(self, url: str) -> None:
        self.name = "postgresql"
        self.base_url = url
        self.made: list[str] = []

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(_conninfo(self.base_url), autocommit=True)

    def copy(self, label: str) -> str:
        name = f"piu_lab_bench_{label}"
        base = self.base_url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
        self.made.append(name)
        return f"{self.base_url.rsplit('/', 1)[0]}/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the measures -----------------------------------------------------------------------------


def due_journeys(store: Store, six: datetime) -> tuple[list[str], int, int]:
    """(PNR ids due at six months, in the run's order; their journeys; their passengers)."""
    s, p, x = schema.segment, schema.pnr, schema.passenger
    with store.engine.connect() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                select(p.c.pnr_id)
                .where(p.c.first_received_at <= six)
                .order_by(p.c.first_received_at, p.c.pnr_id)
            ).all()
        ]
        journeys = conn.execute(
            select(func.count())
            .select_from(s)
            .join(p, and_(p.c.pnr_id == s.c.pnr_id, p.c.latest_version == s.c.version))
            .join(x, and_(x.c.pnr_id == s.c.pnr_id, x.c.version == s.c.version))
            .where(p.c.first_received_at <= six)
        ).scalar_one()
        pax = conn.execute(
            select(func.count()).select_from(
                select(x.c.pnr_id, x.c.pax_ref)
                .join(p, p.c.pnr_id == x.c.pnr_id)
                .where(p.c.first_received_at <= six)
                .distinct()
                .subquery()
            )
        ).scalar_one()
    return ids, int(journeys), int(pax)


def _free_pages(store: Store) -> None:
    """What the run does after its batches (piu_lab/lifecycle/run.py ``_free_pages``)."""
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in VACUUMED:
            conn.execute(text(f"VACUUM {name}"))


def plain_delete(store: Store, ids: list[str]) -> float:
    """Seconds for ``DELETE FROM pnr`` of ``ids`` (cascade), batches of BATCH, + free pages."""
    pnr = schema.pnr
    start = time.perf_counter()
    for k in range(0, len(ids), BATCH):
        with store.engine.begin() as conn:
            conn.execute(pnr.delete().where(pnr.c.pnr_id.in_(ids[k : k + BATCH])))
    _free_pages(store)
    return time.perf_counter() - start


def plain_read(store: Store, ids: list[str]) -> tuple[float, int]:
    """Seconds to read every row of every PNR table (and the hits) of ``ids``; rows read."""
    tables = [*schema.PNR_TABLES, hit]
    rows = 0
    start = time.perf_counter()
    with store.engine.connect() as conn:
        for k in range(0, len(ids), BATCH):
            chunk = ids[k : k + BATCH]
            for table in tables:
                rows += len(conn.execute(select(table).where(table.c.pnr_id.in_(chunk))).all())
    return time.perf_counter() - start, rows


class Stages:
    """Seconds per stage of a run, from its progress callbacks (the rest is the initial
    selection, the free-page step and the run record)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.last = self.start
        self.seconds: dict[str, float] = {}
        self.shown: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now
        step = max(1, total // 4)
        if done == total or done // step != self.shown.get(stage, 0):
            self.shown[stage] = done // step
            _say(f"  {stage}: {done:,}/{total:,}")


@dataclass
class Outcome:
    """One lifecycle run: its summary, or the error that stopped it (and where)."""

    summary: LifecycleSummary | None
    stages: dict[str, float]
    error: str = ""


def _where(exc: BaseException) -> str:
    """The innermost frame of the library in the traceback (``file:line in function``)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/piu_lab/" in f.filename]
    if not frames:
        return ""
    f = frames[-1]
    return f" at {Path(f.filename).relative_to(ROOT)}:{f.lineno} in {f.name}"


def timed_run(
    store: Store,
    now: datetime,
    profile: Profile,
    label: str,
    profile_to: Path | None,
) -> Outcome:
    """``run_lifecycle`` with its stage times; a failure is recorded, not raised."""
    stages = Stages()
    profiler = cProfile.Profile() if profile_to is not None else None
    if profiler is not None:
        profiler.enable()
    summary: LifecycleSummary | None = None
    error = ""
    try:
        summary = run_lifecycle(store, now, profile=profile, progress=stages)
    except Exception as exc:  # the benchmark reports it and goes on with the other measures
        first = (str(exc).splitlines() or [""])[0][:300]
        error = f"{type(exc).__name__}{_where(exc)}: {first}"
    if profiler is not None and profile_to is not None:
        profiler.disable()
        profiler.dump_stats(str(profile_to))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        _say(f"profile of {label} ({profile_to.name}), by own time:\n{out.getvalue()}")
    stage_s = {k: round(v, 2) for k, v in stages.seconds.items()}
    if summary is None:
        stage_s["failed after"] = round(time.perf_counter() - stages.last, 2)
        _say(f"{label}: FAILED after stages {stage_s}: {error}")
        return Outcome(None, stage_s, error)
    stage_s["other (select, free pages, record)"] = round(
        summary.seconds - sum(stages.seconds.values()), 2
    )
    _say(
        f"{label}: {summary.journeys:,} journeys in {summary.seconds:.1f} s = "
        f"{summary.journeys_per_second:,.0f}/s; stages {stage_s}"
    )
    return Outcome(summary, stage_s)


def _summary_dict(outcome: Outcome) -> dict[str, Any]:
    summary = outcome.summary
    if summary is None:
        return {"error": outcome.error, "stage_seconds": outcome.stages}
    return {
        **summary.counts(),
        "bases": summary.bases,
        "seconds": round(summary.seconds, 2),
        "journeys_per_s": round(summary.journeys_per_second),
        "stage_seconds": outcome.stages,
    }


def _nothing_left(outcome: Outcome) -> dict[str, Any]:
    if outcome.summary is None:
        return {"nothing_to_do": False, "error": outcome.error, "counts": {}}
    counts = outcome.summary.counts()
    return {
        "seconds": round(outcome.summary.seconds, 2),
        "nothing_to_do": not any(counts.values()),
        "counts": {k: v for k, v in counts.items() if v},
    }


def table_counts(store: Store) -> dict[str, int]:
    names = ["pnr", "passenger", "segment", "hit", "hit_event", "sealed_pnr", "api_manifest"]
    p = schema.pnr
    with store.engine.connect() as conn:
        out = {n: int(conn.execute(text(f"SELECT count(*) FROM {n}")).scalar_one()) for n in names}
        out["pnr_unmasked"] = int(
            conn.execute(select(func.count()).where(p.c.masked_at.is_(None))).scalar_one()
        )
        out["passengers_distinct"] = int(
            conn.execute(
                select(func.count()).select_from(
                    select(schema.passenger.c.pnr_id, schema.passenger.c.pax_ref)
                    .distinct()
                    .subquery()
                )
            ).scalar_one()
        )
        out["sealed_parts_pax"] = int(
            conn.execute(select(func.count()).where(sealed_pnr.c.part != "*")).scalar_one()
        )
    return out


@contextlib.contextmanager
def copy_of(backend: Backend, label: str) -> Iterator[Store]:
    url = backend.copy(label)
    try:
        with open_store(url) as store:
            yield store
    finally:
        backend.drop(url)


def _twice(
    store: Store, now: datetime, profile: Profile, label: str, profile_to: Path | None
) -> tuple[Outcome, Outcome | None]:
    """The run, then the same run again (idempotence), unless the first failed."""
    first = timed_run(store, now, profile, label, profile_to)
    if first.summary is None:
        return first, None
    return first, timed_run(store, now, profile, f"{label} again", None)


def measure(
    backend: Backend,
    plan: Plan,
    now: datetime,
    later: datetime,
    profile_dir: Path | None,
) -> dict[str, Any]:
    """Every measure of one backend, on copies of its base database."""
    six, _ = due_dates(now)
    out: dict[str, Any] = {"backend": backend.name}
    problems: list[str] = []

    def prof(label: str) -> Path | None:
        if profile_dir is None:
            return None
        return profile_dir / f"lifecycle_{backend.name}_{label}.prof"

    def record(key: str, first: Outcome, again: Outcome | None, after: dict[str, int]) -> None:
        out[key] = _summary_dict(first)
        out[f"{key}_after"] = after
        if first.summary is None:
            problems.append(f"{key}: the run failed: {first.error}")
            return
        if again is not None:
            out[f"{key}_again"] = _nothing_left(again)
            if not out[f"{key}_again"]["nothing_to_do"]:
                problems.append(f"{key}: the second run still did {out[f'{key}_again']}")

    with open_store(backend.base_url) as store:
        ids, journeys, pax = due_journeys(store, six)
        read_s, read_rows = plain_read(store, ids)
        out["base"] = table_counts(store)
    out["due"] = {"pnrs": len(ids), "journeys": journeys, "passengers": pax}
    out["baseline_read"] = {
        "seconds": round(read_s, 2),
        "rows": read_rows,
        "journeys_per_s": round(journeys / read_s),
    }
    _say(f"{backend.name}: {len(ids):,} PNRs, {journeys:,} journeys due; read in {read_s:.1f} s")

    with copy_of(backend, "delete") as store:
        delete_s = plain_delete(store, ids)
        left = table_counts(store)["pnr"]
    out["baseline_delete"] = {
        "seconds": round(delete_s, 2),
        "journeys_per_s": round(journeys / delete_s),
        "pnrs_left": left,
    }
    _say(f"{backend.name}: plain cascade delete in {delete_s:.1f} s")

    with copy_of(backend, "cjeu") as store:
        first, again = _twice(store, now, Profile.CJEU_2022, "cjeu-2022", prof("cjeu"))
        after = table_counts(store)
    record("cjeu", first, again, after)
    if first.summary is not None:
        expect = {
            "journeys": journeys,
            "kept_passengers": plan.flagged,
            "masked_pnrs": plan.flagged_pnrs,
            "deleted_pnrs": len(ids) - plan.flagged_pnrs,
            "deleted_passengers": pax - plan.flagged,
        }
        for name, value in expect.items():
            got = getattr(first.summary, name)
            if got != value:
                problems.append(f"cjeu-2022 {name} = {got:,}, expected {value:,}")
        left_pax, left_hits = after["passengers_distinct"], after["hit"]
        if left_pax != plan.flagged or left_hits != plan.flagged:
            problems.append(f"cjeu-2022 left {left_pax:,} passengers, {left_hits:,} hits")

    with copy_of(backend, "directive") as store:
        first, again = _twice(
            store, now, Profile.DIRECTIVE_2016, "directive-2016", prof("directive")
        )
        masked = table_counts(store)
        old, old_again = _twice(store, later, Profile.DIRECTIVE_2016, "+5 years", prof("5y"))
        gone = table_counts(store)
    record("directive", first, again, masked)
    record("five_years", old, old_again, gone)
    if first.summary is not None:
        if first.summary.journeys != journeys or first.summary.masked_pnrs != len(ids):
            problems.append(
                f"directive-2016 masked {first.summary.masked_pnrs:,} PNRs / "
                f"{first.summary.journeys:,} journeys"
            )
        if masked["pnr_unmasked"] != out["base"]["pnr"] - len(ids):
            problems.append(f"directive-2016 left {masked['pnr_unmasked']:,} PNRs unmasked")
    if old.summary is not None and any(
        gone[n] for n in ("pnr", "passenger", "hit", "sealed_pnr", "api_manifest")
    ):
        problems.append(f"+5 years left rows: {gone}")
    out["problems"] = problems
    for problem in problems:
        _say(f"{backend.name}: PROBLEM {problem}")
    return out


# -- main -------------------------------------------------------------------------------------


def _stage_moments(stores: dict[str, Store]) -> tuple[datetime, datetime]:
    """(six months and a day after the last registration, five years and a day after it)."""
    store = next(iter(stores.values()))
    with store.engine.connect() as conn:
        last = max(
            conn.execute(select(func.max(schema.pnr.c.first_received_at))).scalar_one(),
            conn.execute(select(func.max(schema.api_manifest.c.received_at))).scalar_one(),
        )
        first = conn.execute(select(func.min(schema.pnr.c.first_received_at))).scalar_one()
    day = last.date() + timedelta(days=1)
    now = datetime.combine(add_months(day, 6), datetime.min.time())
    later = datetime.combine(add_years(day, 5), datetime.min.time())
    _say(f"registrations {first} .. {last}; runs at {now} and {later}")
    return now, later


def _pg_target() -> tuple[str | None, Any, str]:
    """(URL, cluster to stop, why skipped)."""
    url = os.environ.get("PIU_LAB_TEST_PG_URL")
    if url:
        return url, None, ""
    if pgserver.find_pg_bin() is None:
        return None, None, "no PostgreSQL binaries under /usr/lib/postgresql/*/bin"
    try:
        cluster = pgserver.start_cluster(durable=True)
    except (RuntimeError, OSError) as exc:
        return None, None, f"could not start PostgreSQL: {exc}"
    return cluster.url, cluster, ""


def run(args: argparse.Namespace) -> dict[str, Any]:
    _keys_in_environment()
    profile_dir = RESULTS if args.profile else None
    result: dict[str, Any] = {
        "settings": {
            "scale": args.scale,
            "blocks": args.blocks,
            "days": args.days,
            "seed": args.seed,
            "flagged_fraction": args.flagged,
            "rejected_fraction": args.rejected,
            "batch": BATCH,
            "profiled": bool(args.profile),
        },
        "results": [],
        "skipped": {},
    }
    with tempfile.TemporaryDirectory(prefix="piu-bench-life-") as tmp:
        backends: list[Backend] = []
        if "sqlite" in args.backends:
            backends.append(SqliteBackend(Path(tmp)))
        cluster = None
        if "postgresql" in args.backends:
            url, cluster, why = _pg_target()
            if url:
                pgserver.reset_database(url)
                backends.append(PgBackend(url))
            else:
                result["skipped"]["postgresql"] = why
                _say(f"PostgreSQL skipped: {why}")
        try:
            with contextlib.ExitStack() as stack:
                stores = {b.name: stack.enter_context(open_store(b.base_url)) for b in backends}
                history = build_history(stores, args.scale, args.blocks, args.days, args.seed)
                everyone = latest_passengers(next(iter(stores.values())))
                plan = plan_hits(everyone, args.flagged, args.rejected, args.seed)
                for backend in backends:
                    plant_hits(stores[backend.name], plan)
                    backend.settle(stores[backend.name])
                now, later = _stage_moments(stores)
            _say(
                f"history: {history.synth_journeys:,} synthetic journeys, {history.pnrs:,} PNRs; "
                f"{plan.flagged:,} of {plan.passengers:,} passengers flagged "
                f"({plan.flagged_pnrs:,} PNRs, {plan.shared_pnrs:,} shared)"
            )
            result["history"] = {
                **{k: v for k, v in vars(history).items() if k != "load_s"},
                "generate_s": round(history.generate_s, 1),
                "load_s": {k: round(v, 1) for k, v in history.load_s.items()},
            }
            result["plan"] = {k: v for k, v in vars(plan).items() if k not in ("hits", "events")}
            result["as_of"] = {"six_months": now.isoformat(), "five_years": later.isoformat()}
            for backend in backends:
                result["results"].append(measure(backend, plan, now, later, profile_dir))
        finally:
            if cluster is not None:
                cluster.stop()
    result["peak_mb"] = _peak_mb()
    return result


def _rate(value: int) -> str:
    return f"{value:,}/s"


def print_table(result: dict[str, Any]) -> None:
    h, p = result["history"], result["plan"]
    print(
        f"History: {len(h['blocks'])} blocks ({h['blocks'][0]} .. {h['blocks'][-1]}), "
        f"{h['synth_journeys']:,} synthetic journeys, {h['pnrs']:,} PNRs; "
        f"{p['flagged']:,} of {p['passengers']:,} passengers "
        f"({100 * p['flagged'] / p['passengers']:.2f} %) with a validated hit, on "
        f"{p['flagged_pnrs']:,} PNRs ({p['shared_pnrs']:,} shared with unflagged passengers); "
        f"{p['rejected']:,} others with a rejected hit.\n"
    )
    print("| backend | what | target | measured | ratio vs baseline |")
    print("|---|---|---:|---:|---:|")
    for r in result["results"]:
        b, d = r["backend"], r["due"]
        delete, read = r["baseline_delete"]["journeys_per_s"], r["baseline_read"]["journeys_per_s"]
        rows: list[tuple[str, str, str, str]] = [
            (
                f"baseline: plain cascade `DELETE FROM pnr` of the {d['pnrs']:,} due PNRs "
                f"({d['journeys']:,} journeys) + free pages",
                "",
                f"{_rate(delete)} ({r['baseline_delete']['seconds']} s)",
                "1",
            ),
            (
                "baseline: plain read of every row of the same PNRs "
                f"({r['baseline_read']['rows']:,} rows)",
                "",
                f"{_rate(read)} ({r['baseline_read']['seconds']} s)",
                "1",
            ),
        ]
        specs: list[tuple[str, str, Callable[[dict[str, Any]], str], int]] = [
            (
                "cjeu",
                "cjeu-2022 at +6 months (delete the unflagged, mask the kept)",
                lambda s: (
                    f"{s['deleted_pnrs']:,} PNRs + {s['deleted_passengers']:,} pax deleted, "
                    f"{s['kept_passengers']:,} pax kept in {s['masked_pnrs']:,} masked PNRs"
                ),
                delete,
            ),
            (
                "directive",
                "directive-2016 at +6 months (mask all)",
                lambda s: (
                    f"{s['masked_pnrs']:,} PNRs masked, {s['masked_values']:,} values, "
                    f"{s['sealed_parts']:,} sealed parts"
                ),
                read,
            ),
            (
                "five_years",
                "+5 years on the masked copy (delete all)",
                lambda s: (
                    f"{s['deleted_pnrs_5y']:,} PNRs, "
                    f"{s['deleted_manifests_5y']:,} manifests deleted"
                ),
                delete,
            ),
        ]
        for key, what, describe, base in specs:
            s = r[key]
            if "error" in s:
                done = {k: v for k, v in s["stage_seconds"].items() if k != "failed after"}
                rows.append(
                    (
                        f"{what}: **FAILED** ({s['error']}); stages done before: {done}",
                        f">= {TARGET:,}/s",
                        "failed",
                        "-",
                    )
                )
                continue
            again = r[f"{key}_again"]
            rows.append(
                (
                    f"{what}: {s['journeys']:,} journeys; {describe(s)}; second run: "
                    + ("nothing to do" if again["nothing_to_do"] else f"did {again['counts']}"),
                    f">= {TARGET:,}/s",
                    f"{_rate(s['journeys_per_s'])} ({s['seconds']} s)",
                    f"{s['journeys_per_s'] / base:.2f}" if base else "-",
                )
            )
        for what, target, measured, ratio in rows:
            print(f"| {b} | {what} | {target} | {measured} | {ratio} |")
    for name, why in result["skipped"].items():
        print(f"| {name} | skipped: {why} | | | |")
    print(
        "\nRatios: cjeu-2022 and +5 years against the plain delete, directive-2016 against the "
        "plain read (same PNRs, same batches, same run)."
    )
    for r in result["results"]:
        for problem in r["problems"]:
            print(f"\n**{r['backend']}: {problem}**")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "belgium"], default="small")
    parser.add_argument("--blocks", type=int, default=13, help="months with departures")
    parser.add_argument("--days", type=int, default=8, help="days of departures per month")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flagged", type=float, default=0.003, help="share of passengers kept")
    parser.add_argument(
        "--rejected", type=float, default=0.003, help="share of passengers with a rejected hit"
    )
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--quick", action="store_true", help="4 blocks of 2 days")
    parser.add_argument("--profile", action="store_true", help="cProfile each lifecycle run")
    args = parser.parse_args()
    if args.quick:
        args.blocks, args.days = 4, 2
    result = {
        "machine": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        },
        **run(args),
    }
    print_table(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("lifecycle_quick.json" if args.quick else "lifecycle.json")
    out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nJSON: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

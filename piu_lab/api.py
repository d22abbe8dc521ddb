"""The facade of PIU Lab: the only module that widgets, notebooks and reports import.

``open_lab(url=None, *, clock=None) -> Lab`` opens (and, by default, creates or migrates) the
passenger database: the embedded SQLite file at the per-user path, ``PIU_LAB_DB``, or a
PostgreSQL URL. The facade stays thin: it delegates to its layers and holds no rule.

Sessions (who, why, when), access decisions and the audit log arrive with the access-control
issue; until then the facade exposes only what carries no personal data (counts, schema state)
and the demo loader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from piu_lab import store as _store
from piu_lab import synth as _synth
from piu_lab.clock import Clock, FrozenClock, SystemClock
from piu_lab.errors import (
    ConfigurationError,
    DatabaseUnreachable,
    InvalidRecord,
    PiuLabError,
    ReadOnlyDatabase,
    SchemaNotInitialised,
    SchemaTooNew,
    StoreError,
    SynthError,
    UnknownDatabaseURL,
)
from piu_lab.model import Pnr

__all__ = [
    "Clock",
    "ConfigurationError",
    "DatabaseUnreachable",
    "DemoResult",
    "FrozenClock",
    "InvalidRecord",
    "Lab",
    "LabSummary",
    "PiuLabError",
    "ReadOnlyDatabase",
    "SchemaNotInitialised",
    "SchemaTooNew",
    "StoreError",
    "SynthConfig",
    "SynthError",
    "SystemClock",
    "UnknownDatabaseURL",
    "default_database_url",
    "open_lab",
]

SynthConfig = _synth.SynthConfig
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class LabSummary:
    """Where the database is and how many rows each table holds (no personal data)."""

    url: str
    dialect: str
    schema_revision: str | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``Lab.load_demo`` generated, wrote and stored."""

    traffic: dict[str, int]
    files: dict[str, int]
    out_dir: Path | None
    new_versions: int
    duplicates: int
    manifests: int


def default_database_url() -> str:
    """The database used when no URL is given: ``PIU_LAB_DB`` or the per-user SQLite file."""
    return _store.resolve_url(None)


class Lab:
    """An open PIU Lab: the database and the clock every deadline is measured with."""

    def __init__(self, store: _store.Store, clock: Clock) -> None:
        self._store = store
        self.clock = clock

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

    def load_demo(
        self,
        config: _synth.SynthConfig,
        *,
        out_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> DemoResult:
        """Generate synthetic traffic, write its carrier messages to ``out_dir`` (when given) and
        load its records straight into the store.

        Until the ingest issue lands, records go in directly; the written PNRGOV/PAXLST files
        are what the ingest will read. Loading twice stores nothing twice (versions are keyed).
        """
        traffic = _synth.generate(config, progress=progress)
        files: dict[str, int] = {}
        if out_dir is not None:
            files = _synth.write_traffic(traffic, out_dir, progress=progress)
        self._store.write_carriers(traffic.carriers)
        pnr_result = self._write_in_batches(traffic.pnrs, progress)
        api_result = self._store.write_manifests(traffic.manifests)
        return DemoResult(
            traffic=traffic.summary(),
            files=files,
            out_dir=out_dir,
            new_versions=pnr_result[0],
            duplicates=pnr_result[1],
            manifests=api_result.new_versions,
        )

    def _write_in_batches(
        self, pnrs: Sequence[Pnr], progress: Progress | None, batch: int = 20_000
    ) -> tuple[int, int]:
        new = dup = 0
        for start in range(0, len(pnrs), batch):
            result = self._store.write_pnrs(pnrs[start : start + batch])
            new += result.new_versions
            dup += result.duplicates
            if progress is not None:
                progress("store", min(start + batch, len(pnrs)), len(pnrs))
        return new, dup

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

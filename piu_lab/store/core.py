"""The :class:`Store`: one passenger database, SQLite file or PostgreSQL server.

``open_store(url=None, *, create=True)`` resolves the URL (:mod:`.url`), connects, and checks the
schema revision: no schema and ``create`` -> migrate to head; no schema and not ``create`` ->
:class:`SchemaNotInitialised`; a revision this code does not know (a newer PIU Lab wrote it) ->
:class:`SchemaTooNew`; an older one -> migrate when ``create``, else SchemaNotInitialised.
Driver errors come out as :class:`DatabaseUnreachable` or :class:`ReadOnlyDatabase` (one line,
password masked). Each write is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, func, select, update

from piu_lab.errors import InvalidRecord, SchemaNotInitialised, SchemaTooNew, StoreError
from piu_lab.model import ApiManifest, Carrier, MessageKind, MessageStatus, Pnr
from piu_lab.store import intake, migrate, reads, rebuild, schema, writes
from piu_lab.store.engine import (
    make_engine,
    prepare_sqlite_folder,
    sqlite_file_exists,
    translating,
)
from piu_lab.store.frames import naive_utc
from piu_lab.store.url import backend_of, mask_url, resolve_url, sqlite_path
from piu_lab.store.writes import WriteResult

__all__ = ["Store", "open_store"]


class Store:
    """An open passenger database. Use :func:`open_store` rather than the constructor."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._raw_url = url
        self.url: str = mask_url(url)
        self.dialect: Literal["sqlite", "postgresql"] = backend_of(url)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for layers that run their own Core queries)."""
        return self._engine

    @contextmanager
    def _connect(self, action: str) -> Iterator[Connection]:
        with translating(self._raw_url, action), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _begin(self, action: str) -> Iterator[Connection]:
        with translating(self._raw_url, action), self._engine.begin() as conn:
            yield conn

    # -- schema ---------------------------------------------------------------------------

    def schema_revision(self) -> str | None:
        """The Alembic revision of the database; None when it has no schema."""
        with self._connect("read the schema revision") as conn:
            return migrate.current_revision(conn)

    def init(self) -> str:
        """Create the schema or migrate it to the newest revision; returns that revision."""
        self._check_not_newer(self.schema_revision())
        with self._begin("create or migrate the schema") as conn:
            migrate.upgrade(conn)
        return migrate.head_revision()

    def _check_not_newer(self, revision: str | None) -> None:
        if revision is not None and revision not in migrate.known_revisions():
            raise SchemaTooNew(
                f"the database {self.url} has schema revision {revision}, newer than this PIU "
                f"Lab knows (up to {migrate.head_revision()})",
                revision=revision,
            )

    def _ensure_schema(self, *, create: bool) -> None:
        revision = self.schema_revision()
        self._check_not_newer(revision)
        if revision == migrate.head_revision():
            return
        if not create:
            state = "has no PIU Lab schema" if revision is None else f"has schema {revision}"
            raise SchemaNotInitialised(
                f"the database {self.url} {state}; this PIU Lab needs {migrate.head_revision()}",
                revision=revision,
            )
        self.init()

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close every pooled connection (the store cannot be used afterwards)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------------------

    def write_pnrs(self, pnrs: Sequence[Pnr]) -> WriteResult:
        """Store PNR pushes as versions of their record locators (R-DATA-04), one transaction.

        Each PNR is checked first (``check_pnr``: :class:`InvalidRecord` and nothing written);
        a version already stored, or twice in ``pnrs``, is skipped and counted in
        ``duplicates``.
        """
        with self._begin("write PNRs") as conn:
            return writes.write_pnrs(conn, pnrs)

    def write_manifests(self, manifests: Sequence[ApiManifest]) -> WriteResult:
        """Store PAXLST manifests (R-DATA-03); ``new_versions`` counts the new manifests."""
        with self._begin("write API manifests") as conn:
            return writes.write_manifests(conn, manifests)

    def write_carriers(self, carriers: Sequence[Carrier]) -> int:
        """Insert or update carriers by code; returns the number of carriers written."""
        with self._begin("write carriers") as conn:
            return writes.write_carriers(conn, carriers)

    # -- message bookkeeping --------------------------------------------------------------

    def record_message(
        self,
        *,
        message_id: str,
        kind: MessageKind | str,
        sha256: str,
        received_at: datetime,
        status: MessageStatus | str,
        reason: str = "",
        sender: str = "",
        recipient: str = "",
        sent_at: datetime | None = None,
        envelope: Mapping[str, Any] | None = None,
        warnings: Sequence[str] = (),
        sensitive_deleted: Mapping[str, int] | None = None,
    ) -> None:
        """Record a received message (nothing received is silently lost).

        ``sensitive_deleted`` holds counts per deleted category, never values (R-SENS-02).
        A message id recorded before raises :class:`StoreError`: change its status with
        :meth:`set_message_status`.
        """
        row = {
            "message_id": message_id,
            "kind": _member(MessageKind, kind, "kind").value,
            "sha256": sha256,
            "sender": sender,
            "recipient": recipient,
            "sent_at": None if sent_at is None else naive_utc(sent_at),
            "received_at": naive_utc(received_at),
            "status": _member(MessageStatus, status, "status").value,
            "reason": reason,
            "envelope": None if envelope is None else json.dumps(envelope, default=str),
            "warnings": json.dumps(list(warnings)),
            "sensitive_deleted": None
            if sensitive_deleted is None
            else json.dumps(dict(sensitive_deleted), sort_keys=True),
        }
        with self._begin("record a message") as conn:
            if self._message_status(conn, message_id) is not None:
                raise StoreError(
                    f"message {message_id} is already recorded",
                    hint="change its status with set_message_status",
                    message_id=message_id,
                )
            conn.execute(schema.message.insert(), row)

    def set_message_status(
        self, message_id: str, status: MessageStatus | str, reason: str = ""
    ) -> None:
        """Change the status of a recorded message; an empty ``reason`` keeps the old one (a
        quarantined message keeps why it was quarantined)."""
        values: dict[str, str] = {"status": _member(MessageStatus, status, "status").value}
        if reason:
            values["reason"] = reason
        table = schema.message
        with self._begin("update a message") as conn:
            done = conn.execute(
                update(table).where(table.c.message_id == message_id).values(**values)
            )
            if done.rowcount == 0:
                raise StoreError(
                    f"no message {message_id} is recorded",
                    hint="record it first with record_message",
                    message_id=message_id,
                )

    def message_status(self, message_id: str) -> MessageStatus | None:
        """The status of a recorded message; None when the id is not recorded."""
        with self._connect("read a message") as conn:
            return self._message_status(conn, message_id)

    @staticmethod
    def _message_status(conn: Connection, message_id: str) -> MessageStatus | None:
        table = schema.message
        found = conn.execute(
            select(table.c.status).where(table.c.message_id == message_id)
        ).scalar_one_or_none()
        return None if found is None else MessageStatus(found)

    # -- intake (the ingest) -------------------------------------------------------------

    def store_messages(
        self,
        batch: Sequence[intake.Incoming],
        refusals: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> list[intake.IntakeResult]:
        """Store parsed messages, each entirely or not at all, in one transaction (see
        :mod:`.intake`); build each row with :func:`piu_lab.store.intake.message_row`.
        ``refusals`` (by message id): the scope's counts of what was refused (R-SCOPE-02)."""
        if not batch:
            return []
        with self._begin("store messages") as conn:
            return intake.store_messages(conn, batch, refusals)

    def quarantine_message(
        self,
        row: dict[str, Any],
        *,
        source: str,
        segment: int,
        detail: str,
        scrubbed: str,
        purge_after: datetime,
    ) -> None:
        """Keep an unparseable message's reason and scrubbed form (never the raw bytes)."""
        with self._begin("quarantine a message") as conn:
            intake.quarantine(
                conn,
                row,
                source=source,
                segment=segment,
                detail=detail,
                scrubbed=scrubbed,
                purge_after=purge_after,
            )

    def purge_quarantine(self, now: datetime) -> int:
        """Drop the scrubbed forms past their purge date; returns how many were purged."""
        with self._begin("purge the quarantine") as conn:
            return intake.purge_quarantine(conn, now)

    def message_counts(self) -> dict[str, int]:
        """Received messages per status (STORED, DUPLICATE, QUARANTINED...)."""
        m = schema.message
        with self._connect("count messages") as conn:
            rows = conn.execute(select(m.c.status, func.count()).group_by(m.c.status))
            return {str(status): int(n) for status, n in rows}

    # -- reads ----------------------------------------------------------------------------

    def read_journeys(self, day: date, *, belgium_only: bool = True) -> pd.DataFrame:
        """Passenger x segment rows of the latest PNR versions departing on ``day`` (UTC).

        See :func:`piu_lab.store.reads.read_journeys` for the columns (``JOURNEY_COLUMNS``).
        """
        with self._connect("read journeys") as conn:
            return reads.read_journeys(conn, day, belgium_only=belgium_only)

    def read_table(self, name: str, *, limit: int | None = None) -> pd.DataFrame:
        """A whole table as a frame (ordered by primary key); only the schema's tables."""
        table = schema.TABLES.get(name)
        if table is None:
            raise StoreError(
                f"no table {name!r} in the PIU Lab schema",
                hint="use one of: " + ", ".join(schema.TABLES),
                table=name,
            )
        with self._connect(f"read table {name}") as conn:
            return reads.read_table(conn, table, limit=limit)

    def counts(self) -> dict[str, int]:
        """Rows per table (no personal data)."""
        with self._connect("count rows") as conn:
            return reads.counts(conn)

    def pnr_versions(self, pnr_id: str) -> pd.DataFrame:
        """The stored versions of one PNR, oldest first, with passenger and segment counts."""
        with self._connect("read PNR versions") as conn:
            return reads.pnr_versions(conn, pnr_id)

    def pnr_registered_at(self, pnr_id: str) -> datetime | None:
        """When a PNR was first registered in the database (UTC), None when not stored:
        the start of its six months (R-RET-02). No personal data."""
        p = schema.pnr
        with self._connect("read a PNR") as conn:
            value = conn.execute(
                select(p.c.first_received_at).where(p.c.pnr_id == pnr_id)
            ).scalar_one_or_none()
        if value is None:
            return None
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

    def read_pnr_tables_departing(self, day: date) -> dict[str, pd.DataFrame]:
        """Every stored row of the PNRs departing on ``day`` (UTC), one frame per table."""
        with self._connect("read PNRs of a day") as conn:
            return reads.pnr_tables_departing(conn, day)

    def read_pnr_tables(self, pnr_id: str) -> dict[str, pd.DataFrame]:
        """Every stored row of one PNR (all versions), one frame per PNR table."""
        with self._connect("read a PNR") as conn:
            return reads.pnr_tables(conn, pnr_id)

    def read_pnr(self, pnr_id: str, version: int | None = None) -> Pnr | None:
        """One stored version (default: the latest) as a :class:`Pnr`; None when absent."""
        with self._connect("read a PNR") as conn:
            return rebuild.read_pnr(conn, pnr_id, version)


def _member(enum: Any, value: object, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InvalidRecord(
            f"{field}: not one of {', '.join(m.value for m in enum)}", errors=(field,)
        ) from None


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open the passenger database at ``url`` (default: ``PIU_LAB_DB`` or the per-user file).

    Raises :class:`UnknownDatabaseURL`, :class:`DatabaseUnreachable`,
    :class:`ReadOnlyDatabase`, :class:`SchemaTooNew` or :class:`SchemaNotInitialised`.
    """
    resolved = resolve_url(url)
    if backend_of(resolved) == "sqlite":
        if not create and not sqlite_file_exists(resolved):
            raise SchemaNotInitialised(
                f"no database file at {sqlite_path(resolved)}", path=str(sqlite_path(resolved))
            )
        prepare_sqlite_folder(resolved)
    store = Store(make_engine(resolved), resolved)
    try:
        store._ensure_schema(create=create)
    except BaseException:
        store.close()
        raise
    return store

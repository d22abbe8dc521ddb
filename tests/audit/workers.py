"""Processes for the concurrency test (importable by the ``spawn`` start method)."""

from __future__ import annotations

from datetime import UTC, datetime

from piu_lab.audit import AuditLog
from piu_lab.clock import FrozenClock
from piu_lab.store import open_store


def append_many_times(url: str, worker: int, count: int) -> int:
    """Open an own store on ``url`` and append ``count`` events one by one."""
    with open_store(url, create=False) as store:
        log = AuditLog(store, FrozenClock(datetime(2026, 3, 1, tzinfo=UTC)))
        for i in range(count):
            log.append(
                actor=f"W{worker}",
                action="collect",
                objects=(f"message:W{worker}-{i}",),
                record_count=1,
                detail={"worker": worker, "i": i},
            )
    return count

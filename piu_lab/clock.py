"""Injected time. Nothing deep in PIU Lab reads the system clock: it is handed a :class:`Clock`.

Deadlines (24 h validation R-PRE-03, 6-month masking R-RET-02, 5-year deletion R-RET-01,
1-month DPO advice, 3-year secondment) are tested with :class:`FrozenClock`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FrozenClock", "SystemClock", "ensure_utc"]


def ensure_utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime; a naive value is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    """The real clock (UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(slots=True)
class FrozenClock:
    """A clock that only moves when told to: ``FrozenClock(at).advance(hours=24)``."""

    at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        self.at = ensure_utc(self.at)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**kwargs)``; returns the new time."""
        self.at = self.at + (delta if delta is not None else timedelta(**kwargs))
        return self.at

    def set(self, moment: datetime) -> None:
        self.at = ensure_utc(moment)

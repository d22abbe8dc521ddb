"""The errors of access control, defined in :mod:`piu_lab.errors` (one tree) and re-exported."""

from __future__ import annotations

from piu_lab.errors import AccessDenied, AccessError, RegisterError

__all__ = ["AccessDenied", "AccessError", "RegisterError"]

"""Re-personalisation for the session facade: the values sealed at six months put back into
what a read returns, only when the session's authorisation allows unmasking (R-RET-04). The
private unsealing key is read here and nowhere else in the facade."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import select

from piu_lab.lifecycle.masking import sealed_frames, unseal_journeys, unseal_pnr
from piu_lab.lifecycle.sealing import Unsealer, private_key
from piu_lab.store import Store
from piu_lab.store.schema import pnr as pnr_table

__all__ = ["journeys", "pnr_tables"]


def pnr_tables(
    store: Store, pnr_id: str, tables: Mapping[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], Counter[str]]:
    """One PNR's tables with its sealed values back, and the values opened per field."""
    with store.engine.connect() as conn:
        return unseal_pnr(conn, pnr_id, tables, Unsealer(private_key()))


def journeys(
    store: Store, frame: pd.DataFrame, scope: Sequence[str]
) -> tuple[pd.DataFrame, Counter[str]]:
    """Journeys with the sealed names and first document of their masked PNRs back (only
    those in ``scope`` when it names PNRs), and the values opened per field."""
    candidates = sorted(set(frame["pnr_id"]))
    if scope:
        allowed = set(scope)
        candidates = [p for p in candidates if p in allowed]
    if not candidates:
        return frame, Counter()
    p = pnr_table
    with store.engine.connect() as conn:
        masked = [
            str(r[0])
            for r in conn.execute(
                select(p.c.pnr_id).where(p.c.pnr_id.in_(candidates), p.c.masked_at.is_not(None))
            ).all()
        ]
        if not masked:
            return frame, Counter()
        sealed = sealed_frames(conn, masked, Unsealer(private_key()))
    return unseal_journeys(frame, sealed)

"""What :func:`piu_lab.synth.generate` returns: the traffic, the watchlists and the ground truth."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from piu_lab.model import ApiManifest, Carrier, Passenger, Pnr, PushStage, Sector
from piu_lab.synth.config import SynthConfig
from piu_lab.synth.schedule import Transport

__all__ = ["Push", "SynthTraffic"]


@dataclass(frozen=True, slots=True)
class Push:
    """One PNRGOV message: the PNRs of one transport at one push, in ``SynthTraffic.pnrs``."""

    message_id: str
    stage: PushStage
    transport: Transport
    received_at: datetime
    first: int  # index of its first PNR in SynthTraffic.pnrs
    count: int
    retimed: bool = False  # the early push still showed the old schedule

    @property
    def departure_local(self) -> datetime:
        from datetime import timedelta

        shift = timedelta(minutes=self.transport.early_shift_min if self.retimed else 0)
        return self.transport.departure_local - shift

    @property
    def arrival_local(self) -> datetime:
        from datetime import timedelta

        shift = timedelta(minutes=self.transport.early_shift_min if self.retimed else 0)
        return self.transport.arrival_local - shift


@dataclass(frozen=True, slots=True)
class SynthTraffic:
    """Synthetic passenger traffic of ``config.days`` days and everything planted in it.

    ``pnrs`` holds every version of every PNR in the order the PIU receives them; ``pushes``
    says which of them each PNRGOV message carries. ``sensitive`` maps ``(pnr_id, version,
    pax_ref)`` to the SSR/OSI/RM items that only the EDIFACT carries. ``truth`` has the frames
    ``watchlist_hits``, ``networks``, ``criteria`` and ``persons``.
    """

    config: SynthConfig
    carriers: tuple[Carrier, ...]
    pnrs: tuple[Pnr, ...]
    manifests: tuple[ApiManifest, ...]
    sensitive: Mapping[tuple[str, int, str], tuple[str, ...]]
    watchlists: pd.DataFrame
    truth: Mapping[str, pd.DataFrame]
    transports: tuple[Transport, ...] = ()
    pushes: tuple[Push, ...] = ()
    journeys: int = 0
    journeys_by_sector: tuple[tuple[str, int], ...] = ()

    def travellers(self) -> pd.DataFrame:
        """Every PNR passenger, as of the latest version of their PNR, as screening takes them.

        Columns: ``traveller_id`` (``PNR_ID/PAX_REF``), ``pnr_id``, ``pax_ref``, ``surname``,
        ``given_names`` and, from the first travel document, ``date_of_birth`` (ISO text),
        ``nationality`` and ``document_number`` (null without a document).
        """
        latest: dict[tuple[str, str], tuple[int, Passenger]] = {}
        for pnr in self.pnrs:
            for pax in pnr.passengers:
                key = (pnr.pnr_id, pax.pax_ref)
                if key not in latest or latest[key][0] <= pnr.version:
                    latest[key] = (pnr.version, pax)
        rows = []
        for (pnr_id, ref), (_, pax) in latest.items():
            doc = pax.documents[0] if pax.documents else None
            dob = doc.date_of_birth if doc is not None else None
            rows.append(
                {
                    "traveller_id": f"{pnr_id}/{ref}",
                    "pnr_id": pnr_id,
                    "pax_ref": ref,
                    "surname": pax.surname,
                    "given_names": pax.given_names,
                    "date_of_birth": dob.isoformat() if dob is not None else None,
                    "nationality": (doc.nationality or None) if doc is not None else None,
                    "document_number": (doc.number or None) if doc is not None else None,
                }
            )
        return pd.DataFrame(rows)

    def summary(self) -> dict[str, int]:
        """Counts only (no personal data): for the CLI table and ``summary.json``."""
        by_sector = dict(self.journeys_by_sector)
        pnr_ids = {p.pnr_id for p in self.pnrs}
        out = {
            "days": self.config.days,
            "journeys": self.journeys,
            **{f"journeys_{s.value.lower()}": by_sector.get(s.value, 0) for s in Sector},
            "flights": sum(1 for t in self.transports if t.sector is Sector.AIR),
            "transports": len(self.transports),
            "carriers": len({t.carrier for t in self.transports}),
            "pnrs": len(pnr_ids),
            "pnr_versions": len(self.pnrs),
            "passengers": sum(len(p.passengers) for p in self.pnrs),
            "pushes": len(self.pushes),
            "manifests": len(self.manifests),
            "sensitive_items": sum(len(v) for v in self.sensitive.values()),
            "watchlist_entries": len(self.watchlists),
            "persons": int(self.truth["persons"]["person_id"].nunique())
            if "persons" in self.truth
            else 0,
        }
        for name, frame in sorted(self.truth.items()):
            if name != "persons":
                out[f"planted_{name}"] = len(frame)
        return out

"""The DPO overview (R-DPO-01, R-LOG-02/03): staff access ending (clearances, secondments,
grants), DPO advice deadlines, the audit chain, unusual access (refused requests by member),
lifecycle runs, scope decisions, and the hit rates by group (``session.disparity``).

Shown only to whom the facade lets read the audit log (the DPO, the supervisors): the page is
gated on one audited read of the log's last event.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets.audit import AuditExplorer
from widgets.common import banner, esc, frame_html, guarded, set_message

__all__ = ["ADVICE_PENDING", "DpoOverview"]

ADVICE_PENDING = (
    "DPO advice and the head of unit's one-month decision deadlines: these arrive with the DPO "
    "registers issue."
)


class DpoOverview:
    """Registers and the log for the DPO; refused (in the page) to anyone else."""

    def __init__(
        self,
        lab: api.Lab,
        session: api.Session,
        *,
        within_days: int = 180,
        show_banner: bool = True,
    ) -> None:
        self.lab = lab
        self.session = session
        self.within_days = within_days
        self.message = w.HTML()
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [w.HTML("<h3>DPO overview</h3>"), self.message]
        self.allowed = guarded(self.message, self._gate) is not None
        self.audit: AuditExplorer | None = None
        self.sections: dict[str, w.HTML] = {}
        if self.allowed:
            parts += self._build()
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-dpo")

    def _gate(self) -> pd.DataFrame:
        last = max(self.lab.audit_chain().last_sequence, 1)
        return self.session.audit_events(from_seq=last, to_seq=last)

    def _section(self, key: str, title: str, body: str) -> list[w.Widget]:
        box = w.HTML(body)
        self.sections[key] = box
        return [w.HTML(f"<h4>{esc(title)}</h4>"), box]

    def _build(self) -> list[w.Widget]:
        chain = self.lab.audit_chain()
        chain_box = w.HTML()
        set_message(
            chain_box, esc(f"Audit chain: {chain.text()}"), kind="ok" if chain.ok else "refusal"
        )
        expiring = self.lab.staff_expiries(self.within_days)
        disparity_box = w.HTML()
        disparity = guarded(disparity_box, self.session.disparity)
        self.audit = AuditExplorer(self.session, self.lab, show_banner=False)
        parts: list[w.Widget] = [chain_box]
        parts += self._section(
            "staff",
            f"Staff access ending within {self.within_days} days (or ended)",
            frame_html(expiring),
        )
        parts += self._section(
            "advice", "DPO advice deadlines", f'<div class="piu-note">{esc(ADVICE_PENDING)}</div>'
        )
        parts += self._section(
            "lifecycle", "Lifecycle runs (masking, deletion)", frame_html(self.lab.lifecycle_runs())
        )
        parts += self._section(
            "scope", "Scope decisions (R-SCOPE-02)", frame_html(self.lab.scope_decisions())
        )
        parts += self._section(
            "sources", "Hits by source (R-CRIT-04)", frame_html(self.lab.hit_metrics())
        )
        parts += self._section(
            "disparity",
            "Hit and validation rates by group (R-CRIT-03)",
            frame_html(disparity) if disparity is not None else "",
        )
        parts.append(disparity_box)
        parts.append(self.audit.widget)
        return parts

    @property
    def refused(self) -> bool:
        return "piu-refusal" in self.message._dom_classes

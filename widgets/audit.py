"""The audit explorer for the DPO and the supervisors (R-LOG-02/03): the chain's state, the
events (references and counts, never values) filtered by actor, action and decision, and the
refused requests per member ("unusual access")."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets.common import banner, esc, frame_html, guarded, set_message

__all__ = ["AuditExplorer", "denied_by_member"]

_COLUMNS = [
    "sequence",
    "at",
    "actor",
    "action",
    "purpose",
    "decision",
    "rule_id",
    "objects",
    "record_count",
]


def denied_by_member(events: pd.DataFrame) -> pd.DataFrame:
    """Refused requests per actor and rule, most first (actor, rule_id, denied, last_at)."""
    if events.empty:
        return pd.DataFrame(columns=["actor", "rule_id", "denied", "last_at"])
    denied = events[events["decision"] == "denied"]
    out = denied.groupby(["actor", "rule_id"], dropna=False, as_index=False).agg(
        denied=("sequence", "size"), last_at=("at", "max")
    )
    return out.sort_values(["denied", "last_at"], ascending=False, ignore_index=True)


class AuditExplorer:
    """The audit log as the DPO reads it (``session.audit_events``: each read is itself
    audited) and its chain status (``lab.audit_chain``)."""

    def __init__(
        self,
        session: api.Session,
        lab: api.Lab | None = None,
        *,
        show_banner: bool = True,
        last: int = 500,
    ) -> None:
        self.session = session
        self.lab = lab
        self.last = last
        self.events = pd.DataFrame(columns=_COLUMNS)
        self.chain = w.HTML()
        self.actor = w.Dropdown(description="Actor", options=[("all", "")])
        self.action = w.Dropdown(description="Action", options=[("all", "")])
        self.decision = w.Dropdown(
            description="Decision",
            options=[("all", ""), ("allowed", "allowed"), ("denied", "denied")],
        )
        self.refresh_button = w.Button(description="Refresh the log")
        self.message = w.HTML()
        self.denied = w.HTML()
        self.table = w.HTML()
        for box in (self.actor, self.action, self.decision):
            box.observe(lambda _c: self.render(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            w.HTML("<h3>Audit log</h3>"),
            self.chain,
            w.HBox([self.actor, self.action, self.decision, self.refresh_button]),
            self.message,
            w.HTML("<h4>Refused requests by member</h4>"),
            self.denied,
            w.HTML(f"<h4>Events (the last {last})</h4>"),
            self.table,
        ]
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-audit")
        self.refresh()

    def _read(self) -> pd.DataFrame:
        start = 1
        if self.lab is not None:
            status = self.lab.audit_chain()
            start = max(1, status.last_sequence - self.last + 1)
        return self.session.audit_events(from_seq=start)

    def refresh(self) -> None:
        if self.lab is not None:
            status = self.lab.audit_chain()
            set_message(
                self.chain,
                esc(f"Audit chain: {status.text()}"),
                kind="ok" if status.ok else "refusal",
            )
        loaded = guarded(self.message, self._read)
        self.events = loaded if loaded is not None and len(loaded) else self.events
        for box, column in ((self.actor, "actor"), (self.action, "action")):
            values = sorted(self.events[column].dropna().astype(str).unique())
            box.options = [("all", ""), *((v, v) for v in values)]
        self.render()

    def shown(self) -> pd.DataFrame:
        frame = self.events
        for box, column in (
            (self.actor, "actor"),
            (self.action, "action"),
            (self.decision, "decision"),
        ):
            if box.value:
                frame = frame[frame[column] == box.value]
        return frame.sort_values("sequence", ascending=False)

    def render(self) -> None:
        self.denied.value = frame_html(denied_by_member(self.events), limit=20)
        self.table.value = frame_html(self.shown(), _COLUMNS, limit=100)

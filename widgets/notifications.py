"""Notifications for the member's service (R-PRE-05): hits to review, other services' hits on
the same passenger-journey (existence only, never their content), common decisions."""

from __future__ import annotations

import json

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets.common import banner, frame_html, guarded

__all__ = ["KIND_LABELS", "Notifications", "describe"]

KIND_LABELS = {
    "hit_to_review": "hit to review",
    "other_services_hit": "other services have hits on this passenger-journey",
    "common_decided": "a common hit was decided by another service",
    "ocam_notification_due": "OCAM to be notified",
}


def describe(kind: str, detail: object) -> str:
    """A notification in words (services and states only: no passenger values)."""
    try:
        data = json.loads(str(detail)) if detail else {}
    except ValueError:
        data = {}
    text = KIND_LABELS.get(kind, kind.replace("_", " "))
    if kind == "other_services_hit":
        return f"{text}: {', '.join(data.get('other_services', []))}"
    if kind == "common_decided":
        return f"{text} ({data.get('decided_by', '?')}): {data.get('status', '?')}"
    if kind == "hit_to_review":
        return f"{text} ({data.get('kind', '?')}, {data.get('label', '')})"
    return text


class Notifications:
    """The newest notifications first, ``limit`` at a time, filterable by kind."""

    def __init__(self, session: api.Session, *, limit: int = 25, show_banner: bool = True) -> None:
        self.session = session
        self.limit = limit
        self.frame = pd.DataFrame()
        self.kind = w.Dropdown(
            options=[("all", "")] + [(v, k) for k, v in KIND_LABELS.items()],
            description="Kind",
        )
        self.refresh_button = w.Button(description="Refresh notifications")
        self.summary = w.HTML()
        self.table = w.HTML()
        self.message = w.HTML()
        self.kind.observe(lambda _c: self.render(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            w.HTML("<h3>Notifications</h3>"),
            w.HBox([self.kind, self.refresh_button]),
            self.message,
            self.summary,
            self.table,
        ]
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-notifications")
        self.refresh()

    def refresh(self) -> None:
        loaded = guarded(self.message, self.session.notifications)
        self.frame = loaded if loaded is not None else pd.DataFrame()
        self.render()

    def shown(self) -> pd.DataFrame:
        frame = self.frame
        if frame.empty:
            return frame
        if self.kind.value:
            frame = frame[frame["kind"] == self.kind.value]
        what = [describe(k, d) for k, d in zip(frame["kind"], frame["detail"], strict=True)]
        return frame.assign(what=what)[["at", "kind", "what", "hit_id", "pnr_id"]]

    def render(self) -> None:
        shown = self.shown()
        counts = self.frame["kind"].value_counts() if len(self.frame) else pd.Series(dtype="int64")
        self.summary.value = (
            ", ".join(f"{n} {KIND_LABELS.get(str(k), str(k))}" for k, n in counts.items())
            or "No notifications."
        )
        self.table.value = frame_html(shown, limit=self.limit)

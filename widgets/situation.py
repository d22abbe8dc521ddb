"""The situation view: volumes by sector and Belgian place, coverage and push timeliness by
carrier, open hits and their deadlines, hits by source. Counts only (``lab.situation()``,
``lab.hit_metrics()``): no personal data, yet shown only to a member of the staff register."""

from __future__ import annotations

from datetime import date

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets import figures
from widgets.common import banner, esc, frame_html, guarded, set_figure, set_message

__all__ = ["SituationView"]


class SituationView:
    """Figures and tables of :meth:`api.Lab.situation` for the period ``first``..``last``."""

    def __init__(
        self,
        lab: api.Lab,
        session: api.Session,
        *,
        first: date | None = None,
        last: date | None = None,
        show_banner: bool = True,
    ) -> None:
        self.lab = lab
        self.session = session
        self.situation: api.Situation | None = None
        self.first = w.DatePicker(description="From", value=first)
        self.last = w.DatePicker(description="To", value=last)
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.message = w.HTML()
        self.headline = w.HTML()
        self.outputs = {
            name: w.Output()
            for name in ("volumes", "places", "timeliness", "coverage", "hits", "deadlines")
        }
        self.tables = {name: w.HTML() for name in ("open_hits", "carriers", "timeliness")}
        self.refresh_button.on_click(lambda _b: self.refresh())
        out = self.outputs
        # Two figures at first; the others are drawn when their section is opened (the page's
        # first render is what people wait for: each plotly figure costs the browser ~0.5 s).
        self.more = w.Accordion(
            children=[
                w.HBox([out["deadlines"], out["hits"]]),
                w.HBox([out["timeliness"], out["coverage"]]),
            ],
            titles=("Deadlines and hits by source", "Push timeliness and coverage by carrier"),
        )
        self.more.selected_index = None
        self.more.observe(lambda _c: self.draw_more(), names="selected_index")
        self._metrics: pd.DataFrame | None = None
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            w.HTML("<h3>Situation</h3>"),
            w.HBox([self.first, self.last, self.refresh_button]),
            self.message,
            self.headline,
            w.HBox([out["volumes"], out["places"]]),
            w.HTML("<h4>Open hits by service</h4>"),
            self.tables["open_hits"],
            self.more,
            w.HTML("<h4>Coverage by carrier</h4>"),
            self.tables["carriers"],
            w.HTML(
                "<h4>Push timeliness by carrier (R-DATA-04: early push 48 to 24 h before "
                "departure, closure push within an hour after it)</h4>"
            ),
            self.tables["timeliness"],
        ]
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-situation")
        self.refresh()

    def refresh(self) -> api.Situation | None:
        set_message(self.message)
        found = guarded(self.message, lambda: self.lab.situation(self.first.value, self.last.value))
        metrics = guarded(self.message, self.lab.hit_metrics)
        self.situation = found
        if found is None:
            return None
        self.first.value, self.last.value = found.first, found.last
        n_open = int(found.open_hits["open"].sum()) if len(found.open_hits) else 0
        breached = int(found.open_hits["breached"].sum()) if len(found.open_hits) else 0
        self.headline.value = esc(
            f"{found.journeys:,} passenger-journeys departing {found.first} to {found.last}; "
            f"{len(found.carriers)} carriers pushed; {n_open} open hit(s), {breached} past "
            "the 24-hour deadline."
        )
        set_figure(self.outputs["volumes"], figures.volumes_figure(found.volumes))
        set_figure(self.outputs["places"], figures.places_figure(found.airports))
        self._metrics = metrics
        for name in ("deadlines", "hits", "timeliness", "coverage"):
            self.outputs[name].outputs = ()
        self.draw_more()
        self.tables["open_hits"].value = frame_html(found.open_hits)
        self.tables["carriers"].value = frame_html(found.carriers)
        self.tables["timeliness"].value = frame_html(found.timeliness)
        return found

    def draw_more(self, *, everything: bool = False) -> None:
        """Draw the figures of the open section (all of them with ``everything``)."""
        found, index = self.situation, self.more.selected_index
        if found is None:
            return
        out = self.outputs
        if everything or index == 0:
            set_figure(out["deadlines"], figures.deadlines_figure(found.deadlines))
            if self._metrics is not None:
                set_figure(out["hits"], figures.hits_by_source_figure(self._metrics))
        if everything or index == 1:
            set_figure(out["timeliness"], figures.timeliness_figure(found.timeliness))
            set_figure(out["coverage"], figures.coverage_figure(found.carriers))

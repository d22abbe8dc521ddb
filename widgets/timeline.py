"""A traveller's journeys in time: the travellers a name or document finds in a period
(``session.search``), and the itinerary of each PNR found (``session.pnr``), oldest first.

Every read is the facade's (decided and audited); masked values stay masked.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

import piu_lab.api as api
from widgets.common import banner, esc, frame_html, guarded, set_figure, set_message

__all__ = ["Timeline", "timeline_figure"]

_COLUMNS = [
    "departure_utc",
    "arrival_utc",
    "origin",
    "destination",
    "carrier",
    "transport_number",
    "sector",
    "pnr_id",
    "traveller",
]


def timeline_figure(journeys: pd.DataFrame) -> go.Figure:
    """One bar per leg from departure to arrival, one row per traveller."""
    fig = go.Figure()
    for traveller, part in journeys.groupby("traveller"):
        start = pd.to_datetime(part["departure_utc"], utc=True)
        end = pd.to_datetime(part["arrival_utc"], utc=True)
        fig.add_bar(
            base=start.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(),
            x=((end - start).dt.total_seconds() * 1000).tolist(),
            y=[str(traveller)] * len(part),
            orientation="h",
            name=str(traveller),
            text=(part["origin"] + "→" + part["destination"]).tolist(),
        )
    fig.update_layout(
        title="Journeys (UTC)",
        xaxis_type="date",
        height=300,
        template="plotly_white",
        showlegend=False,
    )
    return fig


class Timeline:
    """The journeys of the travellers a name or document finds (at most ``max_pnrs`` PNRs)."""

    def __init__(
        self, session: api.Session, *, max_pnrs: int = 20, show_banner: bool = True
    ) -> None:
        self.session = session
        self.max_pnrs = max_pnrs
        self.journeys = pd.DataFrame(columns=_COLUMNS)
        today = date.today()
        self.name = w.Text(description="Name")
        self.document = w.Text(description="Document")
        self.first = w.DatePicker(description="From", value=today - timedelta(days=30))
        self.last = w.DatePicker(description="To", value=today)
        self.show_button = w.Button(description="Show journeys", button_style="primary")
        self.message = w.HTML()
        self.table = w.HTML()
        self.figure = w.Output()
        self.show_button.on_click(lambda _b: self.show())
        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            w.HTML("<h3>Traveller timeline</h3>"),
            w.HBox([self.name, self.document]),
            w.HBox([self.first, self.last]),
            self.show_button,
            self.message,
            self.figure,
            self.table,
        ]
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-timeline")

    def _read(self) -> pd.DataFrame:
        page = self.session.search(
            departing_from=self.first.value,
            departing_to=self.last.value,
            name=self.name.value.strip() or None,
            document=self.document.value.strip() or None,
            page_size=self.max_pnrs,
        )
        rows = []
        for _, found in page.results.drop_duplicates(["pnr_id", "pax_ref"]).iterrows():
            record = self.session.pnr(str(found["pnr_id"]))
            legs = record.tables["segment"]
            legs = legs[legs["version"] == legs["version"].max()]
            who = (
                f"{found['surname']} {found['given_names']} ({found['pnr_id']}/{found['pax_ref']})"
            )
            rows.append(legs.assign(traveller=who))
        if not rows:
            return pd.DataFrame(columns=_COLUMNS)
        frame: pd.DataFrame = pd.concat(rows, ignore_index=True)[_COLUMNS]
        return frame.sort_values("departure_utc", ignore_index=True)

    def show(
        self,
        name: str | None = None,
        document: str | None = None,
        first: date | None = None,
        last: date | None = None,
    ) -> pd.DataFrame:
        """Find the travellers and lay out their journeys; a refusal shows in the page."""
        for box, value in (
            (self.name, name),
            (self.document, document),
            (self.first, first),
            (self.last, last),
        ):
            if value is not None:
                box.value = value
        set_message(self.message)
        found = guarded(self.message, self._read)
        self.journeys = found if found is not None else pd.DataFrame(columns=_COLUMNS)
        if found is not None and found.empty:
            set_message(self.message, esc("No journeys found."), kind="note")
        self.table.value = frame_html(self.journeys)
        if len(self.journeys):
            set_figure(self.figure, timeline_figure(self.journeys))
        else:
            self.figure.outputs = ()
        return self.journeys

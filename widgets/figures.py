"""Plotly figures of counts (no personal data): daily volumes by sector, journeys by Belgian
airport, station or port, carrier push timeliness and coverage, hits by source, deadlines.

Each function takes a frame from the facade (``lab.situation()``'s frames, ``lab.hit_metrics()``)
and returns a ``plotly.graph_objects.Figure``; show it with :func:`widgets.common.set_figure`
in an Output widget, or as a cell's result in a notebook.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "coverage_figure",
    "deadlines_figure",
    "hits_by_source_figure",
    "places_figure",
    "timeliness_figure",
    "volumes_figure",
]

_LAYOUT = {
    "height": 340,
    "margin": {"l": 50, "r": 20, "t": 50, "b": 50},
    "template": "plotly_white",
}


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=f"{title}: no data", **_LAYOUT)
    return fig


def volumes_figure(volumes: pd.DataFrame) -> go.Figure:
    """Passenger-journeys per departure day, stacked by sector."""
    title = "Passenger-journeys per day by sector"
    if volumes.empty:
        return _empty(title)
    fig = go.Figure()
    for sector, part in volumes.groupby("sector"):
        fig.add_bar(x=[str(d) for d in part["day"]], y=part["journeys"], name=str(sector))
    fig.update_layout(
        title=title, barmode="stack", xaxis_title="day (UTC)", yaxis_title="journeys", **_LAYOUT
    )
    return fig


def places_figure(places: pd.DataFrame, top: int = 15) -> go.Figure:
    """Journeys per Belgian airport, station or port, departures and arrivals."""
    title = "Journeys by Belgian airport, station or port"
    if places.empty:
        return _empty(title)
    order = places.groupby("place")["journeys"].sum().nlargest(top).index.tolist()
    fig = go.Figure()
    for direction, part in places[places["place"].isin(order)].groupby("direction"):
        summed = part.groupby("place")["journeys"].sum().reindex(order, fill_value=0)
        fig.add_bar(x=order, y=summed.to_numpy(), name=str(direction))
    fig.update_layout(title=title, barmode="group", yaxis_title="journeys", **_LAYOUT)
    return fig


def timeliness_figure(timeliness: pd.DataFrame) -> go.Figure:
    """The share of pushes on time per carrier, early and closure pushes (R-DATA-04)."""
    title = "Carrier push timeliness (% on time)"
    if timeliness.empty:
        return _empty(title)
    fig = go.Figure()
    for stage, part in timeliness.groupby("stage"):
        fig.add_bar(
            x=part["carrier"],
            y=part["on_time_pct"],
            name=f"{stage} push",
            customdata=part[["pushes", "late", "too_early"]],
            hovertemplate="%{x}: %{y}% on time of %{customdata[0]} pushes "
            "(%{customdata[1]} late, %{customdata[2]} too early)",
        )
    fig.update_layout(
        title=title, barmode="group", yaxis_title="% on time", yaxis_range=[0, 105], **_LAYOUT
    )
    return fig


def coverage_figure(carriers: pd.DataFrame) -> go.Figure:
    """Per carrier, the transports with a closure push and with an API manifest."""
    title = "Coverage by carrier (transports)"
    if carriers.empty:
        return _empty(title)
    fig = go.Figure()
    fig.add_bar(x=carriers["carrier"], y=carriers["transports"], name="transports pushed")
    fig.add_bar(x=carriers["carrier"], y=carriers["with_closure"], name="with closure push")
    fig.add_bar(x=carriers["carrier"], y=carriers["with_api"], name="with API manifest")
    fig.update_layout(title=title, barmode="group", yaxis_title="transports", **_LAYOUT)
    return fig


def hits_by_source_figure(metrics: pd.DataFrame) -> go.Figure:
    """Hits per list and criterion, split by decision (``lab.hit_metrics()``)."""
    title = "Hits by source"
    if metrics.empty:
        return _empty(title)
    fig = go.Figure()
    parts = (
        ("validated", "validated"),
        ("rejected_false_positive", "false positive"),
        ("rejected_discriminatory", "discriminatory"),
        ("open", "open"),
    )
    for column, label in parts:
        if column in metrics.columns:
            fig.add_bar(x=metrics["source"], y=metrics[column], name=label)
    fig.update_layout(title=title, barmode="stack", yaxis_title="hits", **_LAYOUT)
    return fig


def deadlines_figure(deadlines: pd.DataFrame) -> go.Figure:
    """Hours left before the 24-hour deadline of each open hit (below zero: breached)."""
    title = "Open hits: hours left before the 24-hour deadline"
    if deadlines.empty:
        return _empty(title)
    frame = deadlines.sort_values("hours_left")
    fig = go.Figure()
    for service, part in frame.groupby("service"):
        fig.add_bar(x=part["hit_id"], y=part["hours_left"], name=str(service))
    fig.add_hline(y=0, line_color="#b3261e")
    fig.update_layout(title=title, yaxis_title="hours left", xaxis_title="hit", **_LAYOUT)
    return fig

"""The counts the views show (``Lab.situation``, ``staff_expiries``, ``audit_chain``), the
figures drawn from them, notifications and the audit explorer."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from piu_lab import api
from tests.widgets.conftest import ANALYST, DPO, LAPSED
from widgets import figures
from widgets.audit import AuditExplorer, denied_by_member
from widgets.common import set_figure
from widgets.notifications import Notifications, describe

PERSONAL = {"surname", "given_names", "date_of_birth", "number", "document_number", "name"}


def test_the_situation_is_counts_only(lab: api.Lab) -> None:
    situation = lab.situation()
    assert situation.first < situation.last
    assert situation.journeys > 0
    frames = (situation.volumes, situation.airports, situation.carriers, situation.timeliness,
              situation.open_hits, situation.deadlines)  # fmt: skip
    for frame in frames:
        assert not PERSONAL & set(frame.columns)
    assert set(situation.volumes["sector"]) <= {"AIR", "HST", "BUS", "SEA"}
    assert (situation.carriers["with_closure"] <= situation.carriers["transports"]).all()
    timeliness = situation.timeliness
    assert (timeliness["on_time"] + timeliness["late"] + timeliness["too_early"]
            <= timeliness["pushes"]).all()  # fmt: skip
    assert int(situation.open_hits["open"].sum()) == len(situation.deadlines)
    assert situation.deadlines["hours_left"].is_monotonic_increasing


def test_an_empty_period_gives_empty_frames_and_figures(lab: api.Lab) -> None:
    far = lab.clock.now().date().replace(year=2001)
    situation = lab.situation(far, far)
    assert situation.journeys == 0
    assert "no data" in figures.volumes_figure(situation.volumes).layout.title.text


def test_staff_expiries_name_codes_not_people(lab: api.Lab) -> None:
    frame = lab.staff_expiries(within_days=60)
    assert LAPSED in set(frame["code"])
    assert "name" not in frame.columns
    lapsed = frame[frame["code"] == LAPSED].iloc[0]
    assert lapsed["what"] == "clearance"
    assert lapsed["days_left"] < 0
    assert not lapsed["active"]
    assert frame["days_left"].is_monotonic_increasing


def test_the_audit_chain_verifies(lab: api.Lab) -> None:
    chain = lab.audit_chain()
    assert chain.ok
    assert chain.events == chain.last_sequence > 0
    assert chain.text().startswith("intact")


def test_every_figure_is_a_plotly_figure_in_an_output(lab: api.Lab) -> None:
    import ipywidgets as w

    situation = lab.situation()
    made = [
        figures.volumes_figure(situation.volumes),
        figures.places_figure(situation.airports),
        figures.timeliness_figure(situation.timeliness),
        figures.coverage_figure(situation.carriers),
        figures.deadlines_figure(situation.deadlines),
        figures.hits_by_source_figure(lab.hit_metrics()),
    ]
    for fig in made:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) > 0
        out = w.Output()
        set_figure(out, fig)
        assert out.outputs[0]["output_type"] == "display_data"
        assert "application/vnd.plotly.v1+json" in out.outputs[0]["data"]


def test_notifications_tell_of_other_services_without_content(analyst: api.Session) -> None:
    view = Notifications(analyst)
    shown = view.shown()
    assert len(shown) > 0
    assert set(shown.columns) == {"at", "kind", "what", "hit_id", "pnr_id"}
    view.kind.value = "other_services_hit"
    others = view.shown()
    assert (others["kind"] == "other_services_hit").all()
    assert all(w.startswith("other services have hits") for w in others["what"])
    assert describe("unknown_kind", "not json") == "unknown kind"


def test_the_audit_explorer_counts_refusals_by_member(lab: api.Lab) -> None:
    analyst = lab.session(ANALYST, purpose="pre_assessment")
    with pytest.raises(api.AccessDenied):
        analyst.audit_events()
    explorer = AuditExplorer(lab.session(DPO, purpose="dpo_supervision"), lab)
    refused = denied_by_member(explorer.events)
    assert ANALYST in set(refused["actor"])
    explorer.decision.value = "denied"
    assert (explorer.shown()["decision"] == "denied").all()
    assert "intact" in explorer.chain.value
    assert denied_by_member(pd.DataFrame()).empty


def test_the_audit_explorer_is_refused_to_a_seconded_member(lab: api.Lab) -> None:
    explorer = AuditExplorer(lab.session(ANALYST, purpose="pre_assessment"), lab)
    assert "ACC-LOG-02" in explorer.message.value

"""The passenger search asks for the purpose first (R-SRCH-01/02); the timeline."""

from __future__ import annotations

import html
from datetime import timedelta

from piu_lab import api
from tests.widgets.conftest import ANALYST, DPO
from widgets.search import ASK_PURPOSE, PassengerSearch
from widgets.timeline import Timeline


def _name(lab: api.Lab) -> str:
    """A traveller of the main day, read as the DPO would."""
    dpo = lab.session(DPO, purpose="dpo_supervision")
    day = lab.clock.now().date() - timedelta(days=1)
    journeys = dpo.journeys(day)
    row = journeys[~journeys["masked"]].iloc[0]
    return f"{row['surname']} {row['given_names']}"


def test_nothing_is_searched_before_the_purpose_is_declared(lab: api.Lab) -> None:
    search = PassengerSearch(lab, user=DPO)
    assert not search.ready
    assert search.step2.layout.display == "none"
    assert search.search(name="ANY BODY") is None
    assert html.unescape(search.message.value) == ASK_PURPOSE
    assert "piu-refusal" in search.message._dom_classes
    assert search.widget.children.index(search.step1) < search.widget.children.index(search.step2)


def test_after_the_purpose_the_search_pages_its_results(lab: api.Lab) -> None:
    search = PassengerSearch(lab, user=DPO, page_size=2)
    name = _name(lab)
    assert search.declare("dpo_supervision") is not None
    assert search.ready
    assert search.step2.layout.display is None
    assert "under dpo supervision" in html.unescape(search.header.children[0].value)
    today = lab.clock.now().date()
    page = search.search(name=name, first=today - timedelta(days=2), last=today)
    assert page is not None
    assert page.total >= 1
    assert len(search.results_frame) <= 2
    assert f"page 1 of {page.pages}" in search.summary.value
    if page.pages > 1:
        assert search.turn(+1) is not None
        assert search.page is not None
        assert search.page.page == 1


def test_a_targeted_search_without_its_authorisation_is_refused(lab: api.Lab) -> None:
    search = PassengerSearch(lab, user=ANALYST)
    search.declare("targeted_search", request="REQ-NONE")
    today = lab.clock.now().date()
    assert search.search(name="ANY BODY", first=today - timedelta(days=1), last=today) is None
    assert "piu-refusal" in search.message._dom_classes
    assert "ACC-SRCH" in search.message.value


def test_an_unknown_member_cannot_declare_a_purpose(lab: api.Lab) -> None:
    search = PassengerSearch(lab, user="NOBODY-1")
    assert search.declare("dpo_supervision") is None
    assert not search.ready
    assert "ACC-ID-02" in search.message.value


def test_the_timeline_lays_out_a_travellers_journeys(lab: api.Lab) -> None:
    dpo = lab.session(DPO, purpose="dpo_supervision")
    timeline = Timeline(dpo)
    today = lab.clock.now().date()
    frame = timeline.show(name=_name(lab), first=today - timedelta(days=2), last=today)
    assert len(frame) >= 1
    assert frame["departure_utc"].is_monotonic_increasing
    bundle = timeline.figure.outputs[0]["data"]
    assert "application/vnd.plotly.v1+json" in bundle


def test_the_timeline_is_refused_under_criteria_analysis(lab: api.Lab) -> None:
    analysis = lab.session("PIU-S01", purpose="criteria_analysis")
    timeline = Timeline(analysis)
    assert timeline.show(name="ANY BODY").empty
    assert "ACC-ANA-02" in timeline.message.value

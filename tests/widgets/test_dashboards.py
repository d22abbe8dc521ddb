"""The three dashboards as Voilà builds them: banner, contract classes, refusals in the page."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from tests.widgets.conftest import ANALYST, DPO, HEAD, LAPSED
from tests.widgets.helpers import buttons, text, with_class
from widgets import dashboards

#: What the browser tests select (tests/views): keep in step with widgets/hit_queue.py.
HIT_REVIEW_CLASSES = ("piu-hit-queue", "piu-hit-status", "piu-open-hit", "piu-reason",
                      "piu-open-pnr", "piu-pnr-card", "piu-banner")  # fmt: skip
HIT_REVIEW_BUTTONS = ("Open hit", "Validate", "Reject (false positive)", "Open PNR")


def test_the_hit_review_dashboard_has_the_browser_contract(db_path: Path) -> None:
    page = dashboards.hit_review(db=str(db_path), user=ANALYST)
    for css in HIT_REVIEW_CLASSES:
        assert with_class(page, css), css
    assert set(HIT_REVIEW_BUTTONS) <= set(buttons(page))
    assert not with_class(page, "piu-refusal")
    status = with_class(page, "piu-hit-status")[0]
    assert "NEW" in status.value  # the first hit is open, ready for a reason and Validate
    assert "Hugo Peeters (FP-0233" in with_class(page, "piu-banner")[0].value


def test_identity_comes_from_the_environment(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIU_LAB_DB", str(db_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "VSSE-112")
    page = dashboards.hit_review()
    banner = with_class(page, "piu-banner")[0].value
    assert "VSSE-112" in banner
    assert "JUPYTERHUB_USER" in banner
    monkeypatch.setenv("PIU_LAB_USER", ANALYST)  # before JUPYTERHUB_USER
    assert ANALYST in with_class(dashboards.hit_review(), "piu-banner")[0].value


@pytest.mark.parametrize("build", [dashboards.hit_review, dashboards.situation,
                                   dashboards.dpo_overview])  # fmt: skip
@pytest.mark.parametrize(("user", "rule"), [(LAPSED, "ACC-ACT-01"), ("NOBODY-1", "ACC-ID-02"),
                                            (None, "ACC-ID-01")])  # fmt: skip
def test_a_person_without_rights_sees_a_refusal_box(
    db_path: Path, build: object, user: str | None, rule: str
) -> None:
    page = build(db=str(db_path), user=user)  # type: ignore[operator]
    refusals = with_class(page, "piu-refusal")
    assert len(refusals) == 1
    assert rule in refusals[0].value
    assert with_class(page, "piu-banner")
    assert not with_class(page, "piu-hit-queue")


def test_the_situation_dashboard_shows_counts_and_figures(db_path: Path) -> None:
    page = dashboards.situation(db=str(db_path), user=HEAD)
    view = page.views["situation"]  # type: ignore[attr-defined]
    assert view.situation is not None
    assert view.situation.journeys > 0
    assert "passenger-journeys departing" in view.headline.value
    assert not view.outputs["coverage"].outputs  # drawn when its section is opened
    view.more.selected_index = 1
    assert view.outputs["coverage"].outputs
    view.draw_more(everything=True)
    for name, output in view.outputs.items():
        assert output.outputs, name
        assert "application/vnd.plotly.v1+json" in output.outputs[0]["data"]
    assert not with_class(page, "piu-refusal")


def test_the_dpo_overview_shows_the_registers_and_the_log(db_path: Path) -> None:
    page = dashboards.dpo_overview(db=str(db_path), user=DPO)
    view = page.views["dpo"]  # type: ignore[attr-defined]
    assert view.allowed
    shown = html.unescape(text(page))
    assert "Audit chain: intact" in shown
    assert LAPSED in view.sections["staff"].value  # the lapsed clearance
    assert "DPO registers issue" in view.sections["advice"].value
    assert "cjeu-2022" in view.sections["lifecycle"].value
    assert "SCOPE-DEMO" in view.sections["scope"].value
    assert view.audit is not None
    assert len(view.audit.events) > 0
    assert not with_class(page, "piu-refusal")


def test_the_dpo_overview_is_refused_to_a_seconded_member(db_path: Path) -> None:
    page = dashboards.dpo_overview(db=str(db_path), user=ANALYST)
    refusals = with_class(page, "piu-refusal")
    assert len(refusals) == 1
    assert "ACC-LOG-02" in refusals[0].value
    assert not with_class(page, "piu-audit")


def test_a_supervisor_reads_the_overview_under_supervisory_review(db_path: Path) -> None:
    page = dashboards.dpo_overview(db=str(db_path), user="APD-01")
    assert "under supervisory review" in with_class(page, "piu-banner")[0].value
    view = page.views["dpo"]  # type: ignore[attr-defined]
    assert view.allowed
    refusals = [box.value for box in with_class(page, "piu-refusal")]
    assert len(refusals) == 1
    assert "ACC-DPO-02" in refusals[0]  # the hit rates by group stay the DPO's

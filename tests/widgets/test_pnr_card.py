"""The PNR card: all Annex I tables and versions, masked as decided (R-DATA-01, R-RET-02)."""

from __future__ import annotations

import html
from datetime import timedelta

import pandas as pd

from piu_lab import api
from widgets.pnr_card import PnrCard


def _pnr(lab: api.Lab, session: api.Session, *, old: bool) -> str:
    hits = session.hits()
    now = lab.clock.now().replace(tzinfo=None)
    registered = pd.to_datetime(hits["registered_at"])
    if old:
        chosen = hits[registered < now - timedelta(days=190)]
    else:
        chosen = hits[registered > now - timedelta(days=30)]
    return str(chosen["pnr_id"].iloc[0])


def test_a_pnr_older_than_six_months_shows_masked_with_a_note(
    lab: api.Lab, analyst: api.Session
) -> None:
    card = PnrCard(analyst)
    card.pnr_id.value = _pnr(lab, analyst, old=True)
    card.open_button.click()
    assert card.record is not None
    assert card.record.masked
    shown = html.unescape(card.text)
    assert "<masked>" in shown
    assert "&lt;masked&gt;" in card.body.value  # escaped: the page shows the text
    assert "masked" in html.unescape(card.note.value).lower()
    assert "names" in card.note.value
    assert "Annex I" in shown
    assert not card.refused


def test_a_recent_pnr_shows_every_version_unmasked(lab: api.Lab, analyst: api.Session) -> None:
    card = PnrCard(analyst)
    record = card.open(_pnr(lab, analyst, old=False))
    assert record is not None
    assert not record.masked
    assert card.note.value == ""
    assert "<masked>" not in html.unescape(card.text)
    versions = len(record.tables["pnr_version"])
    assert f"{versions} version(s) received" in card.text


def test_an_unknown_pnr_is_refused_in_the_page(analyst: api.Session) -> None:
    card = PnrCard(analyst)
    assert card.open("XX:NOPE00") is None
    assert card.refused
    assert "no PNR" in html.unescape(card.message.value)
    assert card.open("  ") is None
    assert card.refused

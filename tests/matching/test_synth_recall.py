"""Planted watchlisted travellers are found by :func:`piu_lab.matching.screen` (R-PRE-01).

R-PRE-01: the PIU screens travellers against the databases of the competent services. The
synthetic generator plants watchlisted people among the travellers under the spelling variants
real lists show (exact, transliteration, typo, order swapped, missing middle name, partial or
day/month-swapped date of birth, listed under an alias) and records in its ground truth which
PNR traveller should hit which entry. Screening the travellers against the synth's own lists
must find at least 99 % of those (traveller, entry) pairs.

One small-scale day plants only about a dozen people (some 20 truth rows): 0.99 of that means
no miss at all, so the test screens a small-scale *week* (about 90 planted people, some
200 truth rows) where 99 % allows at most two misses, and asserts at most one miss outright.
The full-size measurement (a Belgian day against 100,000 entries, recall per variant kind) is
``benchmarks/screening.py``. Every hit must also carry a non-empty explanation naming the list
name it matched (R-PRE-02: a person reviews each hit).
"""

from __future__ import annotations

import pandas as pd
import pytest

from piu_lab.matching import screen
from piu_lab.synth import SynthConfig, SynthTraffic, generate

RECALL_TARGET = 0.99


def _travellers(traffic: SynthTraffic) -> pd.DataFrame:
    """Every PNR passenger, from the latest version of their PNR (``SynthTraffic.travellers``)."""
    return traffic.travellers()


@pytest.fixture(scope="module")
def screened() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(truth of planted hits with ``traveller_id``, screen's hits) for a small-scale week."""
    traffic = generate(SynthConfig(days=7, seed=11))
    truth = traffic.truth["watchlist_hits"].copy()
    truth["traveller_id"] = truth["pnr_id"] + "/" + truth["pax_ref"]
    hits = screen(_travellers(traffic), traffic.watchlists)
    return truth, hits


def test_planted_variants_are_found(screened: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    truth, hits = screened
    assert len(truth) >= 100  # enough planted rows for 99 % to mean something
    found = set(zip(hits["traveller_id"], hits["entry_id"], strict=True))
    ok = [(t, e) in found for t, e in zip(truth["traveller_id"], truth["entry_id"], strict=True)]
    missed = truth.loc[[not x for x in ok], ["traveller_id", "entry_id", "variant_kind"]]
    assert len(missed) <= 1, f"planted travellers missed:\n{missed.to_string()}"
    assert sum(ok) / len(ok) >= RECALL_TARGET


def test_every_hit_is_explained(screened: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, hits = screened
    assert len(hits) > 0
    for explanation, list_name in zip(hits["explanation"], hits["list_name"], strict=True):
        assert isinstance(explanation, str)
        assert explanation.strip()
        assert isinstance(list_name, str)
        assert list_name
        assert list_name in explanation

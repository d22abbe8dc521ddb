"""Sensitive data (R-SENS-01..03): realistic rates, only in the EDIFACT, never in the model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from piu_lab.model import PushStage
from piu_lab.synth import SynthTraffic
from piu_lab.synth.pnrgov import SEGMENT_SSRS
from piu_lab.synth.sensitive import SENSITIVE_CODES
from tests.synth.helpers import element, segments, strings

MEALS = {c for c in SENSITIVE_CODES if c.endswith("ML")}
WHEELCHAIRS = {c for c in SENSITIVE_CODES if c.startswith("WC")}


def _codes(traffic: SynthTraffic) -> tuple[Counter[str], int]:
    """Travellers of closure versions with each code, and the number of such travellers."""
    codes: Counter[str] = Counter()
    travellers = 0
    for pnr in traffic.pnrs:
        if pnr.push_stage is not PushStage.CLOSURE:
            continue
        for p in pnr.passengers:
            travellers += 1
            items = traffic.sensitive.get((pnr.pnr_id, pnr.version, p.pax_ref), ())
            codes.update({i.split(" ")[1] for i in items if i.startswith("SSR ")})
    return codes, travellers


def test_rates_are_realistic(week: SynthTraffic) -> None:
    codes, travellers = _codes(week)
    meals = sum(n for c, n in codes.items() if c in MEALS)
    wheelchairs = sum(n for c, n in codes.items() if c in WHEELCHAIRS)
    assert 0.01 < meals / travellers < 0.08  # a few per cent special meals
    assert 0.003 < wheelchairs / travellers < 0.02  # about 1 % wheelchairs
    assert codes["MOML"]
    assert codes["PCTC"]
    assert codes["WCHR"]
    remarks = [items for (pnr_id, version, ref), items in week.sensitive.items() if ref == ""]
    assert any(i.startswith("OSI ") for r in remarks for i in r)
    assert any(i.startswith("RM ") for r in remarks for i in r)
    texts = {i for items in week.sensitive.values() for i in items}
    assert any("HALAL" in t or "KOSHER" in t for t in texts)


def test_sensitive_items_are_in_no_model_field(small: SynthTraffic, week: SynthTraffic) -> None:
    for traffic in (small, week):
        by_pnr: dict[str, set[str]] = {}
        for (pnr_id, _, _), items in traffic.sensitive.items():
            for item in items:
                kind, _, rest = item.partition(" ")
                text = rest.partition(" ")[2] if kind == "SSR" else item
                if len(text) >= 6:
                    by_pnr.setdefault(pnr_id, set()).add(text)
        for pnr in traffic.pnrs:
            values = list(strings(pnr))
            assert not [v for v in values if v.startswith(("SSR ", "OSI ", "RM "))]
            for text in by_pnr.get(pnr.pnr_id, ()):
                assert not [v for v in values if text in v], (pnr.pnr_id, text)
        for m in traffic.manifests:
            assert not [v for v in strings(m) if v.startswith(("SSR ", "OSI ", "RM "))]


def test_every_sensitive_item_is_in_the_edifact(written: Path, small: SynthTraffic) -> None:
    for push in small.pushes:
        parsed = segments(written / "pnrgov" / f"{push.transport.key}_{push.stage.value}.edi")
        ssrs: Counter[tuple[str, str]] = Counter()
        ifts: set[str] = set()
        for s in parsed:
            if s.tag == "SSR":
                ssrs[(element(s, 0), element(s, 1, 2))] += 1
            elif s.tag == "IFT":
                ifts.add(element(s, 1))
        for pnr in small.pnrs[push.first : push.first + push.count]:
            for ref in ["", *(p.pax_ref for p in pnr.passengers)]:
                for item in small.sensitive.get((pnr.pnr_id, pnr.version, ref), ()):
                    kind, _, rest = item.partition(" ")
                    if kind == "SSR":
                        code = rest.split(" ")[0]
                        assert ssrs[(code, ref)] >= 1, (pnr.pnr_id, item)
                    else:
                        assert item in ifts


def test_meal_and_health_codes_sit_on_the_leg(written: Path) -> None:
    for path in sorted((written / "pnrgov").glob("*.edi")):
        for s in segments(path):
            if s.tag == "SSR" and element(s, 0) in SEGMENT_SSRS and element(s, 0, 6):
                assert element(s, 0, 7), path.name  # origin and destination of the leg

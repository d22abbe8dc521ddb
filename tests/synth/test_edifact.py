"""The written EDIFACT parses back with pydifact, counts match, and carries the records."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pydifact.segmentcollection import Interchange
from pydifact.serializer import Serializer

from piu_lab.model import PassengerRole, PushStage
from piu_lab.synth import SynthTraffic
from piu_lab.synth.edifact import CHARS, UNA, esc, seg, serialize_with_pydifact
from piu_lab.synth.pnrgov import pnrgov_message
from tests.synth.helpers import element, segments

SPECIAL = "?'+:"


@given(st.text(alphabet=st.sampled_from("AB ?'+:.-/@1"), max_size=30))
def test_escaping_is_pydifacts(value: str) -> None:
    assert esc(value) == Serializer(CHARS).escape(value)


def test_segments_are_joined_as_pydifact_serializes_them() -> None:
    raw = [
        ("TIF", ["D'HONDT", ["JAN PIETER MR", "A", "1"]]),
        ("IFT", [["4", "28", "", "SN"], "RM PAX REQ: AISLE SEAT?"]),
        ("IFT", [["4", "28", "", "SN"], "CTCE JAN.PEETERS+TRAVEL//GMAIL.COM"]),
        ("FOP", [["CC", "", "245.50", "VI", "XXXXXXXXXXXX1234"]]),
        ("FAR", ["N", "", "", "", "", "YOWSN"]),
    ]
    ours = [
        seg(tag, *((tuple(esc(c) for c in e) if isinstance(e, list) else esc(e)) for e in els))
        for tag, els in raw
    ]
    theirs = serialize_with_pydifact(raw)
    assert theirs == UNA + "\n" + "\n".join(ours) + "\n"


def _check_counts(path: Path) -> Interchange:
    parsed = segments(path)
    tags = [s.tag for s in parsed]
    assert tags[0] == "UNA"
    assert tags[1] == "UNB"
    assert tags[-1] == "UNZ"
    control = element(parsed[1], 4)
    assert element(parsed[-1], 1) == control
    messages = 0
    start = 0
    for i, s in enumerate(parsed):
        if s.tag == "UNH":
            start = i
        elif s.tag == "UNT":
            messages += 1
            assert int(element(s, 0)) == i - start + 1, path.name
            assert element(s, 1) == element(parsed[start], 0)
    if "UNG" in tags:
        une = parsed[tags.index("UNE")]
        assert int(element(une, 0)) == messages
        assert int(element(parsed[-1], 0)) == 1
    else:
        assert int(element(parsed[-1], 0)) == messages
    return Interchange.from_segments(parsed)


def test_every_written_file_parses_and_counts_match(written: Path, small: SynthTraffic) -> None:
    pnrgov = sorted((written / "pnrgov").glob("*.edi"))
    paxlst = sorted((written / "paxlst").glob("*.edi"))
    assert len(pnrgov) == len(small.pushes)
    assert len(paxlst) == len(small.manifests) > 0
    for path in paxlst:
        _check_counts(path)
    for path in pnrgov:
        messages = list(_check_counts(path).get_messages())
        assert [m.type for m in messages] == ["PNRGOV"]
    # the whole-text entry point reads them too
    Interchange.from_str(pnrgov[0].read_text(encoding="ascii"))
    Interchange.from_str(paxlst[0].read_text(encoding="ascii"))


def _blocks(parsed: list) -> list[list]:  # type: ignore[type-arg]
    blocks: list[list] = []  # type: ignore[type-arg]
    for s in parsed:
        if s.tag == "SRC":
            blocks.append([])
        elif blocks and s.tag not in ("UNT", "UNZ"):
            blocks[-1].append(s)
    return blocks


def test_pnrgov_carries_the_records(written: Path, small: SynthTraffic) -> None:
    for push in small.pushes:
        path = written / "pnrgov" / f"{push.transport.key}_{push.stage.value}.edi"
        parsed = segments(path)
        eqn = next(s for s in parsed if s.tag == "EQN")
        assert int(element(eqn, 0)) == push.count
        blocks = _blocks(parsed)
        pnrs = small.pnrs[push.first : push.first + push.count]
        assert len(blocks) == len(pnrs)
        for pnr, block in zip(pnrs, blocks, strict=True):
            assert element(block[0], 0, 1) == pnr.record_locator
            first_tvl = next(i for i, s in enumerate(block) if s.tag == "TVL")
            tifs = [s for s in block[:first_tvl] if s.tag == "TIF"]
            assert [element(t, 0) for t in tifs] == [p.surname for p in pnr.passengers]
            assert [element(t, 1, 2) for t in tifs] == [p.pax_ref for p in pnr.passengers]
            for tif, p in zip(tifs, pnr.passengers, strict=True):
                expected = f"{p.given_names} {p.title}" if p.title else p.given_names
                assert element(tif, 1) == expected
            docs = [s for s in block if s.tag == "SSR" and element(s, 0) == "DOCS"]
            assert len(docs) == sum(len(p.documents) for p in pnr.passengers)
            tvls = [s for s in block if s.tag == "TVL" and element(s, 1)]
            assert len(tvls) == len(pnr.segments)
            if push.stage is PushStage.CLOSURE:
                tri = [s for s in block if s.tag == "TRI" and element(s, 0)]
                flown = [p for p in pnr.passengers if p.travel_status.value != "CONFIRMED"]
                assert len(tri) == len(flown)


def test_special_characters_survive_the_round_trip(small: SynthTraffic) -> None:
    push = next(p for p in small.pushes if p.count)
    pnr = small.pnrs[push.first]
    p0 = pnr.passengers[0]
    tricky = dataclasses.replace(p0, surname="D'HONDT+VAN?DAMME", given_names="JAN:PIETER")
    changed = dataclasses.replace(pnr, passengers=(tricky, *pnr.passengers[1:]))
    pnrs = list(small.pnrs)
    pnrs[push.first] = changed
    sensitive = dict(small.sensitive)
    sensitive[(pnr.pnr_id, pnr.version, "")] = ("RM PAX'S REQ: SEAT 1A + 1B?",)
    traffic = dataclasses.replace(small, pnrs=tuple(pnrs), sensitive=sensitive)
    text = pnrgov_message(traffic, push)
    assert "D?'HONDT?+VAN??DAMME" in text
    parsed = list(Interchange.from_str(text).segments)
    tif = next(s for s in parsed if s.tag == "TIF")
    assert element(tif, 0) == "D'HONDT+VAN?DAMME"
    assert element(tif, 1).startswith("JAN:PIETER")
    remarks = [element(s, 1) for s in parsed if s.tag == "IFT"]
    assert "RM PAX'S REQ: SEAT 1A + 1B?" in remarks


def test_emails_use_the_iata_encoding(written: Path, small: SynthTraffic) -> None:
    texts = [
        element(s, 1)
        for path in sorted((written / "pnrgov").glob("*CLOSURE.edi"))
        for s in segments(path)
        if s.tag == "IFT" and element(s, 1).startswith("CTCE ")
    ]
    assert texts
    assert all("//" in t and "@" not in t for t in texts)


def test_paxlst_lists_who_boarded_and_the_crew(written: Path, small: SynthTraffic) -> None:
    by_number = {f"{m.carrier}{m.transport_number}": m for m in small.manifests}
    for path in sorted((written / "paxlst").glob("*.edi")):
        parsed = segments(path)
        tdt = next(s for s in parsed if s.tag == "TDT")
        manifest = by_number[element(tdt, 1)]
        roles = Counter(p.role for p in manifest.persons)
        nads = Counter(element(s, 0) for s in parsed if s.tag == "NAD")
        assert nads["FL"] == roles[PassengerRole.PASSENGER] == manifest.total_count
        assert nads["FM"] == roles[PassengerRole.CREW] > 0
        counts = {element(s, 0, 0): int(element(s, 0, 1)) for s in parsed if s.tag == "CNT"}
        assert counts == {"42": nads["FL"], "41": nads["FM"]}
        bgm = [element(s, 0) for s in parsed if s.tag == "BGM"]
        assert bgm == ["745", "250"]
        assert [element(s, 2) for s in parsed if s.tag == "UNG"] == ["BEPIU"]
        header = next(s for s in parsed if s.tag == "UNH")
        assert element(header, 1, 0) == "PAXLST"
        assert element(header, 1, 2) == "05B"


def test_manifests_cover_the_border_crossing_transports(small: SynthTraffic) -> None:
    from piu_lab.synth.reference import load_reference

    ref = load_reference()
    crossing = {
        f"{t.carrier}{t.number}"
        for t in small.transports
        if not (
            ref.country(t.origin.country).schengen and ref.country(t.destination.country).schengen
        )
    }
    assert {f"{m.carrier}{m.transport_number}" for m in small.manifests} == crossing
    assert all(SPECIAL not in m.transport_code for m in small.manifests)

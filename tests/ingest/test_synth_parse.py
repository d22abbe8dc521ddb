"""The synthetic feed (``piu_lab.synth``) read back: every PNRGOV and PAXLST file parses, nothing
is an unknown segment, no warning but the documented one, and the parsed records equal the
generated ones field by field, minus what is deleted on receipt (R-SENS-02/03, R-DATA-02:
the sensitive items the generator keeps aside are counted, never found in the records).

What the messages do not carry, and so what is normalised before comparing:

* ``version`` and ``message_id`` are given by the store, not by the message;
* phone numbers are digits only (``+32...`` is written ``32...``, as GTAS normalises them);
* the writer sends a bag tag as airline code + serial (``TBD ...+264:002220``): the leading
  digit of the 10-digit licence plate is not in the message;
* the writer gives no currency on FOP (``Payment.currency``);
* the writer gives the travel status (TRI) only in the closure push: in an early push every
  traveller reads as confirmed.

Code shares: the writer gives the operating flight number on the first TVL and the marketing
one on the second, the reverse of the PNRGOV guide's text (and of GTAS); the parser recognises
this per message from the message's own flight (see ``pnrgov._operating_first``) and notes it:
that note is the one warning allowed here.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from piu_lab.ingest.reader import MessageOutcome, read_message_file
from piu_lab.model import ApiManifest, Bag, ContactKind, Passenger, Pnr, PushStage, TravelStatus
from piu_lab.synth import SynthConfig, SynthTraffic, generate, write_traffic

ALLOWED_WARNINGS = (re.compile(r"^code shares give the operating flight number first"),)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Feed:
    traffic: SynthTraffic
    folder: Path


@pytest.fixture(scope="module", params=[0, 1, 2, 3], ids=lambda s: f"seed{s}")
def feed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Feed:
    traffic = generate(SynthConfig(seed=request.param))
    folder = tmp_path_factory.mktemp(f"synth{request.param}")
    write_traffic(traffic, folder)
    return Feed(traffic, folder)


def read(path: Path) -> list[MessageOutcome]:
    return read_message_file(path.read_bytes(), source=path.name, received_at=NOW, replay=True)


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Where two records differ, field by field (paths only, for a readable failure)."""
    if dataclasses.is_dataclass(expected) and dataclasses.is_dataclass(got):
        out = []
        for f in dataclasses.fields(expected):
            out += differences(getattr(expected, f.name), getattr(got, f.name), f"{path}.{f.name}")
        return out
    if isinstance(expected, tuple) and isinstance(got, tuple):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} items expected, {len(got)} read"]
        return [
            d
            for i, (e, g) in enumerate(zip(expected, got, strict=True))
            for d in differences(e, g, f"{path}[{i}]")
        ]
    return [] if expected == got else [f"{path}: {expected!r} expected, {got!r} read"]


def _bag(b: Bag) -> Bag:
    tags = tuple(t[1:] if len(t) == 10 else t for t in b.tag_numbers)
    return dataclasses.replace(b, tag_numbers=tags)


def _passenger(p: Passenger, stage: PushStage) -> Passenger:
    contacts = tuple(
        dataclasses.replace(c, value=re.sub(r"\D", "", c.value))
        if c.kind is ContactKind.PHONE
        else c
        for c in p.contacts
    )
    status = p.travel_status if stage is PushStage.CLOSURE else TravelStatus.CONFIRMED
    return dataclasses.replace(
        p, contacts=contacts, travel_status=status, bags=tuple(_bag(b) for b in p.bags)
    )


def as_carried(pnr: Pnr, got: Pnr) -> Pnr:
    """The generated PNR as the message carries it (see the module docstring)."""
    return dataclasses.replace(
        pnr,
        version=got.version,
        message_id=got.message_id,
        passengers=tuple(_passenger(p, pnr.push_stage) for p in pnr.passengers),
        payments=tuple(dataclasses.replace(p, currency="") for p in pnr.payments),
    )


def test_every_pnrgov_file_parses_cleanly_and_equals_the_generated_pnrs(feed: Feed) -> None:
    """R-DATA-01: every PNR version of the feed reads back equal to the generated one."""
    traffic, problems = feed.traffic, []
    compared = 0
    for push in traffic.pushes:
        path = feed.folder / "pnrgov" / f"{push.transport.key}_{push.stage.value}.edi"
        outcomes = read(path)
        assert [o.error for o in outcomes] == [None], path.name
        for outcome in outcomes:
            assert "unknown-segment" not in outcome.removed, path.name
            notes = [*outcome.warnings, *(w for p in outcome.pnrs for w in p.warnings)]
            odd = [w for w in notes if not any(a.search(w) for a in ALLOWED_WARNINGS)]
            assert not odd, (path.name, odd)
        got = [p.pnr for o in outcomes for p in o.pnrs]
        expected = traffic.pnrs[push.first : push.first + push.count]
        assert len(got) == len(expected), path.name
        for e, g in zip(expected, got, strict=True):
            problems += [
                f"{path.name} {e.record_locator}{d}" for d in differences(as_carried(e, g), g)
            ]
            compared += 1
    assert compared == len(traffic.pnrs)
    assert not problems, problems[:20]


def test_sensitive_items_are_counted_and_never_read_into_a_record(feed: Feed) -> None:
    """R-SENS-02/03: each sensitive item the generator writes (meals, health, PCTC, OSI, RM) is
    deleted on receipt, counted under a category, and no trace of it is in the records."""
    traffic = feed.traffic
    counted: Counter[str] = Counter()
    written = 0
    for push in traffic.pushes:
        path = feed.folder / "pnrgov" / f"{push.transport.key}_{push.stage.value}.edi"
        outcomes = read(path)
        for outcome in outcomes:
            counted.update(outcome.removed)
        records = repr([p.pnr for o in outcomes for p in o.pnrs]).upper()
        generated = traffic.pnrs[push.first : push.first + push.count]
        legit = repr(generated).upper()  # a surname may spell a code (MAAS)
        for pnr in generated:
            for ref in ("", *(p.pax_ref for p in pnr.passengers)):
                for item in traffic.sensitive.get((pnr.pnr_id, pnr.version, ref), ()):
                    written += 1
                    kind, _, rest = item.partition(" ")
                    code = rest.split(" ")[0] if kind == "SSR" else ""
                    text = rest[len(code) :].strip() if kind == "SSR" else item
                    for trace in (code, text.upper()):
                        assert not trace or trace not in records or trace in legit, "read"
    assert written > 0
    assert sum(counted.values()) >= written
    assert {"religion", "health"} <= set(counted)


def test_every_paxlst_file_equals_the_generated_manifest(feed: Feed) -> None:
    """R-DATA-03: the API manifest (passenger and crew messages) reads back equal, API items
    only (the reporting party's NAD and COM are deleted and counted)."""
    traffic = feed.traffic
    by_id = {m.message_id: m for m in traffic.manifests}
    seen = 0
    for path in sorted((feed.folder / "paxlst").glob("*.edi")):
        outcomes = read(path)
        assert all(o.error is None and not o.warnings for o in outcomes), path.name
        assert all(o.removed == {"outside-annex": 2} for o in outcomes), path.name
        manifests = [o.manifest for o in outcomes if o.manifest is not None]
        assert outcomes[0].envelope is not None
        expected: ApiManifest = by_id[outcomes[0].envelope.interchange_ref]
        got = dataclasses.replace(
            manifests[0],
            persons=tuple(p for m in manifests for p in m.persons),
            message_id=expected.message_id,
        )
        assert differences(expected, got) == [], path.name
        seen += 1
    assert seen == len(traffic.manifests)

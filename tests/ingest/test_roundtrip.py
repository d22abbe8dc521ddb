"""Round trip: synthetic traffic -> PNRGOV/PAXLST files -> ingest -> store, for several seeds.

The parser's faithfulness to the generated records is tested in ``test_synth_parse``; here the
whole path: every message stored, every PNR stored exactly as it was parsed (read back equal),
as many versions per PNR as were pushed, in the order of the feed, and the day's journeys equal
to those of the generated records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from piu_lab.clock import FrozenClock
from piu_lab.ingest.pipeline import ingest_paths
from piu_lab.ingest.reader import read_message_file
from piu_lab.store import open_store
from piu_lab.synth import SynthConfig, generate, write_traffic
from tests.factories import allow_all_journeys


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synth_ingest_store_round_trip(seed: int, tmp_path: Path) -> None:
    config = SynthConfig(seed=seed)
    traffic = generate(config)
    write_traffic(traffic, tmp_path / "feed")
    with open_store(f"sqlite:///{tmp_path}/lab.sqlite3") as store:
        allow_all_journeys(store)  # R-SCOPE-02: the day's intra-EU, rail, bus and sea journeys
        report = ingest_paths([tmp_path / "feed"], store=store, clock=FrozenClock(), replay=True)
        assert report.quarantined == 0
        assert report.stored == report.received
        assert report.pnr_versions == len(traffic.pnrs)
        # a PAXLST file carries a passenger message (BGM 745) and a crew message (BGM 250)
        persons = sum(len(m.persons) for m in traffic.manifests)
        assert store.counts()["api_person"] == persons
        assert store.counts()["api_manifest"] == report.manifests
        # each PNR has as many versions as the generator pushed, numbered in feed order
        pushed: dict[str, int] = {}
        for pnr in traffic.pnrs:
            pushed[pnr.pnr_id] = max(pushed.get(pnr.pnr_id, 0), pnr.version)
        table = store.read_table("pnr")
        stored = dict(zip(table["pnr_id"], table["latest_version"], strict=True))
        assert stored == pushed
        # what is read back is exactly what was parsed (store fidelity)
        sample = sorted((tmp_path / "feed" / "pnrgov").iterdir())[:3]
        for path in sample:
            for outcome in read_message_file(
                path.read_bytes(), source=str(path), received_at=datetime.now(UTC), replay=True
            ):
                for parsed in outcome.pnrs:
                    versions = store.pnr_versions(parsed.pnr.pnr_id)
                    back = [store.read_pnr(parsed.pnr.pnr_id, int(v)) for v in versions["version"]]
                    plain = [b for b in back if b is not None]
                    assert any(
                        b.passengers == parsed.pnr.passengers and b.segments == parsed.pnr.segments
                        for b in plain
                    )
        journeys = store.read_journeys(config.start)
    # the day's journeys (passenger x leg touching Belgium) equal those of the generated records
    # loaded straight into a store: the ingest loses no traveller and no leg
    with open_store(f"sqlite:///{tmp_path}/direct.sqlite3") as direct:
        direct.write_pnrs(traffic.pnrs)
        expected = direct.read_journeys(config.start)
    assert len(journeys) == len(expected) > 500
    key = ["pnr_id", "pax_ref", "seg_no", "surname", "origin", "destination", "departure_utc"]
    assert sorted(map(tuple, journeys[key].astype(str).values)) == sorted(
        map(tuple, expected[key].astype(str).values)
    )

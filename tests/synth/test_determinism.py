"""The same seed gives the same traffic, a different seed a different one."""

from __future__ import annotations

import hashlib

from piu_lab.synth import SynthConfig, SynthTraffic, generate


def fingerprint(traffic: SynthTraffic) -> str:
    digest = hashlib.sha256()
    digest.update(repr(traffic.pnrs).encode())
    digest.update(repr(traffic.manifests).encode())
    digest.update(repr(sorted(traffic.sensitive.items())).encode())
    digest.update(traffic.watchlists.to_csv().encode())
    for name, frame in sorted(traffic.truth.items()):
        digest.update(name.encode() + frame.to_csv().encode())
    return digest.hexdigest()


def test_same_seed_same_traffic(small: SynthTraffic) -> None:
    again = generate(SynthConfig())
    assert fingerprint(again) == fingerprint(small)
    assert again.summary() == small.summary()


def test_different_seed_different_traffic(small: SynthTraffic) -> None:
    other = generate(SynthConfig(seed=1))
    assert fingerprint(other) != fingerprint(small)
    names = {p.full_name for pnr in small.pnrs for p in pnr.passengers}
    other_names = {p.full_name for pnr in other.pnrs for p in pnr.passengers}
    assert len(names & other_names) < len(names) / 2


def test_start_date_moves_the_schedule() -> None:
    from datetime import date

    traffic = generate(SynthConfig(start=date(2026, 7, 1)))
    days = {t.day for t in traffic.transports}
    assert days == {date(2026, 7, 1)}
    # summer time: Brussels is UTC+2, so a 10:00 local departure is 08:00 UTC
    t = traffic.transports[0]
    offset = t.departure_local - t.departure_utc.replace(tzinfo=None)
    if t.outbound and t.origin.code in ("BRU", "CRL", "LGG", "OST", "ANR"):
        assert offset.total_seconds() == 7200

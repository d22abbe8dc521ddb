"""Places of departure and arrival: airports, stations, ports, with country and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from piu_lab.model import LocationKind
from piu_lab.places import ascii_upper, find_place, known_places, locations


def test_airports_come_from_airportsdata() -> None:
    bru = find_place("bru")
    assert bru is not None
    assert bru.kind is LocationKind.AIRPORT
    assert bru.country == "BE"
    assert bru.tz == ZoneInfo("Europe/Brussels")
    assert bru.name.isupper()


def test_stations_and_ports_come_from_the_table() -> None:
    midi = find_place("8814001")
    assert midi is not None
    assert midi.kind is LocationKind.STATION
    assert midi.country == "BE"
    assert all(p.kind is not LocationKind.AIRPORT for p in locations().values())


def test_unknown_codes() -> None:
    assert find_place("QQQ") is None
    assert set(known_places({"BRU", "QQQ", "8727100"})) == {"BRU", "8727100"}


def test_ascii_upper() -> None:
    assert ascii_upper("Bruxelles-Midi / Zuid") == "BRUXELLES MIDI ZUID"
    assert ascii_upper("Zürich Flughafen") == "ZURICH FLUGHAFEN"

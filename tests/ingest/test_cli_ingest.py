"""``piu-lab ingest``: exit codes 0 / 2 / 1, the dry-run JSON document, the summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from piu_lab.synth import SynthConfig, generate, write_traffic
from tests.cli_run import run


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feed")
    write_traffic(generate(SynthConfig(seed=9)), out)
    return out


def test_dry_run_json_documents_every_message(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["ingest", str(feed / "pnrgov"), "--dry-run", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["version"] == 1
    assert doc["summary"]["received"] == len(doc["messages"]) > 0
    message = doc["messages"][0]
    assert set(message) >= {"source", "type", "status", "error", "warnings", "pnrs", "travellers"}
    assert message["type"] == "PNRGOV"
    assert message["status"] == "parsed"
    pnr = message["pnrs"][0]
    assert set(pnr) >= {
        "record_locator",
        "carrier",
        "created_at",
        "passengers",
        "segments",
        "bag_count",
        "removed",
    }
    pax = pnr["passengers"][0]
    assert set(pax) >= {"surname", "given_names", "date_of_birth", "gender", "documents", "seats"}
    assert set(pnr["segments"][0]) >= {"carrier", "number", "origin", "destination", "departure"}
    for doc_ in (
        d
        for m in doc["messages"]
        for p in m["pnrs"]
        for x in p["passengers"]
        for d in x["documents"]
    ):
        assert set(doc_) >= {"type", "number", "issuing_country", "expiry"}
    assert not (tmp_path / "lab.sqlite3").exists()


def test_dry_run_paxlst_travellers(feed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ingest", str(feed / "paxlst"), "--dry-run", "--json"], capsys)
    assert code == 0
    travellers = [t for m in json.loads(out)["messages"] for t in m["travellers"]]
    assert {t["role"] for t in travellers} == {"passenger", "crew"}
    assert all(
        set(t) >= {"surname", "given_names", "date_of_birth", "gender", "documents"}
        for t in travellers
    )


def test_a_quarantined_message_exits_2(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "junk.edi"
    bad.write_text("UNB+IATA:1+XX+YY+260302:0800+1'UNH+1+PNRGOV:13:1:IA'MSG+:22'UNT+3+1'")
    code, out, _ = run(["ingest", str(bad), "--dry-run", "--json"], capsys)
    assert code == 2
    message = json.loads(out)["messages"][0]
    assert message["status"] == "quarantined"
    assert message["error"]["reason"]
    db = tmp_path / "lab.sqlite3"
    code, out, err = run(["ingest", str(bad), "--db", str(db), "--quiet"], capsys)
    assert code == 2
    assert "1 quarantined" in out
    assert "quarantined:" in err


def test_ingest_into_a_database_then_duplicates(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lab.sqlite3"
    code, out, _ = run(["ingest", str(feed), "--db", str(db), "--replay", "--quiet"], capsys)
    assert code == 0
    assert "0 duplicates, 0 quarantined" in out
    assert "deleted on receipt" in out
    code, out, _ = run(["ingest", str(feed), "--db", str(db), "--quiet", "--json"], capsys)
    summary = json.loads(out)["summary"]
    assert summary["duplicates"] == summary["received"]


def test_usage_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ingest"], capsys)[0] == 1
    assert run(["ingest", str(tmp_path / "missing.edi")], capsys)[0] == 1
    assert run(["ingest", str(tmp_path), "--bogus"], capsys)[0] == 1

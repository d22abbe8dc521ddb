"""R-SCOPE-02 through the lab: a ScopeDecision is required before any intra-EU flight, or any
rail, bus or sea journey, is stored; outside an active decision the ingest refuses it, counts it
(no value) and logs it; an expired or revoked decision refuses; decisions are recorded and
revoked by the head of unit or a deputy only, audited, from the facade and the command line.
The OCAM level is context, never a passenger feature (R-RISK-01)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from piu_lab import api
from piu_lab.access.persist import save_operations
from piu_lab.access.seed import DPO_CODE, HEAD_CODE, demo_operations
from piu_lab.audit import AuditLog
from piu_lab.criteria import lint, load_criterion
from piu_lab.criteria.catalogue import Protection, field_spec, stored_fields
from piu_lab.criteria.features import FEATURE_COLUMNS
from piu_lab.store.schema_lifecycle import scope_refusal
from piu_lab.synth.paxlst import paxlst_message
from tests.cli_run import run
from tests.criteria.conftest import base
from tests.factories import manifest, scope_decision
from tests.ingest.messages import flight_message, journey_pnr

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
AIR, HST, BUS, SEA = api.Sector.AIR, api.Sector.HST, api.Sector.BUS, api.Sector.SEA
BRU_MAD = [("BRU", "MAD", "501")]
BRU_JFK = [("BRU", "JFK", "501")]
SURFACE = (HST, BUS, SEA)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[api.Lab]:
    """An empty lab with the demo staff register, on a frozen clock."""
    with api.open_lab(str(tmp_path / "lab.sqlite3"), clock=api.FrozenClock(NOW)) as opened:
        save_operations(opened._store, demo_operations(TODAY), require_empty=True)
        yield opened


def take_in(lab: api.Lab, folder: Path, data: bytes, *, replay: bool = False) -> api.IngestReport:
    path = folder / f"msg-{len(list(folder.glob('msg-*')))}.edi"
    path.write_bytes(data)
    return lab.ingest([path], replay=replay)


def decide(lab: api.Lab, decision: api.ScopeDecision, code: str = HEAD_CODE) -> None:
    lab.session(code, purpose="unit_management").record_scope_decision(decision)


def this_week(**changes: Any) -> api.ScopeDecision:
    values: dict[str, Any] = {"starts_on": TODAY, "ends_on": TODAY + timedelta(days=6)} | changes
    return scope_decision(**values)


def events(lab: api.Lab) -> list[Any]:
    return [s.event for s in AuditLog(lab._store, lab.clock).read()]


def refusals(lab: api.Lab) -> list[dict[str, Any]]:
    """The ``scope_refusal`` rows (counts, no value)."""
    with lab._store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(scope_refusal.select())]


def intra(locator: str, pax: int = 2) -> bytes:
    return flight_message([journey_pnr(locator, BRU_MAD, pax=pax)])


# -- extra-EU, intra-EU, expired, revoked --------------------------------------------------------


def test_r_scope_02_an_extra_eu_flight_is_taken_in_without_a_decision(
    lab: api.Lab, tmp_path: Path
) -> None:
    data = flight_message([journey_pnr("XEU111", BRU_JFK, pax=3)], transport=BRU_JFK[0])
    report = take_in(lab, tmp_path, data)
    assert (report.pnr_versions, report.refused_pnrs) == (1, 0)
    assert lab._store.counts()["passenger"] == 3
    assert refusals(lab) == []


def test_r_scope_02_an_intra_eu_flight_outside_a_decision_is_refused_counted_and_logged(
    lab: api.Lab, tmp_path: Path
) -> None:
    report = take_in(lab, tmp_path, intra("INT111", pax=2))
    assert (report.received, report.stored, report.pnr_versions) == (1, 1, 0)
    assert (report.refused_pnrs, report.refused_journeys) == (1, 2)
    counts = lab._store.counts()
    assert counts["pnr"] == counts["passenger"] == counts["segment"] == 0
    # the message itself is recorded (nothing received is lost without a trace)
    [message] = lab._store.read_table("message").to_dict("records")
    assert message["status"] == "STORED"
    assert "R-SCOPE-02" in message["reason"]
    assert "no_decision" in message["reason"]
    [row] = refusals(lab)
    assert (row["message_id"], row["reason"], row["sector"], row["pnrs"], row["journeys"]) == (
        message["message_id"],
        "no_decision",
        "AIR",
        1,
        2,
    )
    collect, refused = events(lab)[-2:]
    assert (collect.action.value, collect.detail["refused_pnrs"]) == ("collect", 1)
    assert (refused.action.value, refused.decision.value, refused.rule_id) == (
        "collect",
        "denied",
        "R-SCOPE-02",
    )
    assert (refused.record_count, refused.detail["no_decision"]) == (2, 2)


def test_r_scope_02_an_intra_eu_flight_is_taken_in_under_an_active_decision(
    lab: api.Lab, tmp_path: Path
) -> None:
    decide(lab, this_week())
    report = take_in(lab, tmp_path, intra("INT222"))
    assert (report.pnr_versions, report.refused_pnrs) == (1, 0)
    assert lab._store.counts()["passenger"] == 2
    assert refusals(lab) == []


def test_r_scope_02_an_expired_decision_refuses(lab: api.Lab, tmp_path: Path) -> None:
    """Frozen clock: taken in on the decision's last day, refused the day after."""
    decide(lab, this_week(ends_on=TODAY + timedelta(days=1)))
    assert take_in(lab, tmp_path, intra("EXP111")).pnr_versions == 1
    lab.clock.set(NOW + timedelta(days=1, hours=13))  # type: ignore[attr-defined]
    assert take_in(lab, tmp_path, intra("EXP222")).pnr_versions == 1  # 23:00 on the last day
    lab.clock.set(NOW + timedelta(days=1, hours=14))  # type: ignore[attr-defined]
    late = take_in(lab, tmp_path, intra("EXP333"))
    assert (late.pnr_versions, late.refused_pnrs) == (0, 1)
    assert [r["reason"] for r in refusals(lab)] == ["no_decision"]
    assert lab.scope_decisions()["state"].tolist() == ["expired"]


def test_r_scope_02_a_decision_not_yet_started_refuses(lab: api.Lab, tmp_path: Path) -> None:
    decide(lab, this_week(starts_on=TODAY + timedelta(days=1)))
    assert take_in(lab, tmp_path, intra("EARLY1")).refused_pnrs == 1
    assert lab.scope_decisions()["state"].tolist() == ["scheduled"]


def test_r_scope_02_a_revoked_decision_refuses(lab: api.Lab, tmp_path: Path) -> None:
    decide(lab, this_week(decision_id="SCOPE-REV"))
    assert take_in(lab, tmp_path, intra("REV111")).pnr_versions == 1
    lab.session(HEAD_CODE, purpose="unit_management").revoke_scope_decision("SCOPE-REV")
    report = take_in(lab, tmp_path, intra("REV222"))
    assert (report.pnr_versions, report.refused_pnrs) == (0, 1)
    frame = lab.scope_decisions()
    assert frame["state"].tolist() == ["revoked"]
    assert frame["revoked_at"].notna().all()
    with pytest.raises(api.ScopeError, match="revoked"):
        lab.session(HEAD_CODE, purpose="unit_management").revoke_scope_decision("SCOPE-REV")
    with pytest.raises(api.ScopeError, match="no scope decision"):
        lab.session(HEAD_CODE, purpose="unit_management").revoke_scope_decision("SCOPE-NONE")


def test_r_scope_02_a_replayed_feed_is_judged_on_its_envelope_day(
    lab: api.Lab, tmp_path: Path
) -> None:
    decide(lab, this_week(starts_on=TODAY - timedelta(days=2)))
    old = flight_message([journey_pnr("OLD111", BRU_MAD)], sent=datetime(2026, 2, 20, 8, 0))
    recent = flight_message([journey_pnr("NEW111", BRU_MAD)], sent=datetime(2026, 3, 3, 8, 0))
    assert take_in(lab, tmp_path, old, replay=True).refused_pnrs == 1
    assert take_in(lab, tmp_path, recent, replay=True).pnr_versions == 1


# -- routes, sectors, mixed messages, manifests --------------------------------------------------


def test_r_scope_02_a_route_limited_decision_takes_in_only_its_routes(
    lab: api.Lab, tmp_path: Path
) -> None:
    decide(lab, this_week(sectors=(AIR,), routes=("BRU-MAD", "FCO"), ocam_level=1))
    data = flight_message(
        [
            journey_pnr("RTE111", [("MAD", "BRU", "502")]),  # either direction
            journey_pnr("RTE222", [("LIS", "FCO", "840")]),  # a single place, either end
            journey_pnr("RTE333", [("BRU", "LIS", "301")], pax=3),  # not selected
            journey_pnr("RTE444", [("BRU", "ATH", "311")]),  # not selected
        ]
    )
    report = take_in(lab, tmp_path, data)
    assert report.pnr_versions == 2
    assert set(lab._store.read_table("pnr")["record_locator"]) == {"RTE111", "RTE222"}
    [row] = refusals(lab)
    assert (row["reason"], row["pnrs"], row["journeys"]) == ("route_not_selected", 2, 4)


def test_r_scope_02_rail_bus_and_sea_journeys_need_a_decision(lab: api.Lab, tmp_path: Path) -> None:
    def surface(tag: str) -> bytes:
        return flight_message(
            [
                journey_pnr(f"HST{tag}00", [("8814001", "7015400", "9117")]),  # Brussels-London
                journey_pnr(f"BUS{tag}00", [("BEBRU", "NLAMS", "4410")], pax=2),
                journey_pnr(f"SEA{tag}00", [("BEZEE", "GBHUL", "0620")], pax=3),
            ],
            transport=("8814001", "7015400", "9117"),
        )

    first = take_in(lab, tmp_path, surface("1"))
    assert (first.pnr_versions, first.refused_pnrs, first.refused_journeys) == (0, 3, 6)
    [row] = refusals(lab)
    assert (row["reason"], row["sector"]) == ("no_decision", "BUS,HST,SEA")
    decide(lab, this_week(decision_id="SCOPE-AIR", sectors=(AIR,)))  # flights only
    assert take_in(lab, tmp_path, surface("2")).refused_pnrs == 3
    decide(lab, this_week(decision_id="SCOPE-SURFACE", sectors=SURFACE))
    third = take_in(lab, tmp_path, surface("3"))
    assert (third.pnr_versions, third.refused_pnrs) == (3, 0)
    sectors = lab._store.read_table("pnr_version")
    assert len(sectors) == 3


def test_r_scope_02_a_mixed_message_stores_the_in_scope_pnrs_and_counts_the_refused(
    lab: api.Lab, tmp_path: Path
) -> None:
    data = flight_message(
        [
            journey_pnr("MIX111", BRU_MAD, pax=2),
            journey_pnr("MIX222", [*BRU_MAD, ("MAD", "BOG", "77")]),  # onward outside the EU
            journey_pnr("MIX333", BRU_MAD, pax=4),
            journey_pnr("MIX444", [("8814001", "8727100", "9301")]),
        ]
    )
    report = take_in(lab, tmp_path, data)
    assert (report.stored, report.pnr_versions) == (1, 1)
    assert (report.refused_pnrs, report.refused_journeys) == (3, 7)
    assert set(lab._store.read_table("pnr")["record_locator"]) == {"MIX222"}
    [row] = refusals(lab)
    assert (row["pnrs"], row["journeys"], row["sector"]) == (3, 7, "AIR,HST")
    document = api.ingest_report_json(report)
    [message] = document["messages"]  # type: ignore[index]
    assert [p["record_locator"] for p in message["pnrs"]] == ["MIX222"]
    assert message["refused"] == [
        {"reason": "no_decision", "sector": "AIR,HST", "pnrs": 3, "manifests": 0, "journeys": 7}
    ]
    summary = document["summary"]
    assert summary["refused_pnrs"] == 3  # type: ignore[index]
    assert summary["refused"] == {"no_decision": 7}  # type: ignore[index]


def test_r_scope_02_refusals_hold_no_personal_value(lab: api.Lab, tmp_path: Path) -> None:
    take_in(lab, tmp_path, flight_message([journey_pnr("SECRET", BRU_MAD, pax=2)]))
    stored = json.dumps(
        {
            "refusals": refusals(lab),
            "messages": lab._store.read_table("message").to_dict("records"),
            "events": [e.fields() for e in events(lab)],
        },
        default=str,
    )
    for value in ("SECRET", "TESTER", "PAX1", "PAX2", "MAD"):
        assert value not in stored
    assert lab._store.counts()["pnr"] == 0


def test_r_scope_02_an_intra_eu_manifest_is_refused_like_a_pnr(
    lab: api.Lab, tmp_path: Path
) -> None:
    to_london = manifest()
    to_madrid = replace(to_london, legs=(replace(to_london.legs[0], arrival_port="MAD"),))
    report = take_in(lab, tmp_path, paxlst_message(to_madrid, "TEST AIR").encode())
    assert (report.manifests, report.refused_manifests, report.refused_pnrs) == (0, 2, 0)
    assert lab._store.counts()["api_person"] == 0
    assert {(r["pnrs"], r["journeys"]) for r in refusals(lab)} == {(0, 2), (0, 1)}
    assert take_in(lab, tmp_path, paxlst_message(to_london, "TEST AIR").encode()).manifests == 2
    decide(lab, this_week())
    again = replace(to_madrid, transport_number="103")
    assert take_in(lab, tmp_path, paxlst_message(again, "TEST AIR").encode()).manifests == 2


def test_r_scope_02_a_refused_message_received_again_is_a_duplicate(
    lab: api.Lab, tmp_path: Path
) -> None:
    data = intra("DUP111")
    take_in(lab, tmp_path, data)
    second = take_in(lab, tmp_path, data)
    assert (second.duplicates, second.refused_pnrs) == (1, 0)
    assert len(refusals(lab)) == 1


def test_r_scope_02_a_dry_run_judges_nothing(tmp_path: Path) -> None:
    """No store, no decisions: the carrier-onboarding report shows what would be parsed."""
    path = tmp_path / "m.edi"
    path.write_bytes(intra("DRY111"))
    report = api.dry_run_ingest([path])
    assert (report.pnr_versions, report.refused_pnrs) == (1, 0)


def test_r_scope_02_refusals_are_listed_per_day_sector_and_reason(
    lab: api.Lab, tmp_path: Path
) -> None:
    take_in(lab, tmp_path, intra("LST111", pax=1))
    take_in(lab, tmp_path, intra("LST222", pax=3))
    frame = lab.scope_refusals()
    assert frame.to_dict("records") == [
        {
            "day": "2026-03-04",
            "sector": "AIR",
            "reason": "no_decision",
            "messages": 2,
            "pnrs": 2,
            "journeys": 4,
        }
    ]


# -- who records a decision ----------------------------------------------------------------------


def test_r_scope_02_the_head_of_unit_and_a_deputy_record_decisions_audited(lab: api.Lab) -> None:
    decide(lab, this_week(decision_id="SCOPE-H"), HEAD_CODE)
    [*_, event] = events(lab)
    assert (event.actor, event.action.value, event.decision.value) == (
        HEAD_CODE,
        "register",
        "allowed",
    )
    assert (event.rule_id, event.objects) == ("ACC-SRC-01", ("scope:SCOPE-H",))
    assert event.detail["method"] == "record_scope_decision"
    assert event.detail["ocam_level"] == 3
    decide(lab, this_week(decision_id="SCOPE-D"), "PIU-D01")
    frame = lab.scope_decisions().set_index("decision_id")
    assert frame["recorded_by"].to_dict() == {"SCOPE-H": HEAD_CODE, "SCOPE-D": "PIU-D01"}
    with pytest.raises(api.ScopeError, match="recorded already"):
        decide(lab, this_week(decision_id="SCOPE-D"))
    assert events(lab)[-1].detail["outcome"] == "error:ScopeError"


@pytest.mark.parametrize(
    ("code", "purpose"),
    [
        ("PIU-S01", "unit_management"),  # support staff (an analyst)
        ("FP-0233", "pre_assessment"),  # a seconded member
        (DPO_CODE, "dpo_supervision"),
        (HEAD_CODE, "pre_assessment"),  # the head, under another purpose
    ],
)
def test_r_scope_02_others_are_denied_and_audited(lab: api.Lab, code: str, purpose: str) -> None:
    session = lab.session(code, purpose=purpose)
    with pytest.raises(api.AccessDenied):
        session.record_scope_decision(this_week(decision_id="SCOPE-X"))
    event = events(lab)[-1]
    assert (event.actor, event.decision.value, event.objects) == (
        code,
        "denied",
        ("scope:SCOPE-X",),
    )
    with pytest.raises(api.AccessDenied):
        session.revoke_scope_decision("SCOPE-X")
    assert events(lab)[-1].action.value == "revoke"
    assert lab.scope_decisions().empty


def test_r_scope_02_unknown_route_places_are_refused_when_recorded(lab: api.Lab) -> None:
    with pytest.raises(api.ScopeError, match="no known place"):
        decide(lab, this_week(routes=("BRU-QQQZZ",)))
    assert lab.scope_decisions().empty


# -- the OCAM level is context, never a passenger feature ---------------------------------------


def test_r_scope_02_the_ocam_level_is_never_a_passenger_feature() -> None:
    """R-RISK-01: the catalogue lists ``ocam_level`` only so that the linter can refuse it; no
    feature is computed from it and a criterion naming it fails LINT-PROT-01."""
    spec = field_spec("ocam_level")
    assert spec is not None
    assert spec.protected is Protection.NEVER
    assert not spec.stored
    assert not [c for c in (*stored_fields(), *FEATURE_COLUMNS) if "ocam" in c.lower()]
    conditions = {"all": [*base()["conditions"]["all"], {"field": "ocam_level", "op": "eq",
                                                          "value": "3"}]}  # fmt: skip
    criterion = load_criterion(base(conditions=conditions))
    rules = {f.rule for f in lint(criterion, on=date(2026, 11, 24))}
    assert "LINT-PROT-01" in rules


# -- the command line --------------------------------------------------------------------------


def test_r_scope_02_scope_add_list_revoke_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "lab.sqlite3")]
    assert run(["staff", "seed-demo", *db], capsys)[0] == 0
    today = datetime.now(UTC).date()
    add = ["scope", "add", "SCOPE-CLI-1", "--legal-basis", "Law of 25 December 2016",
           "--threat-assessment", "OCAM-2026-014", "--ocam-level", "3", "--ocam-date",
           f"{today - timedelta(days=2)}", "--ocam-source", "OCAM notice 2026/14", "--from",
           f"{today}", "--until", f"{today + timedelta(days=90)}", "--review",
           f"{today + timedelta(days=30)}", "--sector", "air", "--sector", "HST", *db]  # fmt: skip
    code, _, err = run([*add, "--as", "PIU-S01"], capsys)
    assert code == 10  # support staff may not record a decision (ACC-SRC-01)
    assert "denied" in err
    code, out, _ = run([*add, "--as", HEAD_CODE], capsys)
    assert code == 0
    assert "SCOPE-CLI-1 recorded: AIR+HST, all journeys" in out
    bad = [a if a != "3" else "5" for a in add]
    bad[2] = "SCOPE-CLI-2"
    code, _, err = run([*bad, "--as", HEAD_CODE], capsys)
    assert code == 5
    assert "ocam_level" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(["scope", "list", "--json", *db], capsys)
    assert code == 0
    listed = json.loads(out)
    [decision] = listed["decisions"]
    assert (decision["decision_id"], decision["state"], decision["sectors"]) == (
        "SCOPE-CLI-1",
        "active",
        "AIR,HST",
    )
    assert listed["refusals"] == []
    code, out, _ = run(["scope", "revoke", "SCOPE-CLI-1", "--as", HEAD_CODE, *db], capsys)
    assert (code, out.strip()) == (0, "scope decision SCOPE-CLI-1 revoked")
    code, out, _ = run(["scope", "list", *db], capsys)
    assert code == 0
    assert "revoked" in out


def test_r_scope_02_the_ingest_command_reports_what_it_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "intra.edi"
    path.write_bytes(intra("CLI111", pax=2))
    db = ["--db", str(tmp_path / "lab.sqlite3")]
    code, out, _ = run(["ingest", str(path), "--quiet", *db], capsys)
    assert code == 0  # a lawful refusal, not an error
    assert (
        "refused out of scope (R-SCOPE-02, counts only): 1 PNRs, 0 manifests, 2 travellers" in out
    )
    path.write_bytes(intra("CLI222", pax=1))
    code, out, _ = run(["ingest", str(path), "--json", *db], capsys)
    document = json.loads(out)
    assert document["summary"]["refused_journeys"] == 1
    assert document["messages"][0]["pnrs"] == []
    assert document["messages"][0]["refused"][0]["reason"] == "no_decision"
    code, out, _ = run(["scope", "list", "--json", *db], capsys)
    assert json.loads(out)["refusals"][0]["journeys"] == 3

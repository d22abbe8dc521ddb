"""A synthetic day from messages to reviewed hits through the command line (issue 6's "done
when"): synth, ingest, staff, watchlist import, criteria, screen, hits list/show/decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from piu_lab.cli import main
from tests.cli_run import run

DEMO_FOLDER = Path(__file__).resolve().parents[1] / "piu_lab" / "criteria" / "data" / "demo"
CHECKS = [
    "--check", "same_person=yes", "--check", "reasonable_suspicion=yes",
    "--check", "not_discriminatory=yes", "--check", "data_reliable=yes",
]  # fmt: skip


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feed")
    main(["synth", "--scale", "small", "--out", str(folder), "--quiet"])
    return folder


def test_messages_to_reviewed_hits(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "lab.sqlite3")]
    assert run(["ingest", str(feed / "pnrgov"), str(feed / "paxlst"), "--replay", *db], capsys)[
        0
    ] in (0, 2)
    assert run(["staff", "seed-demo", *db], capsys)[0] == 0
    code, _, err = run(["screen", *db], capsys)
    assert code == 2  # R-PRE-01: nothing registered, nothing screened
    assert "R-PRE-01" in err
    customs = ["watchlist", "import", str(feed / "watchlists" / "BE-CUSTOMS.csv"),
               "--list-id", "BE-CUSTOMS", "--name", "Customs persons sought", "--owner",
               "customs", "--legal-basis", "Loi generale douanes et accises", "--listing",
               "SOUGHT", *db]  # fmt: skip
    code, _, err = run([*customs, "--as", "DOU-0558"], capsys)
    assert code == 10  # only the head of unit or a deputy registers a list
    code, out, _ = run([*customs, "--as", "PIU-H01"], capsys)
    assert code == 0
    assert "BE-CUSTOMS version 1" in out
    ftf = ["watchlist", "import", str(feed / "watchlists" / "BE-FTF-COMMON.csv"), "--list-id",
           "BE-FTF-COMMON", "--name", "FTF common database", "--owner", "ocam", "--services",
           "ocam,federal_police,state_security", "--legal-basis", "AR 21 July 2016",
           "--listing", "ALERT", "--scope", "COMMON", "--common-db", "ftf_common",
           "--as", "PIU-D01", *db]  # fmt: skip
    assert run(ftf, capsys)[0] == 0
    code, out, _ = run(["watchlist", "list", "--json", *db], capsys)
    assert {w["list_id"] for w in json.loads(out)} == {"BE-CUSTOMS", "BE-FTF-COMMON"}

    code, out, _ = run(["screen", "--json", *db], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary["hits_new"] > 0
    assert set(summary["by_service"]) <= {"customs", "ocam", "federal_police", "state_security"}

    code, out, _ = run(["hits", "list", "--as", "DOU-0558", "--json", *db], capsys)
    assert code == 0
    queue = json.loads(out)
    assert queue
    assert {h["service"] for h in queue} == {"customs"}
    hit_id = queue[0]["hit_id"]
    code, out, _ = run(["hits", "show", hit_id, "--as", "DOU-0558", *db], capsys)
    assert code == 0
    assert "for further examination" in out
    assert "--check same_person" in out
    code, _, err = run(["hits", "show", hit_id, "--as", "FP-0233", *db], capsys)
    assert code == 10  # another service's hit
    reason = "name, date of birth and document agree"
    decide = ["hits", "decide", hit_id, "--validate", "--reason", reason, *CHECKS,
              "--as", "DOU-0558", *db]  # fmt: skip
    code, out, _ = run(decide, capsys)
    assert code == 0
    assert "VALIDATED" in out
    assert run(decide, capsys)[0] == 11  # a final state is final
    code, _, err = run(["hits", "decide", hit_id, "--reason", "x", "--as", "DOU-0558", *db], capsys)
    assert code == 1
    code, out, _ = run(["hits", "list", "--as", "DOU-0558", "--status", "VALIDATED", "--json",
                        *db], capsys)  # fmt: skip
    assert [h["hit_id"] for h in json.loads(out)] == [hit_id]
    assert run(["hits", "list", "--as", "PIU-H01", *db], capsys)[0] == 10
    code, out, _ = run(["hits", "breaches", "--json", *db], capsys)
    assert code == 0
    assert json.loads(out) == []
    code, out, err = run(["screen", "--json", *db], capsys)
    assert code == 0, err
    assert json.loads(out)["hits_new"] == 0


def test_criteria_lint_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """R-CRIT-01..03 on the command line."""
    db = ["--db", str(tmp_path / "lab.sqlite3")]
    good = DEMO_FOLDER / "demo_001.yaml"
    code, out, _ = run(["criteria", "lint", str(good), "--on", "2026-12-01"], capsys)
    assert code == 0
    assert "0 error(s)" in out
    bad = yaml.safe_load(good.read_text("utf-8"))
    bad["conditions"] = {"field": "gender", "op": "eq", "value": "F"}
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(bad), "utf-8")
    code, out, _ = run(["criteria", "lint", str(bad_file), "--on", "2026-12-01"], capsys)
    assert code == 1
    assert "gender" in out
    assert run(["init", *db], capsys)[0] == 0
    assert run(["staff", "seed-demo", *db], capsys)[0] == 0
    code, out, _ = run(["criteria", "add", str(good), "--as", "PIU-H01", *db], capsys)
    assert code == 0
    assert "DEMO-001 version 1" in out
    assert run(["criteria", "add", str(good), "--as", "PIU-S01", *db], capsys)[0] == 10
    code, out, _ = run(["criteria", "list", "--json", *db], capsys)
    [row] = json.loads(out)
    assert (row["criterion_id"], row["status"]) == ("DEMO-001", "APPROVED")
    draft = yaml.safe_load(good.read_text("utf-8"))
    draft.update({"id": "DEMO-900", "status": "draft", "approval": None})
    draft_file = tmp_path / "draft.yaml"
    draft_file.write_text(yaml.safe_dump(draft), "utf-8")
    assert run(["criteria", "add", str(draft_file), "--as", "PIU-H01", *db], capsys)[0] == 0
    approve = ["criteria", "approve", "DEMO-900", "--dpo-opinion", "DPO-OP-2026-077",
               "--dpo-opinion-on", "2026-11-20", *db]  # fmt: skip
    assert run([*approve, "--as", "PIU-D01"], capsys)[0] == 10  # the head of unit approves
    code, out, err = run([*approve, "--as", "PIU-H01"], capsys)
    assert code == 0, err
    assert "DEMO-900 version 2 approved by PIU-H01" in out
    assert run([*approve, "--as", "PIU-H01"], capsys)[0] == 5  # approved already
    code, out, _ = run(["criteria", "list", "--json", *db], capsys)
    versions = {(r["criterion_id"], r["version"]): r["status"] for r in json.loads(out)}
    assert versions[("DEMO-900", 1)] == "DRAFT"
    assert versions[("DEMO-900", 2)] == "APPROVED"

"""The request register: targeted searches only under an authorisation by a court or an
independent body, an urgent path with its ex-post review, scope and expiry, every check made
at each call of the session facade (R-SRCH-01, R-SRCH-02, R-RET-04)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from piu_lab import api
from piu_lab.access.persist import save_operations
from piu_lab.access.seed import demo_operations
from piu_lab.errors import InvalidRecord
from piu_lab.lifecycle.requests import (
    EX_POST_REVIEW,
    Authorisation,
    Authority,
    SearchRequest,
    check,
    file_request,
    open_urgent,
    record_authorisation,
    requests_frame,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FP = "FP-0233"


def request(request_id: str = "REQ-1", *, urgent: bool = False) -> SearchRequest:
    return SearchRequest(request_id, "federal_police", "BRU-2026-PJF-118", "terrorism",
                         ("DOE/JANE born 1980",), "a suspected facilitator of travel to a "
                         "conflict zone", urgent=urgent)  # fmt: skip


def authorisation(auth_id: str = "A-1", request_id: str = "REQ-1", **kw: object) -> Authorisation:
    values: dict[str, object] = {
        "authorisation_id": auth_id, "request_id": request_id, "authority": Authority.COURT,
        "reference": "JI-BRU/2026/77", "decided_on": NOW.date(), "granted": True,
        "valid_until": date(2026, 12, 31),
    } | kw  # fmt: skip
    return Authorisation(**values)  # type: ignore[arg-type]


@pytest.fixture
def lab(tmp_path: Path):  # type: ignore[no-untyped-def]
    with api.open_lab(str(tmp_path / "lab.sqlite3"), clock=api.FrozenClock(NOW)) as opened:
        save_operations(opened._store, demo_operations(NOW.date()), require_empty=True)
        yield opened


def test_a_request_names_service_case_offence_selectors_and_grounds(lab: api.Lab) -> None:
    """R-SRCH-01."""
    bad = SearchRequest("R 1", "", "x", "", (), "short")
    with pytest.raises(InvalidRecord) as err:
        file_request(lab._store, bad, actor="PIU-S01", at=NOW)
    assert len(err.value.errors) == 6
    file_request(lab._store, request(), actor="PIU-S01", at=NOW)
    with pytest.raises(InvalidRecord, match="already"):
        file_request(lab._store, request(), actor="PIU-S01", at=NOW)
    [row] = requests_frame(lab._store)
    assert "selectors" not in row  # personal data stay out of listings


def test_only_a_court_or_an_independent_body_authorises() -> None:
    """R-SRCH-02 (DIR art. 12(3); CJEU ¶¶221-226): the PIU is not an authority."""
    assert {a.value for a in Authority} == {"court", "independent_body"}


def test_the_dpo_is_notified_of_every_approval_that_is_not_a_courts(lab: api.Lab) -> None:
    file_request(lab._store, request(), actor="PIU-S01", at=NOW)
    assert not record_authorisation(lab._store, authorisation(), actor="PIU-S01", at=NOW)
    body = authorisation("A-2", authority=Authority.INDEPENDENT_BODY)
    assert record_authorisation(lab._store, body, actor="PIU-S01", at=NOW)
    refused = authorisation("A-3", authority=Authority.INDEPENDENT_BODY, granted=False)
    assert not record_authorisation(lab._store, refused, actor="PIU-S01", at=NOW)
    notified = [
        a["dpo_notified_at"] is not None for a in requests_frame(lab._store)[0]["authorisations"]
    ]
    assert sorted(notified) == [False, False, True]
    with pytest.raises(InvalidRecord, match="no request"):
        record_authorisation(lab._store, authorisation("A-9", "NOPE"), actor="X", at=NOW)


@pytest.mark.parametrize(
    ("setup", "request_id", "auth_id", "service", "when", "why"),
    [
        ("none", "REQ-1", "A-1", "federal_police", NOW, "not registered"),
        ("granted", "REQ-1", "A-1", "customs", NOW, "another service"),
        ("refused", "REQ-1", "A-1", "federal_police", NOW, "refused"),
        ("granted", "REQ-1", "A-1", "federal_police", NOW + timedelta(days=40), "expired"),
        ("granted", "REQ-1", None, "federal_police", NOW, "no authorisation yet"),
        ("granted", "REQ-1", "A-X", "federal_police", NOW, "not registered"),
        ("other", "REQ-1", "A-2", "federal_police", NOW, "another request"),
    ],
)
def test_check_refuses_with_the_reason(
    lab: api.Lab, setup: str, request_id: str, auth_id: str | None, service: str,
    when: datetime, why: str,
) -> None:  # fmt: skip
    if setup != "none":
        file_request(lab._store, request(), actor="PIU-S01", at=NOW)
        granted = setup != "refused"
        record_authorisation(lab._store, authorisation(granted=granted), actor="PIU-S01", at=NOW)
    if setup == "other":
        file_request(lab._store, request("REQ-2"), actor="PIU-S01", at=NOW)
        record_authorisation(lab._store, authorisation("A-2", "REQ-2"), actor="PIU-S01", at=NOW)
    result = check(lab._store, request_id, auth_id, service, when)
    assert not result.ok
    assert why in result.reason


def test_the_urgent_path_lasts_until_its_ex_post_review(lab: api.Lab) -> None:
    """CJEU ¶223: an urgent request may be processed first; the review follows shortly."""
    file_request(lab._store, request(urgent=True), actor="PIU-S01", at=NOW)
    assert not check(lab._store, "REQ-1", None, "federal_police", NOW).ok
    due = open_urgent(lab._store, "REQ-1", actor="PIU-H01", at=NOW)
    assert due == NOW.replace(tzinfo=None) + EX_POST_REVIEW
    assert check(lab._store, "REQ-1", None, "federal_police", NOW + timedelta(hours=71)).ok
    late = check(lab._store, "REQ-1", None, "federal_police", NOW + timedelta(hours=73))
    assert not late.ok
    assert "ex-post" in late.reason
    record_authorisation(lab._store, authorisation(), actor="PIU-S01", at=NOW)
    assert not check(lab._store, "REQ-1", None, "federal_police", NOW).ok  # use the review
    assert check(lab._store, "REQ-1", "A-1", "federal_police", NOW).ok
    file_request(lab._store, request("REQ-2"), actor="PIU-S01", at=NOW)
    with pytest.raises(InvalidRecord, match="not urgent"):
        open_urgent(lab._store, "REQ-2", actor="PIU-H01", at=NOW)


def test_the_session_checks_the_register_at_every_call(lab: api.Lab) -> None:
    """A search under an unregistered, expired or out-of-scope authorisation is refused and
    audited (ACC-SRCH-03/04); the authorisation's scope limits what is read."""
    file_request(lab._store, request(), actor="PIU-S01", at=NOW)
    record_authorisation(lab._store, authorisation(scope=("ZZ:IN0001",)), actor="PIU-S01",
                         at=NOW)  # fmt: skip
    with pytest.raises(api.AccessDenied) as refused:
        lab.session(FP, purpose="targeted_search", request="REQ-9", authorisation="A-9").pnr("X")
    assert refused.value.rule_id == "ACC-SRCH-03"
    session = lab.session(FP, purpose="targeted_search", request="REQ-1", authorisation="A-1")
    with pytest.raises(api.AccessDenied) as outside:
        session.pnr("ZZ:OUT0001")
    assert outside.value.rule_id == "ACC-SRCH-04"
    with pytest.raises(api.StoreError):  # in scope: allowed, then not stored
        session.pnr("ZZ:IN0001")
    lab.clock.advance(timedelta(days=40))  # type: ignore[attr-defined]
    with pytest.raises(api.AccessDenied, match="expired"):
        session.pnr("ZZ:IN0001")


def test_the_request_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``piu-lab requests``: recorded by the unit (never authorised by it), audited."""
    import json

    from piu_lab.cli import main

    def run(argv: list[str]) -> tuple[int, str]:
        try:
            main(argv)
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        return code, capsys.readouterr().out

    db = ["--db", str(tmp_path / "lab.sqlite3")]
    assert run(["staff", "seed-demo", *db])[0] == 0
    filed = ["requests", "file", "REQ-7", "--service", "federal_police", "--case", "PJF-118",
             "--offence", "terrorism", "--selector", "DOE/JANE 1980-02-03", "--grounds",
             "a facilitator of travel to a conflict zone", "--urgent", *db]  # fmt: skip
    assert run([*filed, "--as", FP])[0] == 10  # a seconded member does not record requests
    assert run([*filed, "--as", "PIU-S01"])[0] == 0
    assert run(["requests", "urgent", "REQ-7", "--as", "PIU-S01", *db])[0] == 10
    code, out = run(["requests", "urgent", "REQ-7", "--as", "PIU-H01", *db])
    assert code == 0
    assert "ex-post review" in out
    authorise = ["requests", "authorise", "REQ-7", "--id", "CP-1", "--authority",
                 "independent_body", "--reference", "CPVP-2026-9", "--decided-on",
                 "2026-11-26", "--valid-until", "2027-01-31", "--as", "PIU-S01", *db]  # fmt: skip
    code, out = run(authorise)
    assert code == 0
    assert "the DPO is notified" in out
    code, out = run(["requests", "list", *db])
    [row] = json.loads(out)
    assert row["request_id"] == "REQ-7"
    assert row["authorisations"][0]["authority"] == "independent_body"

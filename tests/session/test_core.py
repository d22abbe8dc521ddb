"""The session facade: identity, purpose, a decision and one audit event per read of personal
data, masking applied before anything leaves the facade (R-ACC-03, R-LOG-02, R-RET-02,
R-SRCH-01..03, R-SCOPE-03)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu_lab import api
from piu_lab.access.seed import DPO_CODE, HEAD_CODE, LAPSED_CODE
from piu_lab.audit import AuditLog, generate_keypair, load_private_key
from piu_lab.hits.queries import hit_frame
from piu_lab.lifecycle.requests import (
    Authorisation,
    Authority,
    SearchRequest,
    file_request,
    record_authorisation,
)
from piu_lab.session import PERSONAL_DATA_METHODS, WORKFLOW_METHODS, resolve_user
from tests.factories import scope_decision

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)  # the synthetic traffic's first departure day
FP = "FP-0233"  # seconded member, federal police
VSSE = "VSSE-112"  # seconded member, State Security
GRANTEE = "LP-9021"
SEARCH = {"request": "REQ-2026-17", "authorisation": "JI-BRU-2026-0042"}
UNMASK = {"request": "REQ-2026-18", "authorisation": "COURT-2026-77"}


def register_requests(lab: api.Lab) -> None:
    """Two federal-police requests, each authorised by an investigating judge; the second
    allows unmasking (R-SRCH-01/02, R-RET-04)."""
    for request_id, authorisation_id, unmask in (
        (SEARCH["request"], SEARCH["authorisation"], False),
        (UNMASK["request"], UNMASK["authorisation"], True),
    ):
        file_request(
            lab._store,
            SearchRequest(request_id, "federal_police", "BRU-2026-PJF-118", "drug_trafficking",
                          ("the traveller of a case",), "a courier network under investigation"),
            actor="PIU-S01",
            at=NOW,
        )  # fmt: skip
        record_authorisation(
            lab._store,
            Authorisation(authorisation_id, request_id, Authority.COURT, "JI-BRU/2026/77",
                          NOW.date(), True, date(2027, 12, 31), unmask=unmask),
            actor="PIU-S01",
            at=NOW,
        )  # fmt: skip


SEVEN_MONTHS = timedelta(days=213)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[api.Lab]:
    """A demo database (one synthetic day, the seeded staff register) on a frozen clock."""
    folder = tmp_path_factory.mktemp("session")
    clock = api.FrozenClock(NOW)
    with api.open_lab(str(folder / "lab.sqlite3"), clock=clock) as opened:
        opened.load_demo(api.SynthConfig(seed=2), out_dir=folder / "messages")
        register_requests(opened)
        yield opened


@pytest.fixture(autouse=True)
def _now(lab: api.Lab) -> Iterator[None]:
    clock = lab.clock
    assert isinstance(clock, api.FrozenClock)
    clock.set(NOW)
    yield
    clock.set(NOW)


def events(lab: api.Lab) -> list[Any]:
    return [s.event for s in AuditLog(lab._store, lab.clock).read()]


def last_event(lab: api.Lab) -> Any:
    return events(lab)[-1]


def a_journey(lab: api.Lab) -> pd.Series:
    frame = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    return frame.iloc[0]


# -- identity ---------------------------------------------------------------------------------


def test_the_user_comes_from_the_argument_then_piu_lab_user_then_jupyterhub_user() -> None:
    env = {"PIU_LAB_USER": "A-1", "JUPYTERHUB_USER": "B-2", "USER": "C-3"}
    assert resolve_user("X-9", env) == ("X-9", "argument")
    assert resolve_user(None, env) == ("A-1", "PIU_LAB_USER")
    assert resolve_user(" ", {"JUPYTERHUB_USER": "B-2"}) == ("B-2", "JUPYTERHUB_USER")
    # never the operating-system login
    assert resolve_user(None, {"USER": "C-3", "LOGNAME": "C-3"}) == ("", "none")


def test_a_session_shows_who_works_and_why(lab: api.Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIU_LAB_USER", VSSE)
    session = lab.session(purpose=api.Purpose.PRE_ASSESSMENT)
    who = session.whoami()
    assert (who.code, who.role, who.service, who.source) == (
        VSSE,
        "seconded_member",
        "state_security",
        "PIU_LAB_USER",
    )
    assert "under pre assessment" in who.banner()
    opened = last_event(lab)
    assert (opened.action.value, opened.actor, opened.purpose) == (
        "open_session",
        VSSE,
        "pre_assessment",
    )


@pytest.mark.parametrize(
    ("user", "purpose", "rule", "actor"),
    [
        (None, "pre_assessment", "ACC-ID-01", "unidentified"),
        ("NOBODY-1", "pre_assessment", "ACC-ID-02", "NOBODY-1"),
        ("Robert'); DROP TABLE--", "pre_assessment", "ACC-ID-02", "unidentified"),
        (LAPSED_CODE, "pre_assessment", "ACC-ACT-01", LAPSED_CODE),
        (FP, None, "ACC-PUR-01", FP),
    ],
)
def test_a_refused_session_is_audited(
    lab: api.Lab,
    monkeypatch: pytest.MonkeyPatch,
    user: str | None,
    purpose: str | None,
    rule: str,
    actor: str,
) -> None:
    """R-ACC-03 (AR art. 7): nobody unidentified, unknown, inactive or without a purpose works;
    the OS login is not an identity (USER is set and ignored)."""
    for variable in ("PIU_LAB_USER", "JUPYTERHUB_USER"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("USER", HEAD_CODE)
    with pytest.raises(api.AccessDenied) as refused:
        lab.session(user, purpose=purpose)
    assert refused.value.rule_id == rule
    assert refused.value.exit_code == 10
    event = last_event(lab)
    assert (event.action.value, event.decision.value, event.rule_id, event.actor) == (
        "open_session",
        "denied",
        rule,
        actor,
    )


def test_an_unknown_purpose_is_a_configuration_error(lab: api.Lab) -> None:
    with pytest.raises(api.ConfigurationError, match="curiosity") as bad:
        lab.session(FP, purpose="curiosity")
    assert "targeted_search" in (bad.value.hint or "")


# -- reads of personal data -----------------------------------------------------------------


def test_recent_journeys_are_readable_and_audited(lab: api.Lab) -> None:
    session = lab.session(FP, purpose="pre_assessment")
    before = len(events(lab))
    frame = session.journeys(DAY)
    assert len(frame) > 100
    assert not frame["masked"].any()
    assert frame["surname"].notna().all()
    assert api.MASKED not in set(frame["surname"])
    [event] = events(lab)[before:]
    assert (event.action.value, event.decision.value, event.rule_id) == (
        "consult",
        "allowed",
        "ACC-PNR-01",
    )
    assert (event.record_count, event.objects, event.detail["masked_rows"]) == (
        len(frame),
        (f"day:{DAY.isoformat()}",),
        0,
    )


def test_six_months_after_registration_the_identifying_columns_are_masked(lab: api.Lab) -> None:
    """R-RET-02 (DIR art. 12(2)): the six field groups are unreadable after six months."""
    clear = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    lab.clock.advance(SEVEN_MONTHS)  # type: ignore[attr-defined]
    frame = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    assert frame["masked"].all()
    for column in ("surname", "given_names", "doc_number", "nationality"):
        present = clear[column].notna()
        assert (frame.loc[present, column] == api.MASKED).all(), column
    assert frame["date_of_birth"].isna().all()
    for column in ("pnr_id", "carrier", "origin", "destination", "departure_utc"):
        assert frame[column].equals(clear[column])  # what criteria analysis still needs
    assert last_event(lab).detail["masked_rows"] == len(frame)


def test_criteria_analysis_sees_masked_data_only(
    lab: api.Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-SRCH-03 (DIR art. 6(2)(c)), R-RET-02: support staff analysing criteria never see
    names, only keyed pseudonyms: the same name, the same token, in every call."""
    monkeypatch.setenv("PIU_LAB_PSEUDONYM_KEY", "11" * 32)
    clear = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    frame = lab.session("PIU-S01", purpose="criteria_analysis").journeys(DAY)
    assert frame["masked"].all()
    tokens = frame["surname"].dropna()
    assert tokens.str.fullmatch(r"P:[0-9a-f]{16}").all()
    assert not set(tokens) & set(clear["surname"].dropna())
    # the same name (spacing and case aside) gives the same token; others, other tokens
    folded = clear["surname"].map(lambda v: "".join(str(v).upper().split()))
    pairs = set(zip(folded, frame["surname"], strict=True))
    assert len({c for c, _ in pairs}) == len({t for _, t in pairs}) == len(pairs)
    again = lab.session("PIU-S01", purpose="criteria_analysis").journeys(DAY)
    assert again["surname"].equals(frame["surname"])
    monkeypatch.setenv("PIU_LAB_PSEUDONYM_KEY", "22" * 32)
    other = lab.session("PIU-S01", purpose="criteria_analysis").journeys(DAY)
    assert not set(other["surname"].dropna()) & set(tokens)  # another key, other tokens


def test_the_pnr_card_holds_every_version_and_masks_as_decided(lab: api.Lab) -> None:
    pnr_id = str(a_journey(lab)["pnr_id"])
    record = lab.session(FP, purpose="pre_assessment").pnr(pnr_id)
    assert record.masked == frozenset()
    assert len(record.tables["pnr"]) == 1
    versions = record.tables["pnr_version"]["version"].tolist()
    assert versions == sorted(versions)
    assert versions[0] == 1
    event = last_event(lab)
    assert (event.objects, event.record_count) == (
        (f"pnr:{pnr_id}",),
        sum(len(t) for t in record.tables.values()),
    )
    lab.clock.advance(SEVEN_MONTHS)  # type: ignore[attr-defined]
    old = lab.session(FP, purpose="pre_assessment").pnr(pnr_id)
    assert old.masked == frozenset(api.FieldGroup)
    assert set(old.tables["passenger"]["surname"]) == {api.MASKED}
    contacts = old.tables["contact"]["value"].dropna()
    assert set(contacts) <= {api.MASKED}
    assert old.tables["segment"].equals(record.tables["segment"])


def test_an_unknown_pnr_is_an_error_after_its_audit_event(lab: api.Lab) -> None:
    session = lab.session(FP, purpose="pre_assessment")
    with pytest.raises(api.StoreError, match="no PNR"):
        session.pnr("ZZ:NOPE00")
    event = last_event(lab)
    assert event.objects == ("pnr:ZZ:NOPE00",)
    assert event.detail["outcome"] == "error:StoreError"


def test_access_ends_mid_session_when_the_grant_expires(lab: api.Lab) -> None:
    """R-ACC-02 (AR art. 5 §2): the register is consulted at each call, not at login."""
    session = lab.session(GRANTEE, purpose="pre_assessment")
    assert len(session.journeys(DAY)) > 0
    lab.clock.advance(timedelta(days=400))  # type: ignore[attr-defined]
    with pytest.raises(api.AccessDenied) as refused:
        session.journeys(DAY)
    assert refused.value.rule_id == "ACC-ACT-01"
    assert last_event(lab).decision.value == "denied"


# -- targeted search ------------------------------------------------------------------------


def test_a_targeted_search_needs_its_request_and_authorisation(lab: api.Lab) -> None:
    """R-SRCH-01 (DIR art. 6(2)(b), 12(3); CJEU): no search without both ids."""
    row = a_journey(lab)
    name = f"{row['surname']}/{row['given_names']}"
    bare = lab.session(FP, purpose="targeted_search")
    with pytest.raises(api.AccessDenied) as refused:
        bare.search(departing_from=DAY, name=name)
    assert refused.value.rule_id == "ACC-SRCH-02"
    assert last_event(lab).detail == {"method": "search"}
    session = lab.session(FP, purpose="targeted_search", **SEARCH)
    page = session.search(departing_from=DAY, name=name)
    assert page.total >= 1
    top = page.results.iloc[0]
    assert (top["pnr_id"], top["pax_ref"]) == (row["pnr_id"], row["pax_ref"])
    assert top["score"] >= api.NAME_THRESHOLD
    event = last_event(lab)
    assert (event.request_id, event.rule_id, event.detail["selectors"]) == (
        SEARCH["request"],
        "ACC-SRCH-01",
        "name",
    )
    # the selectors never reach the log
    assert str(row["surname"]) not in json.dumps(event.fields())


def test_a_search_by_document_alone(lab: api.Lab) -> None:
    rows = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    row = rows[rows["doc_number"].notna()].iloc[0]
    session = lab.session(FP, purpose="targeted_search", **SEARCH)
    page = session.search(departing_from=DAY, document=str(row["doc_number"]).lower())
    assert (page.results["pnr_id"] == row["pnr_id"]).any()


def test_search_pages(lab: api.Lab) -> None:
    session = lab.session(FP, purpose="targeted_search", **SEARCH)
    first = session.search(departing_from=DAY, name="MOHAMMED", page_size=2, threshold=0.5)
    assert first.page_size == 2
    assert len(first.results) <= 2
    assert first.pages == max(1, -(-first.total // 2))
    if first.total > 2:
        second = session.search(
            departing_from=DAY, name="MOHAMMED", page=1, page_size=2, threshold=0.5
        )
        assert not set(second.results["pnr_id"] + second.results["pax_ref"]) & set(
            first.results["pnr_id"] + first.results["pax_ref"]
        )


def test_a_name_search_is_not_criteria_analysis(lab: api.Lab) -> None:
    """R-SRCH-03: identifying selectors are a targeted search; refused and audited."""
    session = lab.session(FP, purpose="criteria_analysis")
    with pytest.raises(api.AccessDenied) as refused:
        session.search(departing_from=DAY, name="SMITH/JOHN")
    assert refused.value.rule_id == "ACC-ANA-02"
    assert last_event(lab).rule_id == "ACC-ANA-02"


def test_masked_travellers_are_not_searched_without_an_unmasking_authorisation(
    lab: api.Lab,
) -> None:
    """R-RET-02/R-RET-04: after six months a name search reaches masked data only with an
    authorisation to unmask (court or independent body)."""
    row = a_journey(lab)
    name = f"{row['surname']}/{row['given_names']}"
    lab.clock.advance(SEVEN_MONTHS)  # type: ignore[attr-defined]
    masked = lab.session(FP, purpose="targeted_search", **SEARCH).search(
        departing_from=DAY, name=name
    )
    assert masked.total == 0
    assert masked.travellers_searched == 0
    assert masked.masked_excluded > 0
    unmasked = lab.session(FP, purpose="targeted_search", **UNMASK).search(
        departing_from=DAY, name=name
    )
    assert unmasked.total >= 1
    assert unmasked.masked_excluded == 0


def test_bad_search_arguments_name_every_problem(lab: api.Lab) -> None:
    session = lab.session(FP, purpose="targeted_search", **SEARCH)
    with pytest.raises(api.InvalidRecord) as bad:
        session.search(departing_from=DAY, departing_to=DAY + timedelta(days=40), page_size=0)
    assert len(bad.value.errors) == 3


# -- the audit log --------------------------------------------------------------------------


def test_only_the_dpo_and_supervisors_read_the_log(lab: api.Lab) -> None:
    """R-LOG-03 (AR art. 27, 32)."""
    with pytest.raises(api.AccessDenied) as refused:
        lab.session(HEAD_CODE, purpose="unit_management").audit_events()
    assert refused.value.rule_id in {"ACC-LOG-02", "ACC-PUR-02"}
    frame = lab.session(DPO_CODE, purpose="dpo_supervision").audit_events()
    assert list(frame["sequence"]) == list(range(1, len(frame) + 1))
    assert {"hash", "prev_hash", "rule_id"} <= set(frame.columns)
    assert last_event(lab).action.value == "log_read"
    assert len(lab.session("APD-01", purpose="supervisory_review").audit_events(1, 3)) == 3


def test_the_dpo_exports_a_signed_extract(lab: api.Lab, tmp_path: Path) -> None:
    private, _public = generate_keypair(tmp_path / "keys")
    out = tmp_path / "extract.jsonl"
    session = lab.session(DPO_CODE, purpose="dpo_supervision")
    session.export_audit(out, load_private_key(private), 1, 4)
    assert len(out.read_bytes().splitlines()) == 5
    assert last_event(lab).action.value == "export"


def test_collection_is_audited_as_counts(lab: api.Lab) -> None:
    """R-LOG-02: every collection is logged (counts, not values)."""
    collect = [e for e in events(lab) if e.action.value == "collect"]
    assert collect
    assert collect[0].detail["stored"] > 0
    assert (
        collect[0].detail["pnr_versions"]
        == collect[0].record_count - collect[0].detail["manifests"]
    )


def test_no_audit_event_holds_a_passenger_name(lab: api.Lab) -> None:
    """R-LOG-02 / R-SENS-02: references and counts only."""
    frame = lab.session(FP, purpose="pre_assessment").journeys(DAY)
    names = {s for s in frame["surname"].dropna() if len(s) > 3}
    text = json.dumps([e.fields() for e in events(lab)])
    assert not [n for n in names if f'"{n}"' in text or f":{n}" in text]


# -- every method that returns personal data writes exactly one event ----------------------


def test_every_public_session_method_is_classified() -> None:
    """A new method cannot return personal data unnoticed: it is either listed as one that
    does (and is then covered by the property test below) or as one that does not."""
    public = {
        name
        for name, member in inspect.getmembers(api.Session)
        if not name.startswith("_") and callable(member)
    }
    assert public == set(PERSONAL_DATA_METHODS) | set(WORKFLOW_METHODS) | {"whoami", "member"}
    assert set(CALLS) == set(PERSONAL_DATA_METHODS) | set(WORKFLOW_METHODS)


@dataclass(frozen=True)
class Where:
    folder: Path
    key: Any
    hit_id: str


TEST_LIST = api.WatchlistInfo(
    "BE-PROPERTY", "a property-test list", api.Service.CUSTOMS, (api.Service.CUSTOMS,),
    "a test basis, LAW art. 24", api.Listing.SOUGHT, api.ListScope.SERVICE,
)  # fmt: skip
NO = dict.fromkeys(api.CHECKLIST, True) | {"same_person": False}


CALLS: dict[str, Any] = {
    "journeys": lambda s, w: s.journeys(DAY),
    "pnr": lambda s, w: s.pnr("ZZ:NOPE00"),
    "search": lambda s, w: s.search(departing_from=DAY, name="DOE/JANE"),
    "audit_events": lambda s, w: s.audit_events(1, 2),
    "export_audit": lambda s, w: s.export_audit(w.folder / "x.jsonl", w.key, 1, 2),
    "hits": lambda s, w: s.hits(),
    "hit": lambda s, w: s.hit(w.hit_id),
    "disclose_hit": lambda s, w: s.disclose_hit(w.hit_id),
    "notifications": lambda s, w: s.notifications(),
    "disparity": lambda s, w: s.disparity(),
    "start_review": lambda s, w: s.start_review(w.hit_id),
    "decide_hit": lambda s, w: s.decide_hit(
        w.hit_id, "REJECTED_FALSE_POSITIVE", "not the person listed: other birth date", NO
    ),
    "close_ocam_task": lambda s, w: s.close_ocam_task(w.hit_id, "OCAM-REF-1"),
    "record_follow_up": lambda s, w: s.record_follow_up(w.hit_id, "controlled, nothing found"),
    "register_watchlist": lambda s, w: s.register_watchlist(
        TEST_LIST, pd.DataFrame({"entry_id": ["T1"], "full_name": ["DOE/JANE"]})
    ),
    "register_criterion": lambda s, w: s.register_criterion(api.demo_criteria()[0]),
    "approve_criterion": lambda s, w: s.approve_criterion(
        "DEMO-001", dpo_opinion="DPO-OP-1", dpo_opinion_on=DAY
    ),
    "file_request": lambda s, w: s.file_request(
        SearchRequest(
            f"P-{w.folder.name}",
            "customs",
            "CASE-1",
            "drug_trafficking",
            ("a selector",),
            "grounds of at least twenty characters",
        )
    ),
    "record_authorisation": lambda s, w: s.record_authorisation(
        Authorisation(
            f"PA-{w.folder.name}",
            SEARCH["request"],
            Authority.COURT,
            "JI-1",
            DAY,
            True,
            date(2027, 1, 1),
        )
    ),
    "open_urgent": lambda s, w: s.open_urgent(SEARCH["request"]),
    "record_scope_decision": lambda s, w: s.record_scope_decision(
        scope_decision(f"SCOPE-{w.folder.name}", routes=("BRU-MAD",))
    ),
    "revoke_scope_decision": lambda s, w: s.revoke_scope_decision(f"SCOPE-{w.folder.name}"),
    "record_retention": lambda s, w: s.record_retention(
        "ZZ:NOPE00", "1", kind="case", reference="PJF-1", grounds="a case of the federal police"
    ),
}
CODES = [FP, VSSE, GRANTEE, DPO_CODE, HEAD_CODE, "PIU-S01", "PIU-D01", "APD-01", "COC-01"]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(sorted(CALLS)),
    code=st.sampled_from(CODES),
    purpose=st.sampled_from(list(api.Purpose)),
    with_request=st.booleans(),
    months=st.sampled_from([0, 7]),
)
def test_every_call_writes_exactly_one_event(
    lab: api.Lab,
    tmp_path_factory: pytest.TempPathFactory,
    method: str,
    code: str,
    purpose: api.Purpose,
    with_request: bool,
    months: int,
) -> None:
    """R-LOG-02: allowed or denied, found or not, every call of every method that returns
    personal data or changes the workflow writes exactly one event, with the actor, the
    purpose and a decision."""
    lab.clock.set(NOW + timedelta(days=30 * months))  # type: ignore[attr-defined]
    try:
        session = lab.session(code, purpose=purpose, **(SEARCH if with_request else {}))
    except api.AccessDenied:
        return  # refused at the door (and audited: see test_a_refused_session_is_audited)
    folder = tmp_path_factory.mktemp("calls")
    private, _ = generate_keypair(folder / "keys")
    hit_id = str(hit_frame(lab._store, NOW)["hit_id"].iloc[0])
    where = Where(folder, load_private_key(private), hit_id)
    before = len(events(lab))
    try:
        CALLS[method](session, where)
        outcome = "allowed"
    except api.AccessDenied:
        outcome = "denied"
    except (api.StoreError, api.WorkflowError, api.InvalidRecord):
        outcome = "allowed"  # allowed, then not found or refused by the workflow
    new = events(lab)[before:]
    assert len(new) == 1, [e.fields() for e in new]
    [event] = new
    assert event.actor == code
    assert event.purpose == purpose.value
    assert event.decision.value == outcome
    assert event.detail["method"] == method

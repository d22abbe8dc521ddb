"""The data lifecycle on a frozen clock: masking into sealed storage at six months (R-RET-02),
the two retention profiles (R-RET-03), deletion at five years (R-RET-01), complete deletion
(every table and the SQLite file's bytes), idempotence and dry runs.

The PNR of :func:`tests.factories.rich_pnr` has three passengers: ``1`` (an adult with
contacts, a frequent-flyer card, two documents) gets a validated hit, ``2`` (an infant) and
``3`` (an unaccompanied minor with his guardians' names and phones) have none. Another PNR
(``TSTBBB``) has nobody flagged. Registration (T0) is the PNR's first receipt.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import String, Text, and_, exists, func, select

from piu_lab import api
from piu_lab.access.masking import is_pseudonym, pseudonym_key, pseudonyms
from piu_lab.lifecycle.retention import Profile
from piu_lab.store import Store, metadata, open_store, schema
from piu_lab.store.schema_hits import follow_up, hit, hit_event
from piu_lab.store.schema_lifecycle import retention_decision, sealed_pnr
from tests import factories as f
from tests.cli_run import run

T0 = f.rich_pnr().received_at  # 2026-02-28 07:00 UTC
SIX = datetime(2026, 8, 28, 7, 0, tzinfo=UTC)  # T0 + 6 months
FIVE = datetime(2031, 2, 28, 7, 0, tzinfo=UTC)  # T0 + 5 years
RICH, OTHER = "ZZ:TSTRICH", "ZZ:TSTBBB"
#: values only the unflagged passengers (or the unflagged PNR) hold
GONE = ("TESTGUARD", "TP7654321", "+3225550101", "+442075550102", "TSTBBB")
#: values of the flagged passenger, kept but sealed (never in clear in the file)
SEALED = ("ALPHA MARIE", "+3225550100", "ZZ99887766", "alpha@example.invalid", "TESTPERSON")


def _flag(store: Store, pnr_id: str, pax_ref: str, *, status: str = "VALIDATED") -> str:
    """A hit on one passenger with a final review (what the hit workflow leaves)."""
    hit_id = f"H-{pnr_id}-{pax_ref}"
    with store.engine.begin() as conn:
        conn.execute(hit.insert(), [{
            "hit_id": hit_id, "group_key": f"{pnr_id}/{pax_ref}", "pnr_id": pnr_id,
            "pax_ref": pax_ref, "pnr_version": 1, "source_kind": "WATCHLIST",
            "source_key": "LIST:E1", "list_id": "LIST", "entry_id": "E1", "criterion_id": None,
            "criterion_version": None, "service": "federal_police", "common": False,
            "ftf": False, "score": 0.97,
            "explanation": "Traveller name 'TESTPERSON ALPHA MARIE' matches list name",
            "evidence": '{"traveller": "TESTPERSON/ALPHA MARIE"}', "algorithm": "test@1",
            "person_key": "P0123456789abcdef", "run_id": "RUN-1",
            "created_at": T0.replace(tzinfo=None), "deadline_at": T0.replace(tzinfo=None),
        }])  # fmt: skip
        conn.execute(hit_event.insert(), [{
            "hit_id": hit_id, "seq": 1, "at": T0.replace(tzinfo=None), "actor": "PIU-A01",
            "status": status, "reason": "checked", "checklist": "{}", "via_hit": None,
        }])  # fmt: skip
    return hit_id


@pytest.fixture
def lab(db_url: str) -> Iterator[api.Lab]:
    clock = api.FrozenClock(T0)
    with api.open_lab(db_url, clock=clock) as opened:
        other = f.simple_pnr("TSTBBB", n_pax=2, received_at=T0)
        opened._store.write_pnrs([f.rich_pnr(), other])
        opened._store.write_manifests([f.manifest(n_persons=2, crew=1)])
        _flag(opened._store, RICH, "1")
        _flag(opened._store, OTHER, "1", status="REJECTED_FALSE_POSITIVE")
        yield opened


def _passengers(store: Store) -> set[tuple[str, str]]:
    frame = store.read_table("passenger")
    return set(zip(frame["pnr_id"], frame["pax_ref"], strict=True))


def _run(lab: api.Lab, now: datetime, profile: Profile = Profile.CJEU_2022) -> dict[str, int]:
    assert isinstance(lab.clock, api.FrozenClock)
    lab.clock.set(now)
    return lab.run_lifecycle(profile=profile).counts()


def test_nothing_happens_one_second_before_six_months(lab: api.Lab) -> None:
    """R-RET-02, R-RET-03: at T0 + 6 months - 1 s nothing is due."""
    counts = _run(lab, SIX - timedelta(seconds=1))
    assert counts["masked_pnrs"] == counts["deleted_pnrs"] == counts["journeys"] == 0
    assert len(_passengers(lab._store)) == 5


def test_at_six_months_only_the_flagged_passenger_is_kept_and_masked(lab: api.Lab) -> None:
    """R-RET-03 (cjeu-2022): a flagged and an unflagged passenger on the same PNR: only the
    flagged one is kept; the PNR without a basis goes whole (a rejected hit is no basis)."""
    counts = _run(lab, SIX)
    assert _passengers(lab._store) == {(RICH, "1")}
    assert counts["deleted_pnrs"] == 1
    assert counts["kept_passengers"] == 1
    assert counts["deleted_passengers"] == 4
    assert counts["masked_pnrs"] == 1
    store = lab._store
    assert set(store.read_table("pnr")["pnr_id"]) == {RICH}
    assert store.read_table("minor").empty  # the minor and his guardians went with him
    with store.engine.connect() as conn:
        hits = conn.execute(select(hit.c.hit_id, hit.c.explanation, hit.c.person_key)).all()
    assert [h[0] for h in hits] == [f"H-{RICH}-1"]
    assert hits[0][1] == api.MASKED
    assert is_pseudonym(hits[0][2])


def test_masked_values_leave_the_tables_for_keyed_pseudonyms(lab: api.Lab) -> None:
    """R-RET-02: names, contacts, payment, frequent flyer, remarks and documents of the kept
    passenger are pseudonyms (same value, same token) or empty in the tables; the clear values
    are only in sealed storage, one part per passenger and one for the PNR."""
    _run(lab, SIX)
    store = lab._store
    passenger = store.read_table("passenger").set_index("pax_ref").loc["1"]
    token = pseudonyms(pd.Series(["TESTPERSON"], dtype=object), pseudonym_key(), "surname")
    assert passenger["surname"] == token.iloc[0]
    contact = store.read_table("contact")
    assert contact["value"].map(is_pseudonym).all()
    docs = store.read_table("travel_document")
    assert docs["number"].map(is_pseudonym).all()
    assert docs["date_of_birth"].isna().all()
    assert (store.read_table("pnr_version")["party_size"] == 0).all()
    assert store.read_table("payment")["card_holder"].map(is_pseudonym).all()
    assert store.read_table("pnr")["masked_at"].notna().all()
    with store.engine.connect() as conn:
        parts = {r[0] for r in conn.execute(select(sealed_pnr.c.part)).all()}
    assert parts == {"1", "*"}


def test_directive_profile_keeps_everyone_masked(lab: api.Lab) -> None:
    """R-RET-03 (directive-2016): nobody is deleted at six months; all are masked."""
    counts = _run(lab, SIX, Profile.DIRECTIVE_2016)
    assert counts["deleted_pnrs"] == counts["deleted_passengers"] == 0
    assert counts["masked_pnrs"] == 2
    assert len(_passengers(lab._store)) == 5
    assert lab._store.read_table("passenger")["given_names"].map(is_pseudonym).all()


def test_five_years_deletes_even_the_flagged(lab: api.Lab) -> None:
    """R-RET-01: at T0 + 5 years everything goes, retention basis or not; at 5 years - 1 s the
    kept passenger is still there (masked)."""
    _run(lab, SIX)
    assert _run(lab, FIVE - timedelta(seconds=1))["deleted_pnrs_5y"] == 0
    assert _passengers(lab._store) == {(RICH, "1")}
    counts = _run(lab, FIVE)
    assert counts["deleted_pnrs_5y"] == 1
    assert lab._store.counts()["pnr"] == 0
    with lab._store.engine.connect() as conn:
        assert conn.execute(select(sealed_pnr)).first() is None
        assert conn.execute(select(hit)).first() is None


def test_a_second_run_finds_nothing_and_a_dry_run_changes_nothing(lab: api.Lab) -> None:
    """Idempotent (safe from cron); a dry run reports exactly what the run then does."""
    assert isinstance(lab.clock, api.FrozenClock)
    lab.clock.set(SIX)
    before = lab._store.counts()
    dry = lab.run_lifecycle(dry_run=True).counts()
    assert lab._store.counts() == before
    done = lab.run_lifecycle().counts()
    assert dry == done
    again = lab.run_lifecycle().counts()
    assert set(again.values()) == {0}


def test_a_real_run_cannot_be_dated_in_the_future(lab: api.Lab) -> None:
    with pytest.raises(api.ConfigurationError, match="future"):
        lab.run_lifecycle(as_of=SIX)
    assert lab.run_lifecycle(as_of=SIX, dry_run=True).counts()["deleted_pnrs"] == 1
    assert len(_passengers(lab._store)) == 5


def test_a_retention_decision_is_a_basis(lab: api.Lab) -> None:
    """R-RET-03: a case of a competent authority recorded for a passenger keeps him."""
    with lab._store.engine.begin() as conn:
        conn.execute(retention_decision.insert(), [{
            "pnr_id": OTHER, "pax_ref": "2", "reference": "PJF-2026-1", "kind": "case",
            "grounds": "a case of the federal police", "recorded_at": T0.replace(tzinfo=None),
            "recorded_by": "PIU-H01",
        }])  # fmt: skip
    counts = _run(lab, SIX)
    assert _passengers(lab._store) == {(RICH, "1"), (OTHER, "2")}
    assert counts["kept_passengers"] == 2


def test_api_persons_go_unless_they_are_a_kept_passenger(lab: api.Lab) -> None:
    """R-RET-03 for API data (group (f)): the manifest's persons who are not a kept passenger
    (same booking reference and surname) are deleted; the crew too."""
    _run(lab, SIX)
    assert len(lab._store.read_table("api_person")) == 3  # received 2026-03-02: not due yet
    counts = _run(lab, SIX + timedelta(days=6))
    assert counts["deleted_api_persons"] == 3
    assert counts["deleted_manifests"] == 1
    assert lab._store.read_table("api_person").empty  # TSTAAA is no kept passenger's


def test_runs_are_recorded_and_audited_as_counts(lab: api.Lab) -> None:
    """R-LOG-02: the run is one erasure and one masking event of the system actor."""
    _run(lab, SIX)
    runs = lab.lifecycle_runs()
    assert len(runs) == 1
    assert runs.loc[0, "deleted_pnrs"] == 1
    events = lab._audit.read(1, None)
    kinds = [(e.event.action, e.event.record_count) for e in events]
    assert ("erase", 5) in kinds
    assert ("mask", 1) in kinds


def _orphans(store: Store) -> list[str]:
    """Rows whose parent (by any foreign key of the schema) is gone."""
    found = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for fk in table.foreign_key_constraints:
                pairs = [(e.parent, e.column) for e in fk.elements]
                parent = select(1).select_from(fk.referred_table)
                parent = parent.where(and_(*(mine == theirs for mine, theirs in pairs)))
                stmt = (
                    select(func.count())
                    .select_from(table)
                    .where(~exists(parent), *(mine.is_not(None) for mine, _ in pairs))
                )
                if count := conn.execute(stmt).scalar_one():
                    found.append(f"{table.name} -> {fk.referred_table.name}: {count}")
    return found


@pytest.mark.parametrize("profile", list(Profile))
def test_no_row_is_ever_left_without_its_parent(lab: api.Lab, profile: Profile) -> None:
    """R-RET-01: the explicit, children-first deletion (SQLite: with its per-row checks off)
    leaves no orphan behind, after the six-month run (partly kept PNRs) and the five-year one."""
    with lab._store.engine.begin() as conn:  # a follow-up on the kept hit, a second event
        done = {"hit_id": f"H-{RICH}-1", "seq": 1, "at": T0, "actor": "FP-0233",
                "outcome": "controlled"}  # fmt: skip
        conn.execute(follow_up.insert(), [done])
        conn.execute(hit_event.insert(), [{"hit_id": f"H-{OTHER}-1", "seq": 2, "at": T0,
            "actor": "PIU-A01", "status": "REJECTED_FALSE_POSITIVE", "reason": "again",
            "checklist": "{}", "via_hit": None}])  # fmt: skip
    assert _orphans(lab._store) == []
    _run(lab, SIX + timedelta(days=6), profile)
    assert _orphans(lab._store) == []
    _run(lab, FIVE + timedelta(days=6), profile)
    assert _orphans(lab._store) == []
    assert lab._store.counts()["passenger"] == 0


def _text_hits(store: Store, needle: str) -> list[str]:
    """Every table and text column of the schema where ``needle`` occurs."""
    found = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text):
                    stmt = select(column).where(column.contains(needle, autoescape=True)).limit(1)
                    if conn.execute(stmt).first() is not None:
                        found.append(f"{table.name}.{column.name}")
    return found


def test_nothing_deleted_or_sealed_can_be_found_again(tmp_path: Path) -> None:
    """R-RET-01, R-RET-02: after the run, no deleted value is in any table, and neither a
    deleted nor a sealed value is anywhere in the SQLite file or its write-ahead log (secure
    delete, WAL checkpoint): only ciphertext remains of the kept passenger."""
    path = tmp_path / "lab.sqlite3"
    clock = api.FrozenClock(T0)
    with api.open_lab(str(path), clock=clock) as lab:
        other = f.simple_pnr("TSTBBB", n_pax=2, received_at=T0)
        lab._store.write_pnrs([f.rich_pnr(), other])
        _flag(lab._store, RICH, "1")
        before = path.read_bytes() + _wal(path)
        assert all(v.encode() in before for v in (*GONE, *SEALED))
        clock.set(SIX)
        lab.run_lifecycle()
        for value in GONE:
            assert _text_hits(lab._store, value) == [], value
        data = path.read_bytes() + _wal(path)
    for value in (*GONE, *SEALED):
        assert value.encode() not in data, value


def _wal(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_cli_lifecycle_run_dry_run_json_and_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``piu-lab lifecycle run --dry-run --json``, ``run``, ``runs`` and ``keygen``."""
    db = ["--db", f"sqlite:///{tmp_path}/lab.sqlite3"]
    with open_store(db[1]) as store:
        store.write_pnrs([f.rich_pnr()])
    code, out, _ = run(["lifecycle", "run", "--dry-run", "--json", "--quiet",
                          "--now", "2026-09-01T00:00:00Z", *db], capsys)  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["dry_run"]
    assert doc["deleted_pnrs"] == 1
    code, out, _ = run(["staff", "seed-demo", *db], capsys)
    assert code == 0
    retain = ["lifecycle", "retain", RICH, "1", "--kind", "case", "--reference", "PJF-7",
              "--grounds", "a case of the federal police", *db]  # fmt: skip
    assert run([*retain, "--as", "FP-0233"], capsys)[0] == 10  # not the unit's management
    code, out, _ = run([*retain, "--as", "PIU-H01"], capsys)
    assert code == 0
    assert "kept beyond six months" in out
    bad = ["lifecycle", "retain", RICH, "9", "--kind", "case", "--reference", "PJF-7",
           "--grounds", "a case of the federal police", "--as", "PIU-H01", *db]  # fmt: skip
    assert run(bad, capsys)[0] == 5  # no such passenger
    code, out, err = run(["lifecycle", "run", *db], capsys)
    assert code == 0
    assert "deleted passengers: 2" in out
    assert "kept passengers: 1" in out
    assert "6 months" in err
    code, _, err = run(["lifecycle", "run", "--now", "2999-01-01", *db], capsys)
    assert code == 2
    assert "future" in err
    code, out, _ = run(["lifecycle", "runs", *db], capsys)
    assert code == 0
    assert "cjeu-2022" in out
    keys = tmp_path / "keys"
    assert run(["lifecycle", "keygen", "--out", str(keys)], capsys)[0] == 0
    assert (keys / "unseal.key").stat().st_mode & 0o777 == 0o600
    assert run(["lifecycle", "keygen", "--out", str(keys)], capsys)[0] == 2


def test_pnr_table_columns_sealed_cover_the_masking_table() -> None:
    """Every masked column of a PNR table is either sealed or an enumerated code."""
    from piu_lab.access.masking import masked_columns
    from piu_lab.lifecycle.masking import sealed_specs

    specs = sealed_specs((*schema.PNR_TABLES, *schema.API_TABLES))
    for table in (*schema.PNR_TABLES, *schema.API_TABLES):
        for column in masked_columns().get(table.name, {}):
            assert column in specs.get(table.name, {}) or "enum" in table.c[column].info

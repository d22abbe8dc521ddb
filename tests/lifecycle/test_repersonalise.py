"""Re-personalisation of data masked in the tables (R-RET-04, R-SRCH-02, R-SRCH-03): only under
an authorisation of a court or an independent body that allows unmasking, only for the records
in its scope, only until it expires, logged field by field; criteria analysis keeps working on
the keyed pseudonyms (the same phone, the same token, masked in the tables or in the view)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from piu_lab import api
from piu_lab.access.masking import is_pseudonym
from piu_lab.access.persist import save_operations
from piu_lab.access.seed import demo_operations
from piu_lab.lifecycle.requests import (
    Authorisation,
    Authority,
    SearchRequest,
    file_request,
    record_authorisation,
)
from tests import factories as f
from tests.lifecycle.test_lifecycle import RICH, SIX, T0, _flag

FP = "FP-0233"
NOW = SIX + timedelta(days=1)


@pytest.fixture
def lab(db_url: str) -> Iterator[tuple[api.Lab, dict[str, pd.DataFrame]]]:
    """The rich PNR registered at T0, its adult flagged, masked at six months; and its
    tables as they were before (clear values)."""
    clock = api.FrozenClock(T0)
    with api.open_lab(db_url, clock=clock) as opened:
        opened._store.write_pnrs([f.rich_pnr()])
        _flag(opened._store, RICH, "1")
        before = opened._store.read_pnr_tables(RICH)
        clock.set(NOW)
        opened.run_lifecycle()
        save_operations(opened._store, demo_operations(NOW.date()), require_empty=True)
        request = SearchRequest("REQ-1", "federal_police", "BRU-2026-PJF-118", "terrorism",
                                ("TESTPERSON/ALPHA MARIE",), "a suspected facilitator of "
                                "travel to a conflict zone")  # fmt: skip
        file_request(opened._store, request, actor="PIU-S01", at=NOW)
        yield opened, before


def _authorise(lab: api.Lab, auth_id: str, *, unmask: bool, scope: tuple[str, ...]) -> None:
    record_authorisation(
        lab._store,
        Authorisation(
            auth_id,
            "REQ-1",
            Authority.COURT,
            "JI-BRU/2026/77",
            NOW.date(),
            True,
            date(2026, 9, 30),
            unmask=unmask,
            scope=scope,
        ),
        actor="PIU-S01",
        at=NOW,
    )


def test_an_unmasking_authorisation_opens_the_sealed_values_field_by_field(
    lab: tuple[api.Lab, dict[str, pd.DataFrame]],
) -> None:
    """R-RET-04: under a court's authorisation that allows unmasking, with the PNR in scope,
    the kept passenger's values come back exactly as received; the audit event is an UNMASK
    naming each field opened, never a value."""
    opened, before = lab
    _authorise(opened, "A-1", unmask=True, scope=(RICH,))
    session = opened.session(FP, purpose="targeted_search", request="REQ-1", authorisation="A-1")
    record = session.pnr(RICH)
    kept = before["passenger"][before["passenger"]["pax_ref"] == "1"]
    got = record.tables["passenger"]
    for column in ("surname", "given_names", "title"):
        assert list(got[column]) == list(kept[column])
    docs = record.tables["travel_document"]
    assert list(docs["number"]) == list(before["travel_document"].query("pax_ref == '1'")["number"])
    assert docs["date_of_birth"].notna().all()
    assert set(record.tables["contact"]["value"]) >= {"+3225550100", "alpha@example.invalid"}
    assert list(record.tables["pnr_version"]["party_size"]) == [3]
    event = opened._audit.read(1, None)[-1].event
    assert event.action == "unmask"
    assert event.actor == FP
    assert "unmasked:passenger.surname" in event.objects
    assert "unmasked:contact.value" in event.objects
    assert not any("ALPHA" in o for o in event.objects)
    assert int(event.detail["unmasked_values"]) > 0


def test_without_unmasking_the_values_stay_masked(
    lab: tuple[api.Lab, dict[str, pd.DataFrame]],
) -> None:
    """R-RET-04: an authorisation that does not allow unmasking shows the masked view."""
    opened, _ = lab
    _authorise(opened, "A-2", unmask=False, scope=(RICH,))
    session = opened.session(FP, purpose="targeted_search", request="REQ-1", authorisation="A-2")
    record = session.pnr(RICH)
    assert set(record.tables["passenger"]["surname"]) == {api.MASKED}
    assert opened._audit.read(1, None)[-1].event.action == "consult"


def test_the_unmasking_ends_with_the_authorisation(
    lab: tuple[api.Lab, dict[str, pd.DataFrame]],
) -> None:
    """R-RET-04: unmasked values expire with the request's authorisation."""
    opened, _ = lab
    _authorise(opened, "A-1", unmask=True, scope=(RICH,))
    session = opened.session(FP, purpose="targeted_search", request="REQ-1", authorisation="A-1")
    assert session.pnr(RICH).tables["passenger"]["surname"].iloc[0] == "TESTPERSON"
    assert isinstance(opened.clock, api.FrozenClock)
    opened.clock.set(datetime(2026, 10, 1, 0, 0, tzinfo=UTC))
    with pytest.raises(api.AccessDenied, match="expired"):
        session.pnr(RICH)


def test_the_journeys_view_is_unsealed_within_scope_only(
    lab: tuple[api.Lab, dict[str, pd.DataFrame]],
) -> None:
    """R-RET-04 on the journeys of a day: the PNR in scope shows its names again."""
    opened, _ = lab
    _authorise(opened, "A-1", unmask=True, scope=(RICH,))
    session = opened.session(FP, purpose="targeted_search", request="REQ-1", authorisation="A-1")
    frame = session.journeys(f.DAY, belgium_only=False)
    assert set(frame["surname"]) == {"TESTPERSON"}
    assert set(frame["doc_number"]) == {"TP0000001"}
    assert opened._audit.read(1, None)[-1].event.action == "unmask"


def test_criteria_analysis_links_masked_and_fresh_data_by_pseudonym(
    lab: tuple[api.Lab, dict[str, pd.DataFrame]],
) -> None:
    """R-SRCH-03: under criteria analysis the phone masked in the tables and the same phone in
    a PNR registered today give the same token; no clear value is shown."""
    opened, _ = lab
    opened._store.write_pnrs([replace(f.rich_pnr("TSTNEW"), received_at=NOW)])
    session = opened.session("PIU-S01", purpose="criteria_analysis")
    old = session.pnr(RICH).tables["contact"]
    new = session.pnr("ZZ:TSTNEW").tables["contact"]
    assert old["value"].map(is_pseudonym).all()
    assert new["value"].map(is_pseudonym).all()
    assert set(old["value"]) <= set(new["value"])
    assert "+3225550100" not in set(new["value"])

"""Deletion on receipt (R-SENS-01..03, R-DATA-01/02): what a carrier sends but the PIU may not
keep never reaches a record, a warning or the report, and is counted under its category.

* every code of the DPO-reviewed table (and lower-case and spaced variants), in an SSR of the
  PNR, of a traveller, of a leg and of a history group, and written in free text (OSI, LTS,
  history text); every free-text word of the table (HALAL, KOSHER, WHEELCHAIR...) likewise;
* the table is versioned and reviewed, and knows only the known categories;
* third-party contact, mileage history, general OSI, UMNR block: only the UMNR items remain;
* a property test: random extra segments, elements and SSR codes never survive (R-DATA-01).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu_lab.ingest.reader import MessageOutcome
from piu_lab.ingest.report import report_json
from piu_lab.ingest.sensitive import CATEGORIES, load_table
from piu_lab.ingest.syntax import KNOWN_TAGS
from piu_lab.model import PassengerType
from piu_lab.synth.edifact import esc, interchange, seg
from tests.ingest.messages import (
    LOCATOR,
    pnrgov_message,
    pnrgov_segments,
    read_bytes,
    ssr,
)

RAW: dict[str, Any] = json.loads(
    resources.files("piu_lab.ingest").joinpath("data/sensitive_codes.json").read_text("utf-8")
)
CODES: dict[str, str] = RAW["codes"]
WORDS = sorted((w, cat) for cat, ws in RAW["free_text"].items() for w in ws)
#: Every code of the R-SENS-03 table in ``shared/docs/legal-requirements.md``.
R_SENS_03 = (
    *("MOML", "KSML", "HNML", "AVML", "VJML", "VOML", "GRML", "KCML", "KFML", "SKML", "GVML"),
    *("RGML", "RFML", "VGML", "VLML", "RVML", "DBML", "BLML", "GFML", "LSML", "LFML", "LCML"),
    *("NLML", "PFML", "NFMLA", "SPML", "JPML", "CHML", "BBML", "FPML", "SFML", "NOML", "WCHR"),
    *("WCHS", "WCHC", "WCOB", "WCMP", "WCBD", "WCBW", "MEDA", "STCR", "BLND", "DEAF", "DPNA"),
    *("MAAS", "AOXY", "OXYG", "ESAN", "SVAN", "LANG", "OTHS", "OSI", "RM", "GRPS", "CLID"),
    *("COUR", "DEPA", "DEPU", "PICA", "PICU"),
)
MARK = "ZQVW"  # a neutral word carried beside each sensitive item, to look for afterwards
IFT28 = ("4", "28", "", "SN")


def leaks(outcomes: list[MessageOutcome], needles: list[str]) -> list[str]:
    """Where any needle is found as a word (case ignored): records, warnings or the report."""
    report = report_json((o, "parsed") for o in outcomes)
    for message in report["messages"]:
        message.pop("sha256")
    places = {
        "records": repr([p.pnr for o in outcomes for p in o.pnrs]),
        "warnings": repr(
            [(*o.warnings, *(w for p in o.pnrs for w in p.warnings)) for o in outcomes]
        ),
        "report": json.dumps(report),
    }
    found = []
    for needle in needles:
        word = re.compile(rf"(?<![A-Za-z]){re.escape(needle)}(?![A-Za-z])", re.IGNORECASE)
        found += [f"{needle} in {k}" for k, text in places.items() if word.search(text)]
    return found


def check(outcomes: list[MessageOutcome], category: str, needles: list[str]) -> None:
    assert [o.error for o in outcomes] == [None]
    (outcome,) = outcomes
    assert [p.pnr.record_locator for p in outcome.pnrs] == [LOCATOR]
    assert outcome.removed.get(category, 0) >= 1, outcome.removed
    assert not leaks(outcomes, needles)


def ssr_placements(code: str, text: str) -> dict[str, dict[str, list[str]]]:
    return {
        "SSR of the PNR": {"group1": [ssr(code, text)]},
        "SSR of a traveller": {"traveller": [ssr(code, text, "1")]},
        "SSR of a leg": {"leg": [ssr(code, text, "1", leg=True)]},
        "SSR in history": {"history": [seg("SAC", "", "", "A"), ssr(code, text, "1")]},
    }


def text_placements(text: str) -> dict[str, dict[str, list[str]]]:
    return {
        "OSI": {"group1": [seg("IFT", IFT28, esc(f"OSI SN {text}"))]},
        "OSI of a traveller": {"traveller": [seg("IFT", IFT28, esc(f"OSI SN {text}"))]},
        "LTS": {"tail": [seg("LTS", esc(f"0/O/SR/SSR {text}"))]},
        "history text": {"history": [seg("IFT", ("4", "19"), esc(text), "1")]},
    }


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_table_code_is_deleted_and_counted_wherever_it_is(code: str) -> None:
    """R-SENS-03: each code of the table, as an SSR code (exact, lower case, spaced) anywhere
    in the PNR and written in free text: deleted, counted under its category, found nowhere."""
    category = CODES[code]
    needles = [MARK, code] if len(code) >= 4 else [MARK]  # OSI and RM are common letters
    variants = {code, code.lower(), f" {code} ", f"{code[:2]} {code[2:]}"}
    for variant in sorted(variants):
        for where, place in ssr_placements(variant, MARK).items():
            outcomes = read_bytes(pnrgov_message(**place))
            try:
                check(outcomes, category, needles)
            except AssertionError as err:
                raise AssertionError(f"{variant!r} as {where}: {err}") from err
    text_category = category if len(code) >= 4 else "free-text"
    for variant in (code, code.lower()):
        for where, place in text_placements(f"{variant} {MARK}").items():
            try:
                check(read_bytes(pnrgov_message(**place)), text_category, needles)
            except AssertionError as err:
                raise AssertionError(f"{variant!r} in {where}: {err}") from err


@pytest.mark.parametrize(("word", "category"), WORDS)
def test_every_free_text_form_is_deleted_and_counted(word: str, category: str) -> None:
    """R-SENS-03: HALAL, KOSHER, WHEELCHAIR... in an SPML/OTHS SSR, an OSI, an LTS line or a
    history text: deleted and counted under the protected category it reveals."""
    for variant in (word, word.lower()):
        text = f"PAX {variant} {MARK}"
        places = {
            **{f"SPML {k}": v for k, v in ssr_placements("SPML", text).items()},
            **{f"OTHS {k}": v for k, v in ssr_placements("OTHS", text).items()},
            **text_placements(text),
        }
        for where, place in places.items():
            try:
                check(read_bytes(pnrgov_message(**place)), category, [MARK, word])
            except AssertionError as err:
                raise AssertionError(f"{variant!r} in {where}: {err}") from err


def test_the_table_is_versioned_reviewed_and_complete() -> None:
    """R-SENS-03: the list is a versioned data file reviewed by the DPO, its categories are
    the known ones, and it holds every code of the legal requirements' table."""
    assert re.fullmatch(r"\d{4}\.\d{2}-\d+", RAW["version"])
    assert RAW["reviewed_by"].strip()
    assert date.fromisoformat(RAW["reviewed_on"]) <= date.today()
    assert set(CODES.values()) <= set(CATEGORIES)
    assert set(RAW["free_text"]) <= set(CATEGORIES)
    assert set(R_SENS_03) <= set(CODES)
    table = load_table()
    assert (table.version, table.reviewed_by, table.reviewed_on) == (
        RAW["version"],
        RAW["reviewed_by"],
        RAW["reviewed_on"],
    )
    assert table.code_category("moml") == table.code_category(" MO ML ") == "religion"


def test_only_the_unaccompanied_minor_items_remain_of_the_open_headings() -> None:
    """R-DATA-02: a third-party (emergency) contact, mileage history, a general OSI, a remark,
    a language SSR, and an UMNR block: only the UMNR items of heading 12 remain."""
    umnr = (
        "UM10/LANG NL FR/DEP TESTER/ALICE +32475000001 MOTHER/ARR TESTER/DAVE +15550001 "
        "FATHER/AGT SN AGENT 1001/SN AGENT 2002"
    )
    data = pnrgov_message(
        group1=[
            seg("IFT", IFT28, "OSI SN PAX IS A VIP ZQVWOSI"),
            seg("IFT", IFT28, "RM PAX REQ AISLE ZQVWRM"),
        ],
        traveller=[
            ssr("PCTC", "JOHN ZQVWPCTC/FATHER/32475999999", "1"),
            ssr("FQTV", "SN123456789/MILES 25000 ZQVWMILES", "1"),
            ssr("LANG", "SPEAKS ZQVWLANG ONLY", "1"),
        ],
        travellers=[
            seg("TIF", "TESTER", ("CHARLIE MSTR", "C", "3")),
            ssr("UMNR", umnr, "3"),
        ],
        history=[
            seg("SAC", "", "", "A"),
            seg("IFT", ("4", "19"), "FQTV MILEAGE CREDIT 1200 ZQVWHIST", "1"),
        ],
    )
    outcomes = read_bytes(data)
    (outcome,) = outcomes
    pnr = outcome.pnrs[0].pnr
    alice, _, charlie = pnr.passengers
    assert charlie.passenger_type is PassengerType.CHILD
    assert charlie.minor is not None
    assert (charlie.minor.age, charlie.minor.languages) == (10, ("NL", "FR"))
    assert (
        charlie.minor.departure_guardian_name,
        charlie.minor.departure_guardian_contact,
        charlie.minor.departure_guardian_relation,
    ) == ("TESTER/ALICE", "+32475000001", "MOTHER")
    assert charlie.minor.arrival_guardian_relation == "FATHER"
    assert (charlie.minor.departure_agent, charlie.minor.arrival_agent) == (
        "SN AGENT 1001",
        "SN AGENT 2002",
    )
    assert [(f.airline, f.number) for f in alice.frequent_flyers] == [("SN", "123456789")]
    removed = outcome.removed
    assert removed["third-party-contact"] == 1  # PCTC
    assert removed["ethnic"] == 1  # LANG outside the UMNR block
    assert removed["free-text"] >= 3  # OSI, RM, the history text
    assert removed["outside-annex"] >= 1  # the mileage beside the FQTV number
    for needle in ("ZQVWOSI", "ZQVWRM", "ZQVWPCTC", "32475999999", "ZQVWMILES", "25000"):
        assert not leaks(outcomes, [needle]), needle
    assert not leaks(outcomes, ["ZQVWLANG", "ZQVWHIST", "VIP", "AISLE"])


# -- R-DATA-01: a property test ------------------------------------------------------------
KEPT_SSR = {"DOCS", "DOCO", "DOCA", "FQTV", "CTCE", "CTCM", "CTCH", "CTCP", "SEAT", "NSST"}
KEPT_SSR |= {"RQST", "TKNE", "UMNR", "INFT", "CHLD"}
letters = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWY", min_size=5, max_size=9)
# ends in QZX: an extra element ending in a known tag (``...UNH``) reads as a segment glued to
# its predecessor, which the tokeniser splits on purpose (``syntax._unglue``)
markers = letters.map(lambda s: f"QZX{s}QZX")
unknown_tags = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3).filter(
    lambda t: t not in KNOWN_TAGS
)
other_codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4).filter(
    lambda c: c not in KEPT_SSR
)
injection = st.one_of(
    st.tuples(st.just("segment"), st.integers(6, 40), markers, unknown_tags),
    st.tuples(st.just("element"), st.integers(1, 40), markers, st.just("")),
    st.tuples(st.just("ssr"), st.integers(6, 40), markers, other_codes),
)


def inject(body: list[str], what: tuple[str, int, str, str]) -> list[str]:
    kind, at, marker, extra = what
    at = min(at, len(body) - 1)
    out = list(body)
    if kind == "segment":
        out.insert(at, seg(extra, marker, ("1", marker)))
    elif kind == "ssr":
        out.insert(at, seg("SSR", (extra, "HK", "1", "SN", "", "", "", "", marker), ("", "", "1")))
    else:
        out[at] = out[at][:-1] + f"+{marker}'"
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(injection, min_size=1, max_size=6))
def test_random_extra_segments_elements_and_ssr_codes_never_survive(
    injections: list[tuple[str, int, str, str]],
) -> None:
    """R-DATA-01: the schema is a whitelist: whatever is added (unknown segments, extra data
    elements on any segment, SSR codes outside Annex I) is not in any field of the records,
    nor in a warning or the report; the PNR and its travellers are still read."""
    body = pnrgov_segments()
    for what in injections:
        body = inject(body, what)
    data = interchange(
        syntax=("IATA", "1"),
        sender="SN",
        recipient="BEPIU",
        prepared=datetime(2026, 2, 28, 10, 0),
        control="TEST1",
        group=None,
        messages=[body],
    ).encode("ascii")
    outcomes = read_bytes(data)
    assert [o.error for o in outcomes] == [None]
    (outcome,) = outcomes
    assert [len(p.pnr.passengers) for p in outcome.pnrs] == [2]
    assert not leaks(outcomes, [marker for _, _, marker, _ in injections])


def test_the_reviewed_table_is_versioned_in_git() -> None:
    """R-SENS-03: the DPO-reviewed list is versioned with the code, not left out of it."""
    repo = Path(__file__).resolve().parents[2]
    if not (repo / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    table = repo / "piu_lab" / "ingest" / "data" / "sensitive_codes.json"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(table)], cwd=repo, check=False)
    assert ignored.returncode == 1

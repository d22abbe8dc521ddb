"""The dashboards in a real browser (issue 8): Debian's headless Chromium driven by Playwright
against ``piu-lab serve`` (Voilà) on loopback, one server per identity, on the demo database.

* every dashboard loads: the identity banner is shown, no traceback, no error;
* the identity comes from the server, never from the address (a query string naming someone
  else changes nothing);
* a hit is reviewed end to end: a reason typed, Validate, the status changes in the page, and
  the database holds the decision and its audit event;
* a PNR older than six months shows masked;
* a seconded member of one service cannot open another service's hit: a refusal in the page.

The CSS classes and button labels are the views' contract (``widgets/``). Screenshots of failed
pages go to ``tests/views/artifacts/``. No timing is asserted (``benchmarks/bench_views.py``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.views.browser import DPO, FEDERAL_POLICE, STATE_SECURITY, Server

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ServerOf = Callable[[str], Server]
#: an exception's name or a traceback in the page, or Voilà's own cell-error notice
FAILURE = re.compile(r"Traceback|\b\w*Error\b|There was an error when executing")
REASON = "Name, date of birth and passport number match the list entry; checked by hand."


@contextmanager
def _db(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        yield conn


def _open_hits(db: Path, service: str) -> list[str]:
    """Hits of ``service`` whose latest review event is NEW or IN_REVIEW."""
    with _db(db) as conn:
        rows = conn.execute(
            "SELECT h.hit_id FROM hit h JOIN hit_event e ON e.hit_id = h.hit_id "
            "WHERE h.service = ? AND e.seq = (SELECT MAX(seq) FROM hit_event x "
            "WHERE x.hit_id = h.hit_id) AND e.status IN ('NEW', 'IN_REVIEW') ORDER BY h.hit_id",
            (service,),
        ).fetchall()
    return [r[0] for r in rows]


def _status(db: Path, hit_id: str) -> str:
    with _db(db) as conn:
        row = conn.execute(
            "SELECT status FROM hit_event WHERE hit_id = ? ORDER BY seq DESC LIMIT 1", (hit_id,)
        ).fetchone()
    return str(row[0])


def _decisions_audited(db: Path, actor: str, hit_id: str) -> list[tuple[str, str]]:
    """(action, detail) of the allowed ``decide_hit`` events of ``actor`` on ``hit_id``."""
    with _db(db) as conn:
        rows = conn.execute(
            "SELECT action, detail FROM audit_event WHERE actor = ? AND decision = 'allowed' "
            "AND objects LIKE ? AND detail LIKE '%decide_hit%'",
            (actor, f'%"hit:{hit_id}"%'),
        ).fetchall()
    return [(str(a), str(d)) for a, d in rows]


def _open(page: Page, server: Server, dashboard: str, query: str = "") -> str:
    """Load a dashboard until its banner shows; return the banner's text."""
    page.goto(server.url(dashboard, query), wait_until="commit")
    banner = page.locator(".piu-banner").first
    banner.wait_for(state="visible")
    return banner.inner_text()


def _no_failure(page: Page, server: Server) -> None:
    text = page.locator("body").inner_text()
    found = FAILURE.search(text)
    assert found is None, f"{found.group(0)!r} in the page; Voilà's log:\n{server.log()[-3000:]}"
    stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.first.inner_text()


def _button(page: Page, label: str) -> Locator:
    return page.get_by_role("button", name=label, exact=True)


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


DASHBOARD_USERS = [
    ("hit_review", FEDERAL_POLICE),
    ("situation", FEDERAL_POLICE),
    ("dpo_overview", DPO),
]


@pytest.mark.parametrize(("dashboard", "user"), DASHBOARD_USERS)
def test_every_dashboard_loads(page: Page, server: ServerOf, dashboard: str, user: str) -> None:
    one = server(user)
    # the address names someone else: the identity is the server's all the same
    banner = _open(page, one, dashboard, f"user={STATE_SECURITY}&PIU_LAB_USER={STATE_SECURITY}")
    assert user in banner
    assert STATE_SECURITY not in banner
    if dashboard == "hit_review":
        page.locator(".piu-hit-queue").first.wait_for(state="visible")
    page.wait_for_load_state("load")
    _no_failure(page, one)


def test_a_hit_is_reviewed_end_to_end(page: Page, server: ServerOf, demo_db: Path) -> None:
    open_hits = _open_hits(demo_db, "federal_police")
    assert open_hits, "the demo database holds no open federal_police hit"
    hit_id = open_hits[-1]
    assert not _decisions_audited(demo_db, FEDERAL_POLICE, hit_id)
    one = server(FEDERAL_POLICE)
    _open(page, one, "hit_review")
    page.locator(".piu-hit-queue").first.wait_for(state="visible")
    page.locator(".piu-open-hit input").fill(hit_id)
    _button(page, "Open hit").click()
    status = page.locator(".piu-hit-status").first
    expect = _expect()
    expect(status).to_contain_text(hit_id)  # the hit is open
    for box in page.locator(".piu-checklist input[type=checkbox]").all():
        box.check()  # the review checklist, when the view asks for it: all yes
    page.locator(".piu-reason textarea").fill(REASON)
    _button(page, "Validate").click()
    expect(status).to_contain_text(re.compile("validated", re.IGNORECASE))
    _no_failure(page, one)
    assert _status(demo_db, hit_id) == "VALIDATED"
    audited = _decisions_audited(demo_db, FEDERAL_POLICE, hit_id)
    assert [action for action, _ in audited] == ["validate"]
    assert '"status":"VALIDATED"' in audited[0][1].replace(" ", "")


def test_a_pnr_older_than_six_months_shows_masked(
    page: Page, server: ServerOf, demo_db: Path
) -> None:
    expect = _expect()
    with _db(demo_db) as conn:
        row = conn.execute(
            "SELECT pnr_id FROM pnr WHERE masked_at IS NOT NULL ORDER BY pnr_id LIMIT 1"
        ).fetchone()
    assert row, "the demo database holds no masked PNR"
    one = server(FEDERAL_POLICE)
    _open(page, one, "hit_review")
    page.locator(".piu-open-pnr input").fill(row[0])
    _button(page, "Open PNR").click()
    card = page.locator(".piu-pnr-card").first
    expect(card).to_contain_text("<masked>")
    expect(card).to_contain_text(re.compile("masked", re.IGNORECASE))
    _no_failure(page, one)


def test_a_seconded_member_cannot_open_another_services_hit(
    page: Page, server: ServerOf, demo_db: Path
) -> None:
    expect = _expect()
    with _db(demo_db) as conn:
        row = conn.execute(
            "SELECT hit_id FROM hit WHERE service = 'federal_police' AND group_key NOT IN "
            "(SELECT group_key FROM hit WHERE service = 'state_security') ORDER BY hit_id LIMIT 1"
        ).fetchone()
    assert row, "the demo database holds no federal_police hit"
    one = server(STATE_SECURITY)
    banner = _open(page, one, "hit_review")
    assert STATE_SECURITY in banner
    page.locator(".piu-open-hit input").fill(row[0])
    _button(page, "Open hit").click()
    refusal = page.locator(".piu-refusal").filter(has_text=re.compile(r"\w")).first
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(re.compile("refused", re.IGNORECASE))
    _no_failure(page, one)
    shown = page.locator(".piu-hit-status").first.inner_text()
    assert not re.search(re.escape(row[0]) + r":\s*(NEW|IN_REVIEW|VALIDATED|REJECTED)", shown)

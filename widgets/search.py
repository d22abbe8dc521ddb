"""Passenger search: the purpose first (and, for a targeted search, the request and its
authorisation: R-SRCH-01/02), then the selectors, then paged results (``session.search``).

Nothing can be searched before a session is opened under a declared purpose: the selectors
are hidden until then, and the facade decides every search (and audits it, without the
selectors' values).
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets.common import banner, esc, frame_html, guarded, set_message

__all__ = ["SEARCH_PURPOSES", "PassengerSearch"]

#: The purposes a search may be declared under (the policy decides who may use which).
SEARCH_PURPOSES = (
    ("targeted search (request + authorisation)", api.Purpose.TARGETED_SEARCH.value),
    ("DPO supervision", api.Purpose.DPO_SUPERVISION.value),
    ("supervisory review", api.Purpose.SUPERVISORY_REVIEW.value),
    ("criteria analysis (no identifying selectors)", api.Purpose.CRITERIA_ANALYSIS.value),
)
ASK_PURPOSE = "Refused: declare the purpose (and the request and its authorisation) first."


class PassengerSearch:
    """Step 1: purpose (+ request, authorisation) opens a session; step 2: the search."""

    def __init__(self, lab: api.Lab, *, user: str | None = None, page_size: int = 20) -> None:
        self.lab = lab
        self.user = user
        self.page_size = page_size
        self.session: api.Session | None = None
        self.page: api.SearchPage | None = None
        self._query: dict[str, object] = {}

        self.purpose = w.Dropdown(options=SEARCH_PURPOSES, description="Purpose")
        self.request = w.Text(description="Request", placeholder="request id (targeted search)")
        self.authorisation = w.Text(
            description="Authorisation", placeholder="authorisation id (court or independent body)"
        )
        self.start_button = w.Button(description="Declare purpose", button_style="info")
        self.step1 = w.VBox(
            [
                w.HTML(
                    "<b>1. Why do you search?</b> A targeted search names the request and the "
                    "authorisation it runs under."
                ),
                self.purpose,
                self.request,
                self.authorisation,
                self.start_button,
            ]
        )
        self.step1.add_class("piu-search-purpose")
        self.header = w.VBox()
        today = date.today()
        self.name = w.Text(description="Name", placeholder="surname given names")
        self.document = w.Text(description="Document", placeholder="document number")
        self.first = w.DatePicker(description="From", value=today - timedelta(days=7))
        self.last = w.DatePicker(description="To", value=today)
        self.search_button = w.Button(description="Search", button_style="primary")
        self.previous = w.Button(description="Previous page")
        self.next = w.Button(description="Next page")
        self.step2 = w.VBox(
            [
                w.HTML("<b>2. Whom do you search?</b>"),
                self.name,
                self.document,
                w.HBox([self.first, self.last]),
                self.search_button,
            ]
        )
        self.step2.add_class("piu-search-selectors")
        self.step2.layout.display = "none"
        self.summary = w.HTML()
        self.results = w.HTML()
        self.pager = w.HBox([self.previous, self.next])
        self.message = w.HTML()

        self.start_button.on_click(lambda _b: self.declare())
        self.search_button.on_click(lambda _b: self.search())
        self.previous.on_click(lambda _b: self.turn(-1))
        self.next.on_click(lambda _b: self.turn(+1))
        self.widget = w.VBox(
            [
                w.HTML("<h3>Passenger search</h3>"),
                self.header,
                self.step1,
                self.message,
                self.step2,
                self.summary,
                self.results,
                self.pager,
            ]
        )
        self.widget.add_class("piu-search")

    @property
    def ready(self) -> bool:
        """Whether a purpose is declared (a session is open) and the selectors are shown."""
        return self.session is not None

    def declare(
        self,
        purpose: str | None = None,
        request: str | None = None,
        authorisation: str | None = None,
    ) -> api.Session | None:
        """Open the session the search runs under (refused: shown in the page)."""
        if purpose is not None:
            self.purpose.value = purpose
        if request is not None:
            self.request.value = request
        if authorisation is not None:
            self.authorisation.value = authorisation
        set_message(self.message)
        session = guarded(
            self.message,
            lambda: self.lab.session(
                self.user,
                purpose=self.purpose.value,
                request=self.request.value.strip() or None,
                authorisation=self.authorisation.value.strip() or None,
            ),
        )
        self.session = session
        self.step2.layout.display = None if session is not None else "none"
        self.header.children = (banner(session),) if session is not None else ()
        return session

    def search(
        self,
        name: str | None = None,
        document: str | None = None,
        first: date | None = None,
        last: date | None = None,
    ) -> api.SearchPage | None:
        """Search the first page; refused until a purpose is declared."""
        if self.session is None:
            set_message(self.message, esc(ASK_PURPOSE), kind="refusal")
            return None
        if name is not None:
            self.name.value = name
        if document is not None:
            self.document.value = document
        if first is not None:
            self.first.value = first
        if last is not None:
            self.last.value = last
        self._query = {
            "departing_from": self.first.value,
            "departing_to": self.last.value,
            "name": self.name.value.strip() or None,
            "document": self.document.value.strip() or None,
        }
        return self._fetch(0)

    def turn(self, step: int) -> api.SearchPage | None:
        if self.page is None:
            return None
        wanted = min(max(self.page.page + step, 0), self.page.pages - 1)
        return self._fetch(wanted)

    def _fetch(self, page: int) -> api.SearchPage | None:
        session = self.session
        if session is None:
            return None
        set_message(self.message)
        found = guarded(
            self.message,
            lambda: session.search(**self._query, page=page, page_size=self.page_size),  # type: ignore[arg-type]
        )
        self.page = found
        if found is None:
            self.summary.value = self.results.value = ""
            return None
        masked = (
            f" {found.masked_excluded} traveller(s) with masked data were not searched "
            "(older than six months, R-RET-02)."
            if found.masked_excluded
            else ""
        )
        self.summary.value = esc(
            f"{found.total} match(es) among {found.travellers_searched} travellers; page "
            f"{found.page + 1} of {found.pages}.{masked}"
        )
        self.results.value = frame_html(found.results)
        return found

    @property
    def results_frame(self) -> pd.DataFrame:
        return self.page.results if self.page is not None else pd.DataFrame()

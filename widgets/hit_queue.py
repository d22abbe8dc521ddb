"""The hit queue of a seconded member's service, and the review of one hit (R-PRE-02..06).

Open hits first, ordered by the time left before the 24-hour deadline (breached ones on top);
the first is opened by default. Beside the queue, the hit's card (traveller vs list entry, or
the criterion's conditions), the review checklist (``api.CHECKLIST``), the reasons and the
decision buttons. A decision without written reasons is refused in the page; every other rule
is the facade's (its refusal shows with the rule and the reason).

CSS classes the browser tests rely on: ``piu-hit-queue`` (the container), ``piu-hit-status``
(the status of the opened hit), ``piu-open-hit`` (a hit id) with the button "Open hit",
``piu-reason`` (the reasons), the buttons "Validate" and "Reject (false positive)",
``piu-refusal`` (a refusal).
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

import piu_lab.api as api
from widgets.common import banner, esc, guarded, set_message
from widgets.hit_card import card_html, hours_text, status_text

__all__ = ["CHECKLIST_DEFAULT", "OPEN_STATUSES", "HitQueue"]

OPEN_STATUSES = ("NEW", "IN_REVIEW")
#: The checklist starts unticked for every hit opened: the reviewer ticks each rule checked
#: and found to hold, nothing is pre-answered (a validation needs all four; a false positive
#: leaves "same person" or "reasonable suspicion" unticked; the facade checks the answers).
CHECKLIST_DEFAULT = False
NO_REASON = (
    "Refused: write the reasons for the decision first (R-PRE-02, R-CRIT-05: every decision "
    "needs written reasons and the checklist's answers)."
)


def _label(row: pd.Series) -> str:
    left = hours_text(row["hours_left"]) if row["status"] in OPEN_STATUSES else row["status"]
    return f"{row['hit_id']} · {row['kind']} · {row['source_kind'].lower()} · {left}"


class HitQueue:
    """The queue and the review of one hit, for ``session`` (pre-assessment)."""

    def __init__(self, session: api.Session, *, show_banner: bool = True) -> None:
        self.session = session
        self.card: api.HitCard | None = None
        self.queue = pd.DataFrame()
        self._updating = False

        self.title = w.HTML()
        self.show_decided = w.Checkbox(value=False, description="Show decided hits", indent=False)
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.select = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self.hit_id = w.Text(placeholder="hit id, e.g. H0123...", description="Hit")
        self.hit_id.add_class("piu-open-hit")
        self.open_button = w.Button(description="Open hit", button_style="info")
        self.status = w.HTML("No hit open.")
        self.status.add_class("piu-hit-status")
        self.card_box = w.HTML()
        self.checks = {
            key: w.Checkbox(
                value=CHECKLIST_DEFAULT,
                description=question,
                indent=False,
                layout=w.Layout(width="auto"),
            )
            for key, question in api.CHECKLIST.items()
        }
        checklist = w.VBox(
            [
                w.HTML("<b>Review checklist</b> (tick each rule you checked and found to hold)"),
                *self.checks.values(),
            ]
        )
        checklist.add_class("piu-checklist")
        self.reason = w.Textarea(
            placeholder="The reasons for the decision (at least 20 characters)",
            layout=w.Layout(width="100%", height="70px"),
        )
        self.reason.add_class("piu-reason")
        self.validate_button = w.Button(description="Validate", button_style="success")
        self.reject_button = w.Button(description="Reject (false positive)", button_style="warning")
        self.message = w.HTML()
        self.message.add_class("piu-message")

        self.show_decided.observe(lambda _change: self.refresh(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.select.observe(self._on_select, names="value")
        self.open_button.on_click(lambda _b: self.open_hit(self.hit_id.value))
        self.validate_button.on_click(lambda _b: self.validate())
        self.reject_button.on_click(lambda _b: self.reject())

        parts: list[w.Widget] = [banner(session)] if show_banner else []
        parts += [
            self.title,
            w.HBox([self.show_decided, self.refresh_button]),
            self.select,
            w.HBox([self.hit_id, self.open_button]),
            self.status,
            self.card_box,
            checklist,
            self.reason,
            w.HBox([self.validate_button, self.reject_button]),
            self.message,
        ]
        self.widget = w.VBox(parts)
        self.widget.add_class("piu-hit-queue")
        self.refresh()
        if len(self.queue):
            self.open_hit(str(self.queue["hit_id"].iloc[0]))

    # -- the queue ------------------------------------------------------------------------

    def load(self) -> pd.DataFrame:
        """The member's hits: open ones by time left (breached first), then, when asked,
        the decided ones, newest decision first."""
        statuses = None if self.show_decided.value else OPEN_STATUSES
        frame = self.session.hits(status=statuses)
        is_open = frame["status"].isin(OPEN_STATUSES)
        opened = frame[is_open].sort_values(["hours_left", "hit_id"])
        decided = frame[~is_open].sort_values("status_at", ascending=False)
        return pd.concat([opened, decided], ignore_index=True)

    def refresh(self) -> None:
        """Reload the queue (the opened hit stays open)."""
        loaded = guarded(self.message, self.load)
        self.queue = loaded if loaded is not None else pd.DataFrame()
        current = self.card.hit["hit_id"] if self.card is not None else None
        options = [(_label(row), str(row["hit_id"])) for _, row in self.queue.iterrows()]
        self._updating = True
        try:
            self.select.options = options
            ids = [value for _, value in options]
            self.select.value = current if current in ids else None
        finally:
            self._updating = False
        n_open = int(self.queue["status"].isin(OPEN_STATUSES).sum()) if len(self.queue) else 0
        breached = int(self.queue["breached"].sum()) if len(self.queue) else 0
        me = self.session.whoami()
        empty = "" if len(self.queue) else " Nothing to review."
        self.title.value = (
            f"<h3>Hit queue: {esc(me.service.replace('_', ' '))}</h3>"
            f"{n_open} open hit(s), {breached} past the 24-hour deadline.{empty}"
        )

    def _on_select(self, change: dict[str, object]) -> None:
        if not self._updating and change.get("new"):
            self.open_hit(str(change["new"]))

    # -- one hit --------------------------------------------------------------------------

    def open_hit(self, hit_id: str) -> api.HitCard | None:
        """Open ``hit_id`` (audited by the facade); another service's hit, an unknown id or
        a refusal shows in the page and closes the card."""
        hit_id = hit_id.strip()
        set_message(self.message)
        if not hit_id:
            set_message(self.message, "Refused: give a hit id to open.", kind="refusal")
            return None
        card = guarded(self.message, lambda: self.session.hit(hit_id))
        self.card = card
        if card is None:
            self.status.value = f"Hit {esc(hit_id)} is not open here."
            self.card_box.value = ""
            return None
        self.status.value = esc(status_text(card.hit))
        self.card_box.value = card_html(card)
        for box in self.checks.values():  # every hit is checked afresh: nothing pre-answered
            box.value = CHECKLIST_DEFAULT
        self.hit_id.value = hit_id
        self._updating = True
        try:
            ids = [value for _, value in self.select.options]
            self.select.value = hit_id if hit_id in ids else None
        finally:
            self._updating = False
        return card

    @property
    def status_text(self) -> str:
        return str(self.status.value)

    @property
    def message_text(self) -> str:
        return str(self.message.value)

    @property
    def refused(self) -> bool:
        return "piu-refusal" in self.message._dom_classes

    def answers(self) -> dict[str, bool]:
        return {key: bool(box.value) for key, box in self.checks.items()}

    def decide(self, status: api.HitStatus, reason: str | None = None) -> list[str] | None:
        """Record the decision on the opened hit with ``reason`` (default: the text box) and
        the checklist; refused without a reason. Returns the hit ids decided."""
        text = (self.reason.value if reason is None else reason).strip()
        if self.card is None:
            set_message(self.message, "Refused: open a hit first.", kind="refusal")
            return None
        if not text:
            set_message(self.message, esc(NO_REASON), kind="refusal")
            return None
        hit_id = str(self.card.hit["hit_id"])
        decided = guarded(
            self.message,
            lambda: self.session.decide_hit(hit_id, status, text, self.answers()),
        )
        if decided is None:
            return None
        self.reason.value = ""
        self.open_hit(hit_id)
        self.refresh()
        others = len(decided) - 1
        carried = f" (and {others} common hit(s) of other services)" if others else ""
        done = f"Hit {hit_id} recorded as {status.value}{carried}."
        set_message(self.message, esc(done), kind="ok")
        return decided

    def validate(self, reason: str | None = None) -> list[str] | None:
        return self.decide(api.HitStatus.VALIDATED, reason)

    def reject(self, reason: str | None = None) -> list[str] | None:
        return self.decide(api.HitStatus.REJECTED_FALSE_POSITIVE, reason)

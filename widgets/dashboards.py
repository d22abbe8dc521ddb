"""The three Voilà dashboards as functions (``notebooks/dashboards/*.ipynb`` call them).

Each reads the database from ``db`` (else ``PIU_LAB_DB``, else the default) and the person
from ``user`` (else ``PIU_LAB_USER``, else ``JUPYTERHUB_USER``), opens a session under the
dashboard's purpose, and returns one widget: the identity banner (``piu-banner``) on top, then
the views, or the refusal box (``piu-refusal``) when the session or the first read is refused.
Nothing here raises for a refusal: the page says why.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

import piu_lab.api as api
from widgets.common import STYLE, Connected, connect

__all__ = ["dpo_overview", "hit_review", "situation"]


def _page(title: str, connected: Connected, *views: w.Widget) -> w.VBox:
    page = w.VBox([w.HTML(f"{STYLE}<h2>{title}</h2>"), connected.header(), *views])
    page.add_class("piu-dashboard")
    return page


def hit_review(db: str | None = None, user: str | None = None, **kwargs: Any) -> w.VBox:
    """Analysts and seconded members (pre-assessment): the hit queue with the review, the PNR
    card and the notifications of the service."""
    from widgets.hit_queue import HitQueue
    from widgets.notifications import Notifications
    from widgets.pnr_card import PnrCard

    connected = connect(api.Purpose.PRE_ASSESSMENT.value, db=db, user=user, **kwargs)
    if connected.session is None:
        return _page("Hit review", connected)
    session = connected.session
    queue = HitQueue(session, show_banner=False)
    card = PnrCard(session, show_banner=False)
    if queue.card is not None:
        card.pnr_id.value = str(queue.card.hit["pnr_id"])
    notes = Notifications(session, show_banner=False)
    page = _page("Hit review", connected, queue.widget, card.widget, notes.widget)
    page.views = {"queue": queue, "pnr": card, "notifications": notes}
    return page


def situation(db: str | None = None, user: str | None = None, **kwargs: Any) -> w.VBox:
    """Volumes, coverage and push timeliness by carrier, open hits and deadlines (counts only),
    for any active member of the staff register (unit management)."""
    from widgets.situation import SituationView

    connected = connect(api.Purpose.UNIT_MANAGEMENT.value, db=db, user=user, **kwargs)
    if connected.session is None or connected.lab is None:
        return _page("Situation", connected)
    view = SituationView(connected.lab, connected.session, show_banner=False)
    page = _page("Situation", connected, view.widget)
    page.views = {"situation": view}
    return page


def dpo_overview(db: str | None = None, user: str | None = None, **kwargs: Any) -> w.VBox:
    """The DPO's registers and the audit log, under DPO supervision (a supervisory body's
    member: supervisory review); refused to anyone else."""
    from widgets.dpo import DpoOverview

    connected = connect(api.Purpose.DPO_SUPERVISION.value, db=db, user=user, **kwargs)
    if connected.session is not None and connected.session.whoami().role == "supervisor":
        review = api.Purpose.SUPERVISORY_REVIEW.value
        connected = connect(review, db=db, user=user, lab=connected.lab, **kwargs)
    if connected.session is None or connected.lab is None:
        return _page("DPO overview", connected)
    view = DpoOverview(connected.lab, connected.session, show_banner=False)
    page = _page("DPO overview", connected, view.widget)
    page.views = {"dpo": view}
    return page

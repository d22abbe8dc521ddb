"""ipywidgets views of PIU Lab, built only on :mod:`piu_lab.api` (and :mod:`piu_lab.model` types).

The import-linter contract in ``pyproject.toml`` forbids anything deeper. Each view is a class
with a ``.widget`` (an ipywidgets container) and methods that work without a browser:

* :class:`widgets.hit_queue.HitQueue`: the service's hit queue and the review of one hit;
* :class:`widgets.pnr_card.PnrCard`: all Annex I data of one PNR, masked as decided;
* :class:`widgets.search.PassengerSearch`: the purpose first, then the search, paged;
* :class:`widgets.timeline.Timeline`, :class:`widgets.notifications.Notifications`,
  :class:`widgets.audit.AuditExplorer`, :class:`widgets.situation.SituationView`,
  :class:`widgets.dpo.DpoOverview`;
* :mod:`widgets.figures`: plotly figures of counts; :mod:`widgets.dashboards`: the Voilà pages.

Modules are imported on demand (``from widgets.hit_queue import HitQueue``) so that a dashboard
loads only what it shows.
"""

__all__: list[str] = []

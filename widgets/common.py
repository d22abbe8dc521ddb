"""What every view shares: the identity banner, the refusal box, HTML tables, plotly in an
Output widget, and opening the lab and a session from the environment.

Views reach data only through :mod:`piu_lab.api` (an import-linter contract). A refusal
(:class:`api.AccessDenied`, any :class:`api.PiuLabError`) becomes a box in the page with the
rule and the reason (CSS class ``piu-refusal``), never a traceback.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import ipywidgets as w
import pandas as pd
import plotly.io as pio

import piu_lab.api as api

__all__ = [
    "STYLE",
    "Connected",
    "banner",
    "connect",
    "esc",
    "frame_html",
    "guarded",
    "refusal_html",
    "set_figure",
    "set_message",
]

T = TypeVar("T")
#: Where the facade takes the user from when none is given (shown when a session is refused).
ENV_USER = ("PIU_LAB_USER", "JUPYTERHUB_USER")

#: The page's own styles (one <style> element, shown once per view).
STYLE = """<style>
.piu-banner { background:#eef3f8; border-left:4px solid #1f4e79; padding:4px 10px; margin:2px 0; }
.piu-refusal { background:#fdecea; border-left:4px solid #b3261e; padding:4px 10px; }
.piu-ok { background:#e8f5e9; border-left:4px solid #2e7d32; padding:4px 10px; }
.piu-note { background:#fff8e1; border-left:4px solid #b26a00; padding:4px 10px; }
.piu-table table { border-collapse:collapse; font-size:12px; }
.piu-table th, .piu-table td { border:1px solid #ccc; padding:2px 6px; text-align:left; }
.piu-side { display:flex; gap:16px; } .piu-side > div { flex:1; }
</style>"""


def esc(value: object) -> str:
    """``value`` as HTML text (``<masked>`` shows as the text ``<masked>``)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def refusal_html(error: BaseException) -> str:
    """The refusal box's content: what was refused, by which rule, why, and what to do."""
    if isinstance(error, api.AccessDenied):
        reason = error.context.get("reason") or error.message
        return (
            f"<b>Refused by rule {esc(error.rule_id)}</b>: {esc(reason)}"
            f"<br><small>{esc(error.message)}</small>"
            + (f"<br><small>What to do: {esc(error.hint)}</small>" if error.hint else "")
        )
    if isinstance(error, api.PiuLabError):
        hint = f"<br><small>What to do: {esc(error.hint)}</small>" if error.hint else ""
        return f"<b>Refused</b>: {esc(error.message)}{hint}"
    return f"<b>Refused</b>: {esc(error)}"


def set_message(box: w.HTML, text: str = "", *, kind: str = "") -> None:
    """Show ``text`` in ``box``: ``kind`` is ``refusal`` (class ``piu-refusal``), ``ok``,
    ``note`` or empty (no box)."""
    for cls in ("piu-refusal", "piu-ok", "piu-note"):
        box.remove_class(cls)
    if kind:
        box.add_class(f"piu-{kind}")
    box.value = text


def guarded(box: w.HTML, action: Callable[[], T]) -> T | None:
    """Run ``action``; a PIU Lab error becomes a refusal in ``box`` (None returned)."""
    try:
        return action()
    except api.PiuLabError as error:
        set_message(box, refusal_html(error), kind="refusal")
        return None


def banner(session: api.Session) -> w.HTML:
    """Who works and why (``piu-banner``), from ``session.whoami()``."""
    me = session.whoami()
    source = {"argument": "given", "none": "unknown"}.get(me.source, me.source)
    box = w.HTML(f"<b>You are</b> {esc(me.banner())} <small>(identity from {esc(source)})</small>")
    box.add_class("piu-banner")
    return box


def frame_html(
    frame: pd.DataFrame, columns: Iterable[str] | None = None, *, limit: int | None = None
) -> str:
    """An HTML table of ``frame`` (escaped: masked values show as ``<masked>``)."""
    shown = frame if columns is None else frame[[c for c in columns if c in frame.columns]]
    if limit is not None:
        shown = shown.head(limit)
    if shown.empty:
        return "<i>none</i>"
    body = shown.to_html(index=False, escape=True, na_rep="", border=0)
    return f'<div class="piu-table">{body}</div>'


def _figure_bundle(fig: Any) -> dict[str, Any]:
    spec = json.loads(pio.to_json(fig, validate=False))
    return {"application/vnd.plotly.v1+json": spec, "text/plain": "<plotly figure>"}


def set_figure(output: w.Output, fig: Any) -> None:
    """Show a plotly figure in an Output widget by setting its outputs (never ``with out:
    fig.show()``, which can hang headless execution: docs/jupyter-stack.md, nbclient#312)."""
    output.outputs = ({"output_type": "display_data", "data": _figure_bundle(fig), "metadata": {}},)


class Connected:
    """A lab and a session opened from the environment, or the refusal that stopped it.

    ``session`` is None when refused; ``refusal`` is then an HTML widget (``piu-refusal``)
    with the rule and the reason.
    """

    def __init__(
        self,
        purpose: str,
        *,
        db: str | None = None,
        user: str | None = None,
        lab: api.Lab | None = None,
        request: str | None = None,
        authorisation: str | None = None,
    ) -> None:
        self.lab: api.Lab | None = lab
        self.purpose = purpose
        self.user = user
        self.session: api.Session | None = None
        self.refusal: w.HTML | None = None
        self.error: api.PiuLabError | None = None
        try:
            if self.lab is None:
                self.lab = api.open_lab(db or os.environ.get("PIU_LAB_DB") or None)
            self.session = self.lab.session(
                user or None, purpose=purpose, request=request, authorisation=authorisation
            )
        except api.PiuLabError as error:
            self.error = error
            box = w.HTML()
            set_message(box, refusal_html(error), kind="refusal")
            self.refusal = box

    @property
    def ok(self) -> bool:
        return self.session is not None

    def header(self) -> w.Widget:
        """The banner when connected; else who asked, under which purpose, and the refusal."""
        if self.session is not None:
            return banner(self.session)
        asked = self.user or next((os.environ[v] for v in ENV_USER if os.environ.get(v)), "")
        who = w.HTML(
            f"<b>You are</b> {esc(asked) or 'not identified'} under "
            f"{esc(self.purpose.replace('_', ' '))}: no session was opened"
        )
        who.add_class("piu-banner")
        assert self.refusal is not None
        return w.VBox([who, self.refusal])


def connect(purpose: str, **kwargs: Any) -> Connected:
    """Open the lab (``db``, else ``PIU_LAB_DB``, else the default) and a session for ``user``
    (else ``PIU_LAB_USER``, else ``JUPYTERHUB_USER``) under ``purpose``."""
    return Connected(purpose, **kwargs)

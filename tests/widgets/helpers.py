"""Walk a widget tree the way the browser tests select it (CSS classes, button labels)."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w


def walk(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def with_class(root: w.Widget, css: str) -> list[w.Widget]:
    return [x for x in walk(root) if css in getattr(x, "_dom_classes", ())]


def buttons(root: w.Widget) -> dict[str, w.Button]:
    return {x.description: x for x in walk(root) if isinstance(x, w.Button)}


def text(root: w.Widget) -> str:
    return "\n".join(str(x.value) for x in walk(root) if isinstance(x, w.HTML))

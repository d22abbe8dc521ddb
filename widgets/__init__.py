"""ipywidgets views of PIU Lab, built only on :mod:`piu_lab.api` (and :mod:`piu_lab.model` types).

The import-linter contract in ``pyproject.toml`` forbids anything deeper; the views themselves
arrive with the views issue.
"""

__all__: list[str] = []

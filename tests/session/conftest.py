"""The screened synthetic day of ``tests/hits`` for the session's hit methods."""

from tests.hits.conftest import built, lab, traffic

__all__ = ["built", "lab", "traffic"]

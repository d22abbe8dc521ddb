"""Running the ``piu-lab`` entry point in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from piu_lab.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``(exit code, stdout, stderr)`` of ``piu-lab argv``."""
    try:
        main(argv)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err

"""The version of the screening algorithm, recorded with every hit and every saved index.

Two marks, for two readers:

* :data:`ALGORITHM` (``name@version``) is for people: it is recorded with every hit and names
  the screening a reviewer is looking at. It changes when someone decides it does.
* :data:`CODE_FINGERPRINT` is for machines: a hash of the code and reference data whose
  output a saved index stores (:data:`FINGERPRINTED_MODULES` and every file of
  ``piu_lab/matching/data/``). It changes with any edit to them, so an index saved before a
  change to the key, name or evidence code is refused by
  :func:`~piu_lab.matching.load_index` even when nobody remembered to bump
  :data:`ALGORITHM`.

Code that only runs at screening time on whatever index it is given (``screening.py``,
``explain.py``, ``dask.py``) is left out: a saved index holds nothing it produced, and it
always runs as it is now. ``version.py`` itself is included: the fingerprint is computed from
the files' bytes when first asked for, never written into a source file, so hashing this file
is not circular (and a change to :data:`ALGORITHM` or :data:`COMPONENTS` then also changes it).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from importlib import resources

from piu_lab.matching.evidence import EVIDENCE_ALGORITHM
from piu_lab.matching.names import NAME_ALGORITHM

__all__ = [
    "ALGORITHM",
    "CODE_FINGERPRINT",  # noqa: F822 (computed lazily by the module's __getattr__)
    "COMPONENTS",
    "FINGERPRINTED_MODULES",
    "code_fingerprint",
]

#: name@version of the whole screening (candidate keys, name comparison, evidence).
ALGORITHM = "piu-screen@1.0"
#: the versioned parts it is made of
COMPONENTS = {"names": NAME_ALGORITHM, "evidence": EVIDENCE_ALGORITHM, "keys": "keys-v2"}

#: the modules of :mod:`piu_lab.matching` whose output a saved index stores or whose reading of
#: it must match how it was written (parsing, readings, keys, dates and documents, names of
#: the rows, the index layout), hashed into :data:`CODE_FINGERPRINT`
FINGERPRINTED_MODULES = (
    "candidates.py",
    "evidence.py",
    "frames.py",
    "index.py",
    "keys.py",
    "names.py",
    "normalise.py",
    "scripts.py",
    "version.py",
)
#: the folder of reference data (word lists, equivalents, surnames), every file hashed
_DATA = "data"


def fingerprint_of(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 (first 16 hex characters) of named byte strings, in the order given.

    Each file contributes its name and length before its bytes, so moving bytes from one
    file to the next, or renaming a file, gives another fingerprint.
    """
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def _fingerprinted_files() -> list[tuple[str, bytes]]:
    package = resources.files("piu_lab.matching")
    files = [(name, package.joinpath(name).read_bytes()) for name in FINGERPRINTED_MODULES]
    data = sorted(
        (entry for entry in package.joinpath(_DATA).iterdir() if entry.is_file()),
        key=lambda entry: entry.name,
    )
    files += [(f"{_DATA}/{entry.name}", entry.read_bytes()) for entry in data]
    return files


@functools.cache
def code_fingerprint() -> str:
    """:data:`CODE_FINGERPRINT`, computed on first use (the files are read once a process)."""
    return fingerprint_of(_fingerprinted_files())


def __getattr__(name: str) -> str:
    # CODE_FINGERPRINT is computed lazily: importing the package reads no file
    if name == "CODE_FINGERPRINT":
        return code_fingerprint()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Which database to open: the URL rules of PIU Lab, and password masking.

* no URL: ``PIU_LAB_DB`` when set, else the embedded SQLite file at :func:`default_db_path`
  (``platformdirs.user_data_dir("piu-lab") / "piu_lab.sqlite3"``, e.g.
  ``~/.local/share/piu-lab/piu_lab.sqlite3`` on Linux);
* a plain filesystem path (no ``scheme://``): a SQLite file at that path (``~`` expanded,
  made absolute);
* ``sqlite://...``: SQLite as SQLAlchemy spells it (``sqlite:///relative``, ``sqlite:////abs``,
  ``sqlite://`` for memory, ``sqlite:///file:...?mode=ro&uri=true`` for a read-only file);
* ``postgresql://``, ``postgres://`` or ``postgresql+psycopg://``: PostgreSQL through psycopg 3;
* anything else: :class:`~piu_lab.errors.UnknownDatabaseURL`.

Messages, logs and ``Store.url`` show URLs through :func:`mask_url` only: a password never
leaves this module in clear (R-LOG-02 logs must not hold credentials either).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from piu_lab.errors import UnknownDatabaseURL

__all__ = [
    "ENV_VAR",
    "Backend",
    "backend_of",
    "default_db_path",
    "mask_url",
    "resolve_url",
    "scrub",
    "sqlite_path",
]

#: The environment variable that names the database when no URL is given.
ENV_VAR = "PIU_LAB_DB"
Backend = Literal["sqlite", "postgresql"]

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
_POSTGRES = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE = {"sqlite", "sqlite+pysqlite"}
_USERINFO = re.compile(r"(?P<head>://[^:/@\s]*):(?P<pw>[^@/\s]*)@")
_QUERY_PW = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&\s]*)", re.IGNORECASE)
MASK = "***"


def default_db_path() -> Path:
    """The per-user embedded database file (the folder is created when the store opens)."""
    return Path(platformdirs.user_data_dir("piu-lab")) / "piu_lab.sqlite3"


def _path_url(path: Path) -> str:
    absolute = path.expanduser().absolute()
    return URL.create("sqlite", database=str(absolute)).render_as_string(hide_password=False)


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL to open (password in clear: show it only through :func:`mask_url`).

    Raises :class:`UnknownDatabaseURL` for an empty URL, an unknown scheme or a driver other
    than psycopg 3 for PostgreSQL.
    """
    if url is None:
        url = os.environ.get(ENV_VAR) or None
        if url is None:
            return _path_url(default_db_path())
    text = url.strip()
    if not text:
        raise UnknownDatabaseURL("the database URL is empty")
    match = _SCHEME.match(text)
    if match is None:
        return _path_url(Path(text))
    scheme = match["scheme"].lower()
    if scheme in _SQLITE:
        return _parsed(text).set(drivername="sqlite").render_as_string(hide_password=False)
    if scheme in _POSTGRES:
        parsed = _parsed(text).set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    raise UnknownDatabaseURL(
        f"unknown database URL scheme {scheme!r} in {mask_url(text)}", scheme=scheme
    )


def _parsed(text: str) -> URL:
    try:
        return make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise UnknownDatabaseURL(f"cannot parse the database URL {mask_url(text)}") from exc


def backend_of(url: str) -> Backend:
    """``"sqlite"`` or ``"postgresql"`` for a URL returned by :func:`resolve_url`."""
    return "postgresql" if url.lower().startswith("postgres") else "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for memory databases and ``file:`` URIs."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def mask_url(url: str) -> str:
    """``url`` with any password (user-info or ``?password=``) replaced by ``***``."""
    masked = _USERINFO.sub(lambda m: f"{m['head']}:{MASK}@", url)
    return _QUERY_PW.sub(lambda m: f"{m['head']}{MASK}", masked)


def scrub(text: str, url: str) -> str:
    """``text`` (e.g. a driver's error message) without the password of ``url`` in it."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return mask_url(text)
    secrets = [parsed.password, parsed.query.get("password")]
    out = text
    for secret in secrets:
        for value in [secret] if isinstance(secret, str) else list(secret or ()):
            if value:
                out = out.replace(str(value), MASK)
    return mask_url(out)

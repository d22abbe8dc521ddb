"""Schema revisions: Alembic, run from code with the migrations shipped inside the package.

There is no ``alembic.ini``: :func:`alembic_config` points ``script_location`` at
``piu_lab/store/migrations`` and hands Alembic the open connection, so the same code migrates a
SQLite file, a memory database or a PostgreSQL server (``env.py`` also takes ``sqlalchemy.url``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

__all__ = [
    "SCRIPT_LOCATION",
    "alembic_config",
    "current_revision",
    "head_revision",
    "known_revisions",
    "upgrade",
]

SCRIPT_LOCATION = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config on the packaged migrations, bound to ``connection`` (or ``url``)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migration revisions shipped with piu_lab.store")
    return head


def known_revisions() -> frozenset[str]:
    """Every revision this code can migrate from."""
    return frozenset(rev.revision for rev in _script().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in ``alembic_version``; None for a database without a schema."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Migrate the database of ``connection`` to ``target`` inside its open transaction."""
    command.upgrade(alembic_config(connection), target)

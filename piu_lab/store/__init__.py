"""The passenger database: SQLAlchemy Core tables, Alembic migrations, set-based bulk writes and
pandas frames out, on an embedded SQLite file (the default) or a PostgreSQL server.

``open_store(url=None, *, create=True) -> Store`` is the entry point; ``resolve_url`` and
``default_db_path`` say which database that is. Modules: :mod:`.url` (which database),
:mod:`.schema` (tables), :mod:`.frames` (records to frames, pure), :mod:`.bulk` (set-based
writes), :mod:`.engine` (connections, error translation), :mod:`.migrate` (Alembic),
:mod:`.writes`, :mod:`.reads`, :mod:`.rebuild` and :mod:`.core` (the :class:`Store`).
"""

from piu_lab.store.core import Store, open_store
from piu_lab.store.frames import carriers_to_frame, manifests_to_frames, pnrs_to_frames
from piu_lab.store.migrate import head_revision
from piu_lab.store.reads import JOURNEY_COLUMNS
from piu_lab.store.schema import TABLES, metadata
from piu_lab.store.url import ENV_VAR, default_db_path, mask_url, resolve_url
from piu_lab.store.writes import WriteResult

__all__ = [
    "ENV_VAR",
    "JOURNEY_COLUMNS",
    "TABLES",
    "Store",
    "WriteResult",
    "carriers_to_frame",
    "default_db_path",
    "head_revision",
    "manifests_to_frames",
    "mask_url",
    "metadata",
    "open_store",
    "pnrs_to_frames",
    "resolve_url",
]

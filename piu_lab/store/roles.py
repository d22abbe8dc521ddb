"""The PostgreSQL role the application logs in with: what it may do, and what it may not.

The schema's owner (who runs the migrations) is not the role the application uses. The
application's login role gets read and write on the passenger tables, but only ``SELECT`` and
``INSERT`` on the append-only histories (the audit log, R-LOG-02; the staff register's
changes): it can neither ``UPDATE``, ``DELETE`` nor ``TRUNCATE`` them. The triggers of
migrations 0003 and 0004 refuse the same to everyone, owner included, unless the owner drops
them; the grants make the refusal a matter of privilege for the application, so that even a
bug or an injected statement in it cannot rewrite history (ARCHITECTURE.md; issue 5).

SQLite has no roles: there the hash chain and the signed checkpoints show any change.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from piu_lab.errors import ConfigurationError
from piu_lab.store import schema
from piu_lab.store.core import Store

__all__ = ["APPEND_ONLY_TABLES", "grant_application_role", "grant_statements"]

#: The tables whose rows are never changed or removed once written.
APPEND_ONLY_TABLES: tuple[str, ...] = tuple(
    t.name for t in (*schema.AUDIT_TABLES, *schema.STAFF_TABLES)
)
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_statements(role: str) -> list[str]:
    """The GRANT/REVOKE statements for the application role ``role`` (a plain identifier)."""
    if not _ROLE.fullmatch(role):
        raise ConfigurationError(
            f"not a role name: {role!r}",
            hint="lower-case letters, digits and _ (at most 63), starting with a letter or _",
            role=role,
        )
    data = ", ".join(f'"{name}"' for name in schema.TABLES)
    history = ", ".join(f'"{name}"' for name in APPEND_ONLY_TABLES)
    return [
        f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT ON "alembic_version" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON {data} TO "{role}"',
        f'GRANT SELECT, INSERT ON {history} TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    ]


def grant_application_role(store: Store, role: str) -> list[str]:
    """Give the existing PostgreSQL role ``role`` exactly the application's rights (run as
    the schema's owner); returns the statements run. Raises ``ConfigurationError`` on SQLite."""
    if store.dialect != "postgresql":
        raise ConfigurationError(
            "roles and grants are PostgreSQL's; SQLite is protected by the hash chain",
            hint="run this against the PostgreSQL database, as the owner of its schema",
        )
    statements = grant_statements(role)
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    return statements

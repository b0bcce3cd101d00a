"""What a web process keeps between requests of a few rarely changed tables, and how it knows
the moment a kept answer would be stale.

Nearly every request reads the same few rows again: the signed-in user, a unit by its code, the
user's grants (memberships, the units they cover, successions), a field's indicators. They change
only through a service or an administrator, and any process may change them. A process keeps
what it read (`Kept`) under the *stamps* of the tables it read it from:

* every table listed in `STAMPED` has a trigger that writes a new random token for the table into
  `ops_stamp` in each statement that inserts, updates, deletes (or, on PostgreSQL, truncates) its
  rows — in that statement's own transaction. So a connection sees a table's new stamp exactly
  when it sees the change: not before its commit, not after, in whichever process, and a rolled
  back change leaves the stamp as it was (its token is never seen again);
* a lookup reads the stamps first (one query of a few rows), then gives the answer kept under the
  same stamps, or reads the database and keeps that answer under them. Read after the stamps, the
  rows are at least as new as the stamps; a stamp never comes back (random tokens, and a restore
  stamps every table anew: `bump_all`), so no lookup ever gets rows older than what it would
  read itself;
* a table without its stamp row (emptied by a test's flush) keeps nothing;
* the triggers are installed by the migration and again after every `migrate` (`ensure`: a
  later migration that rebuilds a table on SQLite drops its triggers), and a test checks them.

What is kept is shared by the threads of a process: lookups hand out copies, never the kept
objects, so a request may set attributes on what it got (the policy keeps a user's grants on
the request's user object, an API token its scope).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "ops_stamp"
# The tables whose rows some process keeps: the users, the unit tree and its successions, the
# grants, the catalog's fields and indicators.
STAMPED = (
    "auth_user",
    "orgunits_orgunit",
    "orgunits_unitsuccession",
    "access_membership",
    "catalog_field",
    "catalog_indicator",
)

# A new random token for a table, on each database: the triggers' statement and `bump_all`'s.
_PG_BUMP = (
    f"INSERT INTO {TABLE} (name, token) VALUES (%s, floor(random() * 9007199254740991)::bigint) "
    "ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token"
)
_SQLITE_BUMP = f"INSERT OR REPLACE INTO {TABLE} (name, token) VALUES (%s, random())"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ops_bump_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_PG_BUMP % "TG_TABLE_NAME"};
    RETURN NULL;
END
$$;
"""
_SQLITE_OPS = ("insert", "update", "delete")


def _drops(vendor: str, table: str) -> list[str]:
    """The statements that remove a table's stamp triggers (before installing them anew, or for good)."""
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS ops_stamp_{table} ON {table}",
            f"DROP TRIGGER IF EXISTS ops_stamp_{table}_truncate ON {table}",
        ]
    return [f"DROP TRIGGER IF EXISTS ops_stamp_{table}_{op}" for op in _SQLITE_OPS]


def _pg_install(table: str) -> list[str]:
    return [
        *_drops("postgresql", table),
        f"""CREATE TRIGGER ops_stamp_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION ops_bump_stamp()""",
        f"""CREATE TRIGGER ops_stamp_{table}_truncate AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION ops_bump_stamp()""",
    ]


def _sqlite_install(table: str) -> list[str]:
    """SQLite has row triggers only (and DELETE without WHERE runs them when a table has any)."""
    bump = _SQLITE_BUMP % f"'{table}'"
    creates = [
        f"CREATE TRIGGER ops_stamp_{table}_{op} AFTER {op.upper()} ON {table} BEGIN {bump}; END"
        for op in _SQLITE_OPS
    ]
    return [*_drops("sqlite", table), *creates]


def install_triggers(connection: BaseDatabaseWrapper = default_connection) -> None:
    """(Re)install the triggers of every stamped table."""
    if connection.vendor == "postgresql":
        statements = [_PG_FUNCTION] + [s for table in STAMPED for s in _pg_install(table)]
    elif connection.vendor == "sqlite":
        statements = [s for table in STAMPED for s in _sqlite_install(table)]
    else:
        raise NotImplementedError(f"table stamps: database '{connection.vendor}' not supported")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall_triggers(connection: BaseDatabaseWrapper = default_connection) -> None:
    with connection.cursor() as cursor:
        for table in STAMPED:
            for sql in _drops(connection.vendor, table):
                cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS ops_bump_stamp()")


def bump_all(connection: BaseDatabaseWrapper = default_connection) -> None:
    """A new stamp for every table: what any process kept is read again (after a restore, which
    brings back the stamps of the backup's time together with its rows)."""
    insert = _PG_BUMP if connection.vendor == "postgresql" else _SQLITE_BUMP
    with connection.cursor() as cursor:
        for table in STAMPED:
            cursor.execute(insert, [table])


def ensure(connection: BaseDatabaseWrapper = default_connection) -> None:
    """After `migrate`: the triggers in place (a table rebuilt by a migration loses them) and every
    table stamped anew."""
    if TABLE not in connection.introspection.table_names():
        return
    install_triggers(connection)
    bump_all(connection)


def current(connection: BaseDatabaseWrapper = default_connection) -> dict[str, int]:
    """Every table's stamp as this connection sees it now (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, token FROM {TABLE}")
        return dict(cursor.fetchall())


_EVERY: list[Kept[Any, Any]] = []
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Answers read from some tables (`tables`), kept in this process while those tables' stamps
    stay the same; `give` makes what a caller gets from what is kept (a copy). At most `limit`
    answers are kept (past it, the others are read each time)."""

    def __init__(
        self, tables: tuple[str, ...], give: Callable[[V], V] = copy.copy, limit: int = 4096
    ) -> None:
        unknown = set(tables) - set(STAMPED)
        if unknown:
            raise ValueError(f"no stamp for tables {sorted(unknown)}: add them to STAMPED")
        self.tables = tables
        self.give = give
        self.limit = limit
        self._state: tuple[tuple[int, ...] | None, dict[K, V]] = (None, {})
        self._lock = threading.Lock()
        _EVERY.append(self)

    def get(self, key: K, read: Callable[[], V | None]) -> V | None:
        """The answer for `key`: kept, or `read()` (None: nothing to keep, asked again next time)."""
        found = current()
        try:
            stamp = tuple(found[table] for table in self.tables)
        except KeyError:
            return read()  # a table without a stamp: nothing is kept
        kept_stamp, answers = self._state
        if kept_stamp == stamp and key in answers:
            return self.give(answers[key])
        value = read()  # read after the stamps: at least as new as they are
        if value is None:
            return None
        with self._lock:
            kept_stamp, answers = self._state
            if kept_stamp != stamp:
                answers = {}
                self._state = (stamp, answers)
            if len(answers) < self.limit:
                answers[key] = value
        return self.give(value)

    def clear(self) -> None:
        self._state = (None, {})


def forget_all() -> None:
    """Drop everything every `Kept` of this process holds (tests that count a cold request's queries)."""
    for kept in list(_EVERY):
        kept.clear()

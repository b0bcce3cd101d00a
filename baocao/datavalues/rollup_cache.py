"""The roll-up summary table on PostgreSQL: read, fill, and the triggers that keep it true.

`Rollup` asks the table first for every subtree it needs and computes only the missing ones,
then stores them. A stored row stays right because every change that could alter it deletes
it in the change's own transaction, whatever the write path (services, bulk COPY, synth, SQL):

* a statement-level trigger on the values forgets, for each changed (indicator, unit, year,
  regime, kind of figure), the rows of that indicator for the unit and all its ancestors in any
  period of that year (every period a value can count towards shares its year);
* a trigger on the unit-ancestor table forgets everything when the tree changes.

A fill must not store an answer computed from a snapshot that an uncommitted change will make
stale, since that change's trigger has already run and will not see the new row. Advisory
locks order the two: a writer's trigger takes a shared lock per indicator it changed (writers
never wait for each other) and holds it to its commit; a fill first tries the exclusive lock of
each indicator and stores only those it got, so it never stores what an open change touched,
and a change that comes while a fill runs waits for it in its trigger, then deletes what it
stored. A fill never waits: without the lock it just answers without storing. The tree lock
works the other way round (tree changes are rare; fills share it). Triggers must run at READ
COMMITTED, Django's default, so that their DELETE sees what a fill committed meanwhile.

SQLite (the embedded default, one office's data) has no such locks and computes every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

TABLE = "datavalues_rollupcache"
VALUES = "datavalues_datavalue"
ANCESTORS = "jobs_unitancestor"
INDICATOR_LOCKS = 25155  # advisory-lock namespaces: (namespace, indicator id), (namespace, 0)
TREE_LOCK = 25156


# Named tuples, not dataclasses: a national page builds, hashes and compares thousands of them
# (made, hashed and compared in C: ~10 ms less on the ministry's key figures).
class CacheKey(NamedTuple):
    indicator_id: int
    unit_id: int
    period: str  # a period code, checked by the caller before it reaches SQL
    yearly: bool
    stock: bool


class CachedFigure(NamedTuple):
    value: Decimal | None  # None: the subtree had no figure
    qualifier: str = "exact"
    units: int = 0


def _forget(rows: str) -> str:
    """The body of a value trigger; `rows` names the transition rows the statement changed.

    One pass over the rows finds the (indicator, year, regime, kind) groups they touch; the
    rows are joined with the tree only when the table holds a figure of one of those groups
    (a million-row load of a new quarter usually touches none)."""
    return f"""
DECLARE
    inds int[]; years text[]; regimes text[]; targets boolean[];
BEGIN
    SELECT array_agg(indicator_id), array_agg(year), array_agg(regime), array_agg(is_target)
    INTO inds, years, regimes, targets
    FROM (SELECT DISTINCT indicator_id, left(period, 4) AS year, regime, is_target FROM {rows} t) g;
    IF inds IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock_shared({INDICATOR_LOCKS}, k.i)
    FROM (SELECT DISTINCT i FROM unnest(inds) AS i ORDER BY 1) k;
    IF EXISTS (
        SELECT 1 FROM {TABLE} c JOIN unnest(inds, years, regimes, targets) AS g(i, y, r, t)
          ON c.indicator_id = g.i AND left(c.period, 4) = g.y AND c.regime = g.r AND c.is_target = g.t
    ) THEN
        DELETE FROM {TABLE} c
        USING (SELECT DISTINCT indicator_id, unit_id, left(period, 4) AS year, regime, is_target
               FROM {rows} t) r
        JOIN {ANCESTORS} a ON a.descendant_id = r.unit_id
        WHERE c.indicator_id = r.indicator_id AND c.unit_id = a.ancestor_id
          AND left(c.period, 4) = r.year AND c.regime = r.regime AND c.is_target = r.is_target;
    END IF;
    RETURN NULL;
END"""


def _function(name: str, body: str) -> str:
    return f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"


_TRIGGERS = [  # (trigger, table, when, function)
    ("datavalues_rollup_ins", VALUES, "AFTER INSERT", "REFERENCING NEW TABLE AS n", "datavalues_rollup_forget_ins"),
    ("datavalues_rollup_upd", VALUES, "AFTER UPDATE", "REFERENCING OLD TABLE AS o NEW TABLE AS n",
     "datavalues_rollup_forget_upd"),
    ("datavalues_rollup_del", VALUES, "AFTER DELETE", "REFERENCING OLD TABLE AS o", "datavalues_rollup_forget_del"),
    ("datavalues_rollup_trunc", VALUES, "AFTER TRUNCATE", "", "datavalues_rollup_forget_all"),
    ("datavalues_rollup_tree", ANCESTORS, "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE", "",
     "datavalues_rollup_forget_all"),
]  # fmt: skip

PG_INSTALL = [
    _function("datavalues_rollup_forget_ins", _forget("n")),
    _function("datavalues_rollup_forget_upd", _forget("(SELECT * FROM o UNION ALL SELECT * FROM n)")),
    _function("datavalues_rollup_forget_del", _forget("o")),
    _function(
        "datavalues_rollup_forget_all",
        f"BEGIN PERFORM pg_advisory_xact_lock({TREE_LOCK}, 0); DELETE FROM {TABLE}; RETURN NULL; END",
    ),
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, *_ in _TRIGGERS),
    *(
        f"CREATE TRIGGER {name} {when} ON {table} {refs} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
        for name, table, when, refs, fn in _TRIGGERS
    ),
]
PG_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, *_ in _TRIGGERS),
    *(f"DROP FUNCTION IF EXISTS {fn}()" for fn in sorted({t[-1] for t in _TRIGGERS})),
]


def supported(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, PG_INSTALL)


def uninstall_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, PG_UNINSTALL)


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def clear(connection: BaseDatabaseWrapper) -> None:
    """Forget every stored roll-up (the next queries compute and store them again)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def _keys_sql(keys: Iterable[CacheKey]) -> str:
    return ", ".join(
        f"({int(k.indicator_id)}, {int(k.unit_id)}, '{k.period}', {_bool(k.yearly)}, {_bool(k.stock)})" for k in keys
    )


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


def lookup(
    cursor: CursorWrapper, keys: Sequence[CacheKey], *, regime: str, is_target: bool
) -> dict[CacheKey, CachedFigure]:
    """The stored figures of those keys that have one."""
    if not keys:
        return {}
    cursor.execute(
        f"""SELECT c.indicator_id, c.unit_id, c.period, c.yearly, c.stock, c.value, c.qualifier, c.units
        FROM {TABLE} c JOIN (VALUES {_keys_sql(keys)}) k(ind, unit, period, yearly, stock)
          ON c.indicator_id = k.ind AND c.unit_id = k.unit AND c.period = k.period
         AND c.yearly = k.yearly AND c.stock = k.stock
        WHERE c.regime = %s AND c.is_target = %s""",
        [regime, is_target],
    )
    return {
        CacheKey(ind, unit, period, yearly, stock): CachedFigure(value, qualifier, units)
        for ind, unit, period, yearly, stock, value, qualifier, units in cursor.fetchall()
    }


def lock_for_fill(cursor: CursorWrapper, indicator_ids: Iterable[int]) -> set[int]:
    """The indicators whose figures this transaction may store (see the module's docstring)."""
    ids = sorted(set(indicator_ids))
    if not ids:
        return set()
    cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s, 0)", [TREE_LOCK])
    if not cursor.fetchone()[0]:
        return set()
    cursor.execute(
        f"SELECT i FROM unnest(%s::int[]) AS i WHERE pg_try_advisory_xact_lock({INDICATOR_LOCKS}, i)", [ids]
    )
    return {int(row[0]) for row in cursor.fetchall()}


def store(
    cursor: CursorWrapper, figures: dict[CacheKey, CachedFigure], *, regime: str, is_target: bool
) -> None:
    """Store computed figures; call within the transaction that took `lock_for_fill`."""
    if not figures:
        return
    rows = [
        (k.indicator_id, k.unit_id, k.period, regime, is_target, k.yearly, k.stock, f.value, f.qualifier, f.units)
        for k, f in figures.items()
    ]
    cursor.executemany(
        f"""INSERT INTO {TABLE}
            (indicator_id, unit_id, period, regime, is_target, yearly, stock, value, qualifier, units)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING""",
        rows,
    )

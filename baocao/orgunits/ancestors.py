"""The unit-ancestor (closure) table: SQL that installs its triggers and rebuilds it.

A unit's ancestors are exactly the ids in its materialised path, so each unit's rows can be
rewritten from that one row whenever its path changes; a row-level trigger does it on
PostgreSQL (PL/pgSQL) and on SQLite (json_each splits the path, since SQLite triggers may not
use CTEs). Used by the migration that installs the triggers and by `rebuild_ancestors`.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "jobs_unitancestor"
UNITS = "orgunits_orgunit"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jobs_sync_unit_ancestors() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM {TABLE} WHERE descendant_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.path <> '' THEN
        ids := string_to_array(trim(both '/' from NEW.path), '/');
        INSERT INTO {TABLE} (ancestor_id, descendant_id, depth, path)
        SELECT a.id::bigint, NEW.id, cardinality(ids) - a.ord, NEW.path
        FROM unnest(ids) WITH ORDINALITY AS a(id, ord);
    END IF;
    RETURN NULL;
END
$$;
"""

PG_INSTALL = [
    _PG_FUNCTION,
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_ins ON {UNITS}",
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_upd ON {UNITS}",
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_del ON {UNITS}",
    f"""CREATE TRIGGER jobs_unit_ancestors_ins AFTER INSERT ON {UNITS}
        FOR EACH ROW EXECUTE FUNCTION jobs_sync_unit_ancestors()""",
    f"""CREATE TRIGGER jobs_unit_ancestors_upd AFTER UPDATE OF path ON {UNITS}
        FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION jobs_sync_unit_ancestors()""",
    f"""CREATE TRIGGER jobs_unit_ancestors_del AFTER DELETE ON {UNITS}
        FOR EACH ROW EXECUTE FUNCTION jobs_sync_unit_ancestors()""",
]
PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_ins ON {UNITS}",
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_upd ON {UNITS}",
    f"DROP TRIGGER IF EXISTS jobs_unit_ancestors_del ON {UNITS}",
    "DROP FUNCTION IF EXISTS jobs_sync_unit_ancestors()",
]

# '[1,5,12]' from '/1/5/12/': json_each then yields (key = position, value = id).
_SQLITE_IDS = "'[' || replace(trim(new.path, '/'), '/', ',') || ']'"
_SQLITE_INSERT = f"""
    INSERT INTO {TABLE} (ancestor_id, descendant_id, depth, path)
    SELECT j.value, new.id, json_array_length({_SQLITE_IDS}) - 1 - j.key, new.path
    FROM json_each({_SQLITE_IDS}) AS j;
"""
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_ins",
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_upd",
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_del",
    f"CREATE TRIGGER jobs_unit_ancestors_ins AFTER INSERT ON {UNITS} BEGIN {_SQLITE_INSERT} END",
    f"""CREATE TRIGGER jobs_unit_ancestors_upd AFTER UPDATE OF path ON {UNITS}
        WHEN old.path IS NOT new.path BEGIN
        DELETE FROM {TABLE} WHERE descendant_id = old.id; {_SQLITE_INSERT} END""",
    f"""CREATE TRIGGER jobs_unit_ancestors_del AFTER DELETE ON {UNITS} BEGIN
        DELETE FROM {TABLE} WHERE descendant_id = old.id; END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_ins",
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_upd",
    "DROP TRIGGER IF EXISTS jobs_unit_ancestors_del",
]

PG_REBUILD = f"""
INSERT INTO {TABLE} (ancestor_id, descendant_id, depth, path)
SELECT a.id::bigint, u.id, cardinality(string_to_array(trim(both '/' from u.path), '/')) - a.ord, u.path
FROM {UNITS} u,
     unnest(string_to_array(trim(both '/' from u.path), '/')) WITH ORDINALITY AS a(id, ord)
WHERE u.path <> ''
"""
SQLITE_REBUILD = f"""
INSERT INTO {TABLE} (ancestor_id, descendant_id, depth, path)
SELECT j.value, u.id,
       json_array_length('[' || replace(trim(u.path, '/'), '/', ',') || ']') - 1 - j.key, u.path
FROM {UNITS} u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') AS j
WHERE u.path <> ''
"""


def install_triggers(connection: BaseDatabaseWrapper = default_connection) -> None:
    statements = PG_INSTALL if connection.vendor == "postgresql" else SQLITE_INSTALL
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"unit-ancestor triggers: database '{connection.vendor}' not supported")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall_triggers(connection: BaseDatabaseWrapper = default_connection) -> None:
    statements = PG_UNINSTALL if connection.vendor == "postgresql" else SQLITE_UNINSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def rebuild_ancestors(connection: BaseDatabaseWrapper = default_connection) -> int:
    """Recompute the whole table from the paths (after a restore, or to repair); returns rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(PG_REBUILD if connection.vendor == "postgresql" else SQLITE_REBUILD)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return int(cursor.fetchone()[0])

"""Which periods have figures in a unit's subtree, kept as a small table by database triggers.

The pages ask "which periods have data in my scope" (the period pickers, the default period,
the to-do list). Asked of the values themselves that is a DISTINCT over every value under a
province — a million rows after a history is loaded, seconds per page. `datavalues_scopeperiod`
holds one row per (unit, period) for which the unit's subtree (the unit included) has a result
(not a plan); triggers on the values keep it right whatever writes them (services, the bulk
path, the synthetic loader): an insert adds the pairs of the value's unit and its ancestors
(read from OrgUnit.path, "/1/55/812/"), a delete removes a pair when nothing under that unit is
left for the period. Values are updated in place (unit, period and plan flag never change).
"""

from __future__ import annotations

from typing import Any

# The ancestors of a unit (itself included) are the ids of its materialised path.
PG_INSTALL = [
    """
CREATE OR REPLACE FUNCTION baocao_scopeperiod_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO datavalues_scopeperiod (unit_id, period, period_end)
    SELECT DISTINCT a::bigint, x.period, x.period_end
    FROM (SELECT DISTINCT unit_id, period, period_end FROM baocao_new_values WHERE NOT is_target) x
    JOIN orgunits_orgunit u ON u.id = x.unit_id,
    LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) a
    ON CONFLICT (unit_id, period) DO NOTHING;
    RETURN NULL;
END $$""",
    """
CREATE OR REPLACE FUNCTION baocao_scopeperiod_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM datavalues_scopeperiod sp USING (
        SELECT DISTINCT a::bigint AS unit_id, x.period
        FROM (SELECT DISTINCT unit_id, period FROM baocao_old_values WHERE NOT is_target) x
        JOIN orgunits_orgunit u ON u.id = x.unit_id,
        LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) a
    ) d
    WHERE sp.unit_id = d.unit_id AND sp.period = d.period AND NOT EXISTS (
        SELECT 1 FROM datavalues_datavalue v JOIN orgunits_orgunit vu ON vu.id = v.unit_id
        JOIN orgunits_orgunit au ON au.id = d.unit_id
        WHERE v.period = d.period AND NOT v.is_target AND vu.path LIKE au.path || '%');
    RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS datavalues_scopeperiod_ins ON datavalues_datavalue",
    "DROP TRIGGER IF EXISTS datavalues_scopeperiod_del ON datavalues_datavalue",
    """CREATE TRIGGER datavalues_scopeperiod_ins AFTER INSERT ON datavalues_datavalue
       REFERENCING NEW TABLE AS baocao_new_values FOR EACH STATEMENT EXECUTE FUNCTION baocao_scopeperiod_ins()""",
    """CREATE TRIGGER datavalues_scopeperiod_del AFTER DELETE ON datavalues_datavalue
       REFERENCING OLD TABLE AS baocao_old_values FOR EACH STATEMENT EXECUTE FUNCTION baocao_scopeperiod_del()""",
]
_SQLITE_ANCESTORS = (
    "SELECT CAST(j.value AS INTEGER) FROM orgunits_orgunit u, "
    "json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') j WHERE u.id = {row}.unit_id"
)
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS datavalues_scopeperiod_ins",
    "DROP TRIGGER IF EXISTS datavalues_scopeperiod_del",
    f"""CREATE TRIGGER datavalues_scopeperiod_ins AFTER INSERT ON datavalues_datavalue WHEN NOT NEW.is_target
BEGIN
    INSERT OR IGNORE INTO datavalues_scopeperiod (unit_id, period, period_end)
    SELECT a.id, NEW.period, NEW.period_end FROM ({_SQLITE_ANCESTORS.format(row="NEW").replace("SELECT CAST(j.value AS INTEGER)", "SELECT CAST(j.value AS INTEGER) AS id")}) a;
END""",
    f"""CREATE TRIGGER datavalues_scopeperiod_del AFTER DELETE ON datavalues_datavalue WHEN NOT OLD.is_target
BEGIN
    DELETE FROM datavalues_scopeperiod WHERE period = OLD.period
      AND unit_id IN ({_SQLITE_ANCESTORS.format(row="OLD")})
      AND NOT EXISTS (
        SELECT 1 FROM datavalues_datavalue v JOIN orgunits_orgunit vu ON vu.id = v.unit_id
        JOIN orgunits_orgunit au ON au.id = datavalues_scopeperiod.unit_id
        WHERE v.period = OLD.period AND NOT v.is_target AND vu.path LIKE au.path || '%');
END""",
]
PG_REBUILD = """
INSERT INTO datavalues_scopeperiod (unit_id, period, period_end)
SELECT DISTINCT a::bigint, x.period, x.period_end
FROM (SELECT DISTINCT unit_id, period, period_end FROM datavalues_datavalue WHERE NOT is_target) x
JOIN orgunits_orgunit u ON u.id = x.unit_id,
LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) a
ON CONFLICT (unit_id, period) DO NOTHING
"""
SQLITE_REBUILD = """
INSERT OR IGNORE INTO datavalues_scopeperiod (unit_id, period, period_end)
SELECT DISTINCT CAST(j.value AS INTEGER), x.period, x.period_end
FROM (SELECT DISTINCT unit_id, period, period_end FROM datavalues_datavalue WHERE NOT is_target) x
JOIN orgunits_orgunit u ON u.id = x.unit_id, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') j
"""


def install_triggers(connection: Any) -> None:
    statements = PG_INSTALL if connection.vendor == "postgresql" else SQLITE_INSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall_triggers(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS datavalues_scopeperiod_ins ON datavalues_datavalue")
            cursor.execute("DROP TRIGGER IF EXISTS datavalues_scopeperiod_del ON datavalues_datavalue")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS datavalues_scopeperiod_ins")
            cursor.execute("DROP TRIGGER IF EXISTS datavalues_scopeperiod_del")


def rebuild(connection: Any) -> None:
    """The table from the values (after a restore, or when the triggers were installed)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM datavalues_scopeperiod")
        cursor.execute(PG_REBUILD if connection.vendor == "postgresql" else SQLITE_REBUILD)

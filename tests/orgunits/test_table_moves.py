"""UnitAncestor and ValueChange moved from `jobs` to their owners without losing a row: a database
migrated as it was before the move, with rows in both tables, is migrated forward and read back
through the new owners' models (a fresh SQLite file, migrated by a separate process)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BEFORE = [("jobs", "0003_value_change"), ("orgunits", "0001_initial"), ("datavalues", "0003_rollup_cache")]


def _django(db: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "baocao.settings"}
    done = subprocess.run([sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="one SQLite file is enough")
def test_moving_the_tables_keeps_their_rows(tmp_path: Path) -> None:
    db = tmp_path / "truoc.sqlite3"
    _django(db, "migrate", "--noinput", "api")  # everything the project had, then step back before the move
    for app, name in BEFORE:
        _django(db, "migrate", "--noinput", app, name)
    with sqlite3.connect(db) as con:
        con.execute(
            "INSERT INTO orgunits_orgunit (id, code, name, full_name, level, path, search_name, gso_code, valid_from, "
            "valid_to, parent_id, attributes) "
            "VALUES (7, 'P7', 'Bảy', 'Tỉnh Bảy', 'province', '/7/', 'bay', '', NULL, NULL, NULL, '{}')"
        )
        con.execute(
            "INSERT INTO audit_auditevent (id, at, actor_name, action, entity, entity_id, period, summary, reason, "
            "before, after) VALUES (1, '2026-01-01 00:00:00', 'he-thong', 'value.bulk_import', 'datafile', "
            "'a.csv', '', '', '', NULL, NULL)"
        )
        con.execute(
            "INSERT INTO jobs_valuechange (event_id, datavalue_id, old_value, old_qualifier, old_flag, old_comment, "
            "old_source, old_source_ref, new_value, new_qualifier, new_flag, new_comment) "
            "VALUES (1, 42, 100, 'exact', '', '', 'import', 'a.csv', 150, 'exact', '', '')"
        )
    applied = _django(db, "showmigrations", "jobs")
    assert "[ ] 0004_tables_to_owners" in applied
    _django(db, "migrate", "--noinput")
    out = _django(db, "shell", "-c", (
        "from baocao.orgunits.models import UnitAncestor; from baocao.datavalues.models import ValueChange; "
        "c = ValueChange.objects.get(); print(c.datavalue_id, c.old_value, c.new_value, c.event.entity_id); "
        "print(list(UnitAncestor.objects.filter(descendant_id=7).values_list('ancestor_id', 'depth')))"
    ))  # fmt: skip
    lines = out.strip().splitlines()[-2:]  # after "N objects imported automatically"
    assert lines[0] == "42 100.000000 150.000000 a.csv"
    assert lines[1] == "[(7, 0)]"  # kept by the trigger, read through the new owner

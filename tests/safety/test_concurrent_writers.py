"""Twenty people saving a field's form at once, each on their own unit, through gunicorn on
loopback (bench/load_saves.py starts it on a database of its own): on SQLite (writers queue on an
immediate transaction and a busy timeout) and on PostgreSQL, no request fails with a server
error and no acknowledged save is lost — each person's last saved figure is the stored one and
the audit log holds exactly one change per acknowledged save. On PostgreSQL a bulk import of
historical values runs meanwhile: sign-ins, reads and saves keep working, and it completes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import load_saves

PG = os.environ.get("BAOCAO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def _postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG.rstrip("/") + "/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_twenty_concurrent_writers_no_error_no_lost_update(kind: str) -> None:
    if kind == "postgres" and not _postgres_available():
        pytest.skip("PostgreSQL is not reachable")
    rows = 20_000 if kind == "postgres" else 0
    (outcome,) = load_saves.run(kind, clients=20, seconds=4, shapes="closed", pg=PG, import_rows=rows)
    print(outcome.line())
    failures = [f for t in outcome.tallies for f in t.failures]
    assert outcome.errors == 0, failures
    assert outcome.refused == 0
    assert outcome.lost == []
    assert all(t.saves for t in outcome.tallies), "every person saved at least once"
    if rows:
        assert "import during the load: done" in outcome.import_note, outcome.import_note

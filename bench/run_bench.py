"""National-scale benchmark: builds the synthetic dataset on PostgreSQL and prints each figure
next to a baseline measured in the same run.

    .venv/bin/python bench/run_bench.py [--pg postgres://postgres@127.0.0.1:5432] [--db baocao_bench]
                                        [--scale 1] [--keep] [--reuse]

The database (default baocao_bench) is created and, unless --keep, dropped at the end.
Not a test: the tests check correctness on tiny data; this measures.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOALS: list[tuple[str, str, bool]] = []


def out(text: str = "") -> None:
    print(text, flush=True)


def goal(name: str, text: str, met: bool) -> None:
    GOALS.append((name, text, met))
    out(f"    goal {text}: {'MET' if met else 'NOT MET'}")


def machine(conninfo: str) -> None:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    with psycopg.connect(conninfo, dbname="postgres") as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    load = os.getloadavg()
    out(f"Machine: {cpu}, {os.cpu_count()} cores, {mem / 1024 / 1024:.1f} GiB RAM, PostgreSQL {version}, "
        f"Python {platform.python_version()}; load average at start {load[0]:.2f}")  # fmt: skip


def timed(fn: Callable[[], Any], repeat: int = 5, before: Callable[[], Any] | None = None) -> tuple[float, Any]:
    """Median milliseconds of `repeat` warm runs (after one untimed run), and the last result;
    `before` runs ahead of each, untimed."""
    result = fn()
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)
    return time.perf_counter() - t


# -- import ---------------------------------------------------------------------------------------------
IMPORT_CHILD = r"""
import os, sys, time, resource, tracemalloc, json
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
django.setup()
from baocao.access.system import system_user
from baocao.datavalues.bulk import bulk_import
tracemalloc.start()
t = time.perf_counter()
result = bulk_import(system_user(), sys.argv[1], reason="benchmark")
seconds = time.perf_counter() - t
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"seconds": seconds, "rows": result.rows, "created": result.created, "updated": result.updated,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "py_peak_mb": peak / 2**20}))
"""


def make_csv(path: Path, rows: int) -> int:
    from baocao.catalog.models import Indicator, IndicatorKind
    from baocao.orgunits.models import OrgUnit

    codes = [i.code for i in Indicator.objects.exclude(kind=IndicatorKind.RATE).filter(formula="", yearly_attribute=False)]
    communes = list(OrgUnit.objects.filter(level="commune", valid_from__isnull=False).values_list("code", flat=True))
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator", "unit", "period", "value"])
        for q in range(1, 5):
            for code in codes:
                for unit in communes:
                    w.writerow([code, unit, f"2026Q{q}", (n * 7919) % 100000])
                    n += 1
                    if n >= rows:
                        return n
    return n


def bench_import(conninfo: str, env: dict[str, str], rows: int) -> None:
    out(f"\n1. Import {rows:,} values from CSV")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gia-tri-1-trieu.csv"
        n = make_csv(path, rows)
        size = path.stat().st_size / 2**20
        with psycopg.connect(conninfo) as conn:
            conn.execute("DROP TABLE IF EXISTS bench_bare")
            conn.execute("CREATE TABLE bench_bare (indicator text, unit text, period text, value text)")
            t = time.perf_counter()
            with conn.cursor().copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                    path.open("rb") as fh:  # fmt: skip
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            conn.commit()
            raw = time.perf_counter() - t
            conn.execute("DROP TABLE bench_bare")
            conn.commit()
        out(f"    baseline: raw COPY of the same file ({size:.0f} MB) into a bare table: {raw:.2f} s "
            f"({n / raw:,.0f} rows/s)")  # fmt: skip
        child = subprocess.run([sys.executable, "-c", IMPORT_CHILD, str(path)], env=env, cwd=ROOT,
                               capture_output=True, text=True, check=False)  # fmt: skip
        if child.returncode:
            out(child.stderr[-3000:])
            raise SystemExit("import failed")
        import json

        r = json.loads(child.stdout.strip().splitlines()[-1])
        out(f"    bulk_import: {r['seconds']:.2f} s, {r['rows'] / r['seconds']:,.0f} rows/s "
            f"({r['created']:,} created, {r['updated']:,} updated); peak RSS {r['rss_mb']:.0f} MB, "
            f"Python heap peak {r['py_peak_mb']:.1f} MB (tracemalloc)")  # fmt: skip
        ratio = r["seconds"] / raw
        out(f"    ratio to raw COPY: {ratio:.1f}×")
        goal("import", "≤ 3× raw COPY", ratio <= 3)
        goal("import", "< 60 s", r["seconds"] < 60)


# -- queries ---------------------------------------------------------------------------------------------
HAND_FLOW = """
SELECT NULLIF(split_part(u.path, '/', 3), '')::bigint AS province, sum(v.value)
FROM datavalues_datavalue v JOIN orgunits_orgunit u ON u.id = v.unit_id
WHERE v.indicator_id = %s AND v.period = ANY(%s) AND v.regime = 'hanh_chinh' AND NOT v.is_target
GROUP BY 1
"""
HAND_FLOW_34 = """
SELECT s.successor_id, sum(v.value)
FROM datavalues_datavalue v JOIN orgunits_orgunit u ON u.id = v.unit_id
JOIN orgunits_unitsuccession s ON s.predecessor_id = NULLIF(split_part(u.path, '/', 3), '')::bigint
JOIN orgunits_orgunit np ON np.id = s.successor_id AND np.level = 'province'
WHERE v.indicator_id = %s AND v.period = ANY(%s) AND v.regime = 'hanh_chinh' AND NOT v.is_target
GROUP BY 1
"""
HAND_STOCK = """
SELECT province, sum(value) FROM (
  SELECT DISTINCT ON (v.unit_id) NULLIF(split_part(u.path, '/', 3), '')::bigint AS province, v.value
  FROM datavalues_datavalue v JOIN orgunits_orgunit u ON u.id = v.unit_id
  WHERE v.indicator_id = %s AND v.period = ANY(%s) AND v.regime = 'hanh_chinh' AND NOT v.is_target
  ORDER BY v.unit_id, v.period DESC) x
GROUP BY province
"""
HAND_RATE = """
SELECT NULLIF(split_part(u.path, '/', 3), '')::bigint,
       100 * sum(v.value) FILTER (WHERE v.indicator_id = %s) / NULLIF(sum(v.value) FILTER (WHERE v.indicator_id = %s), 0)
FROM datavalues_datavalue v JOIN orgunits_orgunit u ON u.id = v.unit_id
WHERE v.indicator_id IN (%s, %s) AND v.period = ANY(%s) AND v.regime = 'hanh_chinh' AND NOT v.is_target
GROUP BY 1
"""
HAND_SERIES = """
SELECT left(v.period, 4),
       100 * sum(v.value) FILTER (WHERE v.indicator_id = %s) / NULLIF(sum(v.value) FILTER (WHERE v.indicator_id = %s), 0)
FROM datavalues_datavalue v JOIN jobs_unitancestor a ON a.descendant_id = v.unit_id
WHERE a.ancestor_id = ANY(%s) AND v.indicator_id IN (%s, %s) AND v.regime = 'hanh_chinh' AND NOT v.is_target
  AND v.period >= '2016' AND v.period < '2026'
GROUP BY 1
"""


def hand(sql: str, params: list[Any]) -> Callable[[], list[Any]]:
    from django.db import connection

    def go() -> list[Any]:
        with connection.cursor() as c:
            c.execute(sql, params)
            return c.fetchall()

    return go


def compare(label: str, ours: Callable[[], Any], baseline: Callable[[], Any], check: Callable[[Any, Any], bool],
            limit_ms: float, ratio_goal: float | None = 2.0) -> None:  # fmt: skip
    """Ours computed afresh (summary table emptied before each run) and read back from the
    summary table, each against the hand-written SQL; goals on what a page asking again sees."""
    from django.db import connection

    from baocao.datavalues import rollup_cache

    fresh_ms, fresh = timed(ours, before=lambda: rollup_cache.clear(connection))
    ms, result = timed(ours)
    base_ms, base = timed(baseline)
    same = check(result, base) and check(fresh, base)
    out(f"    {label}: computed {fresh_ms:.1f} ms ({fresh_ms / base_ms:.2f}×), from the summary table "
        f"{ms:.1f} ms ({ms / base_ms:.2f}×); hand-written SQL {base_ms:.1f} ms; same answer: {'yes' if same else 'NO'}")  # fmt: skip
    for how, took in (("stored", ms), ("computed", fresh_ms)):
        if ratio_goal is not None:
            goal(label, f"{how} ≤ {ratio_goal:g}× hand SQL", took / base_ms <= ratio_goal)
        goal(label, f"{how} < {limit_ms:g} ms", took < limit_ms)


def _same(rows: list[Any], base: list[Any], key: Callable[[Any], int]) -> bool:
    ours = {key(r): round(r.value, 4) for r in rows if r.value is not None}
    theirs = {k: round(v, 4) for k, v in base if v is not None}
    return ours == theirs


def bench_queries() -> None:
    from datetime import date

    from baocao.catalog.models import Indicator
    from baocao.core.periods import Period
    from baocao.datavalues.rollup import Rollup
    from baocao.orgunits.lookup import find_unit

    ids = dict(Indicator.objects.values_list("code", "pk"))
    year = Period.of_year(2024)
    quarters = [p.code for p in year.subperiods("quarter")]
    out("\n2. National comparison, 2024, every province rolled up from its communes")
    compare("flow cntt.qlvb.vb_di, 63 provinces", lambda: Rollup().national("cntt.qlvb.vb_di", year),
            hand(HAND_FLOW, [ids["cntt.qlvb.vb_di"], quarters]), lambda a, b: _same(a, b, lambda r: r.unit.pk), 200)  # fmt: skip
    compare("flow, the 34 provinces via their predecessors",
            lambda: Rollup().national("cntt.qlvb.vb_di", year, on=date(2025, 12, 31)),
            hand(HAND_FLOW_34, [ids["cntt.qlvb.vb_di"], quarters]), lambda a, b: _same(a, b, lambda r: r.unit.pk), 200)  # fmt: skip
    compare("stock cntt.cts.tong (last quarter), 63 provinces", lambda: Rollup().national("cntt.cts.tong", year),
            hand(HAND_STOCK, [ids["cntt.cts.tong"], quarters]), lambda a, b: _same(a, b, lambda r: r.unit.pk), 200)  # fmt: skip
    compare("rate cntt.qlvb.ty_le_ky_so from rolled-up parts, 63 provinces",
            lambda: Rollup().national("cntt.qlvb.ty_le_ky_so", year),
            hand(HAND_RATE, [ids["cntt.qlvb.vb_ky_so"], ids["cntt.qlvb.vb_di"], ids["cntt.qlvb.vb_ky_so"],
                             ids["cntt.qlvb.vb_di"], quarters]),
            lambda a, b: _same(a, b, lambda r: r.unit.pk), 200)  # fmt: skip
    changed_one_value(year)
    out("\n3. A province's ten-year series of a rate (new Vĩnh Long, 2016–2025, via its predecessors before 2025)")
    vl = find_unit("Vĩnh Long", on=date(2025, 12, 31), level="province")
    preds = [u.pk for u in (find_unit(n, on=date(2024, 12, 31), level="province") for n in ("Vĩnh Long", "Trà Vinh", "Bến Tre"))]
    years = [Period.of_year(y) for y in range(2016, 2026)]
    compare("series cntt.qlvb.ty_le_ky_so", lambda: Rollup().series("cntt.qlvb.ty_le_ky_so", vl, years),
            hand(HAND_SERIES, [ids["cntt.qlvb.vb_ky_so"], ids["cntt.qlvb.vb_di"], [*preds, vl.pk],
                               ids["cntt.qlvb.vb_ky_so"], ids["cntt.qlvb.vb_di"]]),
            lambda a, b: {r.period.code: round(r.value, 4) for r in a if r.value is not None}
            == {k: round(v, 4) for k, v in b if v is not None}, 100, ratio_goal=None)  # fmt: skip


def changed_one_value(year: Any) -> None:
    """The summary table after an edit: one commune's figure saved through the service; the next
    national comparison recomputes that province only."""
    from django.db import connection

    from baocao.access.system import system_user
    from baocao.datavalues import rollup_cache
    from baocao.datavalues.models import DataValue
    from baocao.datavalues.rollup import Rollup
    from baocao.datavalues.services import ValueInput, save_values

    code = "cntt.qlvb.vb_di"
    Rollup().national(code, year)
    value = DataValue.objects.filter(indicator__code=code, period=f"{year.code}Q1", unit__level="commune").first()
    if value is None:
        return
    t = time.perf_counter()
    save_values(system_user(), [ValueInput(code, value.unit, year.subperiods("quarter")[0], value.value + 1)],
                reason="benchmark")  # fmt: skip
    save_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    after = Rollup().national(code, year)
    next_ms = (time.perf_counter() - t) * 1000
    rollup_cache.clear(connection)
    fresh = Rollup().national(code, year)
    same = [r.value for r in after] == [r.value for r in fresh]
    out(f"    one commune's {code} saved through the service: {save_ms:.1f} ms; the next national comparison "
        f"{next_ms:.1f} ms (one province recomputed); same as computed afresh: {'yes' if same else 'NO'}")  # fmt: skip


def bench_reports(env: dict[str, str]) -> None:
    from datetime import date

    from baocao.access.system import system_user
    from baocao.core.periods import Period
    from baocao.jobs import services
    from baocao.orgunits.lookup import find_unit

    out("\n4. Reports")
    try:
        from baocao.reports.services import build_report, write_report
    except ImportError as exc:
        out(f"    reports service not available: {exc}")
        return
    unit = find_unit("Trà Vinh", on=date(2024, 12, 31), level="province")
    period = Period.of_year(2024)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_report(build_report(unit, period), Path(tmp) / "bc.docx")
        first = time.perf_counter() - t
        ms, _ = timed(lambda: write_report(build_report(unit, period), Path(tmp) / "bc.docx"), repeat=3)
    out(f"    one province's annual report (Trà Vinh 2024, DOCX): first {first:.2f} s, warm {ms / 1000:.2f} s")
    goal("report", "< 2 s", first < 2)
    os.environ["BAOCAO_JOBS_BACKEND"] = "database"
    job = services.enqueue(system_user(), "render_reports", {"period": "2025", "fmt": "docx"})
    t = time.perf_counter()
    worker = subprocess.run([sys.executable, "-m", "baocao.cli", "jobs", "worker", "--burst"],
                            env={**env, "BAOCAO_JOBS_BACKEND": "database"}, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - t
    status = services.job_status(job.pk)
    out(f"    all {status['progress']['total']} provinces' 2025 reports as background job #{job.pk} "
        f"(database queue, one worker): {seconds:.1f} s, state {status['state']}: {status['message'][:120]}")  # fmt: skip
    if worker.returncode or status["state"] != "done":
        out(worker.stderr[-2000:] + status["error"][:2000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("BAOCAO_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="baocao_bench")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--years", default="2016-2025")
    parser.add_argument("--rows", type=int, default=1_000_000, help="values in the import file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing database (skip building)")
    args = parser.parse_args()
    base = args.pg.rstrip("/")
    url = f"{base}/{args.db}"
    machine(base)
    env = {**os.environ, "DATABASE_URL": url, "BAOCAO_JOBS_BACKEND": "database"}
    env.pop("BAOCAO_REDIS_URL", None)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if not (args.reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.db}"')
    try:
        if not (args.reuse and exists):
            out(f"\n0. Building the dataset in {args.db}")
            seconds = run([sys.executable, "-m", "baocao.cli", "init"], env)
            out(f"    baocao init: {seconds:.1f} s")
            seconds = run([sys.executable, "-m", "baocao.cli", "synth", "--scale", args.scale, "--years", args.years], env)
            out(f"    baocao synth --scale {args.scale} --years {args.years}: {seconds:.1f} s")
        os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "baocao.settings", "BAOCAO_JOBS_BACKEND": "database"})
        import django

        django.setup()
        from baocao.datavalues.models import DataValue

        out(f"    values in the database: {DataValue.objects.count():,}")
        bench_import(url, env, args.rows)
        bench_queries()
        bench_reports(env)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    out("\nSummary")
    for name, text, met in GOALS:
        out(f"    {name:<62} {text:<28} {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()

"""How fast the main pages answer at national scale, for a province user and the ministry user.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baocao_bench \\
        .venv/bin/python bench/bench_pages.py [--repeat 7] [--province "Trà Vinh"] [--period 2025Q2]

Reuses a database built by `bench/run_bench.py --keep` (or `baocao init && baocao synth`); it adds
two users (bench.tinh: data entry on the province; bench.bo: viewer on the country) if missing.
Each page is requested through the Django test client (the whole stack: middleware, templates)
once to warm up, then `--repeat` times; the script prints the median and p95 in milliseconds,
the median CPU time of the process (the web side's own work, which the load of other jobs does
not inflate; the database's is not in it), with the number of values in the database. As a web
worker does (`baocao.wsgi`), start-up's objects are frozen first (`--no-settle`: not). Not a
test: the goal printed is 500 ms at the median.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_MS = 500.0


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    return f"{cpu}, {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.2f}"


def users(province_name: str) -> tuple[object, object, object]:
    from django.contrib.auth import get_user_model

    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.access.system import system_user
    from baocao.orgunits.lookup import find_unit
    from baocao.orgunits.models import OrgUnit

    actor = system_user()
    province = find_unit(province_name, on=date(2024, 12, 31), level="province")
    country = OrgUnit.objects.get(parent__isnull=True)
    made = []
    for username, unit, role in (("bench.tinh", province, Role.DATA_ENTRY), ("bench.bo", country, Role.VIEWER)):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = create_user(actor, username=username, password="Bench-mat-khau-2026", full_name=username)
            grant_role(actor, user, unit, role)
        made.append(user)
    return province, made[0], made[1]


def pages(province_code: str, period: str) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("entry: pick", "/nhap-lieu/"),
        ("entry: overview", f"/nhap-lieu/{province_code}/{period}/"),
        ("entry: section form", f"/nhap-lieu/{province_code}/{period}/cntt/"),
        ("dashboard: key figures", "/bieu-do/chi-so-chinh/"),
        ("dashboard: trend", "/bieu-do/xu-huong/"),
        ("compare", "/bieu-do/so-sanh/"),
        ("reports", "/bao-cao/"),
        ("audit", "/nhat-ky/"),
        ("jobs", "/tac-vu/"),
    ]


def measure(client: object, url: str, repeat: int) -> tuple[int, float, float, float]:
    """Status, median and p95 wall-clock ms, and the median CPU ms of this process (the web
    side's own work: what the load of other jobs on the machine does not inflate)."""
    # secure=True: production settings redirect plain HTTP to HTTPS (a 301 in no time measures nothing)
    status = client.get(url, secure=True).status_code  # type: ignore[attr-defined]
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        client.get(url, secure=True)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return status, statistics.median(times), p95, statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--province", default="Trà Vinh")
    parser.add_argument("--period", default="2025Q2")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--no-settle", action="store_true",
                        help="leave start-up's objects to the garbage collector (baocao.wsgi freezes them)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    import django

    django.setup()
    from baocao.ops.startup import settle

    # as a web worker starts (baocao.wsgi): start-up's objects out of the collector's sight
    frozen = 0 if args.no_settle else settle()
    from django.db import connection
    from django.test import Client

    from baocao.datavalues.models import DataValue

    province, province_user, ministry_user = users(args.province)
    with connection.cursor() as cursor:  # the planner's estimate: exact counts take seconds here
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'datavalues_datavalue'") if (
            connection.vendor == "postgresql") else cursor.execute("SELECT count(*) FROM datavalues_datavalue")
        total = int(cursor.fetchone()[0])
    under = DataValue.objects.filter(unit__path__startswith=province.path).count()
    print(f"Machine: {machine()}; database {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Values loaded: {total:,} in all, {under:,} under {province.name}; period {args.period}; "
          f"{args.repeat} timed requests per page after one warm-up; "
          f"{f'{frozen:,} start-up objects frozen as baocao.wsgi does' if frozen else 'start-up not frozen'}\n")  # fmt: skip
    print(f"{'page':<24} {'user':<16} {'status':>6} {'median ms':>10} {'p95 ms':>9} {'CPU ms':>7}  goal < {GOAL_MS:.0f} ms")
    worst = 0.0
    for user, label in ((province_user, f"{province.name[:14]}"), (ministry_user, "Bộ (cả nước)")):
        client = Client()
        client.force_login(user)
        for name, url in pages(province.code, args.period):
            if args.only and args.only not in name:
                continue
            if user is ministry_user and name.startswith("entry: ") and name != "entry: pick":
                url = url  # the ministry views the same province's pages
            status, median, p95, cpu = measure(client, url, args.repeat)
            met = median < GOAL_MS and status == 200  # a redirect or an error page is not the page
            worst = max(worst, median if status == 200 else float("inf"))
            print(f"{name:<24} {label:<16} {status:>6} {median:>10.0f} {p95:>9.0f} {cpu:>7.0f}  "
                  f"{'MET' if met else 'NOT MET'}")
    print(f"\nslowest median: {worst:.0f} ms — goal every page < {GOAL_MS:.0f} ms: {'MET' if worst < GOAL_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()

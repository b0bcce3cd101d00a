"""How long the one permission policy takes to clear a big import: every commune of a province
by every month of a year, first with nothing closed, then with the province's year locked (the
check that refuses the file). Reads the database DATABASE_URL names (after `baocao init`); writes
nothing except, for the second figure, one Submission row it removes again.

    DATABASE_URL=... .venv/bin/python bench/bench_policy.py [--province "Trà Vinh"] [--year 2023]
"""

from __future__ import annotations

import argparse
import os
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="Trà Vinh")
    parser.add_argument("--year", type=int, default=2023)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    django.setup()
    from django.db import transaction

    from baocao.access.policy import POLICY, AccessDenied, Pair, ancestor_ids
    from baocao.access.system import system_user
    from baocao.core.periods import Period, PeriodType
    from baocao.datavalues.models import Submission
    from baocao.orgunits.lookup import find_unit
    from baocao.orgunits.models import OrgUnit

    year = Period.of_year(args.year)
    province = find_unit(args.province, level="province", on=year.end)
    units = list(OrgUnit.objects.filter(path__startswith=province.path))
    months = year.subperiods(PeriodType.MONTH)
    pairs = [Pair(u, m, "hanh_chinh", "", ancestor_ids(u)) for u in units for m in months]
    actor = system_user()
    with transaction.atomic():
        Submission.objects.filter(unit=province, period=year.code).delete()
        started = time.perf_counter()
        POLICY.require_open_many(actor, pairs)
        open_s = time.perf_counter() - started
        Submission.objects.create(unit=province, period=year.code, state="locked")
        started = time.perf_counter()
        try:
            POLICY.require_open_many(actor, pairs)
            refused = False
        except AccessDenied:
            refused = True
        locked_s = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"{province.name}: {len(units)} units × {len(months)} months = {len(pairs)} (unit, period) pairs")
    print(f"  nothing closed:   {open_s * 1000:8.1f} ms")
    print(f"  year locked:      {locked_s * 1000:8.1f} ms (refused: {refused})")


if __name__ == "__main__":
    main()

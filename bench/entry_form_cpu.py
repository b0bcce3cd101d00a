"""CPU of opening and of saving one field's data-entry form, in process, through Django's test client.

    DATABASE_URL=sqlite:///…/demo.sqlite3 .venv/bin/python bench/entry_form_cpu.py
        [--user chuyenvien.travinh] [--unit P63-84] [--period 2022] [--field cntt] [--repeat 20]
        [--profile get|post] [--send changed|all] [--seed-writers]

On a database with the demo (`baocao init && baocao demo`): the median and best process CPU
time (time.process_time, so other people's work on a shared machine does not count) of a GET
of the form, and of a POST that changes one box (a real save, answered by a redirect) and sends
what the page's script sends, that box's row (`--send changed`, the default), or the whole form
with the other boxes as shown, as a browser without the script does (`--send all`). `--profile get|post` prints a cProfile of one more request of
that kind, by cumulative time. The load average is printed beside the figures.

`--seed-writers` (once, on a database after `baocao init` alone) makes the data of
bench/load_saves.py after its writers' first pass: the same 20 accounts tai.0 … tai.19 on the
same units (the province, its districts, its department, then communes), each of their 2022
cntt forms filled box after box (1, 2, 3 …); then `--user tai.0 --unit P63-84` (the province),
`--user tai.1 --unit D63-842` (a district) or `--user tai.11 --unit W63-29236` (a commune).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "safety"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
# As served: DEBUG off; plain HTTP on the test client (no redirect to HTTPS).
os.environ.setdefault("BAOCAO_DEBUG", "0")
os.environ.setdefault("BAOCAO_HTTPS", "0")
os.environ.setdefault("BAOCAO_LOG_LEVEL", "ERROR")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="chuyenvien.travinh")
    parser.add_argument("--unit", default="P63-84")
    parser.add_argument("--period", default="2022")
    parser.add_argument("--field", default="cntt")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", choices=["get", "post"])
    parser.add_argument("--send", choices=["changed", "all"], default="changed")
    parser.add_argument("--seed-writers", action="store_true", help="make bench/load_saves.py's data, then stop")
    args = parser.parse_args()

    import django

    django.setup()
    if args.seed_writers:
        seed_writers()
        return
    from django.contrib.auth import get_user_model
    from django.test import Client
    from formdata import browser_sends, form_data

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    url = f"/nhap-lieu/{args.unit}/{args.period}/{args.field}/"
    page = client.get(url)
    if page.status_code != 200:
        raise SystemExit(f"GET {url}: {page.status_code}")
    sent = form_data(page.content.decode(), "entry-form")
    box = next(name for name in sent if name.startswith("v:"))
    boxes = sum(1 for name in sent if name[:2] in ("v:", "t:", "q:", "c:"))
    counter = [0]

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def send(shown: dict[str, str], typed: dict[str, str]):  # type: ignore[no-untyped-def]
        """URL-encoded, as a browser sends a form without files (the test client's default is multipart)."""
        data = {**shown, **typed} if args.send == "all" else browser_sends(shown, typed)
        return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")

    def reopen() -> dict[str, str]:
        """The form as a browser has it now (its versions moved with the last save)."""
        client.get("/")  # the last save's message leaves the session
        return form_data(client.get(url).content.decode(), "entry-form")

    def post() -> None:
        counter[0] += 1
        response = send(reopen(), {box: str(1000 + counter[0])})
        assert response.status_code == 302, response.content.decode()[-2000:]

    def cpu(call: object) -> list[float]:
        taken = []
        for _ in range(args.repeat):
            started = time.process_time()
            call()  # type: ignore[operator]
            taken.append((time.process_time() - started) * 1000)
        return taken

    def post_only() -> list[float]:
        """The POST alone: opening the form again before it is not counted."""
        taken = []
        for _ in range(args.repeat):
            data = reopen()
            counter[0] += 1
            started = time.process_time()
            response = send(data, {box: str(1000 + counter[0])})
            taken.append((time.process_time() - started) * 1000)
            assert response.status_code == 302, response.content.decode()[-2000:]
        return taken

    get()  # warm: templates, translations, caches
    post()
    gets, posts = cpu(get), post_only()
    load = os.getloadavg()
    print(f"{url} as {args.user}: {len(page.content) // 1024} KB page, {boxes} boxes, a save sends "
          f"{'the whole form' if args.send == 'all' else 'the changed row'}; "
          f"{args.repeat} requests each; load average {load[0]:.2f} {load[1]:.2f}")
    print(f"GET  CPU median {statistics.median(gets):6.1f} ms  best {min(gets):6.1f} ms")
    print(f"POST CPU median {statistics.median(posts):6.1f} ms  best {min(posts):6.1f} ms")
    if args.profile:
        data = reopen()
        profiler = cProfile.Profile()
        profiler.enable()
        if args.profile == "get":
            get()
        else:
            send(data, {box: "999"})
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def seed_writers() -> None:
    """bench/load_saves.py's accounts and units (its SETUP), each writer's form filled once."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from load_saves import FIELD, PASSWORD, PERIOD, PROVINCE

    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.access.system import system_user
    from baocao.catalog.models import Indicator
    from baocao.core.periods import Period
    from baocao.datavalues.services import ValueInput, save_values
    from baocao.orgunits.models import OrgUnit

    actor, year = system_user(), int(PERIOD)
    province = OrgUnit.objects.get(code=PROVINCE)
    inside = [u for u in OrgUnit.objects.filter(path__startswith=province.path)
              if u.overlaps(date(year, 1, 1), date(year, 12, 31))]  # fmt: skip
    units = sorted(inside, key=lambda u: (u.path.count("/"), u.code))[:20]
    codes = Indicator.objects.filter(field__code=FIELD, is_active=True, formula="").order_by("order", "code")
    for i, unit in enumerate(units):
        made = create_user(actor, username=f"tai.{i}", password=PASSWORD, full_name=f"tai.{i}")
        grant_role(actor, made, unit, Role.DATA_ENTRY)
        writer = get_user_model().objects.get(pk=made.pk)
        save_values(writer, [ValueInput(code, unit, Period.from_code(PERIOD), n + 1)
                             for n, code in enumerate(codes.values_list("code", flat=True))])  # fmt: skip
    print(", ".join(f"tai.{i} {u.code}" for i, u in enumerate(units)))


if __name__ == "__main__":
    main()

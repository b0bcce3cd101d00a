"""CPU of opening and of saving one field's data-entry form, in process, through Django's test client.

    DATABASE_URL=sqlite:///…/demo.sqlite3 .venv/bin/python bench/entry_form_cpu.py
        [--user chuyenvien.travinh] [--unit P63-84] [--period 2022] [--field cntt] [--repeat 20]
        [--profile get|post] [--send changed|all]

On a database with the demo (`baocao init && baocao demo`): the median and best process CPU
time (time.process_time, so other people's work on a shared machine does not count) of a GET
of the form, and of a POST that changes one box (a real save, answered by a redirect) and sends
what the page's script sends, that box's row (`--send changed`, the default), or the whole form
with the other boxes as shown, as a browser without the script does (`--send all`). `--profile get|post` prints a cProfile of one more request of
that kind, by cumulative time. The load average is printed beside the figures.
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
    args = parser.parse_args()

    import django

    django.setup()
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


if __name__ == "__main__":
    main()

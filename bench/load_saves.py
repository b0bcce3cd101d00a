"""Concurrent saves of a field's data-entry form, through gunicorn on loopback, as in production.

    .venv/bin/python bench/load_saves.py [--db sqlite,postgres] [--clients 20] [--seconds 30]
                                         [--shapes closed,paced] [--interval 1.0] [--server gunicorn]
                                         [--import-rows 0] [--send changed|all]
                                         [--pg postgres://postgres@127.0.0.1:5432]

For each database the script builds a fresh one (SQLite in a temporary folder; PostgreSQL a
database of its own, dropped afterwards), runs `baocao init`, creates one data-entry account per
writer on Trà Vinh, and serves the app the production way: gunicorn with
`baocao.ops.gunicorn_conf` (workers by cores, threads — gthread), DEBUG off, database connections
kept (BAOCAO_CONN_MAX_AGE=60), bound to 127.0.0.1 only (`--server runserver` for Django's
development server instead).

The load: `--clients` writers (20), each its own account with data-entry rights on its own unit
of Trà Vinh (the province, its districts, then communes, as in 2022), all filling the same field's
form for 2022 (so no save conflicts with another). A writer opens its form (GET), then saves it
box after box from that page: each save changes one box and sends (POST) what the page's
script sends — that box's row with its shown value and version, the csrf token and the reason
(`--send changed`, the default; `formdata.browser_sends` is the tests' model of entry.js) — or,
with `--send all`, the whole form with the other boxes as shown, as a browser without the script
does (they are not written either way); after `--saves-per-page` saves (default:
one per box of the form) it opens the form again. `--saves-per-page 1` opens the form again
after every save, as a browser following the redirect does. The POST is timed alone, up to its
302 answer (the redirect is not followed); the GETs are timed on their own line. A 4xx or 5xx
answer makes the writer open the form again. Before each shape every writer opens its form
(untimed: the forms are open when the shape starts).
Two shapes, one after the other on the same server, `--seconds` each:

  closed  every writer starts its next save as soon as the previous one is answered (no think time);
  paced   every writer starts a save every `--interval` seconds (1 s: a busy office at most),
          from a random offset; a cycle that overruns starts the next one at once (no catch-up).

`--import-rows N` also runs a bulk import of N values (`baocao import --bulk`) during the closed
shape. Printed per database and shape: requests (GET and POST), errors (5xx and failed
connections), refused (4xx), saves, p50/p95 of the saves (POST) and of the form (GET), the server's CPU
seconds during the shape (gunicorn's master and workers, from /proc) and per save, GETs included —
on a shared machine the wall-clock figures wait for other people's work, the CPU figure does not —
on PostgreSQL the database backends' CPU seconds too (triggers, locks, writes), the load average at the end, and the check that no acknowledged save was lost (each writer's last saved
figure is the stored one, and the audit log has one change per acknowledged save).

Bounded: at most 64 writers and 600 seconds per shape; the server and the import are stopped
at the end, the PostgreSQL database dropped.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVER_LOG = Path(tempfile.gettempdir()) / "baocao-load-saves-server.log"
sys.path.insert(0, str(ROOT / "tests" / "safety"))
from formdata import browser_sends, form_data  # noqa: E402  (what a browser sends back: the tests' own reader)

PASSWORD = "Tai-thu-mat-khau-2026"
PROVINCE, PERIOD, FIELD = "P63-84", "2022", "cntt"
MAX_CLIENTS, MAX_SECONDS = 64, 600


# -- one writer ----------------------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Tally:
    """What one writer saw during one shape."""

    saves: list[float] = field(default_factory=list)  # seconds of each acknowledged save (POST → 302)
    pages: list[float] = field(default_factory=list)  # seconds of each form opened (GET → 200)
    statuses: dict[int, int] = field(default_factory=dict)  # every request's answer; 0 = no answer
    failures: list[str] = field(default_factory=list)


@dataclass
class Client:
    base: str
    username: str
    unit: str  # the unit whose form this writer (and no other) fills
    codes: list[str]  # the boxes of the form
    saves_per_page: int  # saves sent from one opened form before opening it again
    send_all: bool = False  # the whole form (a browser without the page's script), else the changed row
    acknowledged: int = 0  # saves answered 302, over every shape
    last_saved: dict[str, int] = field(default_factory=dict)  # box → the last figure acknowledged
    n: int = 0
    page: dict[str, str] = field(default_factory=dict)  # the form as last opened
    left: list[str] = field(default_factory=list)  # boxes still to save from that page
    tally: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def _send(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except OSError as exc:  # refused, reset, timed out: an error too
            status, text = 0, repr(exc)
        return status, text, time.perf_counter() - started

    def login(self) -> None:
        _, page, _ = self._send("/dang-nhap/")
        data = form_data(page, "login-form") or {}
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        status, _, _ = self._send("/dang-nhap/", {**data, "csrfmiddlewaretoken": token, "username": self.username,
                                                  "password": PASSWORD})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"{self.username}: sign-in answered {status}")

    @property
    def url(self) -> str:
        return f"/nhap-lieu/{self.unit}/{PERIOD}/{FIELD}/"

    def open_form(self) -> bool:
        status, page, took = self._send(self.url)
        self._count(status, f"GET: {page[-300:]}")
        if status != 200:
            return False
        self.tally.pages.append(took)
        self.page = form_data(page, "entry-form")
        self.left = (self.codes * self.saves_per_page)[: self.saves_per_page]
        return True

    def save_once(self) -> None:
        """Change one box of this writer's form in the form as opened and send what the browser
        sends: the changed row (the page's script) or the whole form with the other boxes as
        shown (no script), which are not written either way. The form is opened again once its
        boxes are saved (once per save with --saves-per-page 1)."""
        if not self.left and not self.open_form():
            return
        code = self.left.pop(0)
        self.n += 1
        typed = {f"v:{code}": str(self.n)}
        sent = {**self.page, **typed} if self.send_all else browser_sends(self.page, typed)
        status, page, took = self._send(self.url, sent)
        self._count(status, f"POST: {page[-300:]}")
        if status == 302:
            self.tally.saves.append(took)
            self.acknowledged += 1
            self.last_saved[code] = self.n
        else:
            self.left = []  # open the form again

    def run(self, until: float, interval: float) -> None:
        """Closed loop (interval 0) or one save every `interval` seconds from a random offset."""
        if interval:
            time.sleep(random.uniform(0, interval))
        next_start = time.monotonic()
        while next_start < until:
            self.save_once()
            next_start = max(next_start + interval, time.monotonic()) if interval else time.monotonic()
            if interval and next_start < until:
                time.sleep(max(0.0, next_start - time.monotonic()))

    def _count(self, status: int, detail: str) -> None:
        self.tally.statuses[status] = self.tally.statuses.get(status, 0) + 1
        if (status >= 500 or status == 0) and len(self.tally.failures) < 5:
            self.tally.failures.append(f"{status}: {detail}")


# -- a database and a server ------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}: {run.stderr[-2000:]}")
    return run.stdout


SETUP = """
from baocao.access.models import Role
from baocao.access.services import create_user, grant_role
from baocao.access.system import system_user
from baocao.catalog.models import Indicator
from baocao.orgunits.models import OrgUnit
from datetime import date
actor = system_user()
province = OrgUnit.objects.get(code="{province}")
# The province, then its districts, then its communes, as they were in {period}: one per writer.
inside = [u for u in OrgUnit.objects.filter(path__startswith=province.path)
          if u.overlaps(date({period}, 1, 1), date({period}, 12, 31))]
units = sorted(inside, key=lambda u: (u.path.count("/"), u.code))[:{clients}]
for i, unit in enumerate(units):
    user = create_user(actor, username=f"tai.{{i}}", password="{password}", full_name=f"tai.{{i}}")
    grant_role(actor, user, unit, Role.DATA_ENTRY)
print("UNITS=" + ",".join(u.code for u in units))
codes = Indicator.objects.filter(field__code="{field}", is_active=True, formula="").order_by("order", "code")
print("CODES=" + ",".join(codes.values_list("code", flat=True)))
"""


@dataclass
class Database:
    name: str
    env: dict[str, str]
    url: str = ""  # PostgreSQL
    sqlite_path: Path | None = None

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def make_database(kind: str, folder: Path, pg: str) -> Database:
    env = {**os.environ, "BAOCAO_VAR_DIR": str(folder), "BAOCAO_MEDIA_ROOT": str(folder / "media"),
           "BAOCAO_JOBS_BACKEND": "database", "BAOCAO_LOG_LEVEL": "ERROR", "BAOCAO_DEBUG": "1"}  # fmt: skip
    env.pop("BAOCAO_REDIS_URL", None)
    if kind == "sqlite":
        env.pop("DATABASE_URL", None)
        return Database("SQLite", env, sqlite_path=folder / "baocao.sqlite3")
    import psycopg

    name = f"baocao_load_{os.getpid()}"
    with psycopg.connect(pg.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{pg.rstrip('/')}/{name}"
    env["DATABASE_URL"] = url
    return Database("PostgreSQL", env, url=url)


def drop_database(db: Database, pg: str) -> None:
    if db.url:
        import psycopg

        with psycopg.connect(pg.rstrip("/") + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db.url.rsplit("/", 1)[1]}" WITH (FORCE)')


def start_server(env: dict[str, str], kind: str) -> tuple[subprocess.Popen[bytes], str]:
    """The app on 127.0.0.1 only: gunicorn as deploy/baocao-web.service runs it, or runserver."""
    port = _free_port()
    if kind == "gunicorn":
        # Production settings, without nginx in front: plain HTTP on loopback.
        env = {**env, "BAOCAO_BIND": f"127.0.0.1:{port}", "BAOCAO_DEBUG": "0", "BAOCAO_HTTPS": "0",
               "BAOCAO_CONN_MAX_AGE": "60"}  # fmt: skip
        command = [sys.executable, "-m", "gunicorn", "--config", "python:baocao.ops.gunicorn_conf", "baocao.wsgi"]
    else:
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    # the server's own log (tracebacks of any 500) beside the figures, for the error lines
    log = open(SERVER_LOG, "ab")  # noqa: SIM115 - open as long as the server runs
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/dang-nhap/", timeout=5).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def import_file(folder: Path, codes: list[str], rows: int, env: dict[str, str]) -> Path:
    """N values for the communes of the province, over past quarters (historical figures)."""
    path = folder / "lich-su.csv"
    script = (f"from baocao.orgunits.models import OrgUnit\nu=OrgUnit.objects.get(code='{PROVINCE}')\n"
              "print(','.join(OrgUnit.objects.filter(path__startswith=u.path, level='commune').values_list('code', flat=True)))")  # fmt: skip
    communes = _manage(env, "shell", "-c", script).strip().splitlines()[-1].split(",")  # after shell's banner
    n = 0
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["indicator", "unit", "period", "value"])
        for year in range(2020, 2025):  # years every commune of the province existed in
            for q in range(1, 5):
                for code in codes:
                    for unit in communes:
                        if n >= rows:
                            return path
                        writer.writerow([code, unit, f"{year}Q{q}", n % 997])
                        n += 1
    return path


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes: on a
    shared machine, the cost of a save that the wall-clock figures cannot show."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # the master or one of its workers
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def database_cpu(name: str) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend serving database `name` (its triggers,
    locks and writes: the part of a save's cost the server's figure does not hold); none for
    SQLite, which runs inside the server. `used_since` takes the difference."""
    if not name:
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f" {name} ".encode() not in cmdline.read_bytes():
                continue
            fields = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(cmdline.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def used_since(before: dict[int, float], now: dict[int, float]) -> float:
    """The backends' CPU between two readings (a backend that ended in between is not counted:
    connections older than BAOCAO_CONN_MAX_AGE are closed after their request)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())


def _percentile(times: list[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not times:
        return float("nan")
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


@dataclass
class Outcome:
    database: str
    shape: str
    tallies: list[Tally]
    seconds: float
    load: float  # 1-minute load average at the end of the shape
    cpu: float = 0.0  # the server's CPU seconds during the shape
    db_cpu: float = 0.0  # the PostgreSQL backends' CPU seconds during the shape
    lost: list[str] = field(default_factory=list)
    import_note: str = ""

    def _count(self, wanted: Any) -> int:
        return sum(n for t in self.tallies for s, n in t.statuses.items() if wanted(s))

    @property
    def errors(self) -> int:
        """Server errors and requests without an answer."""
        return self._count(lambda s: s >= 500 or s == 0)

    @property
    def refused(self) -> int:
        return self._count(lambda s: 400 <= s < 500)

    def line(self) -> str:
        saves = [x for t in self.tallies for x in t.saves]
        pages = [x for t in self.tallies for x in t.pages]
        requests, errors, refused = self._count(lambda s: True), self.errors, self.refused
        return (f"{self.database:<10} {self.shape:<6} {len(self.tallies):>2} writers {self.seconds:>3.0f} s: "
                f"{requests:>5} requests, {errors} errors, {refused} refused, {len(saves):>5} saves "
                f"({len(saves) / self.seconds:.1f}/s); save (POST) p50 {_percentile(saves, 0.5):.0f} ms "
                f"p95 {_percentile(saves, 0.95):.0f} ms; "
                + (f"form (GET) p50 {_percentile(pages, 0.5):.0f} ms p95 {_percentile(pages, 0.95):.0f} ms; "
                   if pages else "")
                + f"server CPU {self.cpu:.1f} s "
                f"({self.cpu / max(1, len(saves)) * 1000:.0f} ms a save); "
                + (f"database CPU {self.db_cpu:.1f} s ({self.db_cpu / max(1, len(saves)) * 1000:.0f} ms a save); "
                   if self.db_cpu else "")
                + f"load average {self.load:.2f}; "
                f"lost updates: {len(self.lost)}"
                + (f" (server errors: see {SERVER_LOG})" if errors else "")
                + (f"; {self.import_note}" if self.import_note else ""))  # fmt: skip


def run_shape(
    people: list[Client], shape: str, seconds: float, interval: float, server_pid: int, database: str = ""
) -> tuple[list[Tally], float, float, float]:
    for person in people:
        person.tally = Tally()  # the warm-up's own (the previous shape's outcome holds its tally)
    openers = [threading.Thread(target=p.open_form) for p in people]  # forms open at the start (untimed)
    for t in openers:
        t.start()
    for t in openers:
        t.join()
    for person in people:
        person.tally = Tally()
    started, cpu, db_cpu = time.monotonic(), server_cpu(server_pid), database_cpu(database)
    pace = interval if shape == "paced" else 0.0
    threads = [threading.Thread(target=p.run, args=(started + seconds, pace)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    return [p.tally for p in people], took, server_cpu(server_pid) - cpu, used_since(db_cpu, database_cpu(database))


def run(
    kind: str,
    *,
    clients: int = 20,
    seconds: float = 30,
    shapes: str = "closed,paced",
    interval: float = 1.0,
    saves_per_page: int = 0,
    server: str = "gunicorn",
    import_rows: int = 0,
    send: str = "changed",
    pg: str = "postgres://postgres@127.0.0.1:5432",
) -> list[Outcome]:
    """Each shape's outcome on a fresh database of `kind` (sqlite or postgres)."""
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_SECONDS)
    with tempfile.TemporaryDirectory(prefix="baocao-load-") as tmp:
        folder = Path(tmp)
        db = make_database(kind, folder, pg)
        process = None
        try:
            _manage(db.env, "init")
            out = _manage(db.env, "shell", "-c", SETUP.format(province=PROVINCE, clients=clients, password=PASSWORD,
                                                                field=FIELD, period=PERIOD))  # fmt: skip
            codes = next(ln for ln in out.splitlines() if ln.startswith("CODES=")).split("=", 1)[1].split(",")
            units = next(ln for ln in out.splitlines() if ln.startswith("UNITS=")).split("=", 1)[1].split(",")
            if len(units) < clients:
                raise SystemExit(f"{PROVINCE} has {len(units)} units in {PERIOD}, fewer than {clients} writers")
            csv_path = import_file(folder, codes, import_rows, db.env) if import_rows else None
            process, base = start_server(db.env, server)
            per_page = saves_per_page or len(codes)
            people = [Client(base, f"tai.{i}", units[i], codes, per_page, send == "all") for i in range(clients)]
            print(f"{db.name}: {clients} writers on {clients} units, a form of {len(codes)} boxes; "
                  f"the form is opened (GET) once per {per_page} save(s); a save sends "
                  + ("the whole form (no script)" if send == "all" else "the changed row (as the page's script does)"),
                  flush=True)  # fmt: skip
            for person in people:
                person.login()
            outcomes = []
            for shape in shapes.split(","):
                importer = start_import(csv_path, db.env) if csv_path is not None and shape == "closed" else None
                db_name = db.url.rsplit("/", 1)[1] if db.url else ""
                tallies, took, cpu, db_cpu = run_shape(people, shape.strip(), seconds, interval, process.pid, db_name)
                outcome = Outcome(db.name, shape.strip(), tallies, took, os.getloadavg()[0], cpu, db_cpu)
                outcome.import_note = finish_import(importer) if importer is not None else ""
                outcome.lost = check_lost(db, people)
                outcomes.append(outcome)
            return outcomes
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
            drop_database(db, pg)


def start_import(csv_path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "baocao.cli", "import", "--bulk", str(csv_path),
                             "--reason", "số liệu lịch sử"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip


def finish_import(importer: subprocess.Popen[str]) -> str:
    output, _ = importer.communicate(timeout=MAX_SECONDS)
    lines = output.strip().splitlines() or [""]
    return f"import during the load: {'done' if importer.returncode == 0 else 'FAILED'} — " + \
        " | ".join(lines[-1:] if importer.returncode == 0 else lines[-4:])[:600]


def check_lost(db: Database, people: list[Client]) -> list[str]:
    """Each writer's last acknowledged figure of each box is the stored one; the audit has one
    change per acknowledged save."""
    lost = []
    for person in people:
        for code, saved in person.last_saved.items():
            rows = db.query(
                "SELECT v.value FROM datavalues_datavalue v JOIN catalog_indicator i ON i.id = v.indicator_id "
                "JOIN orgunits_orgunit u ON u.id = v.unit_id WHERE i.code = %s AND u.code = %s AND v.period = %s "
                "AND NOT v.is_target", (code, person.unit, PERIOD),
            )  # fmt: skip
            stored = int(rows[0][0]) if rows else None
            if stored != saved:
                lost.append(f"{person.username} {person.unit} {code}: saved {saved}, stored {stored}")
        changes = db.query(
            "SELECT count(*) FROM audit_auditevent WHERE actor_name = %s AND action IN ('value.create', 'value.update')",
            (person.username,),
        )[0][0]
        if changes != person.acknowledged:
            lost.append(f"{person.username}: {person.acknowledged} saves acknowledged, {changes} audited")
    return lost


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    return f"{cpu}, nproc {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} at the start"


def server_line(kind: str) -> str:
    if kind == "runserver":
        return "manage.py runserver (threaded, DEBUG on)"
    sys.path.insert(0, str(ROOT))
    from baocao.ops import gunicorn_conf

    return (f"gunicorn {gunicorn_conf.workers} workers × {gunicorn_conf.threads} threads (gthread, "
            "baocao.ops.gunicorn_conf), DEBUG off, BAOCAO_CONN_MAX_AGE=60")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30, help="per shape")
    parser.add_argument("--shapes", default="closed,paced")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between a paced writer's saves")
    parser.add_argument("--saves-per-page", type=int, default=0,
                        help="saves from one opened form (0: one per box the writer owns; 1: reopen after each)")
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--send", choices=("changed", "all"), default="changed",
                        help="what a save sends: the changed row, as the page's script does, or the whole form")
    parser.add_argument("--pg", default=os.environ.get("BAOCAO_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    print(f"Machine: {machine()}; server: {server_line(args.server)} on 127.0.0.1", flush=True)
    options = {k: v for k, v in vars(args).items() if k != "db"}
    for kind in args.db.split(","):
        for outcome in run(kind.strip(), **options):
            print(outcome.line(), flush=True)
            for tally in outcome.tallies:
                for failure in tally.failures:
                    print(f"    {failure}")
            for item in outcome.lost:
                print(f"    LOST: {item}")


if __name__ == "__main__":
    main()

"""Concurrent saves of a field's data-entry form, through a live server on loopback.

    .venv/bin/python bench/load_saves.py [--db sqlite,postgres] [--clients 20] [--seconds 30]
                                         [--import-rows 0] [--pg postgres://postgres@127.0.0.1:5432]

For each database the script builds a fresh one (SQLite in a temporary folder; PostgreSQL a
database of its own, dropped afterwards), runs `baocao init`, creates one data-entry account per
client on Trà Vinh, and starts the app (`manage.py runserver --noreload`, threaded) on
127.0.0.1 — never anything but loopback. Each client signs in, then for `--seconds` opens the
section form of a field (GET), changes its own box and saves the whole form (POST), as a browser
does. `--import-rows N` also runs a bulk import of N values (`baocao import --bulk`) while the
clients save. Printed: requests, server errors, conflicts, p50/p95 of the saves, and the check
that no acknowledged save was lost (each client's last saved figure is the stored one, and the
audit log has one change per acknowledged save).

Bounded: at most 64 clients and 600 seconds; the server and the import are stopped at the end.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Tai-thu-mat-khau-2026"
PROVINCE, PERIOD, FIELD = "P63-84", "2022", "cntt"
MAX_CLIENTS, MAX_SECONDS = 64, 600


# -- what a browser sends back -------------------------------------------------------------------------
class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            self.data.setdefault(self.select, a.get("value", ""))
            if "selected" in a:
                self.data[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_data(html: str, form_id: str) -> dict[str, str]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.data


# -- one client ----------------------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Client:
    base: str
    username: str
    code: str  # the indicator whose box this client changes
    saves: list[float] = field(default_factory=list)  # seconds of each acknowledged save
    statuses: dict[int, int] = field(default_factory=dict)
    last_saved: int | None = None
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def _send(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def login(self) -> None:
        _, page = self._send("/dang-nhap/")
        data = form_data(page, "login-form") or {}
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        status, _ = self._send("/dang-nhap/", {**data, "csrfmiddlewaretoken": token, "username": self.username,
                                               "password": PASSWORD})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"{self.username}: sign-in answered {status}")

    def run(self, until: float) -> None:
        url = f"/nhap-lieu/{PROVINCE}/{PERIOD}/{FIELD}/"
        n = 0
        while time.monotonic() < until:
            status, page = self._send(url)
            if status != 200:
                self._count(status, f"GET {status}")
                continue
            data = form_data(page, "entry-form")
            n += 1
            data[f"v:{self.code}"] = str(n)
            started = time.perf_counter()
            status, page = self._send(url, data)
            self._count(status, page[-300:])
            if status == 302:
                self.saves.append(time.perf_counter() - started)
                self.last_saved = n

    def _count(self, status: int, detail: str) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500 and len(self.failures) < 5:
            self.failures.append(f"{status}: {detail}")


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
actor = system_user()
unit = OrgUnit.objects.get(code="{province}")
for i in range({clients}):
    user = create_user(actor, username=f"tai.{{i}}", password="{password}", full_name=f"tai.{{i}}")
    grant_role(actor, user, unit, Role.DATA_ENTRY)
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


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
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


@dataclass
class Outcome:
    database: str
    clients: list[Client]
    seconds: float
    lost: list[str]
    import_note: str = ""

    @property
    def requests(self) -> int:
        return sum(sum(c.statuses.values()) for c in self.clients)

    @property
    def server_errors(self) -> int:
        return sum(n for c in self.clients for s, n in c.statuses.items() if s >= 500)

    @property
    def refused(self) -> int:
        return sum(n for c in self.clients for s, n in c.statuses.items() if 400 <= s < 500)

    @property
    def saves(self) -> list[float]:
        return sorted(t for c in self.clients for t in c.saves)

    def line(self) -> str:
        saves = self.saves
        p50 = statistics.median(saves) * 1000 if saves else float("nan")
        p95 = saves[min(len(saves) - 1, round(0.95 * (len(saves) - 1)))] * 1000 if saves else float("nan")
        return (f"{self.database:<11} {len(self.clients):>3} clients {self.seconds:>4.0f} s: {self.requests:>6} requests, "
                f"{len(saves):>5} saves ({len(saves) / self.seconds:.1f}/s), {self.server_errors} server errors, "
                f"{self.refused} refused, save p50 {p50:.0f} ms p95 {p95:.0f} ms; lost updates: {len(self.lost)}"
                + (f"; {self.import_note}" if self.import_note else ""))  # fmt: skip


def run(kind: str, clients: int, seconds: float, pg: str, import_rows: int = 0) -> Outcome:
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_SECONDS)
    with tempfile.TemporaryDirectory(prefix="baocao-load-") as tmp:
        folder = Path(tmp)
        db = make_database(kind, folder, pg)
        server = None
        try:
            _manage(db.env, "init")
            out = _manage(db.env, "shell", "-c", SETUP.format(province=PROVINCE, clients=clients, password=PASSWORD,
                                                                field=FIELD))  # fmt: skip
            codes = next(ln for ln in out.splitlines() if ln.startswith("CODES=")).split("=", 1)[1].split(",")
            if len(codes) < clients:
                raise SystemExit(f"the field has {len(codes)} boxes, fewer than {clients} clients")
            csv_path = import_file(folder, codes, import_rows, db.env) if import_rows else None
            server, base = start_server(db.env)
            people = [Client(base, f"tai.{i}", codes[i]) for i in range(clients)]
            for person in people:
                person.login()
            importer = None
            if csv_path is not None:
                importer = subprocess.Popen([sys.executable, "-m", "baocao.cli", "import", "--bulk", str(csv_path),
                                             "--reason", "số liệu lịch sử"], cwd=ROOT, env=db.env,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
            started = time.monotonic()
            threads = [threading.Thread(target=p.run, args=(started + seconds,)) for p in people]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            note = ""
            if importer is not None:
                output, _ = importer.communicate(timeout=MAX_SECONDS)
                lines = output.strip().splitlines() or [""]
                note = f"import during the load: {'done' if importer.returncode == 0 else 'FAILED'} — " + \
                    " | ".join(lines[-1:] if importer.returncode == 0 else lines[-4:])[:600]
            lost = check_lost(db, people)
            return Outcome(db.name, people, time.monotonic() - started, lost, note)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            drop_database(db, pg)


def check_lost(db: Database, people: list[Client]) -> list[str]:
    """Each client's last acknowledged figure is the stored one; the audit has one change per save."""
    lost = []
    for person in people:
        rows = db.query(
            "SELECT v.value FROM datavalues_datavalue v JOIN catalog_indicator i ON i.id = v.indicator_id "
            "JOIN orgunits_orgunit u ON u.id = v.unit_id WHERE i.code = %s AND u.code = %s AND v.period = %s "
            "AND NOT v.is_target", (person.code, PROVINCE, PERIOD),
        )  # fmt: skip
        stored = int(rows[0][0]) if rows else None
        if person.last_saved is not None and stored != person.last_saved:
            lost.append(f"{person.username}: saved {person.last_saved}, stored {stored}")
        changes = db.query(
            "SELECT count(*) FROM audit_auditevent WHERE actor_name = %s AND action IN ('value.create', 'value.update')",
            (person.username,),
        )[0][0]
        if changes != len(person.saves):
            lost.append(f"{person.username}: {len(person.saves)} saves acknowledged, {changes} audited")
    return lost


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    return f"{cpu}, nproc {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--pg", default=os.environ.get("BAOCAO_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    print(f"Machine: {machine()}; server: manage.py runserver (threaded) on loopback")
    for kind in args.db.split(","):
        outcome = run(kind.strip(), args.clients, args.seconds, args.pg, args.import_rows)
        print(outcome.line(), flush=True)
        for person in outcome.clients:
            for failure in person.failures:
                print(f"    {person.username}: {failure}")
        for item in outcome.lost:
            print(f"    LOST: {item}")


if __name__ == "__main__":
    main()

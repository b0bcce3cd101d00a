"""Bulk import of values: streaming, validated in sets, loaded with COPY on PostgreSQL.

The file is never held in memory. Rows go into a temporary staging table — on PostgreSQL a CSV
file is handed to COPY as it is; other formats (and SQLite) are read row by row and written in
chunks. Everything else is set queries against the staging table:

* look-ups by distinct text: indicator codes join the catalog, unit codes join OrgUnit (names
  are resolved once per distinct name and period), period texts are parsed once each, numbers
  that are not plain integers are parsed once per distinct text (Vietnamese notation);
* checks by anti-join and GROUP BY: unknown codes, units that did not exist in the period,
  negative or oversized numbers, bad qualifiers and regimes, duplicate keys, permission per
  distinct unit, workflow state per distinct unit and period. Every error names the file, the
  line and the field; nothing is stored when there is one;
* one transaction: on PostgreSQL the stored rows are matched once, new rows inserted in key
  order and changed rows updated with their history (unchanged values are not rewritten); on
  SQLite bulk_create/bulk_update in chunks.

Audit. One AuditEvent per file (action "value.bulk_import": who, when, why, the file, counts)
and, for every value the file changed, a row in `jobs_valuechange` with the old and the new
value, linked to that event. Values the file created have no old value: the event and the
value row itself (source_ref, updated_by, updated_at) say who created them, when and why. One
AuditEvent per value would double the cost of a million-row load.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from baocao.access.access import AccessDenied, Perm, visible_units
from baocao.access.policy import POLICY, Pair, ancestor_ids
from baocao.audit.services import record
from baocao.core.periods import (
    REGIMES,
    Period,
    PeriodError,
    parse_period,
    period_problem,
    storable_period_problem,
)
from baocao.core.vnnum import VietnameseNumberError, number_problem, parse_number, storable_number_problem
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.orgunits.models import OrgUnit

from .importing import COLUMN_ALIASES, TRUE_WORDS, ImportFileError, bounded_workbook
from .models import Qualifier, Source

Actor = AbstractBaseUser | AnonymousUser
DEFAULT_REGIME = "hanh_chinh"
MAX_ERRORS = 200
CHUNK = 20_000
STAGE_COLUMNS = ("indicator", "unit", "period", "value", "qualifier", "target", "regime", "comment", "flag")
MAX_ABS_VALUE = Decimal("1e23")
STAGE_TABLES = ("bulk_stage", "bulk_periods", "bulk_units", "bulk_numbers", "bulk_keyed", "bulk_raw", "bulk_match")


class BulkImportError(ImportFileError):
    """The file was refused; nothing from it was stored. `.messages` name file, line, field."""


@dataclass
class BulkResult:
    name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    event_id: int | None = None
    units: int = 0
    periods: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        return (
            f"{self.rows:,} dòng: {self.created:,} giá trị mới, {self.updated:,} cập nhật, "
            f"{self.unchanged:,} không đổi ({self.seconds:.1f} s)"
        )


def bulk_import(
    actor: Actor,
    path_or_stream: Path | str | IO[bytes],
    *,
    fmt: str | None = None,
    unit: OrgUnit | None = None,
    source: str = Source.IMPORT,
    regime: str = DEFAULT_REGIME,
    reason: str = "",
    name: str | None = None,
    progress: Any = None,
) -> BulkResult:
    """Import one file all-or-nothing. `fmt` is csv, xlsx or json (default: the suffix).

    `unit` is used for rows without a unit column. `progress(current, total, message)` is
    called now and then (background jobs report it). Raises BulkImportError listing what is
    wrong, AccessDenied when the actor may not enter some unit's figures.
    """
    started = time.monotonic()
    stream, name, fmt = _open(path_or_stream, fmt, name)
    result = BulkResult(name)
    report = progress or (lambda *a: None)
    try:
        # The staging area (temporary tables of this connection) is filled, resolved and checked
        # in batches of their own: no lock on the stored values, progress visible, cancellable.
        stage = _Stage(name, unit, regime, report)
        report(0, None, "Đọc tệp")
        if fmt == "csv" and connection.vendor == "postgresql":
            stage.copy_csv(stream)
        else:
            stage.fill(_rows(stream, fmt, name))
        result.rows = stage.count()
        report(0, result.rows, f"Kiểm tra {result.rows:,} dòng".replace(",", "."))
        stage.resolve()
        stage.check(actor)
        report(0, result.rows, "Ghi số liệu")
        # Only the load itself is one transaction: all of the file or nothing.
        with transaction.atomic():
            stage.recheck_state(actor)  # a period locked while the file was being checked
            event = record(
                actor, "value.bulk_import", "datafile", name,
                unit=unit, summary=f"Nhập số liệu từ {name}"[:255],
                after={"rows": result.rows, "source": source, "regime": regime}, reason=reason or f"Nhập từ {name}",
            )  # fmt: skip
            result.event_id = event.pk
            result.created, result.updated = stage.apply(actor, event.pk, source)
            result.unchanged = result.rows - result.created - result.updated
            result.units, result.periods = stage.scope()
            event.after = {
                **(event.after or {}), "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "units": result.units, "periods": result.periods[:50],
            }  # fmt: skip
            event.save(update_fields=["after"])
    finally:
        stream.close()
        _drop_stage()
    result.seconds = time.monotonic() - started
    report(result.rows, result.rows, result.summary())
    return result


def _drop_stage() -> None:
    """The staging tables go with the import (a pooled connection must not keep a million rows)."""
    if connection.in_atomic_block and connection.needs_rollback:
        return
    with connection.cursor() as cursor:
        for table in STAGE_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


# -- reading ----------------------------------------------------------------------------------------
def _open(path_or_stream: Path | str | IO[bytes], fmt: str | None, name: str | None) -> tuple[IO[bytes], str, str]:
    if isinstance(path_or_stream, str | Path):
        path = Path(path_or_stream)
        if not path.is_file():
            raise BulkImportError(f"{path}: không tìm thấy tệp")
        stream: IO[bytes] = path.open("rb")
        name = name or path.name
        fmt = fmt or path.suffix.lower().lstrip(".")
    else:
        stream = path_or_stream
        name = name or getattr(stream, "name", "tệp tải lên")
        fmt = fmt or Path(str(name)).suffix.lower().lstrip(".")
    fmt = {"xlsm": "xlsx", "jsonl": "json", "ndjson": "json"}.get(fmt, fmt)
    if fmt not in ("csv", "xlsx", "json"):
        stream.close()
        raise BulkImportError(f"{name}: định dạng '{fmt}' không được hỗ trợ (CSV, XLSX, JSON)")
    return stream, str(Path(str(name)).name), fmt


def _header_map(header: list[Any], name: str) -> list[str | None]:
    lowered = [str(h or "").strip().lower().lstrip("\ufeff") for h in header]
    columns: list[str | None] = [None] * len(lowered)
    for canonical, aliases in COLUMN_ALIASES.items():
        for i, h in enumerate(lowered):
            if h in aliases and columns[i] is None:
                columns[i] = canonical
                break
    if "flag" in lowered and columns[lowered.index("flag")] is None:
        columns[lowered.index("flag")] = "flag"
    missing = [c for c in ("indicator", "period", "value") if c not in columns]
    if missing:
        raise BulkImportError(f"{name}, dòng 1: thiếu cột {', '.join(missing)} (có: {', '.join(lowered)})")
    return columns


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rows(stream: IO[bytes], fmt: str, name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line, fields) one at a time, whatever the format."""
    if fmt == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        head = text.read(4096)
        dialect: Any = csv.Sniffer().sniff(head, delimiters=",;\t") if head.strip() else csv.excel
        reader = csv.reader(_chain(head, text), dialect)
        yield from _table(reader, name, start=1)
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            bounded_workbook(stream, name)
        except ImportFileError as exc:
            raise BulkImportError(exc.messages) from None
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise BulkImportError(f"{name}: không đọc được tệp Excel ({exc})") from exc
        sheet = book.worksheets[0]
        yield from _table(([*r] for r in sheet.iter_rows(values_only=True)), f"{name} (trang {sheet.title})", 1)
        book.close()
    else:
        yield from _json_rows(stream, name)


def _chain(head: str, rest: IO[str]) -> Iterator[str]:
    buffer = io.StringIO(head + rest.readline())
    yield from buffer
    yield from rest


def _table(rows: Iterator[list[Any]], name: str, start: int) -> Iterator[tuple[int, dict[str, str | None]]]:
    header = next(rows, None)
    if header is None:
        raise BulkImportError(f"{name}: tệp trống")
    columns = _header_map(list(header), name)
    for line, cells in enumerate(rows, start=start + 1):
        if not any(str(c or "").strip() for c in cells):
            continue
        yield line, {col: _text(cells[i]) for i, col in enumerate(columns) if col and i < len(cells)}


def _json_rows(stream: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Objects of a JSON array (top level or under "values"), or JSON Lines, decoded one by one."""
    decoder = json.JSONDecoder()
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    buf, pos, line, number = text.read(65536), 0, 1, 0
    start = re.match(r'\s*(\[|\{\s*"values"\s*:\s*\[)', buf)
    lines_mode = start is None or (buf.lstrip().startswith("{") and not start.group(0).rstrip().endswith("["))
    if start is not None and not lines_mode:
        pos = start.end()
    elif not buf.lstrip().startswith("{"):
        raise BulkImportError(f"{name}: cần một mảng giá trị, một đối tượng có 'values' hoặc JSON Lines")
    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n,":
            line += buf[pos] == "\n"
            pos += 1
        if pos >= len(buf) - 1 or len(buf) - pos < 4096:
            more = text.read(65536)
            if more:
                buf, pos = buf[pos:] + more, 0
                continue
        if pos >= len(buf) or buf[pos] == "]":
            return
        try:
            item, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            more = text.read(65536)
            if more:
                buf, pos = buf[pos:] + more, 0
                continue
            raise BulkImportError(f"{name}, dòng {line + buf.count(chr(10), pos, exc.pos)}: JSON không hợp lệ ({exc.msg})") from exc
        number += 1
        where_line = line
        line += buf.count("\n", pos, end)
        pos = end
        if not isinstance(item, dict):
            raise BulkImportError(f"{name}, dòng {where_line} (phần tử {number}): cần một đối tượng JSON")
        if "facts" in item:
            raise BulkImportError(f"{name}: tệp trích xuất (facts) — dùng lệnh nhập thường (baocao import)")
        fields: dict[str, str | None] = {}
        for key, value in item.items():
            k = str(key).strip().lower()
            canonical = next((c for c, aliases in COLUMN_ALIASES.items() if k in aliases), "flag" if k == "flag" else None)
            if canonical:
                fields[canonical] = _text(value)
        yield where_line, fields


# -- the staging table ------------------------------------------------------------------------------
class _Stage:
    """A temporary table holding the file's rows, and the set queries that check and load them."""

    def __init__(self, name: str, unit: OrgUnit | None, regime: str, report: Any = None) -> None:
        self.name, self.default_unit, self.default_regime = name, unit, regime
        self.report = report or (lambda *a: None)
        self.pg = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        cols = ", ".join(f"{c} TEXT" for c in STAGE_COLUMNS)
        for table in STAGE_TABLES:
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.cursor.execute(f"CREATE TEMP TABLE bulk_stage (line BIGINT, {cols})")
        self.cursor.execute(
            "CREATE TEMP TABLE bulk_periods (text TEXT PRIMARY KEY, code TEXT, ptype TEXT, pstart DATE, pend DATE)"
        )
        self.cursor.execute("CREATE TEMP TABLE bulk_units (text TEXT, code TEXT, unit_id BIGINT)")
        self.cursor.execute("CREATE TEMP TABLE bulk_numbers (text TEXT PRIMARY KEY, num NUMERIC(40, 10))")
        self.errors: list[str] = []
        self.error_count = 0

    # filling
    def copy_csv(self, stream: IO[bytes]) -> None:
        """Hand the CSV to COPY as it is: PostgreSQL parses it. Lines are numbered by COPY's
        order (row n is line n + 1); a file COPY cannot read goes through the Python reader."""
        head = stream.read(8192)
        text = head.decode("utf-8-sig", errors="replace")
        first = text.splitlines()[0] if text else ""
        if not first.strip():
            raise BulkImportError(f"{self.name}: tệp trống")
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        header = next(csv.reader([first], delimiter=delimiter))
        columns = _header_map(header, self.name)
        junk = [f"x{i}" for i in range(len(columns))]
        targets = [c or junk[i] for i, c in enumerate(columns)]
        raw = self.cursor.cursor
        extra = ", ".join(f"{j} TEXT" for j in junk)
        raw.execute(f"CREATE TEMP TABLE bulk_raw (n BIGINT GENERATED ALWAYS AS IDENTITY, {extra}, {', '.join(f'{c} TEXT' for c in STAGE_COLUMNS)})")
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        try:
            with transaction.atomic():
                quoted = {",": "','", ";": "';'", "\t": "E'\\t'"}[delimiter]
                with raw.copy(
                    f"COPY bulk_raw ({', '.join(targets)}) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER {quoted})"
                ) as copy:
                    copy.write(head)
                    read = len(head)
                    while chunk := stream.read(1 << 20):
                        copy.write(chunk)
                        read += len(chunk)
                        self.report(0, None, f"Đọc tệp: {read >> 20} MB")
        except Exception as exc:  # psycopg.errors.DataError and kin: show the line COPY names
            match = re.search(r"line (\d+)", str(exc))
            where = f", dòng {match.group(1)}" if match else ""
            raise BulkImportError(f"{self.name}{where}: không đọc được dòng CSV ({str(exc).splitlines()[0]})") from exc
        cols = ", ".join(STAGE_COLUMNS)
        raw.execute(f"INSERT INTO bulk_stage (line, {cols}) SELECT n + 1, {cols} FROM bulk_raw")
        raw.execute("DROP TABLE bulk_raw")

    def fill(self, rows: Iterator[tuple[int, dict[str, str | None]]]) -> None:
        """Rows into the staging table a batch at a time, each batch committed (progress, cancel)."""
        cols = ", ".join(STAGE_COLUMNS)
        chunk: list[tuple[Any, ...]] = []
        done = 0
        for line, fields in rows:
            chunk.append((line, *(fields.get(c) for c in STAGE_COLUMNS)))
            if len(chunk) >= CHUNK:
                self._insert(cols, chunk)
                done += len(chunk)
                chunk = []
                self.report(done, None, f"Đọc tệp: {done:,} dòng".replace(",", "."))
        self._insert(cols, chunk)

    def _insert(self, cols: str, chunk: list[tuple[Any, ...]]) -> None:
        if not chunk:
            return
        with transaction.atomic():
            self._insert_rows(cols, chunk)

    def _insert_rows(self, cols: str, chunk: list[tuple[Any, ...]]) -> None:
        if self.pg:
            with self.cursor.cursor.copy(f"COPY bulk_stage (line, {cols}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * (len(STAGE_COLUMNS) + 1))
            self.cursor.executemany(f"INSERT INTO bulk_stage (line, {cols}) VALUES ({marks})", chunk)

    def count(self) -> int:
        self.cursor.execute("SELECT count(*) FROM bulk_stage")
        n = int(self.cursor.fetchone()[0])
        if n == 0:
            raise BulkImportError(f"{self.name}: không có dòng số liệu nào")
        if self.pg:
            self.cursor.execute("CREATE INDEX ON bulk_stage (line)")
            self.cursor.execute("ANALYZE bulk_stage")
        return n

    # resolving distinct texts
    def _distinct(self, column: str, extra: str = "") -> list[tuple[Any, ...]]:
        self.cursor.execute(f"SELECT DISTINCT {column}{extra} FROM bulk_stage WHERE {column} IS NOT NULL")
        return self.cursor.fetchall()

    def _error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)

    def resolve(self) -> None:
        periods = []
        this_year = timezone.localdate().year
        for (text,) in self._distinct("period"):
            try:
                p = parse_period(text.strip())
            except PeriodError:
                continue
            if storable_period_problem(p, this_year):
                continue  # left unmatched: the check names the line and the reason
            periods.append((text, p.code, p.type.value, p.start, p.end))
        self.cursor.executemany("INSERT INTO bulk_periods VALUES (%s, %s, %s, %s, %s)", periods)
        numbers = []
        # Up to 15 digits is a figure stored exactly (MAX_SIGNIFICANT_DIGITS); longer ones are parsed.
        plain = "s.value ~ '^[0-9]{1,15}$'" if self.pg else "(s.value <> '' AND s.value NOT GLOB '*[^0-9]*' AND length(s.value) <= 15)"
        self.plain = plain
        self.cursor.execute(f"SELECT DISTINCT s.value FROM bulk_stage s WHERE s.value IS NOT NULL AND NOT {plain}")
        for (text,) in self.cursor.fetchall():
            try:
                number = parse_number(text.strip())
            except (VietnameseNumberError, ArithmeticError, ValueError):
                continue
            if number.is_finite() and abs(number) < MAX_ABS_VALUE and not storable_number_problem(number):
                numbers.append((text, str(number)))
        self.cursor.executemany("INSERT INTO bulk_numbers VALUES (%s, %s)", numbers)
        self._resolve_units()
        if self.pg:
            for table in ("bulk_periods", "bulk_units", "bulk_numbers"):
                self.cursor.execute(f"ANALYZE {table}")

    def _resolve_units(self) -> None:
        """Codes by one join; names once per distinct (name, period) with the usual look-up."""
        if self.default_unit is not None:
            # As in importing.py: the unit chosen for the file fills the rows that name none; a
            # row that names a unit goes to that unit (or is an error on its line).
            self.cursor.execute(
                "INSERT INTO bulk_units (text, code, unit_id) VALUES ('', '', %s)", [self.default_unit.pk]
            )
        self.cursor.execute(
            "INSERT INTO bulk_units (text, code, unit_id) SELECT x.text, '', u.id FROM "
            "(SELECT DISTINCT trim(s.unit) AS text FROM bulk_stage s WHERE s.unit IS NOT NULL AND trim(s.unit) <> '') x "
            "JOIN orgunits_orgunit u ON u.code = upper(x.text)"
        )
        self.cursor.execute(
            "SELECT DISTINCT trim(s.unit), p.code, p.pend FROM bulk_stage s JOIN bulk_periods p ON p.text = s.period "
            "WHERE s.unit IS NOT NULL AND trim(s.unit) <> '' AND trim(s.unit) NOT IN (SELECT text FROM bulk_units)"
        )
        named: list[tuple[str, str, int]] = []
        for text, code, pend in self.cursor.fetchall():
            try:
                found = find_unit(text, on=pend)
            except UnitNotFound:
                continue
            named.append((text, code, found.pk))
        self.cursor.executemany("INSERT INTO bulk_units (text, code, unit_id) VALUES (%s, %s, %s)", named)

    # checking
    def _materialise(self) -> None:
        """Every row joined with its look-ups, once; the checks and the load read this table."""
        unit_key = "COALESCE(trim(s.unit), '')"
        cast = "CAST(s.value AS NUMERIC)" if self.pg else "CAST(s.value AS INTEGER)"
        target = f"(CASE WHEN lower(trim(COALESCE(s.target, ''))) IN ({_quoted(TRUE_WORDS)}) THEN 1 ELSE 0 END)"
        self.cursor.execute("DROP TABLE IF EXISTS bulk_keyed")
        self.cursor.execute(f"""
CREATE TEMP TABLE bulk_keyed AS
SELECT s.line, i.id AS ind, u.id AS unit, p.code AS period, p.ptype, p.pstart, p.pend,
       COALESCE(NULLIF(trim(s.regime), ''), '{self.default_regime}') AS regime, {target} AS target,
       (CASE WHEN {self.plain} THEN {cast} ELSE n.num END) AS num,
       COALESCE(NULLIF(trim(s.qualifier), ''), 'exact') AS qualifier,
       COALESCE(s.comment, '') AS comment, COALESCE(s.flag, '') AS flag,
       i.code AS code, i.is_active AS active, u.valid_from, u.valid_to,
       s.indicator AS t_indicator, s.unit AS t_unit, s.period AS t_period, s.value AS t_value
FROM bulk_stage s
LEFT JOIN catalog_indicator i ON i.code = trim(s.indicator)
LEFT JOIN bulk_periods p ON p.text = s.period
LEFT JOIN bulk_units bu ON bu.text = {unit_key} AND (bu.code = '' OR bu.code = p.code)
LEFT JOIN orgunits_orgunit u ON u.id = bu.unit_id
LEFT JOIN bulk_numbers n ON n.text = s.value
""")
        if self.pg:
            self.cursor.execute("ANALYZE bulk_keyed")

    def check(self, actor: Actor) -> None:
        """All row checks in one pass (the first problem of each row), then duplicates, then
        permission and workflow state."""
        self._materialise()
        problems = [
            ("ind IS NULL", "indicator", lambda r: f"mã chỉ tiêu '{r[2] or ''}' không có trong danh mục"),
            ("NOT active", "indicator", lambda r: f"chỉ tiêu '{r[2]}' đã ngừng sử dụng"),
            ("period IS NULL", "period", lambda r: period_problem(r[4] or "", timezone.localdate().year)),
            ("unit IS NULL", "unit",
             lambda r: f"không tìm thấy đơn vị '{r[3]}'" if (r[3] or "").strip() else
             "chưa có đơn vị: thêm cột unit hoặc chọn đơn vị"),
            ("NOT ((valid_from IS NULL OR valid_from <= pend) AND (valid_to IS NULL OR pstart < valid_to))", "unit",
             lambda r: f"đơn vị '{r[3] or ''}' không tồn tại trong kỳ {r[4]}"),
            ("num IS NULL", "value", lambda r: number_problem(r[5] or "")),
            ("num < 0", "value", lambda r: f"chỉ tiêu '{r[2]}' không nhận giá trị âm ({r[5]})"),
            (f"qualifier NOT IN ({_quoted(Qualifier.values)})", "qualifier",
             lambda r: f"'{r[6]}' không hợp lệ ({', '.join(Qualifier.values)})"),
            (f"regime NOT IN ({_quoted(REGIMES)})", "regime",
             lambda r: f"chế độ báo cáo '{r[7]}' không có ({', '.join(sorted(REGIMES))})"),
        ]  # fmt: skip
        cases = " ".join(f"WHEN {cond} THEN {n}" for n, (cond, _, _) in enumerate(problems))
        flagged = f"(SELECT k.*, CASE {cases} ELSE -1 END AS problem FROM bulk_keyed k) x WHERE problem >= 0"
        self.cursor.execute(
            f"SELECT line, problem, t_indicator, t_unit, t_period, t_value, qualifier, regime FROM {flagged} "
            f"ORDER BY line LIMIT {MAX_ERRORS}"
        )
        rows = self.cursor.fetchall()
        if rows:
            self.cursor.execute(f"SELECT count(*) FROM {flagged}")
            total = int(self.cursor.fetchone()[0])
            for r in rows:
                _, column, message = problems[r[1]]
                self._error(f"{self.name}, dòng {r[0]}, cột {column}: {message(r)}")
            self.error_count = total
        if not self.errors:
            self._check_duplicates()
        if self.errors:
            more = self.error_count - len(self.errors)
            raise BulkImportError(self.errors + ([f"{self.name}: và {more:,} lỗi khác"] if more > 0 else []))
        self._check_permission(actor)

    def _check_duplicates(self) -> None:
        self.cursor.execute(
            "SELECT min(k.line), max(k.line), count(*), min(k.code), k.period FROM bulk_keyed k "
            "GROUP BY k.ind, k.unit, k.period, k.regime, k.target "
            f"HAVING count(*) > 1 ORDER BY 1 LIMIT {MAX_ERRORS}"
        )
        for first, last, count, code, period in self.cursor.fetchall():
            self._error(f"{self.name}, dòng {last}: giá trị {code} kỳ {period} lặp lại ({count} lần, dòng {first} trước đó)")

    def _check_permission(self, actor: Actor) -> None:
        """Permission per distinct unit, workflow state per distinct (unit, period, regime)."""
        self.cursor.execute("SELECT k.unit, min(k.line) FROM bulk_keyed k GROUP BY k.unit ORDER BY 2")
        first_line = dict(self.cursor.fetchall())
        allowed = set(visible_units(actor, Perm.ENTER).filter(pk__in=first_line).values_list("pk", flat=True))
        refused = [u for u in first_line if u not in allowed]
        if refused:
            names = OrgUnit.objects.in_bulk(refused[:5])
            lines = "; ".join(f"dòng {first_line[u]}: {names[u]}" for u in refused[:5])
            user = actor.get_username() if actor.is_authenticated else "người dùng chưa đăng nhập"
            raise AccessDenied(
                f"{self.name}: {user} không có quyền nhập số liệu của {len(refused)} đơn vị ({lines}"
                f"{'…' if len(refused) > 5 else ''}); không nhập gì từ tệp"
            )
        self._check_states(actor)

    def _check_states(self, actor: Actor) -> None:
        """The permission policy on every distinct (unit, period, regime) of the file: a closed
        period — or a unit or period containing it (a locked province year closes its districts'
        quarters) — refuses the file, naming the first line that falls in it."""
        self.cursor.execute("SELECT k.unit, k.period, k.regime, min(k.line) FROM bulk_keyed k GROUP BY 1, 2, 3")
        keys = self.cursor.fetchall()
        units = OrgUnit.objects.in_bulk({u for u, *_ in keys})
        periods = {code: Period.from_code(code) for code in {p for _, p, _, _ in keys}}
        POLICY.require_open_many(
            actor,
            [Pair(units[u], periods[p], regime, f"{self.name}, dòng {line}", ancestor_ids(units[u]))
             for u, p, regime, line in keys],
        )

    def recheck_state(self, actor: Actor) -> None:
        """The workflow states again, inside the load's transaction."""
        self._check_permission(actor)

    # loading
    def apply(self, actor: Actor, event_id: int, source: str) -> tuple[int, int]:
        user_id = actor.pk if actor.is_authenticated else None
        if self.pg:
            return self._apply_pg(event_id, source, user_id)
        return self._apply_chunked(event_id, source, user_id)

    def _apply_pg(self, event_id: int, source: str, user_id: int | None) -> tuple[int, int]:
        """Rows already stored are matched once (by the indicators and periods of the file, so a
        new quarter matches nothing in milliseconds); new rows go in with a plain INSERT in
        key order (ON CONFLICT costs a speculative insertion per row and a million rows in
        file order touch the indexes at random); changed rows are updated with their history."""
        c = self.cursor
        # The planner cannot foresee how few stored rows share the file's keys; with a merge
        # join on (unit, period) it filters a hundred million pairs (tens of seconds). One hash
        # join over the rows of the file's indicators and periods (an index scan) is seconds.
        c.execute("SET LOCAL enable_mergejoin = off")
        c.execute("SET LOCAL enable_nestloop = off")
        c.execute("SET LOCAL work_mem = '256MB'")
        c.execute("""
CREATE TEMP TABLE bulk_match AS
SELECT k.line, d.id, d.value, d.qualifier, d.flag, d.comment, d.source, d.source_ref,
       (d.value, d.qualifier, d.flag, d.comment) IS DISTINCT FROM (k.num, k.qualifier, k.flag, k.comment) AS changed
FROM bulk_keyed k JOIN datavalues_datavalue d
  ON d.indicator_id = k.ind AND d.unit_id = k.unit AND d.period = k.period AND d.regime = k.regime
 AND d.is_target = (k.target = 1)
WHERE d.indicator_id = ANY(ARRAY(SELECT DISTINCT ind FROM bulk_keyed))
  AND d.period = ANY(ARRAY(SELECT DISTINCT period FROM bulk_keyed))
""")
        c.execute("RESET enable_mergejoin")
        c.execute("RESET enable_nestloop")
        c.execute("CREATE INDEX ON bulk_match (line)")
        c.execute("ANALYZE bulk_match")
        c.execute(
            """
INSERT INTO datavalues_datavalue (indicator_id, unit_id, period, period_type, period_start, period_end, regime,
    is_target, value, qualifier, source, source_ref, flag, comment, updated_at, updated_by_id)
SELECT ind, unit, period, ptype, pstart, pend, regime, target::boolean, num, qualifier, %s, %s, flag, comment, now(), %s
FROM bulk_keyed k WHERE NOT EXISTS (SELECT 1 FROM bulk_match m WHERE m.line = k.line)
ORDER BY ind, unit, period
""",
            [source, self.name[:255], user_id],
        )
        created = c.rowcount
        c.execute(
            """
WITH up AS (
    UPDATE datavalues_datavalue d SET value = k.num, qualifier = k.qualifier, source = %s, source_ref = %s,
        flag = k.flag, comment = k.comment, updated_at = now(), updated_by_id = %s
    FROM bulk_keyed k JOIN bulk_match m ON m.line = k.line AND m.changed
    WHERE d.id = m.id
    RETURNING d.id, d.value, d.qualifier, d.flag, d.comment
)
INSERT INTO jobs_valuechange (event_id, datavalue_id, old_value, old_qualifier, old_flag, old_comment,
    old_source, old_source_ref, new_value, new_qualifier, new_flag, new_comment)
SELECT %s, up.id, m.value, m.qualifier, m.flag, m.comment, m.source, m.source_ref,
    up.value, up.qualifier, up.flag, up.comment
FROM up JOIN bulk_match m ON m.id = up.id
""",
            [source, self.name[:255], user_id, event_id],
        )
        updated = c.rowcount
        c.execute("DROP TABLE bulk_match")
        return int(created), int(updated)

    def _apply_chunked(self, event_id: int, source: str, user_id: int | None) -> tuple[int, int]:
        from .models import DataValue, ValueChange

        created = updated = 0
        last = 0
        while True:
            self.cursor.execute(
                "SELECT line, ind, unit, period, ptype, pstart, pend, regime, target, num, qualifier, comment, flag "
                f"FROM bulk_keyed WHERE line > %s ORDER BY line LIMIT {CHUNK}",
                [last],
            )
            rows = self.cursor.fetchall()
            if not rows:
                return created, updated
            last = rows[-1][0]
            existing = {
                (d.indicator_id, d.unit_id, d.period, d.regime, d.is_target): d
                for d in DataValue.objects.filter(
                    unit_id__in={r[2] for r in rows}, period__in={r[3] for r in rows}, indicator_id__in={r[1] for r in rows}
                )
            }
            new, changed, history = [], [], []
            for _line, ind, unit, period, ptype, pstart, pend, regime, target, num, qualifier, comment, flag in rows:
                value = _decimal(num)
                d = existing.get((ind, unit, period, regime, bool(target)))
                if d is None:
                    new.append(DataValue(
                        indicator_id=ind, unit_id=unit, period=period, period_type=ptype, period_start=pstart,
                        period_end=pend, regime=regime, is_target=bool(target), value=value, qualifier=qualifier,
                        source=source, source_ref=self.name[:255], flag=flag, comment=comment, updated_by_id=user_id,
                    ))  # fmt: skip
                    continue
                if (d.value, d.qualifier, d.flag, d.comment) == (value, qualifier, flag, comment):
                    continue
                history.append(ValueChange(
                    event_id=event_id, datavalue_id=d.pk, old_value=d.value, old_qualifier=d.qualifier,
                    old_flag=d.flag, old_comment=d.comment, old_source=d.source, old_source_ref=d.source_ref,
                    new_value=value, new_qualifier=qualifier, new_flag=flag, new_comment=comment,
                ))  # fmt: skip
                d.value, d.qualifier, d.flag, d.comment = value, qualifier, flag, comment
                d.source, d.source_ref, d.updated_by_id = source, self.name[:255], user_id
                d.updated_at = timezone.now()
                changed.append(d)
            self.report(last, None, f"Ghi số liệu: đến dòng {last:,}".replace(",", "."))
            DataValue.objects.bulk_create(new, batch_size=2000)
            DataValue.objects.bulk_update(
                changed, ["value", "qualifier", "flag", "comment", "source", "source_ref", "updated_by", "updated_at"],
                batch_size=2000,
            )
            ValueChange.objects.bulk_create(history, batch_size=2000)
            created += len(new)
            updated += len(changed)

    def scope(self) -> tuple[int, list[str]]:
        self.cursor.execute("SELECT count(DISTINCT unit) FROM bulk_keyed")
        units = int(self.cursor.fetchone()[0])
        self.cursor.execute("SELECT DISTINCT code FROM bulk_periods ORDER BY code")
        return units, [r[0] for r in self.cursor.fetchall()]


def _quoted(values: Any) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    try:
        return Decimal(str(raw)) if not isinstance(raw, float) else Decimal(repr(raw))
    except InvalidOperation:
        return Decimal(0)

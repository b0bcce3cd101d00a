"""Data sources: how fast a mapping reads an export, and how long a whole run takes.

    .venv/bin/python bench/sources_bench.py [--rows 20000] [--no-runs]

Reads (pure, no database) a CSV, an XLSX and a JSON export of `--rows` rows with the shipped
mappings; then, on a fresh SQLite database in a temporary folder (`baocao init`), times real
runs pulled from an HTTP server on loopback: the three shipped samples, and a source reporting
five document figures for each commune of Trà Vinh (one run, ~500 figures, rules checked).
Not a test: the tests check behaviour; this prints figures.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def out(text: str = "") -> None:
    print(text, flush=True)


def timed(label: str, fn: Any, rows: int) -> Any:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    out(f"  {label:<58} {seconds:8.3f} s  {rows / seconds:10,.0f} dòng/s")
    return result


def big_exports(rows: int) -> dict[str, tuple[str, bytes]]:
    from openpyxl import Workbook

    from baocao.sources import samples

    csv_rows = [[str(i), f"Thủ tục số {i}", "3", "1.204", "310", "894", "1.188", "1.150", "38", "16"] for i in range(rows)]
    csv_rows += samples.ONE_STOP_ROWS
    book = Workbook(write_only=True)
    sheet = book.create_sheet("TB_BTS")
    for _ in range(4):
        sheet.append(["BÁO CÁO SỐ LIỆU THUÊ BAO THÁNG 10 NĂM 2024"])
    sheet.append([])
    sheet.append([])
    sheet.append(samples.ENTERPRISE_HEADER)
    for i in range(rows):
        sheet.append([i, "Trạm BTS (2G/3G/4G)" if i == rows - 1 else f"Chỉ tiêu khác {i}", "trạm", i, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    records = [{"chi_tieu": "Văn bản đến" if i == 0 else f"Mục {i}", "so_luong": i} for i in range(rows)]
    return {
        "mot_cua_ho_so.yaml": ("big.csv", samples.one_stop_csv(rows=csv_rows)),
        "vnpt_thue_bao_bts.yaml": ("big.xlsx", buffer.getvalue()),
        "qlvb_thong_ke.yaml": ("big.json", samples.documents_json(tong_hop=records)),
    }


def bench_interpreter(rows: int) -> None:
    from baocao.sources.mapping import parse_mapping, read_export
    from baocao.sources.samples import DATA_DIR

    out(f"Bảng ánh xạ đọc tệp xuất ({rows:,} dòng, không CSDL) / mapping interpreter:")
    for mapping_name, (name, data) in big_exports(rows).items():
        mapping = parse_mapping((DATA_DIR / mapping_name).read_text(encoding="utf-8"))
        # Unmapped rows are suggested a code by the extraction engine: measured apart below.
        mapping.other_rows = "ignore"
        timed(f"{name} ({len(data) / 1e6:.1f} MB) với {mapping_name}", lambda m=mapping, d=data, n=name: read_export(m, d, n), rows)
    from baocao.sources.mapping import suggest_code

    labels = [f"Số thuê bao loại {i}" for i in range(50)]
    timed("gợi ý mã cho 50 nhãn chưa ánh xạ (bộ từ vựng trích xuất)", lambda: [suggest_code(x) for x in labels], 50)


def serve(routes: dict[str, bytes]) -> str:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def bench_runs() -> None:
    folder = tempfile.mkdtemp(prefix="baocao-sources-bench-")
    os.environ["BAOCAO_VAR_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command

    from baocao.access.system import system_user
    from baocao.orgunits.lookup import find_unit
    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit
    from baocao.sources import samples, services
    from baocao.sources.models import Arrival
    from baocao.sources.samples import DATA_DIR

    start = time.perf_counter()
    call_command("init", stdout=io.StringIO())
    out(f"\nLần chạy thật qua HTTP trên loopback (SQLite mới, baocao init {time.perf_counter() - start:.1f} s):")
    actor = system_user()
    province = find_unit("Trà Vinh", on=date(2024, 9, 30), level="province")
    communes = list(OrgUnit.objects.filter(path__startswith=province.path, level="commune").order_by("code"))
    lines = ["Đơn vị;Chỉ tiêu;Số lượng"]
    for i, commune in enumerate(communes):
        for label, base in (("Văn bản đến", 900), ("Văn bản đi", 400), ("Văn bản đi được ký số", 380),
                            ("Văn bản gửi, nhận liên thông", 600), ("Người dùng", 25)):  # fmt: skip
            lines.append(f"{commune.code};{label};{base + i}")
    communes_csv = ("\n".join(lines) + "\n").encode()
    base = serve({
        "/tk.json": samples.documents_json(), "/ho-so.csv": samples.one_stop_csv(),
        "/tb-bts.xlsx": samples.enterprise_xlsx(), "/xa.csv": communes_csv,
    })  # fmt: skip
    enterprise = create_unit(actor, code="DN-84-VNPT", name="VNPT Trà Vinh", level="enterprise", parent=province,
                             valid_from=province.valid_from, valid_to=province.valid_to)  # fmt: skip
    commune_mapping = (
        "format: csv\nperiod: quý III/2024\ncolumns: {unit: Đơn vị, label: Chỉ tiêu, value: Số lượng}\nlabels:\n"
        "  Văn bản đến: cntt.qlvb.vb_den\n  Văn bản đi: cntt.qlvb.vb_di\n  Văn bản đi được ký số: cntt.qlvb.vb_ky_so\n"
        "  Văn bản gửi, nhận liên thông: cntt.qlvb.vb_lien_thong\n  Người dùng: cntt.qlvb.nguoi_dung\n"
    )
    cases = [
        ("Quản lý văn bản (JSON)", [province], "/tk.json", (DATA_DIR / "qlvb_thong_ke.yaml").read_text()),
        ("Một cửa điện tử (CSV)", [province], "/ho-so.csv", (DATA_DIR / "mot_cua_ho_so.yaml").read_text()),
        ("Doanh nghiệp viễn thông (XLSX)", [enterprise], "/tb-bts.xlsx", (DATA_DIR / "vnpt_thue_bao_bts.yaml").read_text()),
        (f"{len(communes)} xã × 5 chỉ tiêu (CSV)", [province], "/xa.csv", commune_mapping),
    ]
    for name, units, path, text in cases:
        source = services.create_source(actor, name=name, units=units, arrival=Arrival.URL, url=base + path, mapping=text)
        for attempt in ("lần đầu", "lần hai (không đổi)"):
            started = time.perf_counter()
            run = services.run_source(source, trigger="manual")
            seconds = time.perf_counter() - started
            out(f"  {name:<34} {attempt:<20} {seconds:7.3f} s  {run.figures:5d} số liệu "
                f"({run.created} mới, {run.unchanged} không đổi, {run.held} chờ duyệt) {run.get_state_display()}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--no-runs", action="store_true", help="only the interpreter (no database)")
    args = parser.parse_args()
    out(f"Python {sys.version.split()[0]}, {os.cpu_count()} lõi, tải {os.getloadavg()[0]:.2f}")
    bench_interpreter(args.rows)
    if not args.no_runs:
        bench_runs()


if __name__ == "__main__":
    main()

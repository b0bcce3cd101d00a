"""The `baocao` command. Each subcommand is a Django management command underneath."""

from __future__ import annotations

import os
import sys

# (subcommand, management command, Vietnamese help, English help)
COMMANDS: list[tuple[str, str, str, str]] = [
    (
        "init",
        "init",
        "Tạo hoặc nâng cấp CSDL, nạp danh mục chỉ tiêu và đơn vị hành chính (chạy lại an toàn)",
        "Create or migrate the database, load the indicator catalog and administrative units (idempotent)",
    ),
    (
        "demo",
        "demo",
        "Nạp dữ liệu mẫu: số liệu Trà Vinh 2017, quý I/2020, 2022 và tài khoản mẫu",
        "Load demo data: Trà Vinh figures 2017, Q1/2020, 2022 and demo accounts",
    ),
    (
        "serve",
        "serve",
        "Chạy ứng dụng web tại 127.0.0.1:8000 (máy chủ thử, bật DEBUG; máy chủ thật: xem deploy/)",
        "Run the web app on 127.0.0.1:8000 (development server, DEBUG on; production: see deploy/)",
    ),
    (
        "import",
        "import_values",
        "Nhập số liệu từ tệp CSV, XLSX, JSON (tất cả hoặc không)",
        "Import values from CSV, XLSX, JSON files (all-or-nothing per file)",
    ),
    ("export", "export_values", "Xuất số liệu ra CSV, XLSX, JSON", "Export values as CSV, XLSX, JSON"),
    (
        "validate",
        "validate",
        "Kiểm tra số liệu theo các quy tắc của danh mục",
        "Validate figures against catalog rules",
    ),
    ("show", "show", "Xem chuỗi số liệu của một chỉ tiêu", "Show an indicator's series"),
    (
        "catalog",
        "load_catalog",
        "Nạp lại danh mục chỉ tiêu từ tệp",
        "Reload the indicator catalog from files",
    ),
    ("report", "report", "Viết báo cáo định kỳ (DOCX, PDF)", "Write the periodic report (DOCX, PDF)"),
    (
        "extract",
        "extract",
        "Trích xuất số liệu, văn bản từ báo cáo (TXT, DOCX, PDF) ra JSON",
        "Extract figures and document references from reports to JSON",
    ),
    (
        "check",
        "check_report",  # not "check": that name is Django's system check (manage.py check --deploy)
        "Kiểm tra tính nhất quán của số liệu trong một báo cáo",
        "Check the consistency of a report's figures",
    ),
    (
        "user",
        "baocao_user",
        "Tạo người dùng và phân quyền theo đơn vị",
        "Create users and grant roles on units",
    ),
    (
        "synth",
        "synth",
        "Sinh bộ dữ liệu toàn quốc để đo hiệu năng",
        "Generate a national dataset for benchmarks",
    ),
    ("jobs", "jobs", "Xem và chạy lại các tác vụ nền; chạy worker", "List and retry background jobs; run a worker"),
    (
        "sources",
        "sources",
        "Nguồn dữ liệu: danh sách, chạy, chạy theo lịch (run-due), thử bảng ánh xạ",
        "Data sources: list, run, run-due (cron), test a mapping on a sample",
    ),
    (
        "token",
        "baocao_token",
        "Cấp, liệt kê, thu hồi token API",
        "Issue, list and revoke API tokens",
    ),
    (
        "backup",
        "backup",
        "Sao lưu CSDL và các tệp đã tải lên vào một tệp",
        "Back up the database and uploaded files into one archive",
    ),
    (
        "restore",
        "restore",
        "Khôi phục từ bản sao lưu (vào CSDL trống, hoặc --force)",
        "Restore a backup (into an empty database, or --force)",
    ),
]
# Only the development server runs with DEBUG on; every other command gets production defaults.
DEVELOPMENT_COMMANDS = {"serve"}


def _usage(available: set[str]) -> str:
    lines = [
        "baocao — hệ thống báo cáo ngành thông tin và truyền thông / ICT-sector reporting system",
        "",
        "Cách dùng / Usage: baocao <lệnh|command> [tùy chọn|options]   (baocao <lệnh> --help)",
        "",
        "Lệnh / Commands:",
    ]
    for name, command, vi, en in COMMANDS:
        if command in available:
            lines.append(f"  {name:<10} {vi}")
            lines.append(f"  {'':<10} {en}")
    lines += [
        "",
        "  manage     Lệnh quản trị Django / any Django management command (baocao manage migrate …)",
        "",
        "Biến môi trường / Environment: DATABASE_URL (mặc định SQLite trong ./var), BAOCAO_SECRET_KEY, BAOCAO_DEBUG, BAOCAO_REDIS_URL (xem deploy/baocao.env.example)",
    ]
    return "\n".join(lines)


def development_defaults(argv: list[str]) -> None:
    """`baocao serve` is the development server: DEBUG on, unless the environment says otherwise.
    Must run before the settings are read."""
    if len(argv) > 1 and argv[1] in DEVELOPMENT_COMMANDS:
        os.environ.setdefault("BAOCAO_DEBUG", "1")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    development_defaults(argv)
    import django
    from django.core.management import execute_from_command_line, get_commands, load_command_class

    django.setup()
    available = set(get_commands())
    args = argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage(available))
        return
    name, rest = args[0], args[1:]
    if name == "manage":
        execute_from_command_line(["baocao manage", *rest])
        return
    mapping = {sub: command for sub, command, _, _ in COMMANDS}
    command = mapping.get(name)
    if command is None or command not in available:
        print(f"Lệnh không có / unknown command: {name}\n", file=sys.stderr)
        print(_usage(available), file=sys.stderr)
        raise SystemExit(2)
    # run_from_argv names the program "baocao <name>" in usage and errors.
    load_command_class(get_commands()[command], command).run_from_argv(["baocao", name, *rest])


if __name__ == "__main__":
    main()

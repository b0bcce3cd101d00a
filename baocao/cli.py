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
    ("serve", "serve", "Chạy ứng dụng web tại 127.0.0.1:8000", "Run the web app on 127.0.0.1:8000"),
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
        "check",
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
    ("jobs", "jobs", "Xem và chạy lại các tác vụ nền", "List and retry background jobs"),
    (
        "token",
        "baocao_token",
        "Cấp, liệt kê, thu hồi token API (chỉ đọc, theo đơn vị, có hạn)",
        "Issue, list and revoke API tokens (read-only, per unit, expiring)",
    ),
]


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
        "Biến môi trường / Environment: DATABASE_URL (mặc định SQLite trong ./var), BAOCAO_SECRET_KEY, BAOCAO_DEBUG",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
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

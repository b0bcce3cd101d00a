"""The `baocao` command. Each subcommand is a Django management command underneath.

Exit status: 0 done (no findings); 1 the command ran and found something (`validate`: a rule of
severity "error" fails; `check`: an inconsistent figure); 2 bad input (an unknown command or
option, a unit, period, user or file that cannot be used). Errors print one line in
Vietnamese, never a Python exception."""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

# (subcommand, management command(s) — the first one installed runs —, Vietnamese help, English help)
COMMANDS: list[tuple[str, str | tuple[str, ...], str, str]] = [
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
        "Cấp, liệt kê, thu hồi token API (chỉ đọc, theo đơn vị, có hạn)",
        "Issue, list and revoke API tokens (read-only, per unit, expiring)",
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


def _command_for(name: str, available: dict[str, str]) -> str | None:
    """The management command behind `name`: a listed subcommand (its first installed
    command), else any management command of baocao's own apps called `name`."""
    for sub, commands, _, _ in COMMANDS:
        if sub == name:
            candidates = (commands,) if isinstance(commands, str) else commands
            return next((c for c in candidates if c in available), None)
    return name if available.get(name, "").startswith("baocao.") else None


def _extra_commands(available: dict[str, str]) -> list[str]:
    """baocao's own management commands not in the list above (reachable as `baocao <name>`)."""
    listed = {c for _, cs, _, _ in COMMANDS for c in ((cs,) if isinstance(cs, str) else cs)}
    return sorted(c for c, app in available.items() if app.startswith("baocao.") and c not in listed)


def _usage(available: dict[str, str]) -> str:
    lines = [
        "baocao — hệ thống báo cáo ngành thông tin và truyền thông / ICT-sector reporting system",
        "",
        "Cách dùng / Usage: baocao <lệnh|command> [tùy chọn|options]   (baocao <lệnh> --help)",
        "",
        "Lệnh / Commands:",
    ]
    for name, _commands, vi, en in COMMANDS:
        if _command_for(name, available):
            lines.append(f"  {name:<10} {vi}")
            lines.append(f"  {'':<10} {en}")
    extra = _extra_commands(available)
    if extra:
        lines += ["", "Lệnh khác / Other commands: " + ", ".join(extra)]
    lines += [
        "",
        "  manage     Lệnh quản trị Django / any Django management command (baocao manage migrate …)",
        "",
        "Mã thoát / Exit status: 0 xong, không có phát hiện / done, nothing found; "
        "1 có phát hiện (validate, check) / findings;",
        "  2 đầu vào sai (lệnh, tùy chọn, đơn vị, kỳ, tệp) / bad input",
        "",
        "Biến môi trường / Environment: DATABASE_URL (mặc định SQLite trong ./var), BAOCAO_SECRET_KEY, BAOCAO_DEBUG, BAOCAO_REDIS_URL (xem deploy/baocao.env.example)",
    ]
    return "\n".join(lines)


def development_defaults(argv: list[str]) -> None:
    """`baocao serve` is the development server: DEBUG on, unless the environment says otherwise.
    Must run before the settings are read."""
    if len(argv) > 1 and argv[1] in DEVELOPMENT_COMMANDS:
        os.environ.setdefault("BAOCAO_DEBUG", "1")


def _run(command_name: str, app: str, name: str, rest: list[str]) -> None:
    """As Django's run_from_argv, but an error is one Vietnamese line and its exit status."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.core.management import load_command_class
    from django.core.management.base import CommandError, handle_default_options

    command = load_command_class(app, command_name)
    command._called_from_command_line = True
    parser = command.create_parser("baocao", name)  # usage and errors say "baocao <name>"
    options = parser.parse_args(rest)  # a bad option exits 2 with argparse's message
    cmd_options = vars(options)
    args = cmd_options.pop("args", ())
    handle_default_options(options)
    try:
        command.execute(*args, **cmd_options)
    except CommandError as exc:
        if options.traceback:
            raise
        print(f"Lỗi / error: {exc}", file=sys.stderr)
        raise SystemExit(exc.returncode) from None
    except (ValidationError, PermissionDenied) as exc:
        if options.traceback:
            raise
        text = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        print(f"Lỗi / error: {text}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    development_defaults(argv)
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    available = get_commands()
    args = argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage(available))
        return
    name, rest = args[0], args[1:]
    if name == "manage":
        execute_from_command_line(["baocao manage", *rest])
        return
    command = _command_for(name, available)
    if command is None:
        print(f"Lệnh không có / unknown command: {name}\n", file=sys.stderr)
        print(_usage(available), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)
    _run(command, available[command], name, rest)


if __name__ == "__main__":
    main()

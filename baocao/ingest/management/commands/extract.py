import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.extraction import ExtractionError, extract_file, extract_many

REPORT_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}


def report_files(paths: list[Path]) -> list[Path]:
    """Files given, and the reports inside folders given (sorted, not recursive into hidden dirs)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{path}: không tìm thấy tệp hoặc thư mục")
    if not files:
        raise CommandError("Không có tệp báo cáo nào (.txt, .md, .docx, .pdf)")
    return files


class Command(BaseCommand):
    help = (
        "Trích xuất số liệu và trích dẫn văn bản từ báo cáo (TXT, DOCX, PDF) ra JSON dạng gold. / "
        "Extract figures and document references from reports (TXT, DOCX, PDF) into gold-shaped JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Tệp hoặc thư mục / files or folders")
        parser.add_argument("--format", choices=["json"], default="json", help="Định dạng ra / output format")
        parser.add_argument("--out", type=Path, help="Thư mục ghi mỗi tệp một JSON / write one JSON per file here")
        parser.add_argument("--unit", help="Tỉnh của báo cáo khi văn bản không ghi / province override")
        parser.add_argument("--period", help="Kỳ báo cáo, ví dụ 'năm 2022', 'quý I/2020' / period override")
        parser.add_argument("--workers", type=int, default=2, help="Số tiến trình / worker processes (mặc định 2)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = report_files(options["paths"])
        if options["out"]:
            results = extract_many(files, options["out"], workers=options["workers"], unit=options["unit"],
                                   period=options["period"])
            failed = [r for r in results if r.error]
            for r in failed:
                self.stderr.write(f"✘ {r.error}")
            self.stdout.write(f"✔ {len(results) - len(failed)}/{len(results)} báo cáo → {options['out']}")
            if failed:
                raise CommandError(f"{len(failed)} tệp không đọc được")
            return
        outputs = []
        for path in files:
            try:
                outputs.append(extract_file(path, unit=options["unit"], period=options["period"]))
            except ExtractionError as exc:
                raise CommandError(str(exc)) from None
        payload = outputs[0] if len(outputs) == 1 else outputs
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")

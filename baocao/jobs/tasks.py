"""The kinds of background work: each checks permission when enqueued and runs with progress.

A task's `run(job, progress)` returns {"result": JSON, "file": path under MEDIA_ROOT,
"message": text}; it raises to fail the job (the runner keeps the error and traceback).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

from baocao.access.access import Perm, require, visible_units
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

from .models import Job

Actor = AbstractBaseUser | AnonymousUser
ProgressFn = Callable[..., None]


@dataclass(frozen=True)
class Task:
    label: str
    check: Callable[[Actor, dict[str, Any]], None]
    run: Callable[[Job, ProgressFn], dict[str, Any]]


def _actor(job: Job) -> Actor:
    user_model = get_user_model()
    return user_model.objects.get(pk=job.created_by_id) if job.created_by_id else AnonymousUser()


def job_dir(job: Job) -> Path:
    """MEDIA_ROOT/jobs/<id>/ — where a job leaves its files."""
    path = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _relative(path: Path) -> str:
    return str(path.relative_to(Path(settings.MEDIA_ROOT)))


# -- bulk import ------------------------------------------------------------------------------------------
def _check_import(actor: Actor, params: dict[str, Any]) -> None:
    if not Path(str(params.get("path", ""))).is_file():
        raise ValidationError({"path": f"Không tìm thấy tệp {params.get('path')}"})
    if params.get("unit_id"):
        require(actor, OrgUnit.objects.get(pk=params["unit_id"]), Perm.ENTER)


def _run_import(job: Job, progress: ProgressFn) -> dict[str, Any]:
    from baocao.datavalues.bulk import bulk_import

    p = job.params
    unit = OrgUnit.objects.get(pk=p["unit_id"]) if p.get("unit_id") else None
    result = bulk_import(
        _actor(job), p["path"], fmt=p.get("fmt"), unit=unit, source=p.get("source", "import"),
        regime=p.get("regime", "hanh_chinh"), reason=p.get("reason", ""), name=p.get("name"), progress=progress,
    )  # fmt: skip
    return {
        "result": {"rows": result.rows, "created": result.created, "updated": result.updated,
                   "unchanged": result.unchanged, "event_id": result.event_id, "seconds": round(result.seconds, 2)},
        "message": result.summary(),
    }  # fmt: skip


# -- extraction of a folder ---------------------------------------------------------------------------------
REPORT_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def _check_extract(actor: Actor, params: dict[str, Any]) -> None:
    if not Path(str(params.get("folder", ""))).is_dir():
        raise ValidationError({"folder": f"Không tìm thấy thư mục {params.get('folder')}"})


def _run_extract(job: Job, progress: ProgressFn) -> dict[str, Any]:
    from baocao.extraction import extract_many

    folder = Path(job.params["folder"])
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
    out = job_dir(job) / "json"
    progress(0, len(files), f"Trích xuất {len(files)} báo cáo")
    results: list[Any] = []
    step = 8  # extract_many has no callback: feed it a few files at a time to report progress
    for i in range(0, len(files), step):
        results += extract_many(files[i : i + step], out, workers=int(job.params.get("workers", 2)), progress=False,
                                unit=job.params.get("unit"), period=job.params.get("period"))  # fmt: skip
        progress(min(i + step, len(files)), len(files), f"Đã đọc {min(i + step, len(files))}/{len(files)}")
    errors = [r.error for r in results if r.error]
    archive = job_dir(job) / "trich-xuat.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in results:
            if r.output:
                zf.write(r.output, r.output.name)
    facts = sum(r.facts for r in results)
    return {
        "result": {"files": len(files), "ok": len(files) - len(errors), "errors": errors[:100], "facts": facts},
        "file": _relative(archive),
        "message": f"{len(files) - len(errors)}/{len(files)} báo cáo, {facts} số liệu"
        + (f"; {len(errors)} tệp lỗi" if errors else ""),
    }


# -- rendering every province's report ----------------------------------------------------------------------
def _units_for(actor: Actor, params: dict[str, Any]) -> list[OrgUnit]:
    period = Period.from_code(params["period"])
    if params.get("unit_ids"):
        units = list(OrgUnit.objects.filter(pk__in=params["unit_ids"]).order_by("code"))
    else:
        from baocao.datavalues.rollup import provinces_on

        units = provinces_on(period.end)
    visible = set(visible_units(actor).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    return [u for u in units if u.pk in visible]


def _check_render(actor: Actor, params: dict[str, Any]) -> None:
    try:
        Period.from_code(str(params.get("period", "")))
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if not _units_for(actor, params):
        raise ValidationError({"unit_ids": "Không có tỉnh nào để viết báo cáo (hoặc không có quyền xem)"})


def _run_render(job: Job, progress: ProgressFn) -> dict[str, Any]:
    from baocao.reports.services import build_report, report_filename, write_report

    actor = _actor(job)
    period = Period.from_code(job.params["period"])
    fmt = job.params.get("fmt", "docx")
    units = _units_for(actor, job.params)
    folder = job_dir(job)
    written, failed = [], []
    progress(0, len(units), f"Viết {len(units)} báo cáo")
    for i, unit in enumerate(units, start=1):
        try:
            report = build_report(unit, period)
            path = write_report(report, folder / report_filename(report, fmt))
            written.append(path)
        except Exception as exc:  # one province's problem must not stop the others
            failed.append(f"{unit.name}: {type(exc).__name__}: {exc}")
        progress(i, len(units), f"{i}/{len(units)}: {unit.name}")
    archive = folder / f"bao-cao-{period.slug}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in written:
            zf.write(path, path.name)
    if failed and not written:
        raise RuntimeError("Không viết được báo cáo nào: " + "; ".join(failed[:10]))
    return {
        "result": {"written": len(written), "failed": failed, "files": [p.name for p in written]},
        "file": _relative(archive),
        "message": f"{len(written)}/{len(units)} báo cáo" + (f"; lỗi: {'; '.join(failed[:3])}" if failed else ""),
    }


def _check_nothing(actor: Actor, params: dict[str, Any]) -> None:
    return None


def _run_selftest(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """A job that counts (and fails on request): checks a queue and its workers end to end."""
    steps = int(job.params.get("steps", 3))
    for i in range(1, steps + 1):
        progress(i, steps, f"Bước {i}/{steps}")
    if job.params.get("fail"):
        raise RuntimeError(str(job.params["fail"]))
    return {"result": {"steps": steps}, "message": "Tự kiểm tra xong"}


TASKS: dict[str, Task] = {
    "bulk_import": Task("Nhập số liệu từ tệp lớn", _check_import, _run_import),
    "extract_folder": Task("Trích xuất một thư mục báo cáo", _check_extract, _run_extract),
    "render_reports": Task("Viết báo cáo cho mọi tỉnh", _check_render, _run_render),
    "selftest": Task("Tự kiểm tra hàng đợi", _check_nothing, _run_selftest),
}

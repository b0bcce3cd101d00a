"""Data sources through the API: the sources one can see with their last run, a source's runs,
and the push endpoint a system calls to deliver its export (token of the source's service
account, or of an administrator of its units)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from baocao.sources import services
from baocao.sources.models import Run, RunState, Source

from ..auth import actor
from ..errors import ApiError, invalid, not_found
from ..params import LimitParam, OffsetParam
from ..present import page
from ..schemas import ERRORS, Page

router = Router(tags=["Nguồn dữ liệu / Data sources"])

CONTENT_SUFFIX = {"json": ".json", "csv": ".csv", "spreadsheetml": ".xlsx", "text/plain": ".csv"}


class RunOut(Schema):
    id: int
    source: str
    trigger: str
    state: str
    state_label: str
    started_at: str
    finished_at: str | None
    origin: str
    attempts: int
    figures: int
    created: int
    updated: int
    unchanged: int
    held: int
    error: str
    changes: list[dict[str, Any]]
    unmapped: list[dict[str, Any]]


class SourceOut(Schema):
    slug: str
    name: str
    arrival: str
    units: list[str]
    every_minutes: int
    is_active: bool
    last_run: RunOut | None


class SourcePage(Page):
    items: list[SourceOut]


class RunPage(Page):
    items: list[RunOut]


def run_out(run: Run) -> dict[str, Any]:
    return {
        "id": run.pk, "source": run.source.slug, "trigger": run.trigger, "state": run.state,
        "state_label": RunState(run.state).label, "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None, "origin": run.origin,
        "attempts": run.attempts, "figures": run.figures, "created": run.created, "updated": run.updated,
        "unchanged": run.unchanged, "held": run.held, "error": run.error, "changes": run.changes,
        "unmapped": run.unmapped,
    }  # fmt: skip


def _visible(request: HttpRequest, slug: str) -> Source:
    source = services.visible_sources(actor(request)).filter(slug=slug).first()
    if source is None:
        raise not_found(f"Không có nguồn dữ liệu '{slug}'", "slug")
    return source


@router.get("/sources", response={200: SourcePage, **ERRORS}, summary="Nguồn dữ liệu và lần chạy gần nhất")
def list_sources(request: HttpRequest, limit: LimitParam, offset: OffsetParam) -> dict[str, Any]:
    qs = services.visible_sources(actor(request)).prefetch_related("units")

    def render(rows: list[Source]) -> list[dict[str, Any]]:
        last = services.last_runs(rows)
        return [{
            "slug": s.slug, "name": s.name, "arrival": s.arrival, "units": [u.code for u in s.units.all()],
            "every_minutes": s.every_minutes, "is_active": s.is_active,
            "last_run": run_out(last[s.pk]) if s.pk in last else None,
        } for s in rows]  # fmt: skip

    return page(qs, limit, offset, render)


@router.get("/sources/{slug}/runs", response={200: RunPage, **ERRORS}, summary="Các lần chạy của một nguồn")
def list_runs(request: HttpRequest, slug: str, limit: LimitParam, offset: OffsetParam) -> dict[str, Any]:
    source = _visible(request, slug)
    return page(source.runs.select_related("source"), limit, offset, lambda rows: [run_out(r) for r in rows])


def _pushed(request: HttpRequest) -> tuple[bytes, str]:
    limit = int(settings.BAOCAO_MAX_UPLOAD_BYTES)
    upload = request.FILES.get("file")
    if upload is not None:
        if (upload.size or 0) > limit:
            raise invalid(f"{upload.name}: tệp lớn quá giới hạn", "file")
        return upload.read(), upload.name or "du-lieu"
    content_type = request.headers.get("Content-Type", "")
    if len(request.body) > limit:
        raise invalid("Dữ liệu gửi lên lớn quá giới hạn", "body")
    suffix = next((s for key, s in CONTENT_SUFFIX.items() if key in content_type), "")
    if not suffix:
        raise invalid("Gửi tệp (multipart, trường 'file') hoặc thân JSON/CSV/XLSX với Content-Type tương ứng", "body")
    return request.body, "du-lieu-gui-len" + suffix


@router.post(
    "/sources/{slug}/push", response={200: RunOut, **ERRORS}, summary="Hệ thống gửi dữ liệu của nguồn (chạy ngay)",
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    }}},
)  # fmt: skip
def push(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The body is the source system's export as is (the source's mapping reads it). The run is
    all-or-nothing; figures that fail checks are held for review. A run that fails answers 422
    with the reason; otherwise the run's record (what came in, what changed, what is held)."""
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        raise not_found(f"Không có nguồn dữ liệu '{slug}'", "slug")
    data, name = _pushed(request)
    run = services.push(actor(request), source, data, name)
    if run.state == RunState.FAILED:
        raise ApiError(422, "run_failed", run.error, field="body")
    return run_out(run)

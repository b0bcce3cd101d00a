"""Data sources' write path: define a source, test its mapping, run it, review what it held.

A run fetches the export (or takes the uploaded/pushed/dropped file), reads it with the
source's mapping, and stores its figures through `datavalues.services.save_values` as the
source's service account (a data-entry role on the source's units, nothing more). The figures
of a run are stored together or not at all. A figure is held for a person instead of stored
when it fails a check (the write path's own checks or an error-level catalog rule), when its
period is already submitted, or when it would replace a figure a person entered or another
source sent. Every stored value carries the source's name and the fetch time in `source_ref`,
so the entry form, the API and the audit log all show where it came from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from baocao.access.access import AccessDenied, Perm, can, require, visible_units
from baocao.access.models import Membership, Role
from baocao.access.services import grant_role, revoke_role
from baocao.access.system import system_user
from baocao.audit.services import record
from baocao.catalog.models import Indicator, Severity, ValidationRule
from baocao.core.periods import Period
from baocao.core.vnnum import format_number
from baocao.datavalues.aggregation import Aggregator
from baocao.datavalues.models import DataValue
from baocao.datavalues.models import Source as ValueSource
from baocao.datavalues.services import ValueError_, ValueInput, require_editable, save_values
from baocao.datavalues.validation import FAIL, Validator
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.orgunits.models import OrgUnit

from . import fetch
from .mapping import Figure, Mapping, MappingError, Reading, Unmapped, fold, parse_mapping, read_export
from .models import Arrival, HeldFigure, HeldState, Run, RunState, Source

Actor = AbstractBaseUser | AnonymousUser
MAX_LISTED = 500  # rows kept on a run for its page (changes, unmapped)


# -- permissions ------------------------------------------------------------------------------------------
def can_manage(actor: Actor, source: Source) -> bool:
    units = list(source.units.all())
    return bool(units) and all(can(actor, u, Perm.ADMIN) for u in units)


def require_manage(actor: Actor, source: Source) -> None:
    if not can_manage(actor, source):
        name = actor.get_username() if actor.is_authenticated else "người dùng chưa đăng nhập"
        raise AccessDenied(f"{name} không quản trị các đơn vị của nguồn dữ liệu «{source.name}»")


def managed_sources(user: Actor) -> list[Source]:
    """The sources a person may define, edit and run: those all of whose units they administer."""
    if not user.is_authenticated:
        return []
    admin_units = set(visible_units(user, Perm.ADMIN).values_list("pk", flat=True))
    sources = Source.objects.prefetch_related("units").order_by("name")
    return [s for s in sources if s.units.all() and all(u.pk in admin_units for u in s.units.all())]


def visible_sources(user: Actor) -> QuerySet[Source]:
    """The sources reporting for a unit the person may see."""
    return Source.objects.filter(units__in=visible_units(user, Perm.VIEW)).distinct().order_by("name")


# -- defining a source ------------------------------------------------------------------------------------------
def check_mapping(text: str) -> Mapping:
    try:
        return parse_mapping(text)
    except MappingError as exc:
        raise ValidationError({"mapping": str(exc)}) from None


def _check_fields(arrival: str, url: str, folder: str, every_minutes: int) -> None:
    if arrival not in Arrival.values:
        raise ValidationError({"arrival": f"Cách nhận '{arrival}' không hợp lệ ({', '.join(Arrival.values)})"})
    if arrival == Arrival.URL and not re.match(r"^https?://\S+$", url or ""):
        raise ValidationError({"url": "Cần địa chỉ http:// hoặc https:// để lấy dữ liệu"})
    if arrival == Arrival.FOLDER and not (folder or "").strip():
        raise ValidationError({"folder": "Cần đường dẫn thư mục theo dõi"})
    if every_minutes and arrival not in (Arrival.URL, Arrival.FOLDER):
        raise ValidationError({"every_minutes": "Chỉ nguồn lấy từ URL hoặc thư mục mới chạy theo lịch"})


def _account_for(actor: Actor, slug: str, name: str) -> AbstractBaseUser:
    """The source's service account: cannot sign in, holds only the roles the source is given."""
    model = get_user_model()
    username = f"nguon-{slug}"[:150]
    account = model.objects.filter(username=username).first()
    if account is None:
        account = model(username=username, first_name=f"Nguồn dữ liệu: {name}"[:150])
        account.set_unusable_password()
        account.save()
        record(actor, "user.create", "user", username, summary=f"Tài khoản dịch vụ của nguồn «{name}»",
               after={"service_account": True, "source": name})  # fmt: skip
    return account


def _sync_roles(actor: Actor, account: AbstractBaseUser, units: list[OrgUnit]) -> None:
    wanted = {u.pk for u in units}
    for membership in Membership.objects.filter(user=account).select_related("unit", "user"):
        if membership.unit_id not in wanted or membership.role != Role.DATA_ENTRY:
            revoke_role(actor, membership, reason="Đơn vị của nguồn dữ liệu thay đổi")
    for unit in units:
        grant_role(actor, account, unit, Role.DATA_ENTRY, reason="Tài khoản dịch vụ của nguồn dữ liệu")


def _snapshot(source: Source) -> dict[str, Any]:
    return {
        "name": source.name, "arrival": source.arrival, "url": source.url, "folder": source.folder,
        "auth_header": source.auth_header, "every_minutes": source.every_minutes, "is_active": source.is_active,
        "units": sorted(u.code for u in source.units.all()), "mapping": source.mapping,
    }  # fmt: skip


def create_source(
    actor: Actor, *, name: str, units: Iterable[OrgUnit], mapping: str, arrival: str = Arrival.UPLOAD,
    slug: str = "", url: str = "", auth_header: str = "", auth_value: str = "", folder: str = "",
    every_minutes: int = 0, description: str = "",
) -> Source:  # fmt: skip
    """A new source with its service account (data entry on its units only)."""
    units = list(units)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Cần tên nguồn dữ liệu"})
    if not units:
        raise ValidationError({"units": "Cần ít nhất một đơn vị mà nguồn báo số liệu"})
    for unit in units:
        require(actor, unit, Perm.ADMIN)
    slug = slugify(slug or name.replace("đ", "d").replace("Đ", "D"))[:60] or "nguon"
    if Source.objects.filter(name=name).exists():
        raise ValidationError({"name": f"Đã có nguồn dữ liệu tên '{name}'"})
    if Source.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"Đã có nguồn dữ liệu tên ngắn '{slug}'"})
    _check_fields(arrival, url, folder, every_minutes)
    check_mapping(mapping)
    with transaction.atomic():
        account = _account_for(actor, slug, name)
        source = Source.objects.create(
            name=name, slug=slug, description=description, arrival=arrival, url=url.strip(),
            auth_header=auth_header.strip(), auth_value=auth_value, folder=folder.strip(), mapping=mapping,
            every_minutes=every_minutes, account=account,
            next_run_at=timezone.now() if every_minutes else None,
        )  # fmt: skip
        source.units.set(units)
        _sync_roles(actor, account, units)
        record(actor, "source.create", "source", source.pk, unit=units[0],
               summary=f"Tạo nguồn dữ liệu «{name}»", after=_snapshot(source))  # fmt: skip
    return source


EDITABLE = ("name", "description", "arrival", "url", "auth_header", "auth_value", "folder", "mapping",
            "every_minutes", "is_active")  # fmt: skip


def update_source(actor: Actor, source: Source, *, units: Iterable[OrgUnit] | None = None, **changes: Any) -> Source:
    require_manage(actor, source)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Không sửa được: {', '.join(sorted(unknown))}")
    new_units = list(units) if units is not None else list(source.units.all())
    if not new_units:
        raise ValidationError({"units": "Cần ít nhất một đơn vị mà nguồn báo số liệu"})
    for unit in new_units:
        require(actor, unit, Perm.ADMIN)
    if "auth_value" in changes and not changes["auth_value"]:
        changes.pop("auth_value")  # a blank secret in a form keeps the stored one
    merged = {k: changes.get(k, getattr(source, k)) for k in EDITABLE}
    _check_fields(merged["arrival"], merged["url"], merged["folder"], int(merged["every_minutes"] or 0))
    check_mapping(merged["mapping"])
    if merged["name"] != source.name and Source.objects.filter(name=merged["name"]).exclude(pk=source.pk).exists():
        raise ValidationError({"name": f"Đã có nguồn dữ liệu tên '{merged['name']}'"})
    with transaction.atomic():
        before = _snapshot(source)
        for key, value in changes.items():
            setattr(source, key, value)
        if source.every_minutes and source.next_run_at is None:
            source.next_run_at = timezone.now()
        if not source.every_minutes:
            source.next_run_at = None
        source.save()
        source.units.set(new_units)
        _sync_roles(actor, source.account, new_units)
        record(actor, "source.update", "source", source.pk, unit=new_units[0],
               summary=f"Sửa nguồn dữ liệu «{source.name}»", before=before, after=_snapshot(source))  # fmt: skip
    return source


def find_source(text: str) -> Source:
    """A source by its short name, its name or its number (for the command line and the API)."""
    text = text.strip()
    found = Source.objects.filter(slug=text).first() or Source.objects.filter(name__iexact=text).first()
    if found is None and text.isdigit():
        found = Source.objects.filter(pk=int(text)).first()
    if found is None:
        names = ", ".join(Source.objects.values_list("slug", flat=True)[:20]) or "chưa có nguồn nào"
        raise Source.DoesNotExist(f"Không có nguồn dữ liệu '{text}' (có: {names})")
    return found


# -- reading an export against the catalog and the source's units ---------------------------------------------
@dataclass
class Row:
    """One figure as a person checks it: the indicator's name, the unit, the period, the value
    and the cell it came from; `problem` says why it would not be stored as it is."""

    figure: Figure
    indicator: Indicator | None
    unit: OrgUnit | None
    problem: str = ""

    @property
    def value_display(self) -> str:
        return format_number(self.figure.value, max_decimals=6)


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    ignored: int = 0
    error: str = ""

    @property
    def ready(self) -> list[Row]:
        return [r for r in self.rows if not r.problem]


def _known_units(units: list[OrgUnit], texts: set[str]) -> list[OrgUnit]:
    """The source's units and the units below them that the export names by code or name,
    in one query (an export of a province's communes names a hundred of them)."""
    texts = {t for t in texts if t}
    if not texts or not units:
        return list(units)
    below = Q()
    for unit in units:
        below |= Q(path__startswith=unit.path)
    named = OrgUnit.objects.filter(below).filter(Q(code__in=texts) | Q(name__in=texts) | Q(full_name__in=texts))
    return list(units) + list(named.order_by("path"))


def _unit_of(units: list[OrgUnit], text: str, period: Period) -> tuple[OrgUnit | None, str]:
    if not text:
        if len(units) == 1:
            return units[0], ""
        return None, "nguồn báo cho nhiều đơn vị: bảng ánh xạ cần columns.unit (cột đơn vị)"
    key = fold(text)
    for unit in units:
        if key in {fold(unit.code), fold(unit.name), fold(unit.full_name)} and unit.overlaps(period.start, period.end):
            return unit, ""
    try:
        return find_unit(text, on=period.end), ""
    except UnitNotFound:
        return None, f"không thấy đơn vị '{text}' trong {period.label}"


def interpret(units: list[OrgUnit], mapping_text: str, data: bytes, filename: str) -> Preview:
    """What an export would give under a mapping — nothing is written (the mapping test)."""
    try:
        mapping = parse_mapping(mapping_text)
        reading = read_export(mapping, data, filename)
    except MappingError as exc:
        return Preview(error=str(exc))
    return _resolve(units, reading)


def _resolve(units: list[OrgUnit], reading: Reading) -> Preview:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={f.code for f in reading.figures})}
    preview = Preview(unmapped=list(reading.unmapped), ignored=reading.ignored)
    found: dict[tuple[str, str], tuple[OrgUnit | None, str]] = {}  # an export names the same units row after row
    known = _known_units(units, {f.unit for f in reading.figures})
    for figure in reading.figures:
        indicator = indicators.get(figure.code)
        place = (figure.unit, figure.period.code)
        if place not in found:
            found[place] = _unit_of(known, figure.unit, figure.period)
        unit, problem = found[place]
        if indicator is None:
            problem = f"mã chỉ tiêu '{figure.code}' không có trong danh mục"
        elif not indicator.is_active:
            problem = f"chỉ tiêu '{indicator.name_vi}' đã ngừng sử dụng"
        preview.rows.append(Row(figure, indicator, unit, problem))
    return preview


# -- running a source ----------------------------------------------------------------------------------------------
def source_ref(source: Source, run: Run) -> str:
    when = timezone.localtime(run.started_at)
    return f"Nguồn «{source.name}», lấy lúc {when:%H:%M %d/%m/%Y} (lần chạy #{run.pk})"[:255]


def _own_prefix(source: Source) -> str:
    return f"Nguồn «{source.name}»,"


def _fetch(source: Source, run: Run) -> fetch.Fetched:
    headers = {source.auth_header: source.auth_value} if source.auth_header and source.auth_value else {}
    attempts = int(getattr(settings, "BAOCAO_SOURCES_ATTEMPTS", 3))
    backoff = float(getattr(settings, "BAOCAO_SOURCES_BACKOFF", 2.0))
    return fetch.http_get(source.url, headers=headers, attempts=attempts, backoff=backoff)


def _finish(run: Run, state: str, **counts: Any) -> Run:
    run.state, run.finished_at = state, timezone.now()
    for key, value in counts.items():
        setattr(run, key, value)
    run.save()
    return run


def _schedule_next(source: Source) -> None:
    if source.every_minutes:
        Source.objects.filter(pk=source.pk).update(
            next_run_at=timezone.now() + timedelta(minutes=source.every_minutes)
        )


def _fail(source: Source, run: Run, message: str) -> Run:
    _finish(run, RunState.FAILED, error=message[:20000])
    record(source.account, "source.run", "source", source.pk, summary=f"Nguồn «{source.name}»: lỗi — {message}"[:255],
           after={"run": run.pk, "state": run.state, "error": message[:2000]})  # fmt: skip
    return run


def run_source(
    source: Source, *, trigger: str, data: bytes | None = None, filename: str = "",
    started_by: Actor | None = None, job_id: int | None = None,
) -> Run:  # fmt: skip
    """One run: fetch (unless given the file), read, check, store or hold. Never raises for a
    bad export or an unreachable server: the run records the failure and its reason."""
    user = started_by if started_by is not None and started_by.is_authenticated else None
    run = Run.objects.create(source=source, trigger=trigger, origin=filename or source.url, started_by=user,
                             job_id=job_id)  # fmt: skip
    _schedule_next(source)
    try:
        if data is None:
            if source.arrival != Arrival.URL:
                return _fail(source, run, "Nguồn này không lấy dữ liệu từ URL: cần tải tệp lên hoặc gửi qua API")
            fetched = _fetch(source, run)
            data, filename = fetched.data, fetched.name
            run.attempts = fetched.attempts
        else:
            run.attempts = 1
        run.size = len(data)
        reading = read_export(parse_mapping(source.mapping), data, filename)
    except fetch.FetchError as exc:
        run.attempts = exc.attempts
        return _fail(source, run, str(exc))
    except MappingError as exc:
        return _fail(source, run, f"{filename or 'dữ liệu'}: {exc}")
    try:
        return _store(source, run, _resolve(list(source.units.all()), reading))
    except Exception as exc:  # a run is never left "running": the unexpected is recorded too, then raised
        _fail(source, run, f"Lỗi khi ghi số liệu ({type(exc).__name__}: {exc}); không lưu số liệu nào")
        raise


@dataclass
class _Held:
    row: Row
    kind: str
    reason: str


class _RuleFailed(Exception):
    def __init__(self, failures: dict[int, str]) -> None:
        super().__init__("rule failures")
        self.failures = failures


def _inputs(rows: list[Row], regime: str) -> list[ValueInput]:
    return [
        ValueInput(r.figure.code, r.unit, r.figure.period, r.figure.value, is_target=r.figure.target,  # type: ignore[arg-type]
                   regime=regime, where=r.figure.where)
        for r in rows
    ]


def _key(row: Row, regime: str) -> tuple[int, int, str, str, bool]:
    assert row.indicator is not None and row.unit is not None
    return (row.indicator.pk, row.unit.pk, row.figure.period.code, regime, row.figure.target)


def _existing(rows: list[Row], regime: str) -> dict[tuple[int, int, str, str, bool], DataValue]:
    if not rows:
        return {}
    found = DataValue.objects.filter(
        unit_id__in={r.unit.pk for r in rows if r.unit}, period__in={r.figure.period.code for r in rows},
        indicator_id__in={r.indicator.pk for r in rows if r.indicator},
    ).select_related("updated_by")  # fmt: skip
    return {(dv.indicator_id, dv.unit_id, dv.period, dv.regime, dv.is_target): dv for dv in found}


def _prechecks(source: Source, rows: list[Row], regime: str) -> tuple[list[Row], list[_Held]]:
    """Hold what must wait for a person before anything is written: figures of a submitted or
    locked period, and figures that would replace one a person entered or another source sent."""
    existing = _existing(rows, regime)
    keep: list[Row] = []
    held: list[_Held] = []
    refusals: dict[tuple[int, str], str] = {}
    for row in rows:
        place = (row.unit.pk, row.figure.period.code)  # type: ignore[union-attr]
        if place not in refusals:
            try:
                require_editable(source.account, row.unit, row.figure.period, regime=regime)  # type: ignore[arg-type]
                refusals[place] = ""
            except AccessDenied as exc:
                refusals[place] = str(exc)
        if refusals[place]:
            held.append(_Held(row, "locked", refusals[place]))
            continue
        dv = existing.get(_key(row, regime))
        foreign = dv is not None and not (dv.source == ValueSource.FEED and dv.source_ref.startswith(_own_prefix(source)))
        if dv is not None and foreign and dv.value != row.figure.value:
            who = dv.updated_by.get_username() if dv.updated_by else "không rõ"
            held.append(_Held(row, "overwrite", (
                f"Đã có số liệu {format_number(dv.value, max_decimals=6)} ({dv.get_source_display()}, "
                f"{who}, {timezone.localtime(dv.updated_at):%d/%m/%Y}); cần người duyệt trước khi thay"
            )))  # fmt: skip
            continue
        keep.append(row)
    return keep, held


def _rule_failures(rows: list[Row]) -> dict[int, str]:
    """Error-level catalog rules that fail once these figures are in, and the figures they involve."""
    codes = {r.figure.code for r in rows}
    rules = [
        r for r in ValidationRule.objects.filter(is_active=True, severity=Severity.ERROR)
        if r.indicator_codes() & codes
    ]  # fmt: skip
    if not rules:
        return {}
    by_place: dict[tuple[int, str], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if not row.figure.target:
            by_place[(row.unit.pk, row.figure.period.code)].append(index)  # type: ignore[union-attr]
    validator = Validator(Aggregator())
    failures: dict[int, str] = {}
    rule_codes = {r.code: r.indicator_codes() for r in rules}
    for indexes in by_place.values():
        row = rows[indexes[0]]
        for finding in validator.validate(row.unit, row.figure.period, rules):  # type: ignore[arg-type]
            if finding.status != FAIL:
                continue
            for index in indexes:
                if rows[index].figure.code in rule_codes.get(finding.rule, set()):
                    failures.setdefault(index, f"{finding.rule_name}: {finding.message}")
    return failures


def _errors_by_row(rows: list[Row], messages: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, row in enumerate(rows):
        prefix = f"{row.figure.where}: "
        for message in messages:
            if message.startswith(prefix):
                found[index] = message[len(prefix) :]
    return found


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)


def _change_rows(rows: list[Row], before: dict[tuple[int, int, str, str, bool], DataValue], regime: str) -> list[dict[str, Any]]:
    changes = []
    for row in rows:
        old = before.get(_key(row, regime))
        if old is not None and old.value == row.figure.value:
            continue
        changes.append({
            "indicator": row.indicator.name_vi if row.indicator else row.figure.code, "code": row.figure.code,
            "unit": row.unit.name if row.unit else "", "period": row.figure.period.label,
            "before": format_number(old.value, max_decimals=6) if old is not None else "",
            "after": row.value_display, "where": row.figure.where,
        })  # fmt: skip
    return changes[:MAX_LISTED]


def _save_attempt(source: Source, run: Run, rows: list[Row], regime: str, held: list[_Held]) -> _Outcome:
    """Write `rows` in one transaction; raise to roll it back when a rule fails because of them."""
    before = _existing(rows, regime)
    with transaction.atomic():
        result = save_values(
            source.account, _inputs(rows, regime), source=ValueSource.FEED, source_ref=source_ref(source, run),
            reason=source_ref(source, run),  # the audit log's reason names the source and the fetch time
        )  # fmt: skip
        failures = _rule_failures(rows)
        if failures:
            raise _RuleFailed(failures)
        _write_held(source, run, held, regime)
        return _Outcome(result.created, result.updated, result.unchanged, _change_rows(rows, before, regime))


def _write_held(source: Source, run: Run, held: list[_Held], regime: str) -> None:
    HeldFigure.objects.bulk_create([
        HeldFigure(
            run=run, source=source, indicator=h.row.indicator, code=h.row.figure.code, unit=h.row.unit,
            period=h.row.figure.period.code, is_target=h.row.figure.target, regime=regime, value=h.row.figure.value,
            label=h.row.figure.label[:255], where=h.row.figure.where[:255], reason=h.reason,
            source_ref=source_ref(source, run),
        )
        for h in held
    ])  # fmt: skip


def _unmapped_of(preview: Preview) -> list[dict[str, str]]:
    """The rows no indicator was found for, and those whose figure could not be read."""
    unmapped = [{"where": u.where, "label": u.label, "reason": u.reason, "suggestion": u.suggestion}
                for u in preview.unmapped]  # fmt: skip
    unmapped += [{"where": r.figure.where, "label": r.figure.label, "reason": r.problem, "suggestion": ""}
                 for r in preview.rows if r.problem]  # fmt: skip
    return unmapped


def _outside_scope(source: Source, rows: list[Any]) -> str | None:
    """Why a run may not be stored: the first row for a unit the source's account cannot enter."""
    allowed_ids = set(visible_units(source.account, Perm.ENTER).filter(pk__in={r.unit.pk for r in rows if r.unit})
                      .values_list("pk", flat=True))  # fmt: skip
    outside = [r for r in rows if r.unit is not None and r.unit.pk not in allowed_ids]
    if not outside:
        return None
    r = outside[0]
    allowed = ", ".join(u.name for u in source.units.all())
    return (f"{r.figure.where}: nguồn «{source.name}» chỉ được ghi số liệu của {allowed}, "
            f"không được ghi cho {r.unit}; không lưu số liệu nào của lần chạy này")  # fmt: skip


def _save_holding_the_bad(
    source: Source, run: Run, rows: list[Any], regime: str, held: list[_Held]
) -> tuple[_Outcome, list[_Held]] | str:
    """Save the rows; a row the values' checks or the source's rules refuse is held for review
    and the rest saved again. The outcome and the held rows, or why nothing could be saved."""
    outcome = _Outcome()
    for _ in range(len(rows) + 1):
        try:
            outcome = _save_attempt(source, run, rows, regime, held) if rows else _held_only(source, run, held, regime)
            break
        except ValueError_ as exc:
            bad = _errors_by_row(rows, list(exc.messages))
            if not bad:
                return "; ".join(exc.messages[:10])
            held += [_Held(rows[i], "invalid", msg) for i, msg in bad.items()]
            rows = [r for i, r in enumerate(rows) if i not in bad]
        except _RuleFailed as exc:
            held += [_Held(rows[i], "rule", msg) for i, msg in exc.failures.items()]
            rows = [r for i, r in enumerate(rows) if i not in exc.failures]
        except AccessDenied as exc:
            return str(exc)
    return outcome, held


def _store(source: Source, run: Run, preview: Preview) -> Run:
    regime = parse_mapping(source.mapping).regime
    unmapped = _unmapped_of(preview)
    rows = [r for r in preview.rows if not r.problem]
    if (refused := _outside_scope(source, rows)) is not None:
        return _fail(source, run, refused)
    rows, held = _prechecks(source, rows, regime)
    saved = _save_holding_the_bad(source, run, rows, regime, held)
    if isinstance(saved, str):
        return _fail(source, run, saved)
    outcome, held = saved
    state = RunState.HELD if held else RunState.OK
    _finish(run, state, figures=len(preview.rows), created=outcome.created, updated=outcome.updated,
            unchanged=outcome.unchanged, held=len(held), unmapped=unmapped[:MAX_LISTED], changes=outcome.changes)  # fmt: skip
    summary = (f"Nguồn «{source.name}»: {len(preview.rows)} số liệu, {outcome.created} mới, {outcome.updated} cập nhật, "
               f"{len(held)} chờ duyệt, {len(unmapped)} dòng không ánh xạ được")  # fmt: skip
    record(source.account, "source.run", "source", source.pk, unit=source.units.first(), summary=summary[:255],
           after={"run": run.pk, "state": state, "origin": run.origin, "created": outcome.created,
                  "updated": outcome.updated, "held": len(held)})  # fmt: skip
    return run


def _held_only(source: Source, run: Run, held: list[_Held], regime: str) -> _Outcome:
    with transaction.atomic():
        _write_held(source, run, held, regime)
    return _Outcome()


# -- the ways a run starts -------------------------------------------------------------------------------------
def run_now(actor: Actor, source: Source, *, trigger: str = "manual") -> Any:
    """Put a run of the source on the queue (RQ in production, a thread by default)."""
    from baocao.jobs.services import enqueue

    require_manage(actor, source)
    return enqueue(actor, "source_run", {"source_id": source.pk, "trigger": trigger})


def run_upload(actor: Actor, source: Source, data: bytes, filename: str, *, trigger: str = "upload") -> Run:
    """A file a person uploads (or a command passes) for the source, run at once."""
    require_manage(actor, source)
    return run_source(source, trigger=trigger, data=data, filename=filename, started_by=actor)


def push(actor: Actor, source: Source, data: bytes, filename: str) -> Run:
    """An export a system sends to the API: its token must be the source's service account's,
    or belong to an administrator of the source's units."""
    if actor.pk != source.account_id:
        require_manage(actor, source)
    if not source.is_active:
        raise ValidationError(f"Nguồn dữ liệu «{source.name}» đang tạm dừng")
    return run_source(source, trigger="push", data=data, filename=filename, started_by=actor)


def poll_folder(source: Source, *, started_by: Actor | None = None) -> list[Run]:
    """Run each file waiting in the source's watched folder, then move it to 'da-xu-ly/' (or 'loi/')."""
    runs = []
    try:
        files = fetch.waiting_files(Path(source.folder))
    except fetch.FetchError as exc:
        run = Run.objects.create(source=source, trigger="folder", origin=source.folder)
        _schedule_next(source)
        return [_fail(source, run, str(exc))]
    if not files:
        _schedule_next(source)
    for path in files:
        run = run_source(source, trigger="folder", data=path.read_bytes(), filename=path.name, started_by=started_by)
        moved = fetch.move_done(path, run.state != RunState.FAILED)
        Run.objects.filter(pk=run.pk).update(origin=str(moved)[:500])
        run.origin = str(moved)[:500]
        runs.append(run)
    return runs


def due_sources(now: Any = None) -> list[Source]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(is_active=True, every_minutes__gt=0, arrival__in=(Arrival.URL, Arrival.FOLDER))
        .filter(next_run_at__lte=now).order_by("next_run_at")
    )


def run_due(now: Any = None) -> list[Any]:
    """Queue a run of every scheduled source whose time has come (cron or a systemd timer calls this)."""
    from baocao.jobs.services import enqueue

    actor = system_user()
    jobs = []
    for source in due_sources(now):
        # Moved on before the job runs, so that a slow queue does not queue the same source twice.
        _schedule_next(source)
        jobs.append(enqueue(actor, "source_run", {"source_id": source.pk, "trigger": "schedule"}))
    return jobs


# -- review of held figures --------------------------------------------------------------------------------------
def reviewable(user: Actor) -> QuerySet[HeldFigure]:
    return HeldFigure.objects.filter(unit__in=visible_units(user, Perm.ENTER)).select_related(
        "source", "unit", "indicator", "run"
    )


def _decide(actor: Actor, held: HeldFigure, state: str, reason: str) -> None:
    held.state, held.decided_by, held.decided_at = state, actor, timezone.now()
    held.save(update_fields=["state", "decided_by", "decided_at"])
    verb = "Chấp nhận" if state == HeldState.ACCEPTED else "Bỏ"
    record(actor, f"source.held.{state}", "heldfigure", held.pk, unit=held.unit, period=held.period,
           summary=f"{verb} số liệu chờ duyệt từ nguồn «{held.source.name}»: {held.code} = {held.value}"[:255],
           after={"value": held.value, "where": held.where, "held_because": held.reason}, reason=reason)  # fmt: skip


def accept_held(actor: Actor, held: HeldFigure, *, reason: str = "") -> DataValue:
    """A person takes a held figure: stored through the write path as theirs, with its source."""
    if held.state != HeldState.PENDING:
        raise ValidationError(f"Số liệu này đã được xử lý ({HeldState(held.state).label})")
    item = ValueInput(held.code, held.unit, Period.from_code(held.period), held.value, is_target=held.is_target,
                      regime=held.regime)  # fmt: skip
    why = reason or f"Duyệt số liệu từ nguồn «{held.source.name}» ({held.reason})"
    with transaction.atomic():
        stored = save_values(actor, [item], source=ValueSource.FEED, source_ref=held.source_ref, reason=why[:2000])
        _decide(actor, held, HeldState.ACCEPTED, why)
    return stored.values[0]


def reject_held(actor: Actor, held: HeldFigure, *, reason: str = "") -> None:
    if held.state != HeldState.PENDING:
        raise ValidationError(f"Số liệu này đã được xử lý ({HeldState(held.state).label})")
    require(actor, held.unit, Perm.ENTER)
    with transaction.atomic():
        _decide(actor, held, HeldState.REJECTED, reason or "Không dùng số liệu của nguồn")


# -- what pages show --------------------------------------------------------------------------------------------------
def last_runs(sources: Iterable[Source]) -> dict[int, Run]:
    ids = [s.pk for s in sources]
    latest: dict[int, Run] = {}
    for run in Run.objects.filter(source_id__in=ids).order_by("source_id", "-started_at", "-id"):
        latest.setdefault(run.source_id, run)
    return latest


def pending_counts(sources: Iterable[Source]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for source_id in HeldFigure.objects.filter(
        source__in=list(sources), state=HeldState.PENDING
    ).values_list("source_id", flat=True):
        counts[source_id] += 1
    return counts

